package dev.dpo4j.core.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of a Hugging Face checkpoint, however they are split over safetensors files.
 *
 * <p>{@link #open(Path)} accepts, in this order of precedence:
 * <ol>
 *   <li>a {@code .safetensors} file;
 *   <li>a folder with {@code model.safetensors.index.json} ({@code {"metadata": {...},
 *       "weight_map": {tensor: shard file}}}): each shard is opened once and every mapped tensor
 *       must exist in its shard; the names are the weight map's keys;
 *   <li>a folder with {@code model.safetensors};
 *   <li>a folder of {@code *.safetensors} files, read as the union of their tensors; a name in
 *       two files is an error.
 * </ol>
 * Every header is validated when the checkpoint is opened, so a bad shard fails before any weight
 * is loaded.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {

    /** File name of a sharded checkpoint's index. */
    public static final String INDEX_FILE = "model.safetensors.index.json";
    /** File name of a single-file checkpoint. */
    public static final String SINGLE_FILE = "model.safetensors";

    private final Path path;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byName;

    private SafetensorsCheckpoint(Path path, List<SafetensorsFile> files,
            Map<String, SafetensorsFile> byName) {
        this.path = path;
        this.files = Collections.unmodifiableList(files);
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * Opens a checkpoint file or folder.
     *
     * @param dirOrFile a {@code .safetensors} file or a folder as described in the class comment
     * @return the open checkpoint; close it to release the file handles
     * @throws SafetensorsException if the path does not exist, a folder holds no safetensors
     *     file, the index is malformed, names a missing shard or a tensor absent from its shard,
     *     two files hold the same tensor, or any header is invalid
     * @throws IOException if a file cannot be read
     */
    public static SafetensorsCheckpoint open(Path dirOrFile) throws IOException {
        if (Files.isRegularFile(dirOrFile)) {
            return fromFiles(dirOrFile, List.of(dirOrFile));
        }
        if (!Files.isDirectory(dirOrFile)) {
            throw new SafetensorsException(dirOrFile, "checkpoint path does not exist");
        }
        Path index = dirOrFile.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return fromIndex(dirOrFile, index);
        }
        Path single = dirOrFile.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return fromFiles(dirOrFile, List.of(single));
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dirOrFile, "*.safetensors")) {
            for (Path p : stream) {
                if (Files.isRegularFile(p)) {
                    found.add(p);
                }
            }
        }
        if (found.isEmpty()) {
            throw new SafetensorsException(dirOrFile, "folder has no " + INDEX_FILE + ", no "
                    + SINGLE_FILE + " and no other *.safetensors file");
        }
        Collections.sort(found);
        return fromFiles(dirOrFile, found);
    }

    /**
     * Returns the file or folder the checkpoint was opened from.
     *
     * @return the path given to {@link #open(Path)}
     */
    public Path path() {
        return path;
    }

    /**
     * Returns the open files, in the order they were opened (shard order for an index).
     *
     * @return the files making up the checkpoint
     */
    public List<SafetensorsFile> files() {
        return files;
    }

    /**
     * Returns the names of all tensors: the weight map's keys for an index, otherwise the
     * files' header order, file after file.
     *
     * @return an unmodifiable, ordered set of names
     */
    public Set<String> names() {
        return byName.keySet();
    }

    /**
     * Tells whether the checkpoint holds a tensor.
     *
     * @param name the tensor name
     * @return true if present
     */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * Returns a tensor's header entry, including the file that holds it.
     *
     * @param name the tensor name
     * @return its entry
     * @throws SafetensorsException if missing; the message names this checkpoint and the tensor
     */
    public TensorInfo info(String name) throws SafetensorsException {
        return fileOf(name).info(name);
    }

    /**
     * Returns a tensor's element type on disk.
     *
     * @param name the tensor name
     * @return its dtype
     * @throws SafetensorsException if missing
     */
    public DType dtypeOf(String name) throws SafetensorsException {
        return info(name).dtype();
    }

    /**
     * Reads a tensor widened to float32; see {@link SafetensorsFile#readFloat32(String)}.
     *
     * @param name the tensor name
     * @return a direct little-endian buffer of {@code numElements} floats
     * @throws SafetensorsException if missing or too large
     * @throws IOException if reading fails
     */
    public ByteBuffer readFloat32(String name) throws IOException {
        return fileOf(name).readFloat32(name);
    }

    /**
     * Reads a tensor widened to float32 into a caller's buffer; see
     * {@link SafetensorsFile#readFloat32Into(String, ByteBuffer)}.
     *
     * @param name the tensor name
     * @param dst the destination, with at least {@code 4 * numElements} bytes remaining
     * @throws SafetensorsException if missing or it does not fit
     * @throws IOException if reading fails
     */
    public void readFloat32Into(String name, ByteBuffer dst) throws IOException {
        fileOf(name).readFloat32Into(name, dst);
    }

    /**
     * Reads a run of a tensor's elements widened to float32; see
     * {@link SafetensorsFile#readFloat32Into(String, long, int, ByteBuffer)}.
     *
     * @param name the tensor name
     * @param firstElement index of the first element
     * @param count how many elements
     * @param dst the destination, with at least {@code 4 * count} bytes remaining
     * @throws SafetensorsException if missing, out of range or it does not fit
     * @throws IOException if reading fails
     */
    public void readFloat32Into(String name, long firstElement, int count, ByteBuffer dst) throws IOException {
        fileOf(name).readFloat32Into(name, firstElement, count, dst);
    }

    /**
     * Reads a tensor widened to float32 into a heap array; meant for small tensors and tests.
     *
     * @param name the tensor name
     * @return the elements in row-major order
     * @throws SafetensorsException if missing or too large
     * @throws IOException if reading fails
     */
    public float[] readFloatArray(String name) throws IOException {
        return fileOf(name).readFloatArray(name);
    }

    /**
     * Closes every file of the checkpoint.
     *
     * @throws IOException if closing a file fails (the others are still closed)
     */
    @Override
    public void close() throws IOException {
        closeAll(files, null);
    }

    @Override
    public String toString() {
        return "SafetensorsCheckpoint[" + path + ", " + files.size() + " files, "
                + byName.size() + " tensors]";
    }

    private SafetensorsFile fileOf(String name) throws SafetensorsException {
        SafetensorsFile f = byName.get(name);
        if (f == null) {
            throw new SafetensorsException(path, name, "no such tensor in checkpoint ("
                    + NameSuggestions.describe(name, byName.keySet()) + ")");
        }
        return f;
    }

    private static SafetensorsCheckpoint fromFiles(Path path, List<Path> paths)
            throws IOException {
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
            for (Path p : paths) {
                SafetensorsFile f = SafetensorsFile.open(p);
                opened.add(f);
                for (String name : f.tensors().keySet()) {
                    SafetensorsFile other = byName.putIfAbsent(name, f);
                    if (other != null) {
                        throw new SafetensorsException(path, name, "tensor is in both "
                                + other.path().getFileName() + " and " + p.getFileName());
                    }
                }
            }
            return new SafetensorsCheckpoint(path, opened, byName);
        } catch (IOException | RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    private static SafetensorsCheckpoint fromIndex(Path dir, Path index) throws IOException {
        Map<String, String> weightMap = readWeightMap(index);
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        try {
            Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                String tensor = e.getKey();
                String shardName = e.getValue();
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    Path relative = dir.getFileSystem().getPath(shardName);
                    Path shardPath = dir.resolve(relative);
                    if (relative.isAbsolute() || relative.getNameCount() != 1
                            || shardName.equals("..") || shardName.equals(".")) {
                        throw new SafetensorsException(index, tensor, "shard '" + shardName
                                + "' is not a file name inside " + dir);
                    }
                    if (!Files.isRegularFile(shardPath)) {
                        throw new SafetensorsException(index, tensor, "shard file '" + shardName
                                + "' named in the weight map does not exist in " + dir);
                    }
                    shard = SafetensorsFile.open(shardPath);
                    shards.put(shardName, shard);
                }
                if (!shard.contains(tensor)) {
                    throw new SafetensorsException(index, tensor, "weight map puts the tensor in '"
                            + shardName + "' but that shard has no such tensor ("
                            + NameSuggestions.describe(tensor, shard.tensors().keySet()) + ")");
                }
                byName.put(tensor, shard);
            }
            return new SafetensorsCheckpoint(dir, new ArrayList<>(shards.values()), byName);
        } catch (IOException | RuntimeException e) {
            closeAll(shards.values(), e);
            throw e;
        }
    }

    private static Map<String, String> readWeightMap(Path index) throws IOException {
        JsonNode root = SafetensorsHeader.readJson(index, Files.readAllBytes(index),
                "index");
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new SafetensorsException(index, "field 'weight_map' must be an object of "
                    + "tensor name to shard file name, got "
                    + (map == null ? "nothing" : map.getNodeType()));
        }
        JsonNode metadata = root.get("metadata");
        if (metadata != null && !metadata.isObject() && !metadata.isNull()) {
            throw new SafetensorsException(index, "field 'metadata' must be an object, got "
                    + metadata.getNodeType());
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> entries = map.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> e = entries.next();
            if (!e.getValue().isTextual()) {
                throw new SafetensorsException(index, e.getKey(), "field 'weight_map' value must "
                        + "be a shard file name, got " + e.getValue().getNodeType());
            }
            weightMap.put(e.getKey(), e.getValue().textValue());
        }
        if (weightMap.isEmpty()) {
            throw new SafetensorsException(index, "field 'weight_map' is empty");
        }
        return weightMap;
    }

    private static void closeAll(Iterable<SafetensorsFile> toClose, Throwable primary)
            throws IOException {
        IOException failure = null;
        for (SafetensorsFile f : toClose) {
            try {
                f.close();
            } catch (IOException e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
