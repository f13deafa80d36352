package dev.dpo4j.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The special tokens and chat template of a Hugging Face model directory, gathered from the files
 * {@code transformers} reads: {@code tokenizer_config.json} (token text, which may be a string or
 * an AddedToken object {@code {"content": …}}; {@code add_bos_token}, {@code add_eos_token};
 * {@code chat_template}, a string or a list of {@code {name, template}} of which "default" is
 * used), {@code special_tokens_map.json} (token text where the config has none),
 * {@code chat_template.jinja} (wins over the config's template; {@code chat_template.json} is the
 * next fallback), {@code generation_config.json} and {@code config.json} (token ids).
 *
 * @param bosToken BOS text, or null
 * @param eosToken EOS text, or null
 * @param padToken padding text, or null
 * @param unkToken unknown-token text, or null
 * @param addBosToken the config's {@code add_bos_token}, or null when not stated
 * @param addEosToken the config's {@code add_eos_token}, or null when not stated
 * @param chatTemplate the chat template source, or null
 * @param generationBosId {@code generation_config.json}'s {@code bos_token_id}, or null
 * @param generationEosIds {@code generation_config.json}'s {@code eos_token_id} (int or list), possibly empty
 * @param generationPadId {@code generation_config.json}'s {@code pad_token_id}, or null
 * @param configBosId {@code config.json}'s {@code bos_token_id}, or null
 * @param configEosIds {@code config.json}'s {@code eos_token_id} (int or list), possibly empty
 * @param configPadId {@code config.json}'s {@code pad_token_id}, or null
 */
record TokenizerSettings(String bosToken, String eosToken, String padToken, String unkToken,
        Boolean addBosToken, Boolean addEosToken, String chatTemplate,
        Long generationBosId, List<Long> generationEosIds, Long generationPadId,
        Long configBosId, List<Long> configEosIds, Long configPadId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads the settings of a directory; every file is optional.
     *
     * @param dir the model directory
     * @return the settings
     * @throws IllegalArgumentException when {@code dir} is not a directory or a chat-template list has no "default"
     * @throws UncheckedIOException when a present file cannot be read or parsed
     */
    static TokenizerSettings load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Model directory does not exist: " + dir.toAbsolutePath());
        }
        JsonNode config = readJson(dir.resolve("tokenizer_config.json"));
        JsonNode specialMap = readJson(dir.resolve("special_tokens_map.json"));
        JsonNode generation = readJson(dir.resolve("generation_config.json"));
        JsonNode model = readJson(dir.resolve("config.json"));
        return new TokenizerSettings(
                token(config, specialMap, "bos_token"),
                token(config, specialMap, "eos_token"),
                token(config, specialMap, "pad_token"),
                token(config, specialMap, "unk_token"),
                config.path("add_bos_token").isBoolean() ? config.get("add_bos_token").asBoolean() : null,
                config.path("add_eos_token").isBoolean() ? config.get("add_eos_token").asBoolean() : null,
                chatTemplate(dir, config),
                id(generation.path("bos_token_id")),
                ids(generation.path("eos_token_id")),
                id(generation.path("pad_token_id")),
                id(model.path("bos_token_id")),
                ids(model.path("eos_token_id")),
                id(model.path("pad_token_id")));
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** Token text from the config, else from special_tokens_map; an AddedToken object gives its content. */
    private static String token(JsonNode config, JsonNode specialMap, String field) {
        String fromConfig = tokenText(config.path(field));
        return fromConfig != null ? fromConfig : tokenText(specialMap.path(field));
    }

    private static String tokenText(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isObject() && node.path("content").isTextual()) {
            return node.get("content").asText();
        }
        return null;
    }

    private static String chatTemplate(Path dir, JsonNode config) {
        Path jinja = dir.resolve("chat_template.jinja");
        try {
            if (Files.isRegularFile(jinja)) {
                return Files.readString(jinja, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jinja.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        JsonNode node = config.path("chat_template");
        Path source = dir.resolve("tokenizer_config.json");
        if (node.isMissingNode() || node.isNull()) {
            node = readJson(dir.resolve("chat_template.json")).path("chat_template");
            source = dir.resolve("chat_template.json");
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            for (JsonNode entry : node) {
                if ("default".equals(entry.path("name").asText()) && entry.path("template").isTextual()) {
                    return entry.get("template").asText();
                }
            }
            throw new IllegalArgumentException(source.toAbsolutePath()
                    + ": chat_template is a list of named templates without one named \"default\"");
        }
        return null;
    }

    private static Long id(JsonNode node) {
        return node.isIntegralNumber() ? node.asLong() : null;
    }

    private static List<Long> ids(JsonNode node) {
        List<Long> out = new ArrayList<>();
        if (node.isIntegralNumber()) {
            out.add(node.asLong());
        } else if (node.isArray()) {
            node.forEach(n -> {
                if (n.isIntegralNumber()) {
                    out.add(n.asLong());
                }
            });
        }
        return List.copyOf(out);
    }
}
