package dev.dpo4j.examples.cli;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.model.Precision;
import dev.dpo4j.core.train.ReferenceCache;
import dev.dpo4j.core.train.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The settings of one {@code dpo4j train} run: model, data, adapter, output, task, and the validated
 * {@link TrainConfig}. A YAML config and the command-line flags are both read as trees of keys and
 * pass through one alias table and one validation ({@link TrainConfig#fromTree}), so a flag and its
 * YAML key mean the same thing and fail with the same message; flags win over the file.
 *
 * <p>Accepted names for the same setting: the flag's name in snake case ({@code train_batch_size}),
 * TrainConfig's llmforge/TRL name ({@code train_batch_size_per_device}, and TRL's
 * {@code per_device_train_batch_size}), llmforge's run keys ({@code model_id}, {@code train_path},
 * {@code valid_path}, {@code context_length}, {@code task: preference_tuning}, {@code lora_config},
 * {@code preference_tuning_config.beta}).
 *
 * @param model the base model: a directory or a Hub id
 * @param data the training and evaluation rows: files, folders or a Hub dataset
 * @param cacheDir the folder shared across runs for precomputed reference log-probs ({@code cache_dir}), or
 *     null for {@link ReferenceCache#defaultDirectory()}
 * @param output the run directory
 * @param adapter a PEFT adapter to start from, or null for a fresh one
 * @param task {@code dpo} or {@code sft}
 * @param resume continue from the latest checkpoint in {@code output}
 * @param skipBadRows skip and count invalid rows instead of stopping at the first
 * @param device {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param precision dtype, quantization and TF32 ({@code dtype}/{@code torch_dtype},
 *     {@code model_init_kwargs.dtype}, TRL's {@code fp16: true} / {@code bf16: true}, {@code load_in_4bit},
 *     {@code load_in_8bit}, {@code bnb_4bit_*}, {@code tf32})
 * @param config the training settings
 * @param loraKeys the {@code lora_config} keys the user set (YAML or flags); with {@code adapter} only
 *     {@code lora_dropout} among them applies, the adapter's own config wins for the rest
 * @param notes remarks for stderr (keys read but ignored, settings overruled)
 */
record TrainSettings(String model, TrainData data, Path cacheDir, Path output, Path adapter, String task,
                     boolean resume, boolean skipBadRows, String device, PrecisionSettings precision,
                     TrainConfig config, Map<String, JsonNode> loraKeys, List<String> notes) {

    /**
     * The folder of precomputed reference log-probs for this run.
     *
     * @return {@code cache_dir/ref_logps}, or the shared default
     */
    Path referenceCache() {
        return cacheDir == null ? ReferenceCache.defaultDirectory() : cacheDir.resolve("ref_logps");
    }

    /** The two tasks. */
    static final List<String> TASKS = List.of("dpo", "sft");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String LORA = "lora_config";
    private static final Set<String> RUN_KEYS = Set.of("model", "train_path", "valid_path", "dataset", "split",
            "eval_split", "format", "cache_dir", "output", "adapter",
            "task", "resume", "skip_bad_rows", "device", "dtype", "fp16", "bf16", "load_in_4bit", "load_in_8bit",
            "bnb_4bit_quant_type", "bnb_4bit_use_double_quant", "bnb_4bit_compute_dtype", "tf32");

    /** Other names of a setting, mapped to the key used here ({@code lora_config.x} for adapter keys). */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("model_id", "model"),
            Map.entry("model_name_or_path", "model"),
            Map.entry("data", "train_path"),
            Map.entry("eval_data", "valid_path"),
            Map.entry("dataset_name", "dataset"),
            Map.entry("dataset_train_split", "split"),
            Map.entry("dataset_test_split", "eval_split"),
            Map.entry("output_dir", "output"),
            Map.entry("train_batch_size", "train_batch_size_per_device"),
            Map.entry("per_device_train_batch_size", "train_batch_size_per_device"),
            Map.entry("eval_batch_size", "eval_batch_size_per_device"),
            Map.entry("per_device_eval_batch_size", "eval_batch_size_per_device"),
            Map.entry("num_train_epochs", "num_epochs"),
            Map.entry("context_length", "max_length"),
            Map.entry("lora_r", LORA + ".r"),
            Map.entry("lora_alpha", LORA + ".lora_alpha"),
            Map.entry("lora_dropout", LORA + ".lora_dropout"),
            Map.entry("lora_target_modules", LORA + ".target_modules"),
            Map.entry("torch_dtype", "dtype"),
            Map.entry("use_bnb_nested_quant", "bnb_4bit_use_double_quant"));

    /** llmforge keys about its cluster or engine that mean nothing on one JVM: read, noted, not applied. */
    private static final Set<String> IGNORED = Set.of("num_devices", "deepspeed", "flash_attention_2", "padding",
            "worker_resources", "logger", "num_checkpoints_to_keep");

    /** Task names accepted, llmforge's included. */
    private static final Map<String, String> TASK_NAMES = Map.of("dpo", "dpo", "preference_tuning", "dpo",
            "sft", "sft", "causal_lm", "sft", "instruction_tuning", "sft");

    /**
     * Resolves the run's settings.
     *
     * @param yamlFile the config file (for messages), or null
     * @param yaml the config file's mapping, or null
     * @param flags the flags given on the command line, keyed by the flag's name in snake case
     * @return the validated settings
     * @throws IllegalArgumentException one line naming the file or flag and the key
     */
    static TrainSettings resolve(Path yamlFile, JsonNode yaml, ObjectNode flags) {
        List<String> notes = new ArrayList<>();
        String yamlSource = yamlFile == null ? "config" : yamlFile.toString();
        ObjectNode fromYaml = yaml == null || yaml.isMissingNode() || yaml.isNull() ? NODES.objectNode()
                : normalize(yaml, yamlSource, notes);
        ObjectNode fromFlags = normalize(flags, "command line", notes);
        ObjectNode merged = fromYaml.deepCopy();
        layOver(merged, fromFlags);

        ObjectNode training = NODES.objectNode();
        merged.fields().forEachRemaining(e -> {
            if (!RUN_KEYS.contains(e.getKey())) {
                training.set(e.getKey(), e.getValue());
            }
        });
        TrainConfig config = trainConfig(training, yamlSource, fromYaml);
        Map<String, JsonNode> loraKeys = new LinkedHashMap<>();
        if (merged.has(LORA)) {
            merged.get(LORA).fields().forEachRemaining(e -> loraKeys.put(e.getKey(), e.getValue()));
        }

        String model = text(merged, "model", true);
        TrainData data = new TrainData(path(merged, "train_path", false), path(merged, "valid_path", false),
                text(merged, "dataset", false), text(merged, "split", false), text(merged, "eval_split", false),
                text(merged, "format", false));
        Path output = path(merged, "output", true);
        Path adapter = path(merged, "adapter", false);
        String taskName = text(merged, "task", false);
        String task = taskName == null ? "dpo" : TASK_NAMES.get(taskName.toLowerCase(Locale.ROOT));
        if (task == null) {
            throw new IllegalArgumentException("task must be dpo or sft (llmforge's preference_tuning, causal_lm and"
                    + " instruction_tuning are accepted too), got '" + taskName + "'");
        }
        String device = text(merged, "device", false);
        return new TrainSettings(model, data, path(merged, "cache_dir", false), output, adapter, task, bool(merged, "resume"),
                bool(merged, "skip_bad_rows"), device == null ? "cpu" : device, precision(merged), config, loraKeys,
                List.copyOf(notes));
    }

    /**
     * The precision keys: {@code dtype} (or {@code torch_dtype}, {@code model_init_kwargs.dtype}), TRL's
     * {@code fp16: true} (float16) and {@code bf16: true} (bfloat16, run as float16), the bitsandbytes
     * keys and {@code tf32}. A dtype and an fp16/bf16 switch that disagree are an error.
     */
    private static PrecisionSettings precision(ObjectNode merged) {
        String dtype = text(merged, "dtype", false);
        boolean fp16 = bool(merged, "fp16");
        boolean bf16 = bool(merged, "bf16");
        if (fp16 && bf16) {
            throw new IllegalArgumentException("fp16 and bf16 are both true; choose one (or set dtype)");
        }
        String implied = fp16 ? "float16" : bf16 ? "bfloat16" : null;
        if (implied != null && dtype != null && !dtype.equalsIgnoreCase("auto")
                && Precision.resolve(dtype, null).precision() != Precision.resolve(implied, null).precision()) {
            throw new IllegalArgumentException((fp16 ? "fp16" : "bf16") + ": true asks for " + implied
                    + " but dtype is " + dtype + "; keep one");
        }
        if (implied != null && (dtype == null || dtype.equalsIgnoreCase("auto"))) {
            dtype = implied;
        }
        Boolean doubleQuant = merged.has("bnb_4bit_use_double_quant") ? bool(merged, "bnb_4bit_use_double_quant") : null;
        Boolean tf32 = merged.has("tf32") ? bool(merged, "tf32") : null;
        return new PrecisionSettings(dtype, bool(merged, "load_in_4bit"), bool(merged, "load_in_8bit"),
                text(merged, "bnb_4bit_quant_type", false), doubleQuant, text(merged, "bnb_4bit_compute_dtype", false),
                tf32);
    }

    /** Whether the run trains a preference loss (else SFT). */
    boolean isDpo() {
        return task.equals("dpo");
    }

    /** Maps every key to the name used here, flattening llmforge's and PEFT's nested forms. */
    private static ObjectNode normalize(JsonNode tree, String source, List<String> notes) {
        if (!tree.isObject()) {
            throw new IllegalArgumentException(source + ": expected a mapping of keys to values");
        }
        ObjectNode out = NODES.objectNode();
        Map<String, String> setBy = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (value == null || value.isNull()) {
                continue;
            }
            if (IGNORED.contains(key)) {
                notes.add(source + ": key '" + key + "' is an llmforge cluster setting with no meaning here; ignored");
            } else if (key.equals(LORA)) {
                if (!value.isObject()) {
                    throw new IllegalArgumentException(source + ": '" + LORA + "' must be a mapping (r, lora_alpha,"
                            + " lora_dropout, target_modules, ...)");
                }
                value.fields().forEachRemaining(l -> putLora(out, setBy, source, LORA + "." + l.getKey(), l.getKey(),
                        l.getValue()));
            } else if (key.equals("model_init_kwargs")) {
                if (!value.isObject()) {
                    throw new IllegalArgumentException(source + ": 'model_init_kwargs' must be a mapping (dtype, ...)");
                }
                value.fields().forEachRemaining(p -> {
                    if (p.getKey().equals("dtype") || p.getKey().equals("torch_dtype")) {
                        put(out, setBy, source, "model_init_kwargs." + p.getKey(), "dtype", p.getValue());
                    } else {
                        notes.add(source + ": model_init_kwargs." + p.getKey() + " is not used by dpo4j; ignored");
                    }
                });
            } else if (key.equals("preference_tuning_config")) {
                value.fields().forEachRemaining(p -> {
                    if (p.getKey().equals("beta")) {
                        put(out, setBy, source, "preference_tuning_config.beta", "beta", p.getValue());
                    } else {
                        notes.add(source + ": preference_tuning_config." + p.getKey() + " is not used by dpo4j;"
                                + " ignored");
                    }
                });
            } else {
                String canonical = ALIASES.getOrDefault(key, key);
                if (canonical.startsWith(LORA + ".")) {
                    putLora(out, setBy, source, key, canonical.substring(LORA.length() + 1), value);
                } else {
                    put(out, setBy, source, key, canonical, value);
                }
            }
        }
        return out;
    }

    private static void put(ObjectNode out, Map<String, String> setBy, String source, String key, String canonical,
                            JsonNode value) {
        String earlier = setBy.put(canonical, key);
        if (earlier != null) {
            throw new IllegalArgumentException(source + ": '" + earlier + "' and '" + key + "' both set " + canonical
                    + "; keep one");
        }
        out.set(canonical, value);
    }

    private static void putLora(ObjectNode out, Map<String, String> setBy, String source, String key, String loraKey,
                                JsonNode value) {
        // PEFT's adapter_config.json carries these; dpo4j always trains causal-LM adapters with no extra modules.
        if (loraKey.equals("task_type") && value.asText().equalsIgnoreCase("CAUSAL_LM")
                || loraKey.equals("modules_to_save") && value.isArray() && value.isEmpty()) {
            return;
        }
        String earlier = setBy.put(LORA + "." + loraKey, key);
        if (earlier != null) {
            throw new IllegalArgumentException(source + ": '" + earlier + "' and '" + key + "' both set " + LORA
                    + "." + loraKey + "; keep one");
        }
        ObjectNode lora = out.has(LORA) ? (ObjectNode) out.get(LORA) : out.putObject(LORA);
        lora.set(loraKey, value);
    }

    /** Lays {@code top} over {@code base}: whole values, except lora_config, which merges key by key. */
    private static void layOver(ObjectNode base, ObjectNode top) {
        top.fields().forEachRemaining(e -> {
            if (e.getKey().equals(LORA) && base.has(LORA)) {
                ((ObjectNode) base.get(LORA)).setAll((ObjectNode) e.getValue());
            } else {
                base.set(e.getKey(), e.getValue());
            }
        });
    }

    /**
     * Validates the training keys; a failure the YAML file causes on its own is reported against the file,
     * one caused together with the flags against the command line.
     */
    private static TrainConfig trainConfig(ObjectNode training, String yamlSource, ObjectNode fromYaml) {
        try {
            return TrainConfig.fromTree(training);
        } catch (IllegalArgumentException e) {
            String message = oneLine(e);
            ObjectNode yamlOnly = NODES.objectNode();
            fromYaml.fields().forEachRemaining(f -> {
                if (!RUN_KEYS.contains(f.getKey())) {
                    yamlOnly.set(f.getKey(), f.getValue());
                }
            });
            try {
                TrainConfig.fromTree(yamlOnly);
            } catch (IllegalArgumentException yamlError) {
                throw new IllegalArgumentException(yamlSource + ": " + oneLine(yamlError), e);
            }
            throw new IllegalArgumentException(message, e);
        }
    }

    /** A validation error as one line: Jackson's type errors reduced to the key path and the problem. */
    static String oneLine(IllegalArgumentException e) {
        if (e.getCause() instanceof JsonMappingException m && !(m.getCause() instanceof IllegalArgumentException)) {
            String path = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[");
            String problem = m.getOriginalMessage().lines().findFirst().orElse("invalid value");
            return (path.isEmpty() ? "" : path + ": ") + problem;
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static String text(ObjectNode tree, String key, boolean required) {
        JsonNode v = tree.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("missing " + key + ": give --" + flagName(key) + " or '" + key
                        + ":' in the --config file");
            }
            return null;
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            throw new IllegalArgumentException("'" + key + "' must be a non-empty string, got " + v);
        }
        return v.asText();
    }

    private static Path path(ObjectNode tree, String key, boolean required) {
        String text = text(tree, key, required);
        return text == null ? null : Path.of(text);
    }

    private static boolean bool(ObjectNode tree, String key) {
        JsonNode v = tree.get(key);
        if (v == null || v.isNull()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        throw new IllegalArgumentException("'" + key + "' must be true or false, got " + v);
    }

    private static String flagName(String key) {
        return switch (key) {
            case "train_path" -> "data";
            case "valid_path" -> "eval-data";
            default -> key.replace('_', '-');
        };
    }
}
