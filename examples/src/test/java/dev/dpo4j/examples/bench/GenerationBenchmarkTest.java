package dev.dpo4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.model.ModelConfig;
import dev.dpo4j.core.model.WeightNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs the benchmark small on the llama-tiny fixture; checks the figures are sane, never a speed. */
class GenerationBenchmarkTest {
    private static final Path FIXTURES = Path.of(System.getProperty("dpo4j.fixtures", "../../shared/fixtures"));
    private static final Path LLAMA_TINY = FIXTURES.resolve("models/llama-tiny");

    @Test
    void tinyRunGivesPositiveRatesAndTheSameTokensWithAndWithoutCache() {
        Assumptions.assumeTrue(Files.isDirectory(LLAMA_TINY), "fixture model missing: " + LLAMA_TINY);
        BenchmarkOptions options = BenchmarkOptions.builder(LLAMA_TINY.toString()).promptLength(8).newTokens(4)
                .batchSize(2).warmupRuns(0).measuredRuns(1).build();

        BenchmarkResult r = GenerationBenchmark.run(options);

        assertEquals("llama-tiny", r.model());
        // llama-tiny (fixture config.json): V 256, H 64, I 160, 2 layers, 4 heads of 16, 2 KV heads, untied:
        // embed + lm_head 2·256·64 = 32768; per layer q,o 64·64 ·2 = 8192, k,v 64·32 ·2 = 4096,
        // mlp 3·64·160 = 30720, norms 2·64 = 128 → 43136; ×2 = 86272; final norm 64 → 119104.
        assertEquals(119_104L, r.parameters());
        assertTrue(r.cachedTokensPerSecond() > 0 && Double.isFinite(r.cachedTokensPerSecond()));
        assertTrue(r.uncachedTokensPerSecond() > 0 && Double.isFinite(r.uncachedTokensPerSecond()));
        assertTrue(r.ratio() > 0 && Double.isFinite(r.ratio()));
        assertTrue(r.peakHeapMiB() > 0, "peak heap " + r.peakHeapMiB());
        assertTrue(Double.isNaN(r.peakRssMiB()) || r.peakRssMiB() > r.peakHeapMiB() / 4,
                "peak RSS " + r.peakRssMiB());
        assertEquals(2, r.cachedTokens().size());
        for (int b = 0; b < 2; b++) {
            assertEquals(4, r.cachedTokens().get(b).length, "EOS must not stop a benchmark run");
            assertArrayEquals(r.cachedTokens().get(b), r.uncachedTokens().get(b), "prompt " + b);
        }
        assertTrue(r.tokensMatch());
        String row = r.markdownRow();
        assertTrue(row.startsWith("| llama-tiny | float32 | 119.1K | 8 | 4 | 2 | "), row);
        assertTrue(row.endsWith("| - |"), "no GPU figure on CPU: " + row);
        assertEquals(countChar(BenchmarkResult.markdownHeader().lines().findFirst().orElseThrow(), '|'),
                countChar(row.replace("*", ""), '|'));
    }

    @Test
    void smolLm2ConfigHasTheRealModelsShape() {
        ModelConfig c = RandomModel.smolLm2Config();
        assertEquals(64, c.headDim());
        assertTrue(c.tieWordEmbeddings());
        // embed 49152·576 = 28311552; per layer q,o 2·576² = 663552, k,v 2·576·192 = 221184,
        // mlp 3·576·1536 = 2654208, norms 2·576 = 1152 → 3540096; ×30 = 106202880; final norm 576.
        long count = WeightNames.expected(c).values().stream()
                .mapToLong(s -> java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum();
        assertEquals(134_515_008L, count);
    }

    @Test
    void qwen3ShapeHasQwen3SixHundredMillionParameters() {
        ModelConfig c = RandomModel.config("qwen3-0.6b-random");
        assertEquals(128, c.headDim()); // > hidden / heads = 64
        assertTrue(c.modelType().qkNorm() && c.tieWordEmbeddings());
        // embed 151936·1024 = 155582464; per layer q,o 2·1024·2048 = 4194304, k,v 2·1024·1024 = 2097152,
        // q/k norms 2·128, mlp 3·1024·3072 = 9437184, norms 2·1024 → 15730944; ×28 = 440466432;
        // final norm 1024: 596049920, Qwen3-0.6B's published 0.6B (0.44B without embeddings).
        long count = WeightNames.expected(c).values().stream()
                .mapToLong(s -> java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum();
        assertEquals(596_049_920L, count);
    }

    @Test
    void defaultsDependOnTheModelAndBadOptionsAreRejected() {
        assertEquals(32, BenchmarkOptions.builder(RandomModel.NAME).build().newTokens());
        assertEquals(64, BenchmarkOptions.builder("some/dir").build().newTokens());
        assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.builder("x").measuredRuns(0).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GenerationBenchmark.run(BenchmarkOptions.builder("no/such/dir").build()));
        assertTrue(e.getMessage().contains("no/such/dir"), e.getMessage());
    }

    private static long countChar(String s, char c) {
        return s.chars().filter(ch -> ch == c).count();
    }
}
