package dev.dpo4j.core.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which files of a model repository dpo4j needs, and whether a local folder has them.
 *
 * <p>Fetched when listed: the configuration and tokenizer files in {@link #METADATA_FILES};
 * weights as safetensors only: the shards named by {@value #INDEX} when it exists, else
 * {@code model.safetensors}, else every top-level {@code *.safetensors} (this covers PEFT
 * adapters' {@code adapter_model.safetensors}). PyTorch pickles ({@code *.bin},
 * {@code *.pt}), TensorFlow, Flax, ONNX and GGUF files are never fetched.
 *
 * <p>A folder is complete when it holds {@code config.json} (or {@code adapter_config.json})
 * and its safetensors weights: every shard the index names, or at least one
 * {@code *.safetensors} file without an index. Tokenizer files are optional.
 */
public final class ModelFiles {

    /** The shard index of a sharded checkpoint. */
    public static final String INDEX = "model.safetensors.index.json";

    /** The single-file checkpoint name. */
    public static final String SINGLE = "model.safetensors";

    /** Configuration and tokenizer files fetched whenever the repository lists them. */
    public static final List<String> METADATA_FILES = List.of("config.json", "generation_config.json",
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja",
            "tokenizer.model", "adapter_config.json");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFiles() {
    }

    /**
     * Returns the configuration and tokenizer files of a listing, plus the shard index
     * when it is listed.
     *
     * @param listing the repository's file paths
     * @return the files to fetch before the weights, in a fixed order
     */
    public static List<String> metadataFiles(Collection<String> listing) {
        List<String> files = new ArrayList<>();
        for (String name : METADATA_FILES) {
            if (listing.contains(name)) {
                files.add(name);
            }
        }
        if (listing.contains(INDEX)) {
            files.add(INDEX);
        }
        return files;
    }

    /**
     * Returns the weight files to fetch when there is no shard index: {@value #SINGLE}
     * when listed, else every top-level {@code *.safetensors}.
     *
     * @param repo the repository, for the error message
     * @param listing the repository's file paths
     * @return the weight files, sorted
     * @throws HubException of kind {@code NO_WEIGHTS} when there are none
     */
    public static List<String> unindexedWeights(ModelRef repo, Collection<String> listing) {
        if (listing.contains(SINGLE)) {
            return List.of(SINGLE);
        }
        List<String> weights = new ArrayList<>(new TreeSet<>(listing.stream()
                .filter(name -> name.endsWith(".safetensors") && !name.contains("/")).toList()));
        if (weights.isEmpty()) {
            List<String> others = listing.stream().filter(ModelFiles::isOtherWeightFormat).sorted().limit(5).toList();
            throw new HubException(HubException.Kind.NO_WEIGHTS, "repository " + repo + " has no *.safetensors "
                    + "weights" + (others.isEmpty() ? "" : " (it holds " + String.join(", ", others) + ")")
                    + "; dpo4j reads safetensors only: pick a revision or repository with safetensors, or convert "
                    + "the checkpoint (for example with transformers' save_pretrained(safe_serialization=True))");
        }
        return weights;
    }

    /**
     * Reads the distinct shard file names from a {@value #INDEX} file's {@code weight_map}.
     *
     * @param indexFile the index file
     * @return the shard names, sorted
     * @throws HubException of kind {@code IO} when the file is unreadable or has no
     *     {@code weight_map}
     */
    public static List<String> shardsFromIndex(Path indexFile) {
        try {
            JsonNode weightMap = JSON.readTree(indexFile.toFile()).path("weight_map");
            if (!weightMap.isObject() || weightMap.isEmpty()) {
                throw new HubException(HubException.Kind.IO, indexFile + " has no 'weight_map' object");
            }
            TreeSet<String> shards = new TreeSet<>();
            weightMap.elements().forEachRemaining(node -> shards.add(node.asText()));
            return List.copyOf(shards);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.IO, "cannot read shard index " + indexFile + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Lists what a local model folder lacks to be usable; empty when it is complete.
     *
     * @param dir the folder, such as a cache snapshot
     * @return the missing files (or {@code "*.safetensors"} when no weights are found)
     */
    public static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            missing.add(dir.toString());
            return missing;
        }
        if (!Files.isRegularFile(dir.resolve("config.json")) && !Files.isRegularFile(dir.resolve("adapter_config.json"))) {
            missing.add("config.json");
        }
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            for (String shard : shardsFromIndex(index)) {
                if (!Files.isRegularFile(dir.resolve(shard))) {
                    missing.add(shard);
                }
            }
        } else if (!hasSafetensors(dir)) {
            missing.add("*.safetensors");
        }
        return missing;
    }

    /**
     * Returns whether a folder holds a usable model.
     *
     * @param dir the folder
     * @return {@code true} when {@link #missing(Path)} is empty
     */
    public static boolean isComplete(Path dir) {
        return missing(dir).isEmpty();
    }

    private static boolean hasSafetensors(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".safetensors") && Files.isRegularFile(f));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isOtherWeightFormat(String name) {
        return name.endsWith(".bin") || name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".h5")
                || name.endsWith(".msgpack") || name.endsWith(".onnx") || name.endsWith(".gguf") || name.endsWith(".ckpt");
    }
}
