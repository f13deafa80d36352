package dev.dpo4j.data.format;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One preference pair in the form every adapter produces and every writer writes: TRL's
 * {@code prompt}/{@code chosen}/{@code rejected}, each plain text or chat messages, plus free-form
 * metadata (ratings, model names, judge scores) that is carried through to the output.
 *
 * @param prompt the prompt; for conversational rows, the messages before the answer
 * @param chosen the preferred answer
 * @param rejected the dispreferred answer
 * @param metadata extra fields kept with the row (never null; may be empty)
 * @param origin where the row came from ({@code file:line}), for messages; never written out
 */
public record PreferenceExample(Content prompt, Content chosen, Content rejected, ObjectNode metadata,
        String origin) {

    /** Validates that no field is null (metadata defaults to an empty object). */
    public PreferenceExample {
        Objects.requireNonNull(prompt, "PreferenceExample.prompt must not be null");
        Objects.requireNonNull(chosen, "PreferenceExample.chosen must not be null");
        Objects.requireNonNull(rejected, "PreferenceExample.rejected must not be null");
        metadata = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata;
        origin = origin == null ? "" : origin;
    }

    /**
     * The row in TRL's standard/conversational JSONL layout:
     * {@code {"prompt", "chosen", "rejected", "metadata"}} ({@code metadata} only when not empty).
     *
     * @return a new JSON object
     */
    public ObjectNode toJson() {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.set("prompt", prompt.toJson());
        row.set("chosen", chosen.toJson());
        row.set("rejected", rejected.toJson());
        if (!metadata.isEmpty()) {
            row.set("metadata", metadata.deepCopy());
        }
        return row;
    }
}
