package dev.dpo4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Runs the memory benchmark small (the llama-tiny fixture, one child JVM per variant) and checks the
 * bookkeeping, never a speed or an RSS figure: each variant ran in its own process and scored a finite
 * log-prob, and the weight bytes follow the formats (float16 half of float32 but for the float32 norms;
 * 4-bit about an eighth of float32 for the projections).
 */
class MemoryBenchmarkTest {
    private static final Path LLAMA_TINY = Path.of(System.getProperty("dpo4j.fixtures", "../../shared/fixtures"))
            .resolve("models/llama-tiny");

    @Test
    void eachVariantRunsInItsOwnJvmAndHoldsTheBytesItsFormatImplies() {
        Assumptions.assumeTrue(Files.isDirectory(LLAMA_TINY), "fixture model missing: " + LLAMA_TINY);
        MemoryBenchmark bench = new MemoryBenchmark();
        new CommandLine(bench).parseArgs("--model", LLAMA_TINY.toString(), "--variants", "float32,float16,nf4-dq,int8",
                "--tokens", "16", "--child-heap", "256m");
        List<MemoryBenchmark.Result> results = bench.run();
        assertEquals(List.of("float32", "float16", "nf4-dq", "int8"),
                results.stream().map(MemoryBenchmark.Result::variant).toList());
        for (MemoryBenchmark.Result r : results) {
            assertTrue(Double.isFinite(r.logprob()) && r.logprob() < 0, r.toString());
            assertTrue(Double.isNaN(r.peakRssMiB()) || r.peakRssMiB() >= r.loadPeakRssMiB(), r.toString());
        }
        // llama-tiny: 119,104 weights, of which 2 layers × 2 norms × 64 + 64 = 320 are norms (float32 always).
        long all = 119_104;
        long norms = 320;
        assertEquals(all * 4, results.get(0).weightBytes());
        assertEquals((all - norms) * 2 + norms * 4, results.get(1).weightBytes());
        // projections (86,016 weights) at 4 bits with double-quantized scales; embeddings and LM head float16
        long projections = 2 * (64 * 64 * 2 + 64 * 32 * 2 + 3 * 64 * 160);
        long blocks = projections / 64;
        assertTrue(results.get(2).weightBytes() < (all - projections - norms) * 2 + norms * 4 + projections / 2 + blocks * 2,
                results.get(2).toString());
        assertTrue(results.get(3).weightBytes() > results.get(2).weightBytes(), "int8 holds more than 4-bit");
        String table = bench.table(results);
        assertTrue(table.contains("| float16 | float16 |") && table.contains("≤ 0.55: "), table);
    }
}
