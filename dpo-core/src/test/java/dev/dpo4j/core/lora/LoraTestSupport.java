package dev.dpo4j.core.lora;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.model.AttentionMask;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.ModelConfig;
import dev.dpo4j.core.model.WeightNames;
import dev.dpo4j.core.safetensors.HalfFloats;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shared helpers of the LoRA tests: logits of a model on fixed token ids, and a model whose adapted
 * weights are merged by plain Java loops (independent of the engine and of the code under test).
 */
public final class LoraTestSupport {
    /** Two rows of token ids valid for every fixture vocabulary (V ≥ 256). */
    static final long[][] IDS = {{1, 17, 42, 99, 3, 250, 7, 64}, {5, 200, 13, 13, 81, 2, 144, 30}};

    private LoraTestSupport() {
    }

    /**
     * Full-sequence logits, causal mask (each layer's sliding window), positions 0..T-1.
     *
     * @param model the model
     * @param rows B rows of T ids
     * @return (B, T, V) row-major
     */
    public static float[] logits(DecoderModel model, long[][] rows) {
        int b = rows.length;
        int t = rows[0].length;
        long[] ids = new long[b * t];
        long[] pos = new long[b * t];
        for (int r = 0; r < b; r++) {
            for (int c = 0; c < t; c++) {
                ids[r * t + c] = rows[r][c];
                pos[r * t + c] = c;
            }
        }
        try (NDManager m = model.manager().newSubManager()) {
            int[] end = new int[b];
            Arrays.fill(end, t);
            return model.logits(model.forward(m.create(ids, new Shape(b, t)), pos,
                    w -> AttentionMask.causal(m, t, t, new int[b], end, w), null)).toFloatArray(); // (B, T, V)
        }
    }

    /** Largest absolute element difference. */
    static double maxDiff(float[] a, float[] b) {
        assertTrue(a.length == b.length, "lengths " + a.length + " vs " + b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    /** Largest absolute element. */
    static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /**
     * W + scaling·B·A by loops: W' [o][i] = W[o][i] + scaling · Σ_k B[o][k]·A[k][i], accumulated in double.
     *
     * @param w (out, in)
     * @param a (r, in)
     * @param b (out, r)
     * @return (out, in) as float
     */
    public static float[] handMerge(float[] w, float[] a, float[] b, int out, int in, int r, double scaling) {
        float[] merged = new float[out * in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double sum = 0;
                for (int k = 0; k < r; k++) {
                    sum += (double) b[o * r + k] * a[k * in + i];
                }
                merged[o * in + i] = (float) (w[o * in + i] + scaling * sum);
            }
        }
        return merged;
    }

    /**
     * Builds the base model with every projection named in {@code adapter} (PEFT key → values) merged by
     * {@link #handMerge}, reading the base tensors straight from the checkpoint.
     *
     * @param baseDir the base model folder
     * @param adapter PEFT key → values
     * @param r the rank
     * @param scaling alpha / r
     * @param manager owns the tensors (closed with the model)
     * @return the merged model
     */
    static DecoderModel handMergedModel(Path baseDir, Map<String, float[]> adapter, int r, double scaling,
            NDManager manager) throws IOException {
        return handMergedModel(baseDir, adapter, r, scaling, false, manager);
    }

    /**
     * As {@link #handMergedModel(Path, Map, int, double, NDManager)}, optionally rounding each merged
     * weight to bfloat16 (round to nearest even), as a BF16 checkpoint stores it.
     */
    static DecoderModel handMergedModel(Path baseDir, Map<String, float[]> adapter, int r, double scaling,
            boolean roundBf16, NDManager manager) throws IOException {
        ModelConfig config = ModelConfig.load(baseDir);
        Map<String, NDArray> params = new LinkedHashMap<>();
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(baseDir)) {
            for (Map.Entry<String, long[]> e : WeightNames.expected(config).entrySet()) {
                String name = e.getKey();
                long[] shape = e.getValue();
                float[] w = ckpt.readFloatArray(name);
                String module = name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : name;
                float[] a = adapter.get("base_model.model." + module + ".lora_A.weight");
                float[] b = adapter.get("base_model.model." + module + ".lora_B.weight");
                if (a != null) {
                    w = handMerge(w, a, b, (int) shape[0], (int) shape[1], r, scaling);
                    if (roundBf16) {
                        for (int i = 0; i < w.length; i++) {
                            w[i] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(w[i]));
                        }
                    }
                }
                params.put(name, manager.create(w, new Shape(shape)));
            }
        }
        return DecoderModel.of(config, manager, params);
    }
}
