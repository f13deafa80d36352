package dev.dpo4j.core.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * One open safetensors file: its validated header and positional reads of its tensors.
 *
 * <p>{@link #open(Path)} reads and checks the whole header before returning, so every later read
 * of a listed tensor stays inside the file. Tensor data is read through a {@link FileChannel}
 * straight into direct (off-heap) buffers; F16 and BF16 are widened to float32 through a small
 * direct staging buffer, so no heap copy of a tensor is ever made. Reads are positional and
 * therefore safe from several threads at once.
 *
 * <pre>{@code
 * try (SafetensorsFile f = SafetensorsFile.open(Path.of("model.safetensors"))) {
 *     ByteBuffer w = f.readFloat32("model.embed_tokens.weight"); // (V, D) little-endian f32
 * }
 * }</pre>
 */
public final class SafetensorsFile implements AutoCloseable {

    /** Headers larger than this are refused (the Rust implementation uses 100 MB). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    /** Size of the direct staging buffer used when widening 16-bit tensors. */
    private static final int CHUNK_BYTES = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final long dataOffset;
    private final SafetensorsHeader header;

    private SafetensorsFile(Path file, FileChannel channel, long dataOffset,
            SafetensorsHeader header) {
        this.file = file;
        this.channel = channel;
        this.dataOffset = dataOffset;
        this.header = header;
    }

    /**
     * Opens a file and validates its whole header.
     *
     * @param file the {@code .safetensors} file
     * @return the open file; close it to release the file handle
     * @throws SafetensorsException if the file is missing, shorter than 8 bytes, declares a header
     *     past its end or over {@link #MAX_HEADER_BYTES}, or its header is invalid (bad JSON,
     *     missing or ill-typed field, unsupported dtype, negative dimension, shape/byte-count
     *     mismatch, begin &gt; end, data past the end of the file, overlapping tensors)
     * @throws IOException if the file cannot be read
     */
    public static SafetensorsFile open(Path file) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new SafetensorsException(file, null, "file does not exist", e);
        }
        try {
            long size = channel.size();
            if (size < 8) {
                throw new SafetensorsException(file, "file is " + size
                        + " bytes, shorter than the 8-byte header length field");
            }
            ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(file, null, channel, lengthField, 0);
            long headerLength = lengthField.getLong(0);
            if (headerLength < 0 || headerLength > size - 8) {
                throw new SafetensorsException(file, "header length "
                        + Long.toUnsignedString(headerLength) + " runs past the end of the file ("
                        + size + " bytes): not a safetensors file, or truncated");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new SafetensorsException(file, "header length " + headerLength
                        + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            byte[] json = new byte[(int) headerLength];
            readFully(file, null, channel, ByteBuffer.wrap(json), 8);
            long dataOffset = 8 + headerLength;
            SafetensorsHeader header = SafetensorsHeader.parse(file, json, size - dataOffset);
            return new SafetensorsFile(file, channel, dataOffset, header);
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /**
     * Returns the path this file was opened from.
     *
     * @return the file path
     */
    public Path path() {
        return file;
    }

    /**
     * Returns the absolute position of the data region, {@code 8 + header length}.
     *
     * @return the byte offset tensor offsets are relative to
     */
    public long dataOffset() {
        return dataOffset;
    }

    /**
     * Returns all tensors, in the order of the header.
     *
     * @return an unmodifiable map from tensor name to its entry
     */
    public Map<String, TensorInfo> tensors() {
        return header.tensors();
    }

    /**
     * Returns the header's {@code "__metadata__"} map, e.g. {@code {"format": "pt"}}.
     *
     * @return an unmodifiable map, empty when the header has none
     */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /**
     * Tells whether the file holds a tensor.
     *
     * @param name the tensor name
     * @return true if the header lists it
     */
    public boolean contains(String name) {
        return header.tensors().containsKey(name);
    }

    /**
     * Returns a tensor's header entry.
     *
     * @param name the tensor name
     * @return its entry
     * @throws SafetensorsException if the file has no such tensor; the message lists the closest
     *     available names
     */
    public TensorInfo info(String name) throws SafetensorsException {
        TensorInfo info = header.tensors().get(name);
        if (info == null) {
            throw new SafetensorsException(file, name, "no such tensor in file ("
                    + NameSuggestions.describe(name, header.tensors().keySet()) + ")");
        }
        return info;
    }

    /**
     * Reads a tensor's bytes exactly as stored.
     *
     * @param name the tensor name
     * @return a direct little-endian buffer, position 0, limit the tensor's byte size
     * @throws SafetensorsException if the tensor is missing or over 2 GiB
     * @throws IOException if reading fails
     */
    public ByteBuffer readRaw(String name) throws IOException {
        TensorInfo info = info(name);
        if (info.byteSize() > Integer.MAX_VALUE) {
            throw new SafetensorsException(file, name, "tensor of " + info.byteSize()
                    + " bytes exceeds the " + Integer.MAX_VALUE + "-byte limit of a ByteBuffer");
        }
        ByteBuffer out = ByteBuffer.allocateDirect((int) info.byteSize())
                .order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, name, channel, out, dataOffset + info.begin());
        return out.flip();
    }

    /**
     * Reads a tensor widened to float32.
     *
     * @param name the tensor name
     * @return a direct little-endian buffer of {@code numElements} floats, position 0
     * @throws SafetensorsException if the tensor is missing or its float32 size exceeds
     *     {@link Integer#MAX_VALUE} bytes
     * @throws IOException if reading fails
     */
    public ByteBuffer readFloat32(String name) throws IOException {
        TensorInfo info = info(name);
        ByteBuffer out = ByteBuffer.allocateDirect(float32Bytes(info))
                .order(ByteOrder.LITTLE_ENDIAN);
        readFloat32Into(info, out);
        return out.flip();
    }

    /**
     * Reads a tensor widened to float32 into a caller's buffer, so one buffer can be reused for
     * every tensor of a checkpoint. Writes {@code numElements} little-endian floats at the
     * buffer's position, whatever its byte order, and advances the position past them. Pass a
     * direct buffer: the JDK stages reads into a heap buffer through a cached temporary direct
     * buffer of the same size.
     *
     * @param name the tensor name
     * @param dst the destination, with at least {@code 4 * numElements} bytes remaining
     * @throws SafetensorsException if the tensor is missing or does not fit in {@code dst}
     * @throws IOException if reading fails
     */
    public void readFloat32Into(String name, ByteBuffer dst) throws IOException {
        TensorInfo info = info(name);
        int bytes = float32Bytes(info);
        if (dst.remaining() < bytes) {
            throw new SafetensorsException(file, name, "destination buffer has "
                    + dst.remaining() + " bytes remaining, tensor needs " + bytes);
        }
        readFloat32Into(info, dst);
    }

    /**
     * Reads a run of a tensor's elements (row-major order) widened to float32 into a caller's buffer:
     * what a loader needs for tensors too large to stage whole (an 8B model's embedding is over 2 GiB as
     * float32). Writes {@code count} little-endian floats at the buffer's position and advances it.
     *
     * @param name the tensor name
     * @param firstElement index of the first element to read
     * @param count how many elements
     * @param dst the destination, with at least {@code 4 * count} bytes remaining
     * @throws SafetensorsException if the tensor is missing, the range lies outside it or does not fit in
     *     {@code dst}
     * @throws IOException if reading fails
     */
    public void readFloat32Into(String name, long firstElement, int count, ByteBuffer dst) throws IOException {
        TensorInfo info = info(name);
        if (firstElement < 0 || count < 0 || firstElement + count > info.numElements()) {
            throw new SafetensorsException(file, name, "elements [" + firstElement + ", " + (firstElement + count)
                    + ") lie outside the tensor's " + info.numElements());
        }
        if (dst.remaining() < (long) count * Float.BYTES) {
            throw new SafetensorsException(file, name, "destination buffer has " + dst.remaining()
                    + " bytes remaining, the range needs " + (long) count * Float.BYTES);
        }
        int width = info.dtype().byteSize();
        readFloat32Into(info, dataOffset + info.begin() + firstElement * width, (long) count * width, dst);
    }

    /**
     * Reads a tensor widened to float32 into a heap array; meant for small tensors and tests.
     *
     * @param name the tensor name
     * @return the tensor's elements in row-major order
     * @throws SafetensorsException if the tensor is missing or too large for a buffer
     * @throws IOException if reading fails
     */
    public float[] readFloatArray(String name) throws IOException {
        ByteBuffer buffer = readFloat32(name);
        float[] values = new float[buffer.remaining() / Float.BYTES];
        buffer.asFloatBuffer().get(values);
        return values;
    }

    /**
     * Closes the file handle; later reads fail.
     *
     * @throws IOException if closing fails
     */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + file + ", " + header.tensors().size() + " tensors]";
    }

    private int float32Bytes(TensorInfo info) throws SafetensorsException {
        long bytes = info.numElements() * Float.BYTES;
        if (bytes > Integer.MAX_VALUE) {
            throw new SafetensorsException(file, info.name(), "tensor of " + info.numElements()
                    + " elements needs " + bytes + " bytes as float32, over the "
                    + Integer.MAX_VALUE + "-byte limit of a ByteBuffer");
        }
        return (int) bytes;
    }

    private void readFloat32Into(TensorInfo info, ByteBuffer dst) throws IOException {
        float32Bytes(info); // checks the size
        readFloat32Into(info, dataOffset + info.begin(), info.byteSize(), dst);
    }

    /** Widens {@code byteSize} stored bytes starting at file offset {@code position} into dst. */
    private void readFloat32Into(TensorInfo info, long position, long byteSize, ByteBuffer dst) throws IOException {
        int outBytes = (int) (byteSize / info.dtype().byteSize() * Float.BYTES);
        if (info.dtype() == DType.F32) {
            ByteBuffer target = dst.duplicate();
            target.limit(target.position() + outBytes);
            readFully(file, info.name(), channel, target, position);
            dst.position(dst.position() + outBytes);
            return;
        }
        ByteBuffer out = dst.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer chunk = ByteBuffer.allocateDirect((int) Math.max(2, Math.min(CHUNK_BYTES, byteSize)))
                .order(ByteOrder.LITTLE_ENDIAN);
        boolean bf16 = info.dtype() == DType.BF16;
        long left = byteSize;
        while (left > 0) {
            chunk.clear();
            chunk.limit((int) Math.min(chunk.capacity(), left));
            readFully(file, info.name(), channel, chunk, position);
            position += chunk.limit();
            left -= chunk.limit();
            chunk.flip();
            while (chunk.hasRemaining()) {
                short bits = chunk.getShort();
                out.putFloat(bf16 ? HalfFloats.bf16ToFloat(bits) : HalfFloats.halfToFloat(bits));
            }
        }
        dst.position(out.position());
    }

    private static void readFully(Path file, String tensor, FileChannel channel, ByteBuffer dst,
            long position) throws IOException {
        if (!channel.isOpen()) {
            throw new SafetensorsException(file, tensor, "file is closed");
        }
        long at = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                throw new SafetensorsException(file, tensor, "unexpected end of file at byte " + at
                        + " (file changed or truncated after it was opened)");
            }
            at += n;
        }
    }
}
