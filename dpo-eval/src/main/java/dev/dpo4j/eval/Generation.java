package dev.dpo4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.data.synth.StableHash;
import java.util.Objects;

/**
 * A contender's output for one item, as journaled in {@code generations/<name>.jsonl}.
 *
 * @param text the output as the model wrote it (may be empty)
 * @param finishReason why generation stopped ({@code stop}, {@code length}), or null when unknown
 * @param promptSha256 the SHA-256 of the item's prompt, so a rerun whose item changed under the
 *     same id is refused instead of reusing a stale output
 */
record Generation(String text, String finishReason, String promptSha256) {

    /** Validates the fields. */
    Generation {
        Objects.requireNonNull(text, "Generation.text must not be null");
        Objects.requireNonNull(promptSha256, "Generation.promptSha256 must not be null");
    }

    /**
     * The digest an item's prompt is journaled under.
     *
     * @param prompt the prompt
     * @return 64 hex digits
     */
    static String promptDigest(String prompt) {
        return StableHash.sha256Hex(prompt);
    }

    /** @return {@code {"text", "finish_reason", "prompt_sha256"}} */
    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("text", text);
        if (finishReason != null) {
            node.put("finish_reason", finishReason);
        }
        node.put("prompt_sha256", promptSha256);
        return node;
    }

    /**
     * Reads {@link #toJson()}.
     *
     * @param node the journal line
     * @return the generation
     * @throws IllegalArgumentException naming the missing field
     */
    static Generation fromJson(JsonNode node) {
        JsonNode text = node.get("text");
        JsonNode digest = node.get("prompt_sha256");
        if (text == null || !text.isTextual()) {
            throw new IllegalArgumentException("field 'text' must be a string");
        }
        if (digest == null || !digest.isTextual()) {
            throw new IllegalArgumentException("field 'prompt_sha256' must be a string");
        }
        JsonNode finish = node.get("finish_reason");
        return new Generation(text.asText(), finish == null || finish.isNull() ? null : finish.asText(), digest.asText());
    }
}
