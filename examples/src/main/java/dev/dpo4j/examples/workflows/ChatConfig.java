package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Settings of {@link Chat}: which model (and adapter) answers and how it samples. Read from a YAML file
 * ({@link #read}) with the keys {@code model_id}, {@code adapter}, {@code device}, {@code max_new_tokens},
 * {@code temperature}, {@code top_p}, {@code seed}, {@code system_prompt}, {@code prompt}, or built with
 * {@link #builder()}.
 *
 * @param model the base model: a folder (a merged one works too) or a Hub id
 * @param adapter a PEFT adapter folder to attach, or null for the plain model
 * @param device {@code cpu}, {@code gpu} or {@code gpu:N} (default cpu)
 * @param maxNewTokens the most tokens per reply (default 256)
 * @param temperature sampling temperature; 0 = greedy (default 0.7)
 * @param topP nucleus mass; 1 = off (default 1.0)
 * @param seed the sampling seed of the first reply; reply n uses seed + n (default 0)
 * @param systemPrompt a system message opening the conversation, or null
 * @param prompt a single prompt to answer (one-shot mode), or null for the interactive loop
 */
public record ChatConfig(String model, Path adapter, String device, int maxNewTokens, double temperature, double topP,
                         long seed, String systemPrompt, String prompt) {
    /** The YAML keys, in the order they are documented. */
    public static final List<String> KEYS = List.of("model_id", "adapter", "device", "max_new_tokens", "temperature",
            "top_p", "seed", "system_prompt", "prompt");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException naming the setting when one is out of range
     */
    public ChatConfig {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model_id is required (a model folder or Hub id)");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max_new_tokens must be >= 1, got " + maxNewTokens);
        }
        if (temperature < 0) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        device = device == null ? "cpu" : device;
    }

    /**
     * A new builder with the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these settings.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.adapter = adapter;
        b.device = device;
        b.maxNewTokens = maxNewTokens;
        b.temperature = temperature;
        b.topP = topP;
        b.seed = seed;
        b.systemPrompt = systemPrompt;
        b.prompt = prompt;
        return b;
    }

    /**
     * Reads a chat YAML into a builder (flags may then override it).
     *
     * @param file the YAML file
     * @return a builder holding the file's settings over the defaults
     * @throws IOException if the file cannot be read or is not YAML
     * @throws IllegalArgumentException naming the file and key when a key is unknown or of the wrong type
     */
    public static Builder read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("chat config not found: " + file);
        }
        JsonNode root = YAML.readTree(file.toFile());
        Builder b = new Builder();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return b;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a mapping of keys to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v == null || v.isNull()) {
                continue;
            }
            String where = file + ": " + e.getKey();
            switch (e.getKey()) {
                case "model_id" -> b.setModel(text(v, where));
                case "adapter" -> b.optAdapter(Path.of(text(v, where)));
                case "device" -> b.optDevice(text(v, where));
                case "max_new_tokens" -> b.optMaxNewTokens((int) number(v, where, true));
                case "temperature" -> b.optTemperature(number(v, where, false));
                case "top_p" -> b.optTopP(number(v, where, false));
                case "seed" -> b.optSeed((long) number(v, where, true));
                case "system_prompt" -> b.optSystemPrompt(text(v, where));
                case "prompt" -> b.optPrompt(text(v, where));
                default -> throw new IllegalArgumentException(file + ": unknown key '" + e.getKey() + "' (keys: "
                        + String.join(", ", KEYS) + ")");
            }
        }
        return b;
    }

    private static String text(JsonNode v, String where) {
        if (!v.isValueNode()) {
            throw new IllegalArgumentException(where + " must be a string, got " + v);
        }
        return v.asText();
    }

    private static double number(JsonNode v, String where, boolean integral) {
        if (!v.isNumber() || integral && !v.isIntegralNumber()) {
            throw new IllegalArgumentException(where + " must be " + (integral ? "an integer" : "a number") + ", got " + v);
        }
        return v.asDouble();
    }

    /** Builds a {@link ChatConfig}: {@code setModel} is required, the rest optional. */
    public static final class Builder {
        private String model;
        private Path adapter;
        private String device = "cpu";
        private int maxNewTokens = 256;
        private double temperature = 0.7;
        private double topP = 1.0;
        private long seed;
        private String systemPrompt;
        private String prompt;

        private Builder() {
        }

        /** @param value the model folder or Hub id @return this builder */
        public Builder setModel(String value) {
            this.model = value;
            return this;
        }

        /** @param value a PEFT adapter folder, or null @return this builder */
        public Builder optAdapter(Path value) {
            this.adapter = value;
            return this;
        }

        /** @param value cpu, gpu or gpu:N @return this builder */
        public Builder optDevice(String value) {
            this.device = value;
            return this;
        }

        /** @param value the most tokens per reply @return this builder */
        public Builder optMaxNewTokens(int value) {
            this.maxNewTokens = value;
            return this;
        }

        /** @param value sampling temperature, 0 = greedy @return this builder */
        public Builder optTemperature(double value) {
            this.temperature = value;
            return this;
        }

        /** @param value nucleus mass, 1 = off @return this builder */
        public Builder optTopP(double value) {
            this.topP = value;
            return this;
        }

        /** @param value the first reply's sampling seed @return this builder */
        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        /** @param value a system message, or null @return this builder */
        public Builder optSystemPrompt(String value) {
            this.systemPrompt = value;
            return this;
        }

        /** @param value a one-shot prompt, or null for the interactive loop @return this builder */
        public Builder optPrompt(String value) {
            this.prompt = value;
            return this;
        }

        /**
         * Checks and builds the settings.
         *
         * @return the settings
         * @throws IllegalArgumentException naming the setting when one is missing or out of range
         */
        public ChatConfig build() {
            return new ChatConfig(model, adapter, device, maxNewTokens, temperature, topP, seed, systemPrompt, prompt);
        }
    }
}
