package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dpo4j.core.chat.ChatModel;
import dev.dpo4j.core.io.AtomicFiles;
import dev.dpo4j.core.io.DirectoryLock;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The synthetic preference pipeline for summarization (llmforge's recipe): for each article the
 * judge writes {@code numQuestions} multiple-choice questions, the base model samples
 * {@code numCandidates} summaries, the judge answers the questions from each summary alone
 * ({@link QaJudge}), and a {@link PairPolicy} pairs summaries at or above the threshold with
 * summaries below it.
 *
 * <pre>{@code
 * SynthPipeline pipeline = SynthPipeline.builder()
 *         .setJudge(judge).setBaseModel(base).setOutputDir(Path.of("out/synth"))
 *         .optConfig(SynthConfig.builder().optPolicy(PairPolicy.parse("best-vs-worst")).build())
 *         .build();
 * SynthReport report = pipeline.run(articles);
 * }</pre>
 *
 * <p>Output directory ({@link SynthFiles}): the journals {@code questions.jsonl},
 * {@code summaries.jsonl}, {@code judgements.jsonl}, {@code rejects.jsonl} and
 * {@code articles.jsonl} are appended and flushed one line per answer as it arrives; at the end
 * of every run {@code train.jsonl} and {@code valid.jsonl} are rewritten whole from the finished
 * articles (sorted by article id, then pair index) and {@code report.json} from the counts.
 *
 * <p>Resuming: a run reads the journals first (dropping a last line cut short by a kill), reuses
 * every answered or rejected request and every finished article, and asks only what is missing,
 * each request identical to the one the killed run would have sent (seeds derive from the run
 * seed, the article id and {@code k}). So a run killed at any moment and started again with the
 * same command asks every request once, except the few that were in flight at the kill (at most
 * the two concurrency limits together), whose answers were never recorded. A lock file keeps two
 * runs out of one directory, and {@code synth.json} refuses a rerun with other settings.
 */
public final class SynthPipeline {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ChatModel judge;
    private final ChatModel base;
    private final SynthFiles files;
    private final SynthConfig config;
    private final PrintStream progressOut;

    private SynthPipeline(Builder b) {
        this.judge = b.judge;
        this.base = b.base;
        this.files = new SynthFiles(b.outputDir);
        this.config = b.config;
        this.progressOut = b.progressOut;
    }

    /**
     * A builder.
     *
     * @return a builder with the default config and a progress bar on {@code System.err}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The output files.
     *
     * @return the files of the output directory
     */
    public SynthFiles files() {
        return files;
    }

    /**
     * Runs (or resumes) the pipeline over the articles. With a {@link Collection} the progress bar
     * knows the total and shows an ETA.
     *
     * @param articles the articles; duplicate ids after the first are counted and skipped
     * @return the counts, also written to {@code report.json}
     * @throws IllegalStateException when another run holds the directory or it was made with
     *     other settings
     * @throws UncheckedIOException when a file cannot be read or written
     */
    public SynthReport run(Iterable<? extends Article> articles) {
        return run(articles.iterator(), articles instanceof Collection<?> c ? c : null, -1);
    }

    /**
     * Runs (or resumes) the pipeline over a stream of articles, read lazily so the input need not
     * fit in memory (the progress bar then shows no ETA).
     *
     * @param articles the articles
     * @return the counts, also written to {@code report.json}
     */
    public SynthReport run(Stream<? extends Article> articles) {
        return run(articles, -1);
    }

    /**
     * Runs (or resumes) the pipeline over a stream of articles whose number is known (counted by a
     * cheap first pass over a file, say), so the progress bar can show an ETA without the articles
     * being held in memory.
     *
     * @param articles the articles
     * @param articleCount how many articles the stream holds, or -1 when unknown
     * @return the counts, also written to {@code report.json}
     */
    public SynthReport run(Stream<? extends Article> articles, long articleCount) {
        try (Stream<? extends Article> s = articles) {
            return run(s.iterator(), null, articleCount);
        }
    }

    @SuppressWarnings("try") // the lock is held for the try block's duration, not referenced in it
    private SynthReport run(Iterator<? extends Article> input, Collection<?> known, long articleCount) {
        try {
            Files.createDirectories(files.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + files.dir() + ": " + e.getMessage(), e);
        }
        try (DirectoryLock lock = DirectoryLock.acquire(files.lock(), "synth run")) {
            RunManifest.checkOrWrite(files.manifest(), RunManifest.of(config, judge.name(), base.name()));
            ResumeState state = ResumeState.load(files);
            CandidateWriter candidates = new CandidateWriter(base, config);
            Map<String, ArticleOutcome> outcomes = new ConcurrentHashMap<>();
            InputCounts skipped = new InputCounts();
            long total = known != null ? estimate(known, state)
                    : articleCount < 0 ? -1
                    : Math.max(0, articleCount * (1 + 2L * config.numCandidates()) - state.recordedRequests());
            SynthProgress progress = new SynthProgress(progressOut, total);
            try (progress) {
                process(input, state, candidates, outcomes, skipped, progress);
            }
            PairRows.Written rows = new PairRows(config, candidates).write(new TreeMap<>(outcomes).values(), files);
            SynthReport report = report(outcomes.values(), skipped, rows, progress);
            AtomicFiles.write(files.report(), MAPPER.writeValueAsBytes(report.toJson()));
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + files.report() + ": " + e.getMessage(), e);
        }
    }

    /** Feeds the articles to a runner, a bounded number in flight, and waits for all of them. */
    private void process(Iterator<? extends Article> input, ResumeState state, CandidateWriter candidates,
            Map<String, ArticleOutcome> outcomes, InputCounts skipped, SynthProgress progress) {
        int judgeSlots = config.judgeConcurrency() > 0 ? config.judgeConcurrency() : Math.max(1, judge.maxConcurrency());
        int writerSlots = config.writerConcurrency() > 0 ? config.writerConcurrency() : Math.max(1, base.maxConcurrency());
        int inFlight = Math.max(4, 2 * (judgeSlots + writerSlots));
        Semaphore slots = new Semaphore(inFlight);
        Set<String> seen = new HashSet<>();
        try (SynthRunner runner = new SynthRunner(config, state, new QuestionWriter(judge, config), candidates,
                new QaJudge(judge, config), SynthJournals.open(files), progress, judgeSlots, writerSlots)) {
            try {
                while (runner.failure() == null && input.hasNext()) {
                    Article article = input.next();
                    if (!seen.add(article.id())) {
                        skipped.duplicates++;
                        continue;
                    }
                    ArticleOutcome done = state.finished(article.id());
                    if (done != null && !(config.retryRejects() && done.hasRejects())) {
                        outcomes.put(article.id(), done);
                        skipped.resumed++;
                        progress.reused(requestsOf(done));
                        continue;
                    }
                    if (!acquire(slots, 1, runner)) {
                        break;
                    }
                    runner.process(article).whenComplete((outcome, error) -> {
                        if (outcome != null) {
                            outcomes.put(article.id(), outcome);
                        }
                        slots.release();
                    });
                }
                acquire(slots, inFlight, runner);
            } catch (RuntimeException | Error e) {
                runner.fail(e);
                throw e;
            }
            Throwable failure = runner.failure();
            if (failure != null) {
                throw rethrow(failure);
            }
        }
    }

    /** Waits for permits; false when the run failed meanwhile. */
    private static boolean acquire(Semaphore slots, int permits, SynthRunner runner) {
        try {
            while (!slots.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
                if (runner.failure() != null) {
                    return false;
                }
            }
            return runner.failure() == null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runner.fail(e);
            return false;
        }
    }

    private SynthReport report(Collection<ArticleOutcome> outcomes, InputCounts skipped, PairRows.Written rows,
            SynthProgress p) {
        long with = 0;
        long without = 0;
        long rejected = 0;
        long questions = 0;
        long summaries = 0;
        long judgements = 0;
        for (ArticleOutcome o : outcomes) {
            switch (o.status()) {
                case PAIRS -> with++;
                case NO_PAIRS -> without++;
                case REJECTED -> rejected++;
            }
            questions += o.questionsRejected() ? 1 : 0;
            summaries += o.summariesRejected();
            judgements += o.judgementsRejected();
        }
        return new SynthReport(outcomes.size(), with, without, rejected, skipped.duplicates, skipped.resumed, questions, summaries,
                judgements, rows.train(), rows.valid(), p.sent(), p.reused(), p.failed());
    }

    /** The requests an article finished earlier took: questions, K summaries, its judgements. */
    private long requestsOf(ArticleOutcome done) {
        return 1 + config.numCandidates() + done.judgements().size() + done.judgementsRejected();
    }

    /** An upper bound of the requests still to send for the given articles. */
    private long estimate(Collection<?> articles, ResumeState state) {
        long total = 0;
        Set<String> seen = new HashSet<>();
        for (Object item : articles) {
            String id = ((Article) item).id();
            ArticleOutcome done = state.finished(id);
            if (!seen.add(id) || (done != null && !(config.retryRejects() && done.hasRejects()))) {
                continue;
            }
            total += missing(state.questions(id), state.reject(SynthStage.QUESTIONS, id, -1));
            for (int k = 0; k < config.numCandidates(); k++) {
                total += missing(state.summary(id, k), state.reject(SynthStage.SUMMARY, id, k));
                total += missing(state.judgement(id, k), state.reject(SynthStage.JUDGEMENT, id, k));
            }
        }
        return total;
    }

    private int missing(Object answer, Reject reject) {
        return answer == null && (reject == null || config.retryRejects()) ? 1 : 0;
    }

    private static RuntimeException rethrow(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof Error e) {
            throw e;
        }
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return new IllegalStateException("the synth run failed: " + cause, cause);
    }

    /** Builds a {@link SynthPipeline}: the two models and the output directory are required. */
    public static final class Builder {
        private ChatModel judge;
        private ChatModel base;
        private Path outputDir;
        private SynthConfig config = SynthConfig.defaults();
        private PrintStream progressOut = System.err;

        private Builder() {
        }

        /** @param model the judge: writes questions and answers them @return this builder */
        public Builder setJudge(ChatModel model) {
            this.judge = model;
            return this;
        }

        /** @param model the base model whose summaries are compared @return this builder */
        public Builder setBaseModel(ChatModel model) {
            this.base = model;
            return this;
        }

        /** @param dir where journals and outputs go; created if absent @return this builder */
        public Builder setOutputDir(Path dir) {
            this.outputDir = dir;
            return this;
        }

        /** @param value the settings (default {@link SynthConfig#defaults()}) @return this builder */
        public Builder optConfig(SynthConfig value) {
            this.config = value;
            return this;
        }

        /** @param out where to draw the progress bar, or null for none (default System.err) @return this builder */
        public Builder optProgress(PrintStream out) {
            this.progressOut = out;
            return this;
        }

        /**
         * @return the pipeline
         * @throws NullPointerException naming a missing required setting
         */
        public SynthPipeline build() {
            Objects.requireNonNull(judge, "SynthPipeline: setJudge is required");
            Objects.requireNonNull(base, "SynthPipeline: setBaseModel is required");
            Objects.requireNonNull(outputDir, "SynthPipeline: setOutputDir is required");
            Objects.requireNonNull(config, "SynthPipeline: config must not be null");
            return new SynthPipeline(this);
        }
    }

    /** Input rows not processed by this run, counted by the one thread that reads the input. */
    private static final class InputCounts {
        /** Rows whose article id came earlier in the input. */
        long duplicates;
        /** Articles finished by an earlier run and taken from its journals. */
        long resumed;
    }
}
