package dev.dpo4j.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.io.AtomicFiles;
import dev.dpo4j.core.model.ModelConfig;
import dev.dpo4j.core.model.WeightNames;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import dev.dpo4j.core.safetensors.SafetensorsFile;
import dev.dpo4j.core.safetensors.SafetensorsWriter;
import dev.dpo4j.core.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Writes a base checkpoint with a LoRA adapter merged in as a complete Hugging Face model folder, loadable
 * by {@code AutoModelForCausalLM.from_pretrained}, vLLM and {@code DecoderModel.load}.
 *
 * <p>The output has the base's {@code config.json}, its tokenizer and generation files where present, and
 * every tensor of the base checkpoint under its own name, shape and dtype (read per tensor from the base's
 * safetensors headers). Tensors no adapter touches are copied byte for byte; each adapted projection's
 * weight becomes {@code W + scaling · B·A} ({@link LoraMerge}), computed in float32 and rounded to the
 * base dtype with round-to-nearest-even, as {@code merge_and_unload()} followed by {@code save_pretrained}
 * does. Shards follow {@code save_pretrained}: {@code model.safetensors} when everything fits in
 * {@code maxShardBytes}, else {@code model-00001-of-0000N.safetensors} files and
 * {@code model.safetensors.index.json}, filled greedily in checkpoint order, a tensor larger than the limit
 * getting a shard of its own.
 *
 * <p>Work is streamed tensor by tensor: at most one float32 copy of the largest adapted weight exists at a
 * time, untouched tensors go file to file without entering the Java heap. Everything is written into a
 * hidden temporary folder beside the output, which is renamed into place at the end, so a crash never
 * leaves a half export behind.
 */
public final class MergedExport {
    /** Hugging Face's default {@code max_shard_size}, "5GB" = 5·10⁹ bytes. */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

    /** Files copied from the base folder when present: configuration, tokenizer and generation settings. */
    public static final List<String> COPIED_FILES = List.of("config.json", "generation_config.json",
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
            "tokenizer.model", "chat_template.jinja", "chat_template.json", "vocab.json", "merges.txt", "vocab.txt");

    private static final Map<String, String> METADATA = Map.of("format", "pt");
    private static final int CHUNK_BYTES = 1 << 20;

    private MergedExport() {
    }

    /**
     * What an export wrote.
     *
     * @param directory the output folder
     * @param files every file written, weights first, then the index (if sharded) and the copied files
     * @param mergedTensors how many weights had an adapter merged in
     * @param copiedTensors how many tensors were copied unchanged
     * @param totalBytes bytes of tensor data written
     */
    public record Result(Path directory, List<Path> files, int mergedTensors, int copiedTensors, long totalBytes) {
        /** Copies the file list. */
        public Result {
            files = List.copyOf(files);
        }
    }

    /**
     * Exports with {@link #DEFAULT_MAX_SHARD_BYTES}.
     *
     * @param baseDir the base model folder the adapters' model was loaded from
     * @param lora the adapters to merge
     * @param outDir the output folder; must not exist or be empty
     * @return what was written
     * @throws IOException if reading or writing fails
     */
    public static Result write(Path baseDir, LoraModel lora, Path outDir) throws IOException {
        return write(baseDir, lora, outDir, DEFAULT_MAX_SHARD_BYTES);
    }

    /**
     * Exports a model with attached adapters merged in.
     *
     * @param baseDir the base model folder the adapters' model was loaded from
     * @param lora the adapters to merge (their arrays are not changed)
     * @param outDir the output folder; must not exist or be empty
     * @param maxShardBytes the most tensor bytes per shard
     * @return what was written
     * @throws IllegalArgumentException if an adapted projection's weight is missing from the base
     *     checkpoint or has another shape there
     * @throws IOException if reading or writing fails
     */
    public static Result write(Path baseDir, LoraModel lora, Path outDir, long maxShardBytes) throws IOException {
        Map<String, Update> updates = new LinkedHashMap<>();
        for (LoraLayer layer : lora.layers().values()) {
            long[] shape = lora.model().linears().get(layer.modulePath()).shape();
            updates.put(LoraMerge.weightName(layer.modulePath()), new Update(LoraModel.keyA(layer.modulePath()), shape,
                    w -> LoraMerge.merge(w, layer.a(), layer.b(), layer.scaling())));
        }
        return export(baseDir, updates, lora.model().manager(), outDir, maxShardBytes, bytes -> { });
    }

    /**
     * Exports a base model with an adapter read by {@link PeftAdapters#read} merged in, without loading
     * the base model: the memory needed is one projection's weight, not the model.
     *
     * @param baseDir the base model folder
     * @param adapter the adapter
     * @param outDir the output folder; must not exist or be empty
     * @param maxShardBytes the most tensor bytes per shard
     * @param progress called with the number of tensor bytes written after each tensor
     * @return what was written
     * @throws IllegalArgumentException if the adapter does not fit the base: a tensor for a module the base
     *     lacks, shapes that disagree, or a projection its target_modules select without tensors
     * @throws IOException if reading or writing fails
     */
    public static Result write(Path baseDir, PeftAdapter adapter, Path outDir, long maxShardBytes,
            LongConsumer progress) throws IOException {
        requireBase(baseDir);
        Map<String, Update> updates = new LinkedHashMap<>();
        float scaling = (float) adapter.config().scaling();
        for (String path : adapter.modulePaths()) {
            String keyA = LoraModel.keyA(path);
            String keyB = LoraModel.keyB(path);
            long[] sa = adapter.shapes().get(keyA); // (r, in)
            long[] sb = adapter.shapes().get(keyB); // (out, r)
            updates.put(LoraMerge.weightName(path), new Update(keyA, new long[] {sb[0], sa[1]}, w -> {
                NDManager m = w.getManager();
                try (NDArray a = m.create(adapter.weights().get(keyA), new Shape(sa));
                     NDArray b = m.create(adapter.weights().get(keyB), new Shape(sb))) {
                    return LoraMerge.merge(w, a, b, scaling);
                }
            }));
        }
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(baseDir)) {
            checkUpdates(ckpt, updates, baseDir); // shapes first: an adapter of another model fails here
        }
        ModelConfig config = ModelConfig.load(baseDir);
        for (int i = 0; i < config.numLayers(); i++) {
            for (String module : WeightNames.projections(config)) {
                String path = WeightNames.layer(i, module);
                if (adapter.config().targets(path) && !adapter.weights().containsKey(LoraModel.keyA(path))) {
                    throw new IllegalArgumentException("adapter has no tensors for " + path + ", which its"
                            + " target_modules " + adapter.config().targetModules() + " select in base " + baseDir);
                }
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            return export(baseDir, updates, manager, outDir, maxShardBytes, progress);
        }
    }

    /** How one weight changes: the merged float32 value of its float32 base value. */
    private record Update(String adapterKey, long[] shape, UnaryOperator<NDArray> merge) {
    }

    private static Result export(Path baseDir, Map<String, Update> updates, NDManager parent, Path outDir,
            long maxShardBytes, LongConsumer progress) throws IOException {
        if (maxShardBytes < 1) {
            throw new IllegalArgumentException("max shard size must be at least 1 byte, got " + maxShardBytes);
        }
        requireBase(baseDir);
        Path target = outDir.toAbsolutePath().normalize();
        if (Files.exists(target) && !isEmptyFolder(target)) {
            throw new IOException(target + ": already exists and is not an empty folder; choose a new output");
        }
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(baseDir)) {
            long largest = checkUpdates(ckpt, updates, baseDir);
            List<List<String>> shards = planShards(ckpt, maxShardBytes);
            try (AtomicFiles.Staged staged = AtomicFiles.stageDirectory(target)) {
                Path temp = staged.path();
                List<String> written = new ArrayList<>();
                Map<String, String> weightMap = new TreeMap<>();
                long totalBytes;
                try (Writer writer = new Writer(ckpt, updates, parent, largest, progress)) {
                    for (int i = 0; i < shards.size(); i++) {
                        String name = shards.size() == 1 ? SafetensorsCheckpoint.SINGLE_FILE
                                : String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, shards.size());
                        writer.writeShard(temp.resolve(name), shards.get(i));
                        written.add(name);
                        shards.get(i).forEach(t -> weightMap.put(t, name));
                    }
                    totalBytes = writer.bytes;
                }
                if (shards.size() > 1) {
                    Files.write(temp.resolve(SafetensorsCheckpoint.INDEX_FILE), SafetensorsWriter.indexJson(totalBytes, weightMap));
                    written.add(SafetensorsCheckpoint.INDEX_FILE);
                }
                for (String file : COPIED_FILES) {
                    Path src = baseDir.resolve(file);
                    if (Files.isRegularFile(src)) {
                        Files.copy(src, temp.resolve(file));
                        written.add(file);
                    }
                }
                staged.commit(); // the target is absent or an empty folder, checked above
                List<Path> files = written.stream().map(target::resolve).toList();
                return new Result(target, files, updates.size(), ckpt.names().size() - updates.size(), totalBytes);
            }
        }
    }

    private static void requireBase(Path baseDir) throws NoSuchFileException {
        if (!Files.isDirectory(baseDir)) {
            throw new NoSuchFileException(baseDir.toString(), null, "base model folder does not exist");
        }
        if (!Files.isRegularFile(baseDir.resolve("config.json"))) {
            throw new NoSuchFileException(baseDir.resolve("config.json").toString(), null,
                    "missing: the base model folder needs config.json and safetensors weights");
        }
    }

    private static long checkUpdates(SafetensorsCheckpoint ckpt, Map<String, Update> updates, Path baseDir)
            throws IOException {
        long largest = 0;
        for (Map.Entry<String, Update> e : updates.entrySet()) {
            String name = e.getKey();
            if (!ckpt.contains(name)) {
                throw new IllegalArgumentException("adapter tensor " + e.getValue().adapterKey() + " is for "
                        + name + ", which base checkpoint " + baseDir + " does not have");
            }
            TensorInfo info = ckpt.info(name);
            if (!Arrays.equals(info.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("adapter tensor " + e.getValue().adapterKey() + " implies "
                        + name + " of shape " + Arrays.toString(e.getValue().shape()) + " but base checkpoint "
                        + baseDir + " has " + Arrays.toString(info.shape()));
            }
            largest = Math.max(largest, info.numElements() * Float.BYTES);
        }
        if (largest > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an adapted weight is larger than 2 GiB as float32, which cannot be"
                    + " staged for merging");
        }
        return largest;
    }

    /** Hugging Face's {@code split_torch_state_dict_into_shards}, in checkpoint order. */
    private static List<List<String>> planShards(SafetensorsCheckpoint ckpt, long maxShardBytes) throws IOException {
        List<List<String>> shards = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long currentBytes = 0;
        for (String name : ckpt.names()) {
            long size = ckpt.info(name).byteSize();
            if (size > maxShardBytes) {
                shards.add(List.of(name)); // too big for any shard: one of its own
                continue;
            }
            if (currentBytes + size > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(name);
            currentBytes += size;
        }
        if (!current.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }

    /** Streams tensors into shard files, keeping one read channel per base file open. */
    private static final class Writer implements AutoCloseable {
        private final SafetensorsCheckpoint ckpt;
        private final Map<String, Update> updates;
        private final NDManager parent;
        private final ByteBuffer staging;
        private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private final Map<Path, Long> dataOffsets = new HashMap<>();
        private final Map<Path, FileChannel> sources = new HashMap<>();
        private final LongConsumer progress;
        private long bytes;

        Writer(SafetensorsCheckpoint ckpt, Map<String, Update> updates, NDManager parent, long largest,
                LongConsumer progress) {
            this.ckpt = ckpt;
            this.updates = updates;
            this.parent = parent;
            this.progress = progress;
            this.staging = ByteBuffer.allocateDirect((int) Math.max(largest, 4)).order(ByteOrder.LITTLE_ENDIAN);
            for (SafetensorsFile f : ckpt.files()) {
                dataOffsets.put(f.path(), f.dataOffset());
            }
        }

        void writeShard(Path file, List<String> names) throws IOException {
            byte[] header = header(names);
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
                writeFully(out, length.flip());
                writeFully(out, ByteBuffer.wrap(header));
                for (String name : names) {
                    TensorInfo info = ckpt.info(name);
                    if (updates.containsKey(name)) {
                        writeMerged(out, info, updates.get(name));
                    } else {
                        copyRaw(out, info);
                    }
                    bytes += info.byteSize();
                    progress.accept(bytes);
                }
                out.force(true);
            }
        }

        private byte[] header(List<String> names) throws IOException {
            List<SafetensorsWriter.HeaderEntry> entries = new ArrayList<>();
            for (String name : names) {
                TensorInfo info = ckpt.info(name);
                entries.add(new SafetensorsWriter.HeaderEntry(name, info.dtype(), info.shape()));
            }
            return SafetensorsWriter.header(entries, METADATA);
        }

        private void copyRaw(FileChannel out, TensorInfo info) throws IOException {
            FileChannel in = sources.get(info.file());
            if (in == null) {
                in = FileChannel.open(info.file(), StandardOpenOption.READ);
                sources.put(info.file(), in);
            }
            long position = dataOffsets.get(info.file()) + info.begin();
            long remaining = info.byteSize();
            while (remaining > 0) {
                long n = in.transferTo(position, remaining, out);
                if (n <= 0) {
                    throw new IOException(info.file() + ": unexpected end of file in tensor " + info.name());
                }
                position += n;
                remaining -= n;
            }
        }

        private void writeMerged(FileChannel out, TensorInfo info, Update update) throws IOException {
            staging.clear();
            ckpt.readFloat32Into(info.name(), staging);
            staging.flip();
            try (NDManager scope = parent.newSubManager()) {
                NDArray w = scope.create(staging, new Shape(info.shape()), DataType.FLOAT32); // (out, in)
                NDArray merged = update.merge().apply(w);
                merged.attach(scope);
                FloatBuffer values = merged.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                for (int i = 0; i < values.limit(); i++) {
                    if (!Float.isFinite(values.get(i))) {
                        throw new IOException("merged tensor " + info.name() + " holds " + values.get(i) + " at element "
                                + i + " (base value " + staging.getFloat(4 * i) + "): the adapter or the base is not"
                                + " finite there; nothing was written");
                    }
                }
                SafetensorsWriter.writeFloats(out, values, info.dtype(), chunk);
            }
        }

        @Override
        public void close() throws IOException {
            for (FileChannel c : sources.values()) {
                c.close();
            }
            sources.clear();
        }
    }

    private static boolean isEmptyFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            channel.write(src);
        }
    }
}
