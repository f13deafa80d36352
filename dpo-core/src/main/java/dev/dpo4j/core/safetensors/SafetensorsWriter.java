package dev.dpo4j.core.safetensors;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes safetensors files byte-compatible with the Rust reference implementation
 * (huggingface/safetensors {@code serialize_to_file}): compact JSON header with
 * {@code "__metadata__"} first and each tensor's {@code dtype}, {@code shape},
 * {@code data_offsets} in that order, padded with spaces to a multiple of 8 bytes so the data
 * region is 8-byte aligned; tensors stored contiguously in the order given.
 *
 * <p>Every file is written to a temporary file in the same folder, forced to disk and then
 * moved over the target, so a reader never sees a half-written checkpoint. Data is streamed
 * through a small direct buffer; no copy of a whole tensor is made.
 */
public final class SafetensorsWriter {

    /** The metadata PyTorch-based writers put in every file: {@code {"format": "pt"}}. */
    public static final Map<String, String> PT_METADATA = Map.of("format", "pt");

    private static final int CHUNK_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHARD_NAME =
            Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");

    private SafetensorsWriter() {
    }

    /**
     * Writes one safetensors file.
     *
     * @param file the target file; its folder is created if needed, an existing file replaced
     * @param tensors the tensors, written in the map's iteration order
     * @param metadata the {@code "__metadata__"} map (omitted from the header when empty), e.g.
     *     {@link #PT_METADATA}
     * @throws IllegalArgumentException if a tensor name is empty or {@code "__metadata__"}
     * @throws IOException if writing fails; the target is then left as it was
     */
    public static void write(Path file, Map<String, WritableTensor> tensors,
            Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        writeAtomically(file, channel -> {
            ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            lengthField.putLong(header.length).flip();
            writeFully(channel, lengthField);
            writeFully(channel, ByteBuffer.wrap(header));
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (WritableTensor t : tensors.values()) {
                writeData(channel, t, chunk);
            }
        });
    }

    /**
     * Writes a checkpoint split into shards of at most {@code maxShardBytes} of tensor data
     * each (a single larger tensor gets a shard of its own), named
     * {@code model-00001-of-0000N.safetensors}, plus {@code model.safetensors.index.json} with
     * {@code "metadata": {"total_size": bytes}} and a {@code "weight_map"} sorted by name, as
     * Hugging Face {@code save_pretrained} does. If everything fits in one shard, writes
     * {@code model.safetensors} and no index. Index, single file and shard files left in the
     * folder by an earlier write that are not part of this one are deleted, so the folder always
     * reads back as exactly these tensors.
     *
     * @param dir the checkpoint folder, created if needed
     * @param tensors the tensors, assigned to shards greedily in the map's iteration order
     * @param maxShardBytes the largest amount of tensor data per shard, at least 1
     * @param metadata the {@code "__metadata__"} map written in every shard
     * @return the files written, shards first, then the index if any
     * @throws IllegalArgumentException if {@code maxShardBytes < 1} or a name is invalid
     * @throws IOException if writing fails
     */
    public static List<Path> writeSharded(Path dir, Map<String, WritableTensor> tensors,
            long maxShardBytes, Map<String, String> metadata) throws IOException {
        if (maxShardBytes < 1) {
            throw new IllegalArgumentException("maxShardBytes must be at least 1, got "
                    + maxShardBytes);
        }
        List<Map<String, WritableTensor>> shards = new ArrayList<>();
        Map<String, WritableTensor> current = new LinkedHashMap<>();
        long currentBytes = 0;
        long totalBytes = 0;
        for (Map.Entry<String, WritableTensor> e : tensors.entrySet()) {
            long size = e.getValue().byteSize();
            if (!current.isEmpty() && currentBytes + size > maxShardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                currentBytes = 0;
            }
            current.put(e.getKey(), e.getValue());
            currentBytes += size;
            totalBytes += size;
        }
        shards.add(current);

        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        if (shards.size() == 1) {
            Path single = dir.resolve(SafetensorsCheckpoint.SINGLE_FILE);
            write(single, tensors, metadata);
            written.add(single);
            deleteStale(dir, written);
            return written;
        }
        Map<String, String> weightMap = new TreeMap<>();
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            Path shard = dir.resolve(name);
            write(shard, shards.get(i), metadata);
            written.add(shard);
            for (String tensor : shards.get(i).keySet()) {
                weightMap.put(tensor, name);
            }
        }
        Path index = dir.resolve(SafetensorsCheckpoint.INDEX_FILE);
        byte[] indexJson = indexJson(totalBytes, weightMap);
        writeAtomically(index, channel -> writeFully(channel, ByteBuffer.wrap(indexJson)));
        written.add(index);
        deleteStale(dir, written);
        return written;
    }

    /** One tensor's header entry: its name, on-disk dtype and shape. */
    public record HeaderEntry(String name, DType dtype, long[] shape) {
        long byteSize() {
            long n = dtype.byteSize();
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /**
     * Builds the padded header of a file: compact JSON, then spaces up to a multiple of 8 bytes.
     *
     * @param tensors the tensors in file order
     * @param metadata the metadata, omitted when empty
     * @return the header bytes, without the 8-byte length field
     */
    static byte[] header(Map<String, WritableTensor> tensors, Map<String, String> metadata) {
        List<HeaderEntry> entries = new ArrayList<>();
        tensors.forEach((name, t) -> entries.add(new HeaderEntry(name, t.targetDtype(), t.shape())));
        return header(entries, metadata);
    }

    /**
     * Builds the padded header of a file whose tensors follow one another in the given order:
     * compact JSON, then spaces up to a multiple of 8 bytes (so the data region is 8-byte aligned).
     *
     * @param tensors the tensors in file order
     * @param metadata the metadata, omitted when empty
     * @return the header bytes, without the 8-byte length field
     */
    public static byte[] header(List<HeaderEntry> tensors, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (HeaderEntry t : tensors) {
            String name = t.name();
            if (name.isEmpty() || SafetensorsHeader.METADATA_KEY.equals(name)) {
                throw new IllegalArgumentException("invalid tensor name '" + name + "'");
            }
            ObjectNode entry = root.putObject(name);
            entry.put("dtype", t.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long end = offset + t.byteSize();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(json, 0, header, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    /**
     * The {@code model.safetensors.index.json} of a sharded checkpoint, formatted as Hugging Face
     * writes it (two-space indent, {@code "key": value}, trailing newline).
     *
     * @param totalBytes sum of all tensor data sizes
     * @param weightMap tensor name → shard file name
     * @return the file's bytes
     * @throws IOException if serialisation fails
     */
    public static byte[] indexJson(long totalBytes, Map<String, String> weightMap)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("metadata").put("total_size", totalBytes);
        ObjectNode map = root.putObject("weight_map");
        weightMap.forEach(map::put);
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return (JSON.writer(printer).writeValueAsString(root) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void writeData(FileChannel channel, WritableTensor t, ByteBuffer chunk)
            throws IOException {
        writeFloats(channel, t.data(), t.targetDtype(), chunk);
    }

    /**
     * Encodes float32 values as {@code dtype} (F16 and BF16 rounded to nearest even) and writes them,
     * one chunk at a time.
     *
     * @param channel where to write, at its position
     * @param src the values; consumed
     * @param dtype the on-disk type
     * @param chunk a little-endian staging buffer, reused
     * @throws IOException if writing fails
     */
    public static void writeFloats(FileChannel channel, FloatBuffer src, DType dtype, ByteBuffer chunk)
            throws IOException {
        while (src.hasRemaining()) {
            chunk.clear();
            while (chunk.remaining() >= dtype.byteSize() && src.hasRemaining()) {
                float v = src.get();
                switch (dtype) {
                    case F32 -> chunk.putFloat(v);
                    case F16 -> chunk.putShort(HalfFloats.floatToHalf(v));
                    case BF16 -> chunk.putShort(HalfFloats.floatToBf16(v));
                    default -> throw new IllegalStateException("unhandled dtype " + dtype);
                }
            }
            chunk.flip();
            writeFully(channel, chunk);
        }
    }

    private static void deleteStale(Path dir, List<Path> keep) throws IOException {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                boolean ours = name.equals(SafetensorsCheckpoint.SINGLE_FILE)
                        || name.equals(SafetensorsCheckpoint.INDEX_FILE)
                        || SHARD_NAME.matcher(name).matches();
                if (ours && !keep.contains(p)) {
                    stale.add(p);
                }
            }
        }
        for (Path p : stale) {
            Files.deleteIfExists(p);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            channel.write(src);
        }
    }

    /** Writes the body of a file through a channel. */
    @FunctionalInterface
    private interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    private static void writeAtomically(Path target, Body body) throws IOException {
        try (AtomicFiles.Staged temp = AtomicFiles.stage(target)) {
            try (FileChannel channel = FileChannel.open(temp.path(), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                body.writeTo(channel);
                channel.force(true);
            }
            temp.commit();
        }
    }
}
