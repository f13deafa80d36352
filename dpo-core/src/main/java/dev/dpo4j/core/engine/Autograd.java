package dev.dpo4j.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch autograd controls that DJL's {@code GradientCollector} does not expose: recording on and off
 * for a scope (grad mode is per thread in PyTorch) and backward with an upstream gradient, which
 * layer-wise recomputation needs (DESIGN.md: "a layer can be recomputed in backward from its saved
 * input").
 */
public final class Autograd {
    private static final NDIndex ALL = new NDIndex("...");
    private Autograd() {
    }

    /** A scope that restores the previous recording state when closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Turns graph recording on or off on this thread until the scope closes.
     *
     * @param on whether operations record a graph
     * @return the scope
     */
    public static Scope recording(boolean on) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(on);
        return () -> JniUtils.setGradMode(previous);
    }

    /**
     * Back-propagates {@code upstream} (d loss / d target) through target's graph, accumulating into
     * the {@code .grad} of every leaf that requires a gradient; the graph is freed.
     *
     * @param target an array with a graph
     * @param upstream same shape as target
     */
    public static void backward(NDArray target, NDArray upstream) {
        JniUtils.backward((PtNDArray) target, (PtNDArray) upstream, false, false);
    }

    /**
     * Back-propagates a scalar loss (upstream gradient 1).
     *
     * @param loss a scalar with a graph
     */
    public static void backward(NDArray loss) {
        backward(loss, loss.onesLike());
    }

    /**
     * Sets a leaf's accumulated gradient to zero (no-op when it has none yet).
     *
     * @param parameter a leaf requiring a gradient
     */
    public static void zeroGradient(NDArray parameter) {
        if (parameter.hasGradient()) {
            try (NDArray grad = parameter.getGradient(); Scope off = recording(false)) {
                grad.set(ALL, 0f); // a fill, not grad·0: a step skipped for Inf/NaN leaves them in the gradient
            }
        }
    }
}
