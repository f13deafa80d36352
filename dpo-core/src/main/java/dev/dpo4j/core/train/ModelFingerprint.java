package dev.dpo4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dpo4j.core.model.DecoderModel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A cheap identity of a model's weights for cache keys: SHA-256 over the config and, per tensor, its
 * name, shape, sum and sum of squares (float64 reductions on the engine, one pass, no copy to Java).
 * Any change of a weight that matters changes the sums; files are not re-read.
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
        return of(model.config().toString(), model.parameters(), model.manager());
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
}
