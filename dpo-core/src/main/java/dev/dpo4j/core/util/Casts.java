package dev.dpo4j.core.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Type conversion that autograd can see through.
 *
 * <p>DJL's {@code toType} runs {@code tensor.to(dtype)} under a {@code NoGradGuard}
 * ({@code ai_djl_pytorch_jni_PyTorchLibrary_tensor.cc}, {@code torchTo}): its result is cut off from the
 * graph, so a float16 forward of float32 LoRA masters, an RMSNorm upcast, or a float32 LM head on float16
 * states would silently get no gradient. {@link #to} makes the same conversion as an in-place copy into a
 * fresh tensor of the target type ({@code out[...] = x}, torch's {@code copy_}), which autograd records
 * (CopySlices): the gradient flows back converted to x's type. When no graph is being recorded the cheap
 * {@code toType} is used.
 */
public final class Casts {
    private static final NDIndex ALL = new NDIndex("...");

    private Casts() {
    }

    /**
     * x in another floating type, differentiable when graph recording is on.
     *
     * @param x any shape
     * @param type the target type
     * @return x itself when it has the type, else a new array (x's manager) holding its values converted
     */
    public static NDArray to(NDArray x, DataType type) {
        if (x.getDataType() == type) {
            return x;
        }
        if (!JniUtils.isGradMode()) {
            return x.toType(type, false);
        }
        NDArray out = x.getManager().create(x.getShape(), type); // uninitialised, then overwritten
        out.set(ALL, x);
        return out;
    }
}
