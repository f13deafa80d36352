package dev.dpo4j.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The result of one evaluation: per-contender metrics, pairwise judgements and paired
 * differences, with the settings that produced them.
 *
 * <p>Written as three files by {@link #write}: {@code report.json} (this record,
 * {@link #toJson()}, readable back with {@link #fromJson}), {@code report.md}
 * ({@link MarkdownReport}) and {@code report.html} ({@link HtmlReport}, one self-contained
 * page with charts).
 *
 * @param title the report's title
 * @param examples evaluation items (prompts) per contender
 * @param contenders one result per contender, in display order
 * @param pairwise pairwise judgements (may be empty)
 * @param differences paired metric differences (may be empty)
 * @param settings the evaluation settings (judge model, seeds, thresholds…), free-form JSON
 */
public record EvalReport(String title, int examples, List<ContenderResult> contenders, List<PairwiseResult> pairwise,
        List<PairedDifference> differences, ObjectNode settings) {

    /** File name of the JSON report. */
    public static final String JSON_FILE = "report.json";
    /** File name of the Markdown report. */
    public static final String MARKDOWN_FILE = "report.md";
    /** File name of the HTML report. */
    public static final String HTML_FILE = "report.html";

    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * Copies the lists and the settings; null lists become empty and null settings an empty object.
     *
     * @throws NullPointerException if {@code title} is null
     */
    public EvalReport {
        Objects.requireNonNull(title, "title");
        contenders = contenders == null ? List.of() : List.copyOf(contenders);
        pairwise = pairwise == null ? List.of() : List.copyOf(pairwise);
        differences = differences == null ? List.of() : List.copyOf(differences);
        settings = settings == null ? JsonNodeFactory.instance.objectNode() : settings.deepCopy();
    }

    /**
     * A copy of the settings (the record stays immutable).
     *
     * @return the settings object
     */
    @Override
    public ObjectNode settings() {
        return settings.deepCopy();
    }

    /**
     * The report as JSON.
     *
     * @return {@code {title, examples, contenders: [...], pairwise: [...], differences: [...], settings: {...}}}
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("title", title);
        node.put("examples", examples);
        ArrayNode contenderArray = node.putArray("contenders");
        contenders.forEach(c -> contenderArray.add(c.toJson()));
        ArrayNode pairwiseArray = node.putArray("pairwise");
        pairwise.forEach(p -> pairwiseArray.add(p.toJson()));
        ArrayNode differenceArray = node.putArray("differences");
        differences.forEach(d -> differenceArray.add(d.toJson()));
        node.set("settings", settings.deepCopy());
        return node;
    }

    /**
     * Reads a report written by {@link #toJson()}.
     *
     * @param node the JSON object
     * @return the report
     * @throws IllegalArgumentException if a field is missing or has the wrong type (the
     *     message gives the path, e.g. {@code eval_report.contenders[1]: contender_result.name is missing})
     */
    public static EvalReport fromJson(JsonNode node) {
        JsonFields f = JsonFields.of(node, "eval_report");
        JsonNode settings = f.required("settings");
        if (!settings.isObject()) {
            throw new IllegalArgumentException("eval_report.settings: expected a JSON object, got " + settings);
        }
        return new EvalReport(f.text("title"), f.integer("examples"), f.list("contenders", ContenderResult::fromJson),
                f.list("pairwise", PairwiseResult::fromJson), f.list("differences", PairedDifference::fromJson),
                (ObjectNode) settings);
    }

    /**
     * Reads {@code report.json}.
     *
     * @param file the JSON file
     * @return the report
     * @throws IOException if the file cannot be read or is not JSON
     * @throws IllegalArgumentException if the JSON is not a report (the message names the file)
     */
    public static EvalReport read(Path file) throws IOException {
        JsonNode node = MAPPER.readTree(file.toFile());
        try {
            return fromJson(node);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The report as Markdown tables.
     *
     * @return the output of {@link MarkdownReport#render(EvalReport)}
     */
    public String toMarkdown() {
        return MarkdownReport.render(this);
    }

    /**
     * Writes {@code report.json}, {@code report.md} and {@code report.html} into {@code dir},
     * creating it if needed. Each file is written to a temporary file beside it and then
     * moved into place, so a reader never sees half a report.
     *
     * @param dir the output directory
     * @param curves training curves to chart in the HTML report (may be empty or null)
     * @throws IOException if a file cannot be written
     */
    public void write(Path dir, List<TrainingCurve> curves) throws IOException {
        AtomicFiles.writeString(dir.resolve(JSON_FILE), MAPPER.writeValueAsString(toJson()) + "\n");
        AtomicFiles.writeString(dir.resolve(MARKDOWN_FILE), toMarkdown());
        AtomicFiles.writeString(dir.resolve(HTML_FILE), HtmlReport.render(this, curves == null ? List.of() : curves));
    }
}
