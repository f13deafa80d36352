package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Small inputs for the workflow tests, written into a test's temporary folder: CNN/DailyMail-style
 * articles, stack-exchange-paired rows, UltraFeedback-binarized rows and SFT conversations, plus a copy
 * of the real stories260K model with a Gemma-style chat template added.
 */
final class WorkflowTestData {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Gemma's chat template (turns in {@code <start_of_turn>role … <end_of_turn>}, assistant = model). */
    static final String GEMMA_TEMPLATE = "{{ bos_token }}{% for message in messages %}"
            + "{% if message['role'] == 'assistant' %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}"
            + "<start_of_turn>{{ role }}\n{{ message['content'] | trim }}<end_of_turn>\n{% endfor %}"
            + "{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}";

    private static final String[] NAMES = {"Lily", "Tom", "Sue", "Ben", "Mia", "Max", "Ann", "Sam"};
    private static final String[] THINGS = {"a red ball", "a big tree", "a small dog", "a blue boat", "a toy car",
        "a warm cake", "a shiny key", "a green frog"};

    private WorkflowTestData() {
    }

    /** The real stories260K model (a skip where the fixtures are absent). */
    static Path stories() {
        return Fixtures.path("real/models/stories260K");
    }

    /** A shipped workflow config, found from the module or the repository root. */
    static Path shippedConfig(String name) {
        Path configs = Files.isDirectory(Path.of("configs")) ? Path.of("configs") : Path.of("examples", "configs");
        return configs.resolve(name);
    }

    /** {@code n} short CNN-style articles ({@code id}, {@code article}, {@code highlights}). */
    static Path articles(Path dir, int n) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = NAMES[i % NAMES.length];
            String thing = THINGS[i % THINGS.length];
            ObjectNode row = JSON.createObjectNode();
            row.put("id", "article-" + i);
            row.put("article", "(CNN) " + name + " found " + thing + " in the park on Monday. " + name
                    + " showed it to a friend, and they played with it all day. Later " + name
                    + " took it home and told mom about the day.");
            row.put("highlights", name + " found " + thing + " and played with it.");
            lines.add(row.toString());
        }
        return write(dir.resolve("articles.jsonl"), lines);
    }

    /** {@code n} stack-exchange-paired rows ({@code question}, {@code response_j}, {@code response_k}). */
    static Path stackExchange(Path dir, int n) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode row = JSON.createObjectNode();
            row.put("qid", i);
            row.put("question", "Where did " + NAMES[i % NAMES.length] + " find " + THINGS[i % THINGS.length] + "?");
            row.put("response_j", "In the park, next to the big tree.");
            row.put("response_k", "I do not know.");
            lines.add(row.toString());
        }
        return write(dir.resolve("stack-exchange.jsonl"), lines);
    }

    /**
     * {@code n} UltraFeedback-binarized rows: {@code prompt}, chosen and rejected as [user, assistant]
     * conversations, scores.
     */
    static Path ultraFeedback(Path dir, int n) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String prompt = "Tell me a story about " + NAMES[i % NAMES.length] + ".";
            ObjectNode row = JSON.createObjectNode();
            row.put("prompt", prompt);
            row.put("prompt_id", "p" + i);
            row.set("chosen", conversation(prompt, NAMES[i % NAMES.length] + " found " + THINGS[i % THINGS.length]
                    + " and was happy."));
            row.set("rejected", conversation(prompt, "No."));
            row.put("score_chosen", 8.0);
            row.put("score_rejected", 2.0);
            lines.add(row.toString());
        }
        return write(dir.resolve("ultrafeedback.jsonl"), lines);
    }

    /** {@code n} SFT rows {@code {"messages": [user, assistant]}}. */
    static Path sftConversations(Path dir, int n) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode row = JSON.createObjectNode();
            row.set("messages", conversation("What did " + NAMES[i % NAMES.length] + " find?",
                    NAMES[i % NAMES.length] + " found " + THINGS[i % THINGS.length] + "."));
            lines.add(row.toString());
        }
        return write(dir.resolve("sft.jsonl"), lines);
    }

    /** A copy of stories260K whose tokenizer_config.json carries {@link #GEMMA_TEMPLATE}. */
    static Path gemmaStyleModel(Path dir) throws IOException {
        Path model = Files.createDirectories(dir.resolve("stories260K-gemma-chat"));
        try (Stream<Path> files = Files.list(stories())) {
            for (Path f : files.toList()) {
                Files.copy(f, model.resolve(f.getFileName()));
            }
        }
        ObjectNode config = (ObjectNode) JSON.readTree(model.resolve("tokenizer_config.json").toFile());
        config.put("chat_template", GEMMA_TEMPLATE);
        Files.writeString(model.resolve("tokenizer_config.json"), config.toPrettyString());
        return model;
    }

    /** A log that keeps the stages' output for failure messages. */
    static PrintWriter log(StringWriter text) {
        return new PrintWriter(text, true);
    }

    private static ArrayNode conversation(String user, String assistant) {
        ArrayNode messages = JSON.createArrayNode();
        messages.addObject().put("role", "user").put("content", user);
        messages.addObject().put("role", "assistant").put("content", assistant);
        return messages;
    }

    private static Path write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
        return file;
    }
}
