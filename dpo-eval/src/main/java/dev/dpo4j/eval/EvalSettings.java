package dev.dpo4j.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.chat.ChatModel;
import dev.dpo4j.data.synth.SynthConfig;
import dev.dpo4j.eval.stats.Bootstrap;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The validated settings of an {@link Evaluator} (see its builder for each one's meaning and
 * default).
 *
 * @param files the output directory's files
 * @param contenders the contenders, at least one, distinct names, in report order
 * @param judge the judge, or null
 * @param qa true or false when set, null for "on when a judge is set and items have articles"
 * @param rouge true or false when set, null for "on when items have references"
 * @param pairs the pairwise comparisons
 * @param config questions, threshold, judge sampling, prompts and seed
 * @param temperature the contenders' sampling temperature
 * @param maxTokens the most tokens per output
 * @param bootstrap the confidence intervals' bootstrap
 * @param concurrency the most requests in flight per model
 * @param progress where to draw progress bars, or null
 * @param title the report's title
 * @param curves training curves for the HTML report: run name to {@code metrics.jsonl}
 * @param retryFailures ask again the requests an earlier run recorded as failed
 */
record EvalSettings(EvalFiles files, List<Contender> contenders, ChatModel judge, Boolean qa, Boolean rouge,
        List<Pair> pairs, SynthConfig config, double temperature, int maxTokens, Bootstrap bootstrap, int concurrency,
        PrintStream progress, String title, Map<String, Path> curves, boolean retryFailures) {

    /**
     * Two contenders compared; results are from {@code a}'s point of view.
     *
     * @param a the first contender's name
     * @param b the second contender's name
     */
    record Pair(String a, String b) {
        /** @return {@code <a>__vs__<b>}, the pair's name in its journal's file name and in the report */
        String key() {
            return EvalFiles.pairKey(a, b);
        }
    }

    /**
     * Requests in flight for a model: the evaluator's concurrency, never more than the model's own.
     *
     * @param model the model
     * @return at least 1
     */
    int threads(ChatModel model) {
        return Math.max(1, Math.min(concurrency, model.maxConcurrency()));
    }

    /**
     * The pairs the paired differences are computed for: the pairwise pairs, or each contender
     * against the first when none are given.
     *
     * @return the pairs
     */
    List<Pair> differencePairs() {
        if (!pairs.isEmpty()) {
            return pairs;
        }
        List<Pair> list = new ArrayList<>();
        for (int i = 1; i < contenders.size(); i++) {
            list.add(new Pair(contenders.get(i).name(), contenders.get(0).name()));
        }
        return list;
    }

    /**
     * The settings that decide the requests, for {@code eval.json} ({@link EvalManifest}).
     *
     * @return the manifest
     */
    ObjectNode manifest() {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("format", 1);
        ObjectNode models = m.putObject("contenders");
        contenders.forEach(c -> models.put(c.name(), c.model().name()));
        if (judge != null) {
            m.put("judge_model", judge.name());
        }
        ObjectNode generation = m.putObject("generation");
        generation.put("temperature", temperature);
        generation.put("max_tokens", maxTokens);
        m.put("seed", config.seed());
        m.put("num_questions", config.numQuestions());
        m.put("judge_temperature", config.judgeTemperature());
        if (config.judgeMaxTokens() != null) {
            m.put("judge_max_tokens", config.judgeMaxTokens());
        }
        m.put("prompts_sha256", config.prompts().fingerprint());
        m.put("pairwise_prompt_sha256", PairwiseJudge.fingerprint());
        return m;
    }

    /**
     * The settings as the report records them.
     *
     * @param qaOn whether QA scoring ran
     * @param rougeOn whether ROUGE ran
     * @return the object
     */
    ObjectNode reportSettings(boolean qaOn, boolean rougeOn) {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("judge_model", judge == null ? null : judge.name());
        ObjectNode models = s.putObject("contenders");
        contenders.forEach(c -> models.put(c.name(), c.model().name()));
        ObjectNode generation = s.putObject("generation");
        generation.put("temperature", temperature);
        generation.put("max_tokens", maxTokens);
        s.put("seed", config.seed());
        s.put("qa", qaOn);
        s.put("num_questions", config.numQuestions());
        s.put("threshold", config.threshold());
        s.put("judge_temperature", config.judgeTemperature());
        if (config.judgeMaxTokens() != null) {
            s.put("judge_max_tokens", config.judgeMaxTokens());
        }
        s.put("prompts_sha256", config.prompts().fingerprint());
        s.put("pairwise_prompt_sha256", PairwiseJudge.fingerprint());
        s.put("rouge", rougeOn);
        ArrayNode pairList = s.putArray("pairs");
        pairs.forEach(p -> pairList.addArray().add(p.a()).add(p.b()));
        ObjectNode boot = s.putObject("bootstrap");
        boot.put("resamples", bootstrap.resamples());
        boot.put("seed", bootstrap.seed());
        return s;
    }
}
