package dev.dpo4j.core.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.util.DirectBuffers;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The two DJL ownership rules the quantized layouts share: stored arrays live in engine-owned memory,
 * and per-call arrays derived from them belong to the caller's scratch manager.
 */
final class EngineArrays {
    private EngineArrays() {
    }

    /**
     * Copies Java data into an engine-owned array under {@code owner}, on owner's device.
     *
     * <p>DJL's PyTorch engine may wrap a direct Java buffer without copying ({@code torch::from_blob});
     * views of such an array would read memory the garbage collector can free (see
     * {@code dev.dpo4j.core.util.Scalars}). The staged array is therefore cloned and closed.
     *
     * @param owner the manager that will own the array
     * @param data the values, from position to limit
     * @param shape the array's shape
     * @param type the element type of {@code data}
     * @return the array, owned by {@code owner}
     */
    static NDArray upload(NDManager owner, Buffer data, Shape shape, DataType type) {
        // Stage through a direct buffer of our own and free it once the engine holds its copy (a heap buffer
        // would be staged by DJL into a direct buffer that lives until a garbage collection).
        ByteBuffer direct = toDirect(data);
        try (NDArray staged = owner.create(direct, shape, type)) {
            return staged.duplicate();
        } finally {
            if (direct != data) {
                DirectBuffers.free(direct);
            }
        }
    }

    /**
     * Uploads a direct buffer the caller allocated for this upload alone, then frees it.
     *
     * @param owner the manager that will own the array
     * @param data a buffer from {@link ByteBuffer#allocateDirect}, not used again by the caller
     * @param shape the array's shape
     * @param type the element type
     * @return the array, owned by {@code owner}
     */
    static NDArray uploadAndFree(NDManager owner, ByteBuffer data, Shape shape, DataType type) {
        try {
            return upload(owner, data, shape, type);
        } finally {
            DirectBuffers.free(data);
        }
    }

    private static ByteBuffer toDirect(Buffer data) {
        if (data instanceof ByteBuffer b && b.isDirect()) {
            return b;
        }
        if (data instanceof FloatBuffer f) {
            ByteBuffer out = ByteBuffer.allocateDirect(f.remaining() * Float.BYTES).order(ByteOrder.nativeOrder());
            out.asFloatBuffer().put(f.duplicate());
            return out;
        }
        if (data instanceof ByteBuffer b) {
            ByteBuffer out = ByteBuffer.allocateDirect(b.remaining());
            out.put(b.duplicate()).flip();
            return out;
        }
        throw new IllegalArgumentException("unsupported buffer " + data.getClass().getName());
    }

    /**
     * Moves an array to the scratch manager. DJL gives an op's result to its first operand's manager,
     * so a result computed from a stored array would otherwise live as long as the weight.
     *
     * @param array a per-call result
     * @param scratch the per-call manager
     * @return the same array
     */
    static NDArray scratch(NDArray array, NDManager scratch) {
        array.attach(scratch);
        return array;
    }
}
