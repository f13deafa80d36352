package dev.dpo4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the judge benchmark small; checks the figures are consistent, never a speed. */
class JudgeThroughputBenchmarkTest {

    @Test
    void smallRunReportsBothWaysWithinTheConcurrencyBound() {
        List<JudgeThroughputBenchmark.Result> results = JudgeThroughputBenchmark.run(4, 20, 20);
        assertEquals(List.of("qa-judge", "pipeline"), results.stream().map(JudgeThroughputBenchmark.Result::way).toList());
        for (JudgeThroughputBenchmark.Result r : results) {
            assertEquals(200.0, r.ideal(), 1e-9); // 4 in flight / 0.020 s
            assertTrue(r.judgeRequests() >= 20, r.toString());
            // 20 ms per request at 4 in flight cannot finish faster than the ideal rate allows
            assertTrue(r.fraction() > 0 && r.fraction() <= 1.05, r.toString());
            // the server may see one more while a finished request's handler returns
            assertTrue(r.maxInFlight() <= 5, r.toString());
            assertTrue(r.markdownRow().startsWith("| " + r.way() + " | "), r.markdownRow());
        }
        assertThrows(IllegalArgumentException.class, () -> JudgeThroughputBenchmark.run(8, 200, 4));
    }
}
