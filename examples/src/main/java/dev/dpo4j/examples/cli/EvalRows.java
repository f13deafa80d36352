package dev.dpo4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.Dataset;
import dev.dpo4j.data.synth.Article;
import dev.dpo4j.data.synth.SynthConfig;
import dev.dpo4j.eval.EvalItem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The held-out items of {@code dpo4j evaluate}, read from the input rows.
 *
 * <ul>
 *   <li>{@link Task#summarization}: CNN/DailyMail rows ({@code article}, optional {@code highlights}
 *       and {@code id}, read by {@link Article#fromRow}) become {@link EvalItem#summarization} items:
 *       the data pipeline's summarization prompt, the highlights as ROUGE reference, the article for
 *       QA scoring.</li>
 *   <li>{@link Task#instruction}: rows with a {@code prompt} (a text, or a list of
 *       {@code {"role", "content"}} messages) and an optional {@code reference} text. A message list
 *       is carried as one text (a lone user message as its content, otherwise {@code role: content}
 *       blocks separated by a blank line), which the pairwise judge reads as the instruction; the
 *       contenders get the messages themselves ({@link #conversations()}, {@link ContenderModel}).
 *       Without an {@code id} column the id is the SHA-1 of the prompt text, as
 *       {@link Article#fromRow} does for articles, so a rerun finds the same ids.</li>
 * </ul>
 *
 * <p>A row repeating an earlier row's id and prompt is the same item and is skipped; a repeated id
 * with another prompt is an error naming both rows.
 *
 * @param items the items in input order, ids distinct
 * @param conversations the message lists of message-list prompts, keyed by their prompt text
 * @param duplicates rows skipped because they repeat an earlier item
 */
record EvalRows(List<EvalItem> items, Map<String, List<ChatMessage>> conversations, int duplicates) {

    /** What the rows hold and how contenders are scored. */
    enum Task {
        /** Articles summarized; QA score (judge), ROUGE against the highlights, pairwise, lengths. */
        summarization,
        /** Prompts answered; pairwise (judge), ROUGE when rows have a reference, lengths. */
        instruction
    }

    /**
     * Reads every row into an item.
     *
     * @param rows the input rows
     * @param task what the rows hold
     * @param config the settings whose summarization prompt template is used
     * @return the items
     * @throws dev.dpo4j.data.io.DatasetException naming {@code file:line} of a bad row
     * @throws IllegalArgumentException when the input has no rows
     */
    static EvalRows read(Dataset rows, Task task, SynthConfig config) {
        List<EvalItem> items = new ArrayList<>();
        Map<String, List<ChatMessage>> conversations = new LinkedHashMap<>();
        Map<String, String> firstLocation = new HashMap<>();
        Map<String, EvalItem> byId = new HashMap<>();
        int duplicates = 0;
        try (Stream<DataRow> stream = rows.stream()) {
            for (DataRow row : (Iterable<DataRow>) stream::iterator) {
                EvalItem item = task == Task.summarization
                        ? EvalItem.summarization(Article.fromRow(row), config)
                        : instruction(row, conversations);
                EvalItem earlier = byId.get(item.id());
                if (earlier != null) {
                    if (!earlier.prompt().equals(item.prompt())) {
                        throw row.error("id '" + item.id() + "' was already given to another prompt at "
                                + firstLocation.get(item.id()) + " (ids must be unique)");
                    }
                    duplicates++;
                    continue;
                }
                byId.put(item.id(), item);
                firstLocation.put(item.id(), row.location());
                items.add(item);
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("--input/--dataset: " + rows.name() + " has no rows to evaluate");
        }
        return new EvalRows(List.copyOf(items), Map.copyOf(conversations), duplicates);
    }

    private static EvalItem instruction(DataRow row, Map<String, List<ChatMessage>> conversations) {
        JsonNode node = row.get("prompt");
        if (node == null || node.isNull()) {
            throw row.error("column 'prompt' is missing (--task instruction reads 'prompt' and optional 'reference')");
        }
        String prompt;
        if (node.isTextual()) {
            prompt = node.asText();
        } else if (node.isArray()) {
            List<ChatMessage> messages = messages(row, node);
            prompt = render(messages);
            conversations.put(prompt, messages);
        } else {
            throw row.error("column 'prompt' must be a string or a list of messages, got "
                    + node.getNodeType().name().toLowerCase());
        }
        if (prompt.isBlank()) {
            throw row.error("column 'prompt' is empty");
        }
        String reference = text(row, "reference");
        String id = text(row, "id");
        if (id == null || id.isBlank()) {
            id = sha1Hex(prompt);
        }
        return new EvalItem(id, prompt, reference, null);
    }

    private static List<ChatMessage> messages(DataRow row, JsonNode list) {
        if (list.isEmpty()) {
            throw row.error("column 'prompt' is an empty message list");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            if (!m.isObject() || !m.path("role").isTextual() || !m.path("content").isTextual()) {
                throw row.error("column 'prompt'[" + i + "] must be an object with string 'role' and 'content'");
            }
            messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
        }
        return List.copyOf(messages);
    }

    /** One text for a message list: a lone user message as it is, else {@code role: content} blocks. */
    private static String render(List<ChatMessage> messages) {
        if (messages.size() == 1 && messages.get(0).role().equals("user")) {
            return messages.get(0).content();
        }
        StringBuilder text = new StringBuilder();
        for (ChatMessage m : messages) {
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(m.role()).append(": ").append(m.content());
        }
        return text.toString();
    }

    private static String text(DataRow row, String column) {
        JsonNode node = row.get(column);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() && !node.isNumber()) {
            throw row.error("column '" + column + "' must be a string, got " + node.getNodeType().name().toLowerCase());
        }
        return node.asText();
    }

    private static String sha1Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
