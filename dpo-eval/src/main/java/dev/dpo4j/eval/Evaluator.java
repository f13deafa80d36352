package dev.dpo4j.eval;

import dev.dpo4j.core.chat.ChatModel;
import dev.dpo4j.data.synth.SynthConfig;
import dev.dpo4j.eval.report.EvalReport;
import dev.dpo4j.eval.stats.Bootstrap;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares contenders on a held-out set: every contender answers every item, then a judge scores
 * the outputs, as the llmforge summarization template and MT-Bench do.
 *
 * <ol>
 *   <li>QA score (when a judge is set and items carry articles): the judge writes multiple-choice
 *       questions per article and answers them from each output alone, with the same
 *       {@link dev.dpo4j.data.synth.QuestionWriter}, {@link dev.dpo4j.data.synth.QaJudge},
 *       prompts and seeds as dpo-data's synthetic pipeline, so the questions are those the
 *       training pairs were scored with; reported as the mean score, its distribution and the
 *       share at or above the threshold.</li>
 *   <li>Pairwise (for each {@link Builder#optPairwise(String, String) pair}): the judge compares two
 *       contenders' outputs in both orders ({@link PairwiseJudge}); win/loss/tie, inconsistent
 *       orders and the adjusted win rate.</li>
 *   <li>ROUGE-1/2/L F1 against the items' references, and output lengths.</li>
 *   <li>Paired per-item differences of the QA score and ROUGE-L with bootstrap intervals and
 *       sign-flip p values.</li>
 * </ol>
 *
 * <pre>{@code
 * EvalReport report = Evaluator.builder()
 *         .setOutputDir(Path.of("out/eval"))
 *         .addContender(new Contender("base", base))
 *         .addContender(new Contender("dpo", tuned))
 *         .addContender(new Contender("gpt-4o", gpt4o))
 *         .optJudge(judge)
 *         .optPairwise("dpo", "base")
 *         .build()
 *         .run(articles.stream().map(a -> EvalItem.summarization(a, SynthConfig.defaults())).toList());
 * }</pre>
 *
 * <p>Output directory ({@link EvalFiles}): the journals {@code questions.jsonl},
 * {@code generations/<name>.jsonl}, {@code qa/<name>.jsonl} and {@code pairwise/<a>__vs__<b>.jsonl}
 * get one flushed line per answer (or failure) as it arrives; {@code report.json},
 * {@code report.md} and {@code report.html} are rewritten at the end of every run. A run killed at
 * any moment and started again asks only what the journals lack (a line cut short by the kill is
 * asked again), and its report equals an uninterrupted run's. {@code eval.json} refuses a rerun
 * whose contenders' models, judge, generation settings, seed or prompts differ; a lock file keeps
 * two runs out of one directory. A request that fails for good is journaled as a failure and
 * counted in the report, never dropped; the run goes on.
 */
public final class Evaluator {

    private final EvalSettings settings;

    private Evaluator(EvalSettings settings) {
        this.settings = settings;
    }

    /**
     * A builder.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The output files.
     *
     * @return the files of the output directory
     */
    public EvalFiles files() {
        return settings.files();
    }

    /**
     * Runs (or resumes) the evaluation over the items and writes the reports.
     *
     * @param items the held-out items, at least one, with distinct ids
     * @return the report, also written as {@code report.json}, {@code report.md}, {@code report.html}
     * @throws IllegalArgumentException when the items are empty or repeat an id, or QA / ROUGE was
     *     switched on but no item has an article / a reference
     * @throws IllegalStateException when another run holds the directory or it was made with other
     *     settings (the message lists the differences)
     * @throws UncheckedIOException when a file cannot be read or written
     */
    public EvalReport run(List<EvalItem> items) {
        return new EvalRun(settings).run(items);
    }

    /** Builds an {@link Evaluator}: the output directory and at least one contender are required. */
    public static final class Builder {
        private Path outputDir;
        private final List<Contender> contenders = new ArrayList<>();
        private ChatModel judge;
        private Boolean qa;
        private Boolean rouge;
        private final List<EvalSettings.Pair> pairs = new ArrayList<>();
        private SynthConfig config = SynthConfig.defaults();
        private double temperature = 0.0;
        private int maxTokens = 256;
        private Bootstrap bootstrap = Bootstrap.DEFAULT;
        private int concurrency = 8;
        private PrintStream progress = System.err;
        private String title = "dpo4j evaluation";
        private final Map<String, Path> curves = new LinkedHashMap<>();
        private boolean retryFailures;

        private Builder() {
        }

        /** @param dir where journals and reports go; created if absent @return this builder */
        public Builder setOutputDir(Path dir) {
            this.outputDir = dir;
            return this;
        }

        /**
         * Adds a contender; the first one added is the baseline of the paired differences when no
         * pairwise pair is given.
         *
         * @param contender the contender
         * @return this builder
         */
        public Builder addContender(Contender contender) {
            contenders.add(Objects.requireNonNull(contender, "contender"));
            return this;
        }

        /** @param model the judge writing and answering questions and comparing pairs @return this builder */
        public Builder optJudge(ChatModel model) {
            this.judge = model;
            return this;
        }

        /**
         * @param on score outputs by QA (default: on when a judge is set and items have articles)
         * @return this builder
         */
        public Builder optQa(boolean on) {
            this.qa = on;
            return this;
        }

        /**
         * Compares two contenders with the pairwise judge, both orders per item; repeatable.
         *
         * @param a the contender whose wins are counted
         * @param b its opponent
         * @return this builder
         */
        public Builder optPairwise(String a, String b) {
            pairs.add(new EvalSettings.Pair(Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b")));
            return this;
        }

        /** @param on compute ROUGE against references (default: on when items have references) @return this builder */
        public Builder optRouge(boolean on) {
            this.rouge = on;
            return this;
        }

        /**
         * @param value number of questions, threshold, judge temperature and max tokens, prompts and
         *     seed (default {@link SynthConfig#defaults()}); pass the data run's config to ask the
         *     same questions
         * @return this builder
         */
        public Builder optSynthConfig(SynthConfig value) {
            this.config = value;
            return this;
        }

        /**
         * @param temperature the contenders' sampling temperature (default 0: greedy)
         * @param maxTokens the most tokens per output (default 256)
         * @return this builder
         */
        public Builder optGeneration(double temperature, int maxTokens) {
            this.temperature = temperature;
            this.maxTokens = maxTokens;
            return this;
        }

        /** @param value the bootstrap of the intervals (default {@link Bootstrap#DEFAULT}) @return this builder */
        public Builder optBootstrap(Bootstrap value) {
            this.bootstrap = value;
            return this;
        }

        /**
         * @param value requests in flight per model (default 8); a model never gets more than its
         *     own {@code maxConcurrency()}
         * @return this builder
         */
        public Builder optConcurrency(int value) {
            this.concurrency = value;
            return this;
        }

        /** @param out where to draw one progress bar per stage, or null for none (default System.err) @return this builder */
        public Builder optProgress(PrintStream out) {
            this.progress = out;
            return this;
        }

        /** @param value the report's title (default "dpo4j evaluation") @return this builder */
        public Builder optTitle(String value) {
            this.title = value;
            return this;
        }

        /**
         * Charts a training run's {@code metrics.jsonl} in the HTML report; repeatable.
         *
         * @param run the run's name in the legend
         * @param metricsJsonl the trainer's metrics file
         * @return this builder
         */
        public Builder optTrainingCurve(String run, Path metricsJsonl) {
            curves.put(Objects.requireNonNull(run, "run"), Objects.requireNonNull(metricsJsonl, "metricsJsonl"));
            return this;
        }

        /** @param value ask again the requests an earlier run recorded as failed (default false) @return this builder */
        public Builder optRetryFailures(boolean value) {
            this.retryFailures = value;
            return this;
        }

        /**
         * @return the evaluator
         * @throws NullPointerException naming a missing required setting
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public Evaluator build() {
            Objects.requireNonNull(outputDir, "Evaluator: setOutputDir is required");
            Objects.requireNonNull(config, "Evaluator: optSynthConfig must not be null");
            Objects.requireNonNull(bootstrap, "Evaluator: optBootstrap must not be null");
            Objects.requireNonNull(title, "Evaluator: optTitle must not be null");
            require(!contenders.isEmpty(), "at least one contender is required (addContender)");
            Set<String> names = new HashSet<>();
            for (Contender c : contenders) {
                require(names.add(c.name()), "contender name '" + c.name() + "' is given twice");
            }
            Set<String> files = new HashSet<>();
            for (EvalSettings.Pair p : pairs) {
                require(names.contains(p.a()), "optPairwise: '" + p.a() + "' is not a contender " + names);
                require(names.contains(p.b()), "optPairwise: '" + p.b() + "' is not a contender " + names);
                require(!p.a().equals(p.b()), "optPairwise: a contender cannot be compared with itself ('" + p.a() + "')");
                require(files.add(p.key()) && !files.contains(new EvalSettings.Pair(p.b(), p.a()).key()),
                        "optPairwise: the pair " + p.a() + " / " + p.b() + " is given twice");
            }
            require(judge != null || !Boolean.TRUE.equals(qa), "optQa(true) needs a judge (optJudge)");
            require(judge != null || pairs.isEmpty(), "optPairwise needs a judge (optJudge)");
            require(temperature >= 0 && Double.isFinite(temperature),
                    "optGeneration: temperature must be >= 0, got " + temperature);
            require(maxTokens >= 1, "optGeneration: maxTokens must be >= 1, got " + maxTokens);
            require(concurrency >= 1, "optConcurrency must be >= 1, got " + concurrency);
            require(!title.isBlank(), "optTitle must not be blank");
            curves.forEach((run, file) -> require(Files.isRegularFile(file),
                    "optTrainingCurve: metrics file " + file + " of run '" + run + "' does not exist"));
            return new Evaluator(new EvalSettings(new EvalFiles(outputDir), List.copyOf(contenders), judge, qa, rouge,
                    List.copyOf(pairs), config, temperature, maxTokens, bootstrap, concurrency, progress, title,
                    Collections.unmodifiableMap(new LinkedHashMap<>(curves)), retryFailures));
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("Evaluator: " + message);
            }
        }
    }
}
