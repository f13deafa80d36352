package dev.dpo4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Architecture switches checked through identities on the llama-tiny weights: Mistral is Llama plus a
 * sliding window, and linear RoPE scaling by f at positions f·p equals no scaling at positions p.
 */
class ModelVariantsTest {
    private static final long[] IDS = {5, 9, 77, 3, 120, 8, 44, 200};

    @TempDir
    Path tmp;

    private Path variant(String name, String from, String to) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.copy(Fixtures.path("models/llama-tiny/model.safetensors"), d.resolve("model.safetensors"));
        String config = Files.readString(Fixtures.path("models/llama-tiny/config.json"));
        assertTrue(config.contains(from), from);
        Files.writeString(d.resolve("config.json"), config.replace(from, to));
        return d;
    }

    private static float[] logits(Path dir, long[] positions) {
        try (DecoderModel m = DecoderModel.load(dir); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            int t = IDS.length;
            NDArray mask = AttentionMask.causal(m.manager(), t, t, new int[] {0}, new int[] {t},
                    m.config().slidingWindow());
            return m.logits(m.forward(m.manager().create(IDS, new Shape(1, t)), positions, mask, null)).toFloatArray();
        }
    }

    private static long[] positions(int step) {
        long[] p = new long[IDS.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (long) i * step;
        }
        return p;
    }

    @Test
    void mistralWithAWideWindowIsLlamaAndANarrowWindowChangesLaterTokensOnly() throws IOException {
        float[] llama = logits(Fixtures.path("models/llama-tiny"), positions(1));
        Path wide = variant("wide", "\"model_type\": \"llama\"", "\"model_type\": \"mistral\", \"sliding_window\": 64");
        assertArrayEquals(llama, logits(wide, positions(1)));
        Path narrow = variant("narrow", "\"model_type\": \"llama\"", "\"model_type\": \"mistral\", \"sliding_window\": 3");
        float[] windowed = logits(narrow, positions(1));
        int v = 256;
        // Tokens 0..2 see at most 3 keys either way: identical. Token 7 cannot see tokens 0..4: different.
        for (int i = 0; i < 3 * v; i++) {
            assertTrue(llama[i] == windowed[i], "position " + i / v);
        }
        double diff = 0;
        for (int i = 7 * v; i < 8 * v; i++) {
            diff = Math.max(diff, Math.abs(llama[i] - windowed[i]));
        }
        assertTrue(diff > 1e-3, "sliding window had no effect: " + diff);
    }

    @Test
    void linearRopeScalingByTwoAtEvenPositionsEqualsNoScaling() throws IOException {
        // angle = (2p) · (inv_freq / 2) = p · inv_freq, exactly in float32 (halving is exact).
        Path scaled = variant("linear", "\"rope_theta\": 10000.0",
                "\"rope_theta\": 10000.0, \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}");
        assertArrayEquals(logits(Fixtures.path("models/llama-tiny"), positions(1)), logits(scaled, positions(2)));
    }
}
