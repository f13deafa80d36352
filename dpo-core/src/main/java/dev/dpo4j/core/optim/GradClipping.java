package dev.dpo4j.core.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.Map;

/**
 * Gradient clipping by global L2 norm, as {@code torch.nn.utils.clip_grad_norm_} (the Hugging
 * Face Trainer's {@code max_grad_norm}), and a check for non-finite gradients.
 */
public final class GradClipping {

    /** The term PyTorch adds to the norm before dividing, so a zero norm does not divide by 0. */
    public static final float NORM_EPS = 1e-6f;

    private GradClipping() {
    }

    /**
     * Computes the global L2 norm of all gradients and, if it exceeds {@code maxNorm}, scales
     * every gradient in place so that the norm becomes {@code maxNorm}.
     *
     * <p>Exactly as PyTorch, in float32 on the engine: {@code total = ‖(‖g₁‖, …, ‖gₙ‖)‖₂}, then
     * {@code coef = (1 / (total + 1e-6)) · maxNorm} (PyTorch's {@code max_norm / t} is
     * {@code t.reciprocal() * max_norm}) and, when {@code coef < 1}, {@code g = g · coef}. A NaN
     * norm gives a NaN coefficient, which PyTorch's {@code clamp} keeps, so every gradient
     * becomes NaN as in PyTorch; check {@link #allFinite(Map)} before stepping.
     *
     * @param grads the gradients, modified in place; float32
     * @param maxNorm the largest allowed norm; &lt;= 0 means no clipping
     * @return the total norm before clipping (0 for no gradients)
     */
    public static double clipGlobalNorm(Map<String, NDArray> grads, double maxNorm) {
        if (grads.isEmpty()) {
            return 0.0;
        }
        float total = globalNorm(grads);
        if (maxNorm > 0) {
            float coef = (1f / (total + NORM_EPS)) * (float) maxNorm;
            if (!(coef >= 1f)) {
                for (NDArray g : grads.values()) {
                    g.muli(coef);
                }
            }
        }
        return total;
    }

    /**
     * Computes the global L2 norm of all gradients without changing them.
     *
     * @param grads the gradients
     * @return the norm of the per-tensor L2 norms, in float32 (0 for no gradients)
     */
    public static float globalNorm(Map<String, NDArray> grads) {
        if (grads.isEmpty()) {
            return 0f;
        }
        NDList norms = new NDList(grads.size());
        try {
            Device device = null;
            for (NDArray g : grads.values()) {
                NDArray norm = g.norm(false); // () L2 norm over all elements
                if (device == null) {
                    device = norm.getDevice();
                } else if (!norm.getDevice().equals(device)) {
                    NDArray moved = norm.toDevice(device, false);
                    norm.close();
                    norm = moved;
                }
                norms.add(norm);
            }
            try (NDArray stacked = NDArrays.stack(norms); // (n)
                    NDArray total = stacked.norm(false)) { // ()
                return total.getFloat();
            }
        } finally {
            norms.close();
        }
    }

    /**
     * Finds the first gradient holding a NaN or an infinity, as a mixed-precision step checks
     * before it applies an update.
     *
     * @param grads the gradients, checked in iteration order
     * @return the name of the first gradient with a non-finite element, or {@code null} if all
     *     elements of all gradients are finite
     */
    public static String allFinite(Map<String, NDArray> grads) {
        for (Map.Entry<String, NDArray> e : grads.entrySet()) {
            NDArray g = e.getValue();
            // g − g is 0 for finite elements and NaN for NaN and ±Inf
            try (NDArray diff = g.sub(g); NDArray nan = diff.isNaN(); NDArray any = nan.any()) {
                if (any.getBoolean()) {
                    return e.getKey();
                }
            }
        }
        return null;
    }
}
