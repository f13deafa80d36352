package dev.dpo4j.core.safetensors;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A float32 tensor to be written by {@link SafetensorsWriter}, with the dtype it is stored as.
 *
 * <p>The data is narrowed when written: to F16 or BF16 with round-to-nearest-even (see
 * {@link HalfFloats}), or copied for F32. The record keeps a read-only view of the buffer's
 * elements from its position to its limit when constructed (the caller's buffer position is not
 * moved); a direct buffer, e.g. from an engine array, is streamed to the file without a heap copy.
 *
 * @param targetDtype the dtype written to the file
 * @param shape the dimensions, outermost first; empty for a scalar
 * @param data the elements in row-major order, exactly {@code product(shape)} of them
 */
public record WritableTensor(DType targetDtype, long[] shape, FloatBuffer data) {

    /**
     * Validates the fields and takes a read-only view of the data.
     *
     * @param targetDtype the dtype written to the file
     * @param shape the dimensions (copied)
     * @param data the elements, from the buffer's position to its limit
     * @throws IllegalArgumentException if a dimension is negative or the element count does not
     *     match the shape
     */
    public WritableTensor {
        Objects.requireNonNull(targetDtype, "targetDtype");
        shape = Objects.requireNonNull(shape, "shape").clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape "
                        + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        data = Objects.requireNonNull(data, "data").slice().asReadOnlyBuffer();
        if (data.remaining() != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n
                    + " elements but the data has " + data.remaining());
        }
    }

    /**
     * Creates a tensor from a heap array.
     *
     * @param targetDtype the dtype written to the file
     * @param shape the dimensions
     * @param data the elements in row-major order
     * @return the tensor
     */
    public static WritableTensor of(DType targetDtype, long[] shape, float[] data) {
        return new WritableTensor(targetDtype, shape, FloatBuffer.wrap(data));
    }

    /**
     * Returns a copy of the dimensions.
     *
     * @return the shape, outermost dimension first
     */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Returns a fresh read-only view of the data, positioned at its first element.
     *
     * @return the elements in row-major order
     */
    @Override
    public FloatBuffer data() {
        return data.duplicate();
    }

    /**
     * Returns the number of elements.
     *
     * @return the product of the dimensions (1 for a scalar)
     */
    public long numElements() {
        return data.remaining();
    }

    /**
     * Returns the number of bytes the tensor takes in the file.
     *
     * @return {@code numElements * targetDtype.byteSize()}
     */
    public long byteSize() {
        return numElements() * targetDtype.byteSize();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WritableTensor t && targetDtype == t.targetDtype
                && Arrays.equals(shape, t.shape) && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(targetDtype, Arrays.hashCode(shape), data);
    }

    @Override
    public String toString() {
        return "WritableTensor[" + targetDtype + ", shape=" + Arrays.toString(shape) + "]";
    }
}
