package dev.dpo4j.core.lora;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.io.AtomicFiles;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.Linear;
import dev.dpo4j.core.safetensors.DType;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import dev.dpo4j.core.safetensors.SafetensorsWriter;
import dev.dpo4j.core.safetensors.WritableTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads and writes LoRA adapters in PEFT's folder layout, so an adapter trained here loads in PEFT
 * ({@code PeftModel.from_pretrained}) and vLLM, and one trained there loads here.
 *
 * <p>A PEFT adapter folder holds {@code adapter_config.json} (a {@code LoraConfig} serialised by
 * {@code PeftConfig.save_pretrained}) and {@code adapter_model.safetensors} (keys
 * {@code base_model.model.<module path>.lora_A.weight}, (r, in), and {@code .lora_B.weight}, (out, r)).
 * Reading is strict: settings whose semantics dpo4j does not implement (DoRA, per-module rank patterns,
 * layer subsets, modules_to_save, a regex {@code target_modules}, {@code fan_in_fan_out}) are rejected
 * with the file and field named, never silently ignored.
 */
public final class PeftAdapters {
    /** The settings file of an adapter folder. */
    public static final String CONFIG_FILE = "adapter_config.json";
    /** The weights file of an adapter folder. */
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PeftAdapters() {
    }

    /**
     * Reads an adapter folder into Java memory, without a model.
     *
     * @param dir the folder holding {@code adapter_config.json} and {@code adapter_model.safetensors}
     * @return the adapter, tensors widened to float32 (F16 and BF16 are accepted on disk)
     * @throws NoSuchFileException if the folder or one of its two files is missing
     * @throws IllegalArgumentException naming the file and field or tensor that is invalid or unsupported
     * @throws IOException if a file cannot be read
     */
    public static PeftAdapter read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "adapter folder does not exist");
        }
        Path configFile = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new NoSuchFileException(configFile.toString(), null,
                    "missing: " + dir + " is not a PEFT adapter folder (it needs " + CONFIG_FILE + " and "
                            + WEIGHTS_FILE + ")");
        }
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weightsFile)) {
            String hint = Files.isRegularFile(dir.resolve("adapter_model.bin"))
                    ? " (adapter_model.bin is a pickle file, which dpo4j does not read; re-save the adapter"
                            + " with safe_serialization=True)"
                    : "";
            throw new NoSuchFileException(weightsFile.toString(), null, "missing" + hint);
        }
        JsonNode root;
        try {
            root = JSON.readTree(configFile.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(configFile + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(configFile + ": expected a JSON object");
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try (SafetensorsCheckpoint file = SafetensorsCheckpoint.open(weightsFile)) {
            for (String name : file.names()) {
                shapes.put(name, file.info(name).shape());
                float[] values = file.readFloatArray(name); // F16/BF16 widened exactly
                for (int i = 0; i < values.length; i++) {
                    if (!Float.isFinite(values[i])) {
                        throw new IllegalArgumentException(weightsFile + ": tensor " + name + " holds " + values[i]
                                + " at element " + i + "; an adapter with non-finite weights cannot be used (did its"
                                + " training diverge?)");
                    }
                }
                weights.put(name, values);
            }
        }
        LoraConfig config = parseConfig(root, configFile, shapes.keySet());
        checkTensors(config, shapes, weightsFile);
        return new PeftAdapter(config, weights, shapes);
    }

    /**
     * Reads an adapter folder and attaches it to a model.
     *
     * @param model the base model the adapter was trained on
     * @param dir the adapter folder
     * @return the attached adapters (close them to detach)
     * @throws IllegalArgumentException naming the file and tensor when the adapter does not fit the model
     *     (a module the model lacks, a shape that disagrees with the projection, a targeted projection
     *     without tensors)
     * @throws IOException if the folder cannot be read; see {@link #read}
     */
    public static LoraModel load(DecoderModel model, Path dir) throws IOException {
        PeftAdapter adapter = read(dir);
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        checkAgainstModel(adapter, model, weightsFile);
        try {
            return LoraModel.attach(model, adapter.config(), adapter.weights());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(weightsFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that an adapter fits a model: every tensor belongs to one of the model's projections and
     * has the shape that projection implies ((r, in) for A, (out, r) for B).
     *
     * @param adapter the adapter
     * @param model the model
     * @param source the file the adapter came from, named in errors
     * @throws IllegalArgumentException naming the first tensor that does not fit
     */
    static void checkAgainstModel(PeftAdapter adapter, DecoderModel model, Path source) {
        int r = adapter.config().r();
        for (Map.Entry<String, long[]> e : adapter.shapes().entrySet()) {
            String key = e.getKey();
            String path = PeftAdapter.modulePath(key);
            Linear linear = model.linears().get(path);
            if (linear == null) {
                throw new IllegalArgumentException(source + ": tensor " + key + " is for module " + path
                        + ", which this " + model.config().modelType().hfName() + " model does not have (it has "
                        + model.linears().size() + " projections, e.g. "
                        + model.linears().keySet().iterator().next() + ")");
            }
            long[] w = linear.shape(); // (out, in)
            long[] want = PeftAdapter.isA(key) ? new long[] {r, w[1]} : new long[] {w[0], r};
            if (!Arrays.equals(want, e.getValue())) {
                throw new IllegalArgumentException(source + ": tensor " + key + " has shape "
                        + Arrays.toString(e.getValue()) + " but projection " + path + " with weight "
                        + Arrays.toString(w) + " and r " + r + " needs " + Arrays.toString(want));
            }
        }
    }

    /**
     * Writes attached adapters as a PEFT adapter folder: {@code adapter_model.safetensors} (float32, PEFT
     * keys, sorted by name as PEFT's files are) and {@code adapter_config.json}.
     *
     * <p>Both files are first written into a temporary folder beside {@code dir}. A new folder is then
     * renamed into place in one step; into an existing folder (a training checkpoint, say) the weights
     * and then the config are each moved over the old files atomically, so no reader ever sees a half
     * written file. Other files in an existing folder are left alone.
     *
     * @param lora the adapters
     * @param dir the adapter folder, created if needed
     * @param baseModelNameOrPath written as {@code base_model_name_or_path} (a Hub id or path), may be null
     * @throws IOException if writing fails; a new folder is then not created
     */
    public static void save(LoraModel lora, Path dir, String baseModelNameOrPath) throws IOException {
        Map<String, WritableTensor> tensors = new TreeMap<>();
        for (Map.Entry<String, NDArray> e : lora.parameters().entrySet()) {
            NDArray p = e.getValue();
            tensors.put(e.getKey(), WritableTensor.of(DType.F32, p.getShape().getShape(), p.toFloatArray()));
        }
        byte[] config = JSON.writeValueAsBytes(configJson(lora, baseModelNameOrPath));
        Path target = dir.toAbsolutePath();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IOException(target + ": exists and is not a folder; cannot write an adapter there");
        }
        try (AtomicFiles.Staged temp = AtomicFiles.stageDirectory(target)) {
            SafetensorsWriter.write(temp.path().resolve(WEIGHTS_FILE), tensors, SafetensorsWriter.PT_METADATA);
            Files.write(temp.path().resolve(CONFIG_FILE), config);
            if (!Files.exists(target)) {
                temp.commit();
                return;
            }
            AtomicFiles.move(temp.path().resolve(WEIGHTS_FILE), target.resolve(WEIGHTS_FILE));
            AtomicFiles.move(temp.path().resolve(CONFIG_FILE), target.resolve(CONFIG_FILE));
        }
    }

    /**
     * The {@code adapter_config.json} PEFT writes for these adapters. With {@code all-linear}, PEFT
     * stores the expanded list of module names it adapted (its {@code _maybe_include_all_linear_layers}
     * replaces the shorthand before saving), so that is written here too.
     *
     * @param lora the adapters
     * @param baseModelNameOrPath the base model's id or path, may be null
     * @return the JSON object
     */
    static ObjectNode configJson(LoraModel lora, String baseModelNameOrPath) {
        LoraConfig c = lora.config();
        ObjectNode o = JSON.createObjectNode();
        o.put("peft_type", "LORA");
        o.put("task_type", "CAUSAL_LM");
        o.put("r", c.r());
        if (c.loraAlpha() == Math.rint(c.loraAlpha()) && Math.abs(c.loraAlpha()) < 1e15) {
            o.put("lora_alpha", (long) c.loraAlpha());
        } else {
            o.put("lora_alpha", c.loraAlpha());
        }
        o.put("lora_dropout", c.loraDropout());
        ArrayNode targets = o.putArray("target_modules");
        if (c.targetModules().contains(LoraConfig.ALL_LINEAR)) {
            TreeSet<String> names = new TreeSet<>();
            for (String path : lora.layers().keySet()) {
                names.add(path.substring(path.lastIndexOf('.') + 1));
            }
            names.forEach(targets::add);
        } else {
            c.targetModules().forEach(targets::add);
        }
        o.put("bias", c.bias());
        o.put("use_rslora", c.useRslora());
        o.put("use_dora", false);
        o.put("fan_in_fan_out", false);
        o.put("init_lora_weights", true);
        o.putObject("rank_pattern");
        o.putObject("alpha_pattern");
        o.putNull("layers_to_transform");
        o.putNull("layers_pattern");
        o.putNull("modules_to_save");
        if (baseModelNameOrPath == null) {
            o.putNull("base_model_name_or_path");
        } else {
            o.put("base_model_name_or_path", baseModelNameOrPath);
        }
        o.putNull("revision");
        o.put("inference_mode", true);
        return o;
    }

    private static LoraConfig parseConfig(JsonNode root, Path file, Iterable<String> tensorNames) {
        String peftType = text(root, "peft_type", file);
        if (!"LORA".equals(peftType)) {
            throw new IllegalArgumentException(file + ": field 'peft_type' is " + (peftType == null ? "missing"
                    : "'" + peftType + "'") + "; only LORA adapters are supported");
        }
        if (root.path("fan_in_fan_out").asBoolean(false)) {
            throw new IllegalArgumentException(file + ": field 'fan_in_fan_out' is true (GPT-2 style Conv1D"
                    + " weights); only the nn.Linear layout (false) is supported");
        }
        rejectIfSet(root, file, "use_dora", "DoRA adapters are not supported");
        rejectIfSet(root, file, "lora_bias", "LoRA bias terms are not supported");
        rejectIfSet(root, file, "rank_pattern", "per-module ranks are not supported");
        rejectIfSet(root, file, "alpha_pattern", "per-module alphas are not supported");
        rejectIfSet(root, file, "layers_to_transform", "adapting a subset of layers is not supported");
        rejectIfSet(root, file, "modules_to_save", "fully trained extra modules are not supported");
        rejectIfSet(root, file, "exclude_modules", "exclude_modules is not supported");
        rejectIfSet(root, file, "layer_replication", "layer replication is not supported");
        rejectIfSet(root, file, "target_parameters", "adapting raw parameters is not supported");
        rejectIfSet(root, file, "trainable_token_indices", "trainable tokens are not supported");
        JsonNode rNode = root.get("r");
        if (rNode == null || !rNode.canConvertToInt() || !rNode.isIntegralNumber()) {
            throw new IllegalArgumentException(file + ": field 'r' must be a positive integer, got " + rNode);
        }
        double alpha = number(root, "lora_alpha", 8.0, file); // PEFT's default lora_alpha is 8
        double dropout = number(root, "lora_dropout", 0.0, file);
        List<String> targets = targets(root.get("target_modules"), file, tensorNames);
        String bias = text(root, "bias", file);
        try {
            return new LoraConfig(rNode.asInt(), alpha, dropout, targets, bias, root.path("use_rslora").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> targets(JsonNode node, Path file, Iterable<String> tensorNames) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            // PEFT would fall back to a per-architecture default; the tensors say what was adapted.
            for (String name : tensorNames) {
                String path = PeftAdapter.modulePath(name);
                if (path != null) {
                    String leaf = path.substring(path.lastIndexOf('.') + 1);
                    if (!out.contains(leaf)) {
                        out.add(leaf);
                    }
                }
            }
            return out;
        }
        if (node.isTextual()) {
            if (node.asText().toLowerCase(Locale.ROOT).equals(LoraConfig.ALL_LINEAR)) {
                return List.of(LoraConfig.ALL_LINEAR);
            }
            throw new IllegalArgumentException(file + ": field 'target_modules' is the string '" + node.asText()
                    + "', which PEFT reads as a regular expression over full module names; dpo4j supports a list"
                    + " of module names (e.g. [\"q_proj\", \"v_proj\"]) or \"all-linear\"");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(file + ": field 'target_modules' must be a non-empty list of"
                    + " module names or \"all-linear\", got " + node);
        }
        for (JsonNode e : node) {
            if (!e.isTextual() || e.asText().isEmpty()) {
                throw new IllegalArgumentException(file + ": field 'target_modules' has a non-string or empty"
                        + " entry " + e);
            }
            out.add(e.asText());
        }
        return out;
    }

    private static void checkTensors(LoraConfig config, Map<String, long[]> shapes, Path file) {
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException(file + ": holds no tensors");
        }
        int r = config.r();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String key = e.getKey();
            String path = PeftAdapter.modulePath(key);
            if (path == null) {
                throw new IllegalArgumentException(file + ": tensor " + key + " is not a LoRA weight in PEFT"
                        + " layout (base_model.model.<module>.lora_A.weight / .lora_B.weight)");
            }
            if (!config.targets(path)) {
                throw new IllegalArgumentException(file + ": tensor " + key + " is for module " + path
                        + ", which target_modules " + config.targetModules() + " does not select");
            }
            long[] s = e.getValue();
            boolean isA = PeftAdapter.isA(key);
            if (s.length != 2 || (isA ? s[0] : s[1]) != r) {
                throw new IllegalArgumentException(file + ": tensor " + key + " has shape " + Arrays.toString(s)
                        + " but r = " + r + " in " + CONFIG_FILE + " needs " + (isA ? "(r, in) = (" + r + ", …)"
                        : "(out, r) = (…, " + r + ")"));
            }
            String partner = isA ? LoraModel.keyB(path) : LoraModel.keyA(path);
            if (!shapes.containsKey(partner)) {
                throw new IllegalArgumentException(file + ": tensor " + key + " has no partner " + partner);
            }
        }
    }

    private static void rejectIfSet(JsonNode root, Path file, String field, String why) {
        JsonNode v = root.get(field);
        boolean set = v != null && !v.isNull() && !(v.isBoolean() && !v.asBoolean())
                && !(v.isContainerNode() && v.isEmpty());
        if (set) {
            throw new IllegalArgumentException(file + ": field '" + field + "' is " + v + "; " + why);
        }
    }

    private static String text(JsonNode root, String field, Path file) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(file + ": field '" + field + "' must be a string, got " + v);
        }
        return v.asText();
    }

    private static double number(JsonNode root, String field, double fallback, Path file) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(file + ": field '" + field + "' must be a number, got " + v);
        }
        return v.asDouble();
    }
}
