package dev.dpo4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dpo4j.core.engine.Autograd;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.quant.QuantizedWeight;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cheap identity of a model's weights for cache keys: SHA-256 over the config and, per tensor, its
 * name, shape, sum and sum of squares (float64 reductions on the engine, one pass, no copy to Java).
 * Any change of a weight that matters changes the sums; files are not re-read. The precision and
 * quantization are part of the label: a float16 or 4-bit reference gives other log-probs than float32.
 */
public final class ModelFingerprint {
    private ModelFingerprint() {
    }

    /**
     * Fingerprints the base weights (adapters are not parameters of the model).
     *
     * @param model the model
     * @return 64 hex digits
     */
    public static String of(DecoderModel model) {
        return BASE.computeIfAbsent(model, ModelFingerprint::compute);
    }

    /**
     * Base fingerprints already computed: the base weights of a loaded model never change (adapters are
     * not its parameters), and a run asks twice (its checkpoint identity, its reference cache's key).
     */
    private static final Map<DecoderModel, String> BASE = java.util.Collections.synchronizedMap(
            new java.util.WeakHashMap<>());

    private static String compute(DecoderModel model) {
        Map<String, NDArray> tensors = new LinkedHashMap<>(model.parameters());
        String label = model.config() + "/" + model.options().label();
        if (model.quantizedWeights().isEmpty()) {
            return of(label, tensors, model.manager());
        }
        // Quantized projections count by their dequantized values, one at a time.
        try (NDManager scratch = model.manager().newSubManager()) {
            for (Map.Entry<String, QuantizedWeight> e : model.quantizedWeights().entrySet()) {
                tensors.put(e.getKey(), e.getValue().dequantize(scratch, DataType.FLOAT32));
            }
            return of(label, tensors, model.manager());
        }
    }

    /**
     * Fingerprints named tensors.
     *
     * @param label mixed into the hash (a config, or what the tensors are)
     * @param tensors name → tensor
     * @param manager for the reductions
     * @return 64 hex digits
     */
    public static String of(String label, Map<String, NDArray> tensors, NDManager manager) {
        try (Autograd.Scope off = Autograd.recording(false)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(label.getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                // One tensor's float64 copy at a time: the scratch manager frees it before the next.
                try (NDManager scratch = manager.newSubManager()) {
                    NDArray t = e.getValue().toType(DataType.FLOAT64, true);
                    t.attach(scratch);
                    NDArray sum = t.sum();
                    NDArray squares = t.square().sum();
                    sum.attach(scratch);
                    squares.attach(scratch);
                    String line = e.getKey() + e.getValue().getShape() + ":" + sum.getDouble() + ":"
                            + squares.getDouble() + "\n";
                    sha.update(line.getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fingerprints weights held in Java arrays (an adapter's snapshot): SHA-256 of the label, then each
     * name with its values' exact bits, in name order.
     *
     * @param label mixed into the hash
     * @param arrays name → values
     * @return 64 hex digits
     */
    public static String ofArrays(String label, Map<String, float[]> arrays) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(label.getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, float[]> e : new java.util.TreeMap<>(arrays).entrySet()) {
                sha.update(("\n" + e.getKey() + ":").getBytes(StandardCharsets.UTF_8));
                java.nio.ByteBuffer bits = java.nio.ByteBuffer.allocate(4 * e.getValue().length);
                bits.asFloatBuffer().put(e.getValue());
                sha.update(bits);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fingerprints token ids: SHA-256 of the label, then each example's parts in order (an example's
     * prompt, completions, …). The identity of a dataset in checkpoints and reference-cache keys.
     *
     * @param label mixed into the hash first (what the ids are scored by, say)
     * @param examples each example's token-id parts, in dataset order
     * @return 64 hex digits
     */
    public static String ofTokens(String label, Iterable<List<long[]>> examples) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(label.getBytes(StandardCharsets.UTF_8));
            java.nio.ByteBuffer id = java.nio.ByteBuffer.allocate(Long.BYTES);
            for (List<long[]> parts : examples) {
                for (long[] ids : parts) {
                    sha.update((byte) '|');
                    for (long token : ids) {
                        sha.update(id.clear().putLong(token).array());
                    }
                }
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
