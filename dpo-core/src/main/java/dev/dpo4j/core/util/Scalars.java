package dev.dpo4j.core.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Arithmetic with a Java number that is safe under autograd.
 *
 * <p>DJL's {@code x.mul(2f)} builds the 2 as an engine array whose memory is a Java direct buffer
 * ({@code torch::from_blob}) and closes it right after the op. PyTorch's graph keeps that scalar for
 * backward (d(x·c)/dx = c), but nothing keeps the buffer: once the garbage collector frees it, backward
 * reads freed memory and gradients come out as garbage (measured: 92 of 200 backward passes wrong
 * under GC pressure). Here the scalar is first copied into engine-owned memory, which the graph keeps
 * alive by reference count. Addition and subtraction save no operand and need no care; multiply,
 * divide, power and maximum do. Use these helpers in any code that may run under autograd.
 */
public final class Scalars {
    private Scalars() {
    }

    /**
     * A 0-d array holding v in x's dtype, on x's device, in engine-owned memory.
     *
     * @param like gives dtype, device and manager
     * @param v the value
     * @return the scalar array
     */
    public static NDArray of(NDArray like, double v) {
        // DJL's toType(t, true) is the native tensor.to(dtype), which returns an alias, not a copy, when
        // the type already matches: on its own it would leave a float64 scalar in the Java buffer.
        try (NDArray shared = like.getManager().create(v); // float64, backed by a Java buffer
             NDArray owned = shared.duplicate()) { // torch clone: memory the engine owns
            return owned.toType(like.getDataType(), true); // converted, or an alias of the clone
        }
    }

    /**
     * A 0-d array holding v in a given type, in engine-owned memory on the manager's device (for
     * constants made before any operand exists).
     *
     * @param manager owns the scalar
     * @param type its data type
     * @param v the value
     * @return the scalar array
     */
    public static NDArray of(NDManager manager, DataType type, double v) {
        try (NDArray shared = manager.create(v); NDArray owned = shared.duplicate()) {
            NDArray out = owned.toType(type, true);
            out.attach(manager);
            return out;
        }
    }

    /**
     * x · v.
     *
     * @param x the array
     * @param v the factor
     * @return x·v
     */
    public static NDArray mul(NDArray x, double v) {
        try (NDArray s = of(x, v)) {
            return x.mul(s);
        }
    }

    /**
     * x / v.
     *
     * @param x the array
     * @param v the divisor
     * @return x / v
     */
    public static NDArray div(NDArray x, double v) {
        try (NDArray s = of(x, v)) {
            return x.div(s);
        }
    }

    /**
     * x ^ v.
     *
     * @param x the array
     * @param v the exponent
     * @return x^v
     */
    public static NDArray pow(NDArray x, double v) {
        try (NDArray s = of(x, v)) {
            return x.pow(s);
        }
    }

    /**
     * max(x, v) element-wise.
     *
     * @param x the array
     * @param v the floor
     * @return max(x, v)
     */
    public static NDArray maximum(NDArray x, double v) {
        try (NDArray s = of(x, v)) {
            return x.maximum(s);
        }
    }
}
