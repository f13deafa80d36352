package dev.dpo4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Runs the DPO-step benchmark small on the llama-tiny fixture; checks the figures are sane, never a speed. */
class DpoStepBenchmarkTest {
    private static final Path LLAMA_TINY = Path.of(System.getProperty("dpo4j.fixtures", "../../shared/fixtures"))
            .resolve("models/llama-tiny");

    @Test
    void tinyRunReportsThreeVariantsAgainstPlain() {
        Assumptions.assumeTrue(Files.isDirectory(LLAMA_TINY), "fixture model missing: " + LLAMA_TINY);
        DpoStepBenchmark bench = new DpoStepBenchmark();
        new CommandLine(bench).parseArgs("--model", LLAMA_TINY.toString(), "--prompt-length", "24",
                "--chosen-length", "4", "--rejected-length", "6", "--pairs", "2", "--warmup", "0", "--runs", "1");
        List<DpoStepBenchmark.Row> rows = bench.run();
        assertEquals(List.of("plain", "prefix-shared", "prefix-shared + cached reference"),
                rows.stream().map(DpoStepBenchmark.Row::variant).toList());
        for (DpoStepBenchmark.Row r : rows) {
            assertTrue(r.seconds() > 0 && Double.isFinite(r.tokensPerSecond()), r.toString());
            // the first step starts at policy = reference (B = 0), later ones after AdamW updates: near log 2
            assertTrue(Math.abs(r.loss() - Math.log(2)) < 0.05, r.toString());
        }
        String table = bench.table(rows);
        assertTrue(table.contains("| plain |") && table.contains("1.00×"), table);
    }
}
