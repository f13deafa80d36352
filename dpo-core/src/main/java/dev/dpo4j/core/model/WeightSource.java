package dev.dpo4j.core.model;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a model's weight values come from when they are not read from a checkpoint folder (random-weight
 * benchmarks, tests): a run of a tensor's elements, row-major, as float32.
 */
@FunctionalInterface
public interface WeightSource {
    /**
     * Writes {@code count} float32 values of a tensor, starting at element {@code firstElement}, into dst
     * (little-endian) and advances its position.
     *
     * @param name the Hugging Face tensor name
     * @param firstElement index of the first element, row-major
     * @param count how many elements
     * @param dst the destination, little-endian, with at least {@code 4 * count} bytes remaining
     * @throws IOException if the values cannot be read
     */
    void read(String name, long firstElement, int count, ByteBuffer dst) throws IOException;
}
