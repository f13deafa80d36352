package dev.dpo4j.core.safetensors;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor entry of a safetensors header.
 *
 * @param name the tensor name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype the element type on disk
 * @param shape the dimensions, outermost first; empty for a scalar
 * @param begin start of the tensor's bytes, relative to the file's data region
 * @param end end (exclusive) of the tensor's bytes, relative to the file's data region
 * @param file the file holding the tensor
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end, Path file) {

    /**
     * Validates and copies the fields.
     *
     * @param name the tensor name
     * @param dtype the element type on disk
     * @param shape the dimensions (copied)
     * @param begin start offset in the data region
     * @param end end offset (exclusive) in the data region
     * @param file the file holding the tensor
     * @throws IllegalArgumentException if a dimension is negative or {@code begin > end}
     */
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(file, "file");
        shape = Objects.requireNonNull(shape, "shape").clone();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape "
                        + Arrays.toString(shape) + " of tensor " + name);
            }
        }
        if (begin < 0 || begin > end) {
            throw new IllegalArgumentException("bad data offsets [" + begin + ", " + end
                    + "] of tensor " + name);
        }
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
     * Returns the number of elements, the product of the dimensions (1 for a scalar).
     *
     * @return the element count
     * @throws ArithmeticException if the product overflows a long
     */
    public long numElements() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * Returns the number of bytes the tensor occupies on disk, {@code end - begin}.
     *
     * @return the stored byte count
     */
    public long byteSize() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end
                && file.equals(t.file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end, file);
    }

    @Override
    public String toString() {
        return "TensorInfo[" + name + ", " + dtype + ", shape=" + Arrays.toString(shape)
                + ", data_offsets=[" + begin + ", " + end + "], file=" + file + "]";
    }
}
