package dev.dpo4j.data.synth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.chat.ResponseFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pipeline's prompt templates and JSON schemas, read from resource files under
 * {@code dev/dpo4j/data/synth/} and overridable one by one or from a directory holding files of
 * the same names:
 *
 * <ul>
 *   <li>{@value #QUESTION_WRITER}: the judge's question-writing prompt; placeholders
 *       {@code {{article}}} (required) and {@code {{n}}};</li>
 *   <li>{@value #SUMMARIZE}: the summarization instruction sent to the base model and used as
 *       the training prompt; {@code {{article}}} (required);</li>
 *   <li>{@value #QA_JUDGE}: the judge's answering prompt; {@code {{summary}}} and
 *       {@code {{questions}}} (required) and {@code {{n}}};</li>
 *   <li>{@value #QUESTION_SCHEMA} and {@value #ANSWER_SCHEMA}: the JSON Schemas sent as
 *       {@code response_format: json_schema}; their {@code questions} / {@code answers} array gets
 *       {@code minItems = maxItems = n} at request time.</li>
 * </ul>
 *
 * <p>Placeholders are replaced in one pass, so an article containing {@code {{summary}}} is
 * left as it is. A template naming an unknown placeholder, or missing a required one, is refused
 * when loaded.
 *
 * @param questionWriter the question-writing template
 * @param summarize the summarization template
 * @param qaJudge the answering template
 * @param questionSchema the schema of the question set answer
 * @param answerSchema the schema of the judge's answers
 */
public record SynthPrompts(String questionWriter, String summarize, String qaJudge, JsonNode questionSchema,
        JsonNode answerSchema) {

    /** File name of the question-writing template. */
    public static final String QUESTION_WRITER = "question_writer.txt";
    /** File name of the summarization template. */
    public static final String SUMMARIZE = "summarize.txt";
    /** File name of the answering template. */
    public static final String QA_JUDGE = "qa_judge.txt";
    /** File name of the question set schema. */
    public static final String QUESTION_SCHEMA = "question_set.schema.json";
    /** File name of the answers schema. */
    public static final String ANSWER_SCHEMA = "qa_answers.schema.json";

    /** The {@code response_format} name of the question writer's answer. */
    public static final String QUESTION_SET_FORMAT = "question_set";
    /** The {@code response_format} name of the QA judge's answer. */
    public static final String QA_ANSWERS_FORMAT = "qa_answers";

    private static final String RESOURCE_DIR = "/dev/dpo4j/data/synth/";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

    /** Validates the templates' placeholders and the schemas' shape. */
    public SynthPrompts {
        checkTemplate(QUESTION_WRITER, questionWriter, Set.of("article"), Set.of("article", "n"));
        checkTemplate(SUMMARIZE, summarize, Set.of("article"), Set.of("article"));
        checkTemplate(QA_JUDGE, qaJudge, Set.of("summary", "questions"), Set.of("summary", "questions", "n"));
        checkSchema(QUESTION_SCHEMA, questionSchema, "questions");
        checkSchema(ANSWER_SCHEMA, answerSchema, "answers");
    }

    /**
     * The prompts shipped in the jar.
     *
     * @return the defaults
     */
    public static SynthPrompts defaults() {
        return new SynthPrompts(resource(QUESTION_WRITER), resource(SUMMARIZE), resource(QA_JUDGE),
                parseSchema(QUESTION_SCHEMA, resource(QUESTION_SCHEMA)), parseSchema(ANSWER_SCHEMA, resource(ANSWER_SCHEMA)));
    }

    /**
     * These prompts with every file of {@code dir} that has one of the five names above replacing
     * its counterpart; other files are ignored.
     *
     * @param dir the override directory
     * @return the new prompts
     * @throws IllegalArgumentException when the directory is missing or a file is invalid (named)
     */
    public SynthPrompts withOverrides(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("prompt directory " + dir + " does not exist");
        }
        SynthPrompts p = this;
        if (Files.isRegularFile(dir.resolve(QUESTION_WRITER))) {
            p = p.withQuestionWriter(readText(dir.resolve(QUESTION_WRITER)));
        }
        if (Files.isRegularFile(dir.resolve(SUMMARIZE))) {
            p = p.withSummarize(readText(dir.resolve(SUMMARIZE)));
        }
        if (Files.isRegularFile(dir.resolve(QA_JUDGE))) {
            p = p.withQaJudge(readText(dir.resolve(QA_JUDGE)));
        }
        if (Files.isRegularFile(dir.resolve(QUESTION_SCHEMA))) {
            p = p.withQuestionSchema(readSchema(dir.resolve(QUESTION_SCHEMA)));
        }
        if (Files.isRegularFile(dir.resolve(ANSWER_SCHEMA))) {
            p = p.withAnswerSchema(readSchema(dir.resolve(ANSWER_SCHEMA)));
        }
        return p;
    }

    /**
     * @param template the new question-writing template
     * @return a copy with it
     */
    public SynthPrompts withQuestionWriter(String template) {
        return new SynthPrompts(template, summarize, qaJudge, questionSchema, answerSchema);
    }

    /**
     * @param template the new summarization template
     * @return a copy with it
     */
    public SynthPrompts withSummarize(String template) {
        return new SynthPrompts(questionWriter, template, qaJudge, questionSchema, answerSchema);
    }

    /**
     * @param template the new answering template
     * @return a copy with it
     */
    public SynthPrompts withQaJudge(String template) {
        return new SynthPrompts(questionWriter, summarize, template, questionSchema, answerSchema);
    }

    /**
     * @param schema the new question set schema
     * @return a copy with it
     */
    public SynthPrompts withQuestionSchema(JsonNode schema) {
        return new SynthPrompts(questionWriter, summarize, qaJudge, schema, answerSchema);
    }

    /**
     * @param schema the new answers schema
     * @return a copy with it
     */
    public SynthPrompts withAnswerSchema(JsonNode schema) {
        return new SynthPrompts(questionWriter, summarize, qaJudge, questionSchema, schema);
    }

    /**
     * Reads a template file (UTF-8).
     *
     * @param file the file
     * @return its text
     * @throws UncheckedIOException naming the file when it cannot be read
     */
    public static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a JSON Schema file.
     *
     * @param file the file
     * @return the schema
     * @throws IllegalArgumentException naming the file when it is not JSON
     */
    public static JsonNode readSchema(Path file) {
        return parseSchema(file.toString(), readText(file));
    }

    /**
     * The question set response format for {@code n} questions.
     *
     * @param n the number of questions
     * @return a strict json_schema format named {@code question_set}
     */
    public ResponseFormat questionFormat(int n) {
        return ResponseFormat.jsonSchema(QUESTION_SET_FORMAT, withArrayLength(questionSchema, "questions", n));
    }

    /**
     * The answers response format for {@code n} questions.
     *
     * @param n the number of questions
     * @return a strict json_schema format named {@code qa_answers}
     */
    public ResponseFormat answerFormat(int n) {
        return ResponseFormat.jsonSchema(QA_ANSWERS_FORMAT, withArrayLength(answerSchema, "answers", n));
    }

    /**
     * A digest of every template and schema, recorded with a run so that a rerun with other
     * prompts is detected.
     *
     * @return 64 hex digits
     */
    public String fingerprint() {
        return StableHash.sha256Hex(questionWriter, summarize, qaJudge, questionSchema.toString(), answerSchema.toString());
    }

    /**
     * The summarization instruction with the article: what the base model is asked for a summary,
     * the prompt of the training rows, and what an evaluation asks every contender.
     *
     * @param article the article
     * @return the prompt text
     */
    public String summarizePrompt(Article article) {
        return render(summarize, Map.of("article", article.text()));
    }

    /**
     * Replaces every {@code {{name}}} in one pass.
     *
     * @param template the template
     * @param values the value of each placeholder
     * @return the text
     */
    public static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 256);
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static JsonNode withArrayLength(JsonNode schema, String property, int n) {
        ObjectNode copy = schema.deepCopy();
        ObjectNode array = (ObjectNode) copy.get("properties").get(property);
        array.put("minItems", n);
        array.put("maxItems", n);
        return copy;
    }

    private static void checkTemplate(String file, String template, Set<String> required, Set<String> allowed) {
        Objects.requireNonNull(template, file + " template must not be null");
        Matcher m = PLACEHOLDER.matcher(template);
        Set<String> seen = new HashSet<>();
        while (m.find()) {
            if (!allowed.contains(m.group(1))) {
                throw new IllegalArgumentException(file + ": unknown placeholder {{" + m.group(1)
                        + "}}; allowed: " + allowed);
            }
            seen.add(m.group(1));
        }
        for (String name : required) {
            if (!seen.contains(name)) {
                throw new IllegalArgumentException(file + ": the template must contain {{" + name + "}}");
            }
        }
    }

    private static void checkSchema(String file, JsonNode schema, String arrayProperty) {
        Objects.requireNonNull(schema, file + " must not be null");
        JsonNode array = schema.path("properties").path(arrayProperty);
        if (!"object".equals(schema.path("type").asText()) || !array.isObject()
                || !"array".equals(array.path("type").asText())) {
            throw new IllegalArgumentException(file + ": the schema must be an object with an array property '"
                    + arrayProperty + "'");
        }
    }

    private static JsonNode parseSchema(String name, String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(name + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = SynthPrompts.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE_DIR + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE_DIR + name, e);
        }
    }
}
