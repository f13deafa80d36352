package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.hub.HubClient;
import dev.dpo4j.core.hub.HubSettings;
import dev.dpo4j.core.hub.ModelRef;
import dev.dpo4j.core.hub.RepoType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The stage kinds the workflows share, each a section's keys with the run keys and the chained paths
 * filled in: {@code data prepare}, {@code data synth}, {@code train} (DPO or SFT), {@code merge} and
 * {@code evaluate}.
 */
final class Stages {
    /** The output files of a data stage that training reads. */
    static final String TRAIN_FILE = "train.jsonl";
    /** The validation pairs of a data stage. */
    static final String VALID_FILE = "valid.jsonl";
    /** The evaluation report. */
    static final String REPORT_FILE = "report.json";

    /** Keys of an OpenAI-compatible judge, shared by {@code data synth} and {@code evaluate}. */
    private static final List<String> JUDGE_KEYS = List.of("judge_url", "judge_model", "api_key_env",
            "judge_concurrency", "requests_per_minute", "tokens_per_minute", "max_attempts", "timeout_seconds",
            "price_input", "price_output", "cache_dir", "questions", "threshold");
    /** The prepare filters measured in tokens. */
    private static final List<String> TOKEN_FILTERS = List.of("max_prompt_tokens", "max_response_tokens",
            "max_total_tokens");

    private Stages() {
    }

    /**
     * {@code data prepare} of the {@code data} section into {@code <output_dir>/<name>}; the run's model
     * (when it is a local folder) measures token lengths unless the section names a {@code tokenizer}.
     */
    static Stage prepare(WorkflowConfig c, String name) {
        StageKeys keys = StageKeys.of(c, "data").fixed("output", c.stageDir(name));
        boolean filters = TOKEN_FILTERS.stream().anyMatch(keys::has);
        if (filters && Files.isDirectory(Path.of(c.modelId()))) {
            keys.fallback("tokenizer", c.modelId());
        }
        return keys.toStage(name);
    }

    /**
     * A prepare stage whose token-length filters need the tokenizer of a Hub model: fetches only its
     * tokenizer files into the Hub cache (the model itself is fetched by the train stage) and names that
     * folder as {@code tokenizer}. Any other stage is returned as it is.
     */
    static Stage withHubTokenizer(WorkflowConfig c, Stage stage) {
        ObjectNode keys = stage.keys();
        boolean filters = TOKEN_FILTERS.stream().anyMatch(k -> keys.path(k).asInt(0) > 0);
        if (!stage.command().equals(List.of("data", "prepare")) || !filters || keys.hasNonNull("tokenizer")
                || Files.isDirectory(Path.of(c.modelId()))) {
            return stage;
        }
        Path dir = new HubClient(HubSettings.fromEnvironment()).downloadFiles(RepoType.MODEL,
                ModelRef.parse(c.modelId()), List.of("tokenizer.json", "tokenizer_config.json"));
        keys.put("tokenizer", dir.toString());
        return new Stage(stage.name(), stage.command(), keys);
    }

    /** {@code data synth} of the {@code data} section, candidates written by {@code writerModel}. */
    static StageKeys synth(WorkflowConfig c, String name, String writerModel) {
        return StageKeys.of(c, "data").fixed("output", c.stageDir(name)).fixed("writer_model", writerModel)
                .fixedIfAccepted("device", c.device());
    }

    /**
     * {@code train} of a section.
     *
     * @param c the config
     * @param section {@code sft} or {@code train}
     * @param name the stage's name (its output folder)
     * @param task {@code sft} or {@code dpo}
     * @param model the model to tune
     * @param data the data stage's folder to read {@code train.jsonl} (and {@code valid.jsonl} when
     *     {@code withValid}) from, or null when the section names its own {@code data}
     * @param withValid whether the data stage writes validation rows
     * @param adapter an adapter to start from, or null for a fresh one
     */
    static Stage train(WorkflowConfig c, String section, String name, String task, String model, Path data,
                       boolean withValid, Path adapter) {
        StageKeys keys = StageKeys.of(c, section)
                .fixed("model", model, "model_id", "model_name_or_path")
                .fixed("output", c.stageDir(name), "output_dir")
                .fixed("task", task)
                .fixedIfAccepted("device", c.device());
        if (data != null) {
            keys.fixed("data", data.resolve(TRAIN_FILE), "train_path");
            if (withValid) {
                keys.fixed("eval_data", data.resolve(VALID_FILE), "valid_path");
            }
        } else if (!keys.has("data") && !keys.has("train_path")) {
            throw new IllegalArgumentException(c.file() + ": " + section + ".data is required (the " + task
                    + " rows, JSONL)");
        }
        if (adapter != null) {
            keys.fixed("adapter", adapter);
        }
        return keys.toStage(name);
    }

    /** {@code merge} of {@code adapter} into {@code model}, with the {@code merge} section's other keys. */
    static Stage merge(WorkflowConfig c, String name, String model, Path adapter) {
        return StageKeys.of(c, "merge").fixed("model", model).fixed("adapter", adapter)
                .fixed("output", c.stageDir(name)).toStage(name);
    }

    /**
     * {@code evaluate} of the {@code evaluate} section against the run's base model; rows, and for QA
     * scoring the judge, come from the {@code data} section when the section names none of its own.
     */
    static StageKeys evaluate(WorkflowConfig c, String name) {
        StageKeys keys = StageKeys.of(c, "evaluate").fixed("output", c.stageDir(name)).fixed("model", c.modelId())
                .fixedIfAccepted("device", c.device()).fallback("title", c.runName());
        StageKeys data = StageKeys.of(c, "data");
        if (!keys.has("input") && !keys.has("dataset")) {
            for (String k : List.of("input", "dataset", "split")) {
                if (data.has(k) && !keys.has(k)) {
                    keys.fallback(k, data.get(k));
                }
            }
        }
        if (c.spec().section("data").map(s -> s.command().equals(List.of("data", "synth"))).orElse(false)) {
            for (String k : JUDGE_KEYS) {
                JsonNode v = data.get(k);
                if (v != null && !v.isNull() && CommandKeys.accepts(List.of("evaluate"), k)) {
                    keys.fallback(k, v);
                }
            }
        }
        return keys;
    }

    /** Whether a data section writes validation rows ({@code valid_fraction} above 0, or its default). */
    static boolean writesValid(WorkflowConfig c, double defaultFraction) {
        JsonNode v = c.section("data").get("valid_fraction");
        return (v == null || v.isNull() ? defaultFraction : v.asDouble()) > 0;
    }

    /**
     * Empties a merge stage's output folder left by an earlier run (merge refuses a non-empty one): only
     * a folder that holds nothing but files, {@code config.json} among them, is taken for an old merge
     * and cleared; anything else is left for the command to refuse.
     */
    static void clearEarlierMerge(String stage, Path dir) {
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve("config.json"))) {
            return;
        }
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> entries = list.toList();
            if (entries.stream().anyMatch(Files::isDirectory)) {
                return;
            }
            for (Path p : entries) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new WorkflowException(stage, "cannot clear the earlier merge output", dir, e);
        }
    }
}
