package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.chat.ChatException;
import dev.dpo4j.core.io.JsonlJournal;
import dev.dpo4j.core.util.FatalStop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the requests of articles for one pipeline run. Per article the question set and the K
 * summaries are asked at once, then each judgement as soon as its summary and the questions are
 * there; the judge's and the base model's requests run on two fixed thread pools whose sizes are
 * the concurrency limits. Every answer is journaled as it arrives, every failure goes to
 * {@code rejects.jsonl}, and an answer or rejection already in the journals is reused, never asked
 * again.
 *
 * <p>Anything other than a failed request (an {@link Error}, a journal that cannot be written) is
 * fatal: the first one closes every journal at once, so nothing more is recorded, as after a
 * kill, and stops the pools; {@link #failure()} then returns it.
 */
final class SynthRunner implements AutoCloseable {

    private final SynthConfig config;
    private final ResumeState state;
    private final QuestionWriter questionWriter;
    private final CandidateWriter candidateWriter;
    private final QaJudge qaJudge;
    private final SynthJournals journals;
    private final SynthProgress progress;
    private final ExecutorService judgePool;
    private final ExecutorService writerPool;
    private final FatalStop fatal;

    SynthRunner(SynthConfig config, ResumeState state, QuestionWriter questionWriter, CandidateWriter candidateWriter,
            QaJudge qaJudge, SynthJournals journals, SynthProgress progress, int judgeConcurrency,
            int writerConcurrency) {
        this.config = config;
        this.state = state;
        this.questionWriter = questionWriter;
        this.candidateWriter = candidateWriter;
        this.qaJudge = qaJudge;
        this.journals = journals;
        this.progress = progress;
        this.judgePool = Executors.newFixedThreadPool(judgeConcurrency, daemonThreads("synth-judge-"));
        this.writerPool = Executors.newFixedThreadPool(writerConcurrency, daemonThreads("synth-writer-"));
        this.fatal = new FatalStop(journals::close, judgePool::shutdownNow, writerPool::shutdownNow);
    }

    /**
     * Starts an article's requests.
     *
     * @param article the article, not finished in an earlier run
     * @return its outcome, journaled in {@code articles.jsonl} before the future completes
     */
    CompletableFuture<ArticleOutcome> process(Article article) {
        String id = article.id();
        CompletableFuture<StageResult<QuestionSet>> questions = ask(SynthStage.QUESTIONS, id, -1,
                state.questions(id), () -> questionWriter.write(article), QuestionSet::toJson,
                journals.questions(), judgePool);
        List<CompletableFuture<StageResult<Summary>>> summaries = new ArrayList<>();
        List<CompletableFuture<StageResult<Judgement>>> judgements = new ArrayList<>();
        for (int k = 0; k < config.numCandidates(); k++) {
            int index = k;
            CompletableFuture<StageResult<Summary>> summary = ask(SynthStage.SUMMARY, id, k, state.summary(id, k),
                    () -> candidateWriter.write(article, index), Summary::toJson, journals.summaries(), writerPool);
            summaries.add(summary);
            judgements.add(summary.thenCombine(questions, Asked::new).thenCompose(both -> both.ready()
                    ? ask(SynthStage.JUDGEMENT, id, index, state.judgement(id, index),
                            () -> qaJudge.judge(both.summary().value(), both.questions().value()),
                            Judgement::toJson, journals.judgements(), judgePool)
                    : CompletableFuture.completedFuture(StageResult.<Judgement>skipped())));
        }
        List<CompletableFuture<?>> all = new ArrayList<>(summaries);
        all.addAll(judgements);
        all.add(questions);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(done -> fatal.guard(() -> finish(article, questions.join(),
                        summaries.stream().map(CompletableFuture::join).toList(),
                        judgements.stream().map(CompletableFuture::join).toList())));
    }

    /** A summary and the question set, both settled. */
    private record Asked(StageResult<Summary> summary, StageResult<QuestionSet> questions) {
        boolean ready() {
            return summary.ok() && questions.ok();
        }
    }

    /** Settles an article: status, pairs, and its line in {@code articles.jsonl}. */
    private ArticleOutcome finish(Article article, StageResult<QuestionSet> questions,
            List<StageResult<Summary>> summaries, List<StageResult<Judgement>> judgements) {
        List<Summary> written = summaries.stream().filter(StageResult::ok).map(StageResult::value).toList();
        List<Judgement> judged = judgements.stream().filter(StageResult::ok).map(StageResult::value).toList();
        int summariesRejected = (int) summaries.stream().filter(StageResult::rejected).count();
        int judgementsRejected = (int) judgements.stream().filter(StageResult::rejected).count();
        ArticleOutcome.Status status;
        String reason = null;
        List<SummaryPair> pairs = List.of();
        if (questions.rejected()) {
            status = ArticleOutcome.Status.REJECTED;
            reason = "question set rejected: " + questions.reject().reason();
        } else if (judged.isEmpty()) {
            status = ArticleOutcome.Status.REJECTED;
            reason = "no summary could be judged (" + summariesRejected + " summary and " + judgementsRejected
                    + " judgement requests rejected)";
        } else {
            List<ScoredSummary> scored = judged.stream().map(j -> new ScoredSummary(j.index(),
                    written.stream().filter(s -> s.index() == j.index()).findFirst().orElseThrow().text(),
                    j.score())).toList();
            pairs = config.policy().select(article.id(), scored, config.threshold(), config.seed());
            status = pairs.isEmpty() ? ArticleOutcome.Status.NO_PAIRS : ArticleOutcome.Status.PAIRS;
        }
        ArticleOutcome outcome = new ArticleOutcome(article, status, reason, questions.value(), written, judged, pairs,
                questions.rejected(), summariesRejected, judgementsRejected);
        journals.articles().append(outcome.toJson());
        return outcome;
    }

    /** Reuses a journaled answer or rejection, or sends the request on the pool. */
    private <T> CompletableFuture<StageResult<T>> ask(SynthStage stage, String id, int k, T journaled,
            Supplier<T> call, Function<T, ObjectNode> json, JsonlJournal journal, ExecutorService pool) {
        if (journaled != null) {
            progress.reused(1);
            return CompletableFuture.completedFuture(new StageResult<>(journaled, null));
        }
        Reject earlier = state.reject(stage, id, k);
        if (earlier != null && !config.retryRejects()) {
            progress.reused(1);
            return CompletableFuture.completedFuture(new StageResult<>(null, earlier));
        }
        Throwable stopped = fatal.cause();
        if (stopped != null) {
            return CompletableFuture.failedFuture(stopped);
        }
        try {
            return CompletableFuture.supplyAsync(() -> fatal.guard(() -> send(stage, id, k, call, json, journal)), pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(fatal.stopped() ? fatal.cause() : e);
        }
    }

    /** Sends one request and journals its answer, or its rejection. */
    private <T> StageResult<T> send(SynthStage stage, String id, int k, Supplier<T> call,
            Function<T, ObjectNode> json, JsonlJournal journal) {
        if (fatal.stopped()) {
            throw new CancellationException("the run has stopped");
        }
        T value = null;
        Reject reject = null;
        try {
            value = call.get();
        } catch (ChatException e) {
            reject = new Reject(stage, id, k, e.kind().name(), e.getMessage(), e.attempts());
        } catch (RuntimeException e) {
            reject = new Reject(stage, id, k, e.getClass().getSimpleName(), String.valueOf(e.getMessage()), 1);
        }
        if (reject == null) {
            journal.append(json.apply(value));
            progress.sent(false);
            return new StageResult<>(value, null);
        }
        journals.rejects().append(reject.toJson());
        progress.sent(true);
        return new StageResult<>(null, reject);
    }

    /**
     * Stops the run: the first cause wins; journals are closed at once and the pools stopped.
     *
     * @param cause why
     */
    void fail(Throwable cause) {
        fatal.stop(cause);
    }

    /** @return the fatal failure, or null while the run is healthy */
    Throwable failure() {
        return fatal.cause();
    }

    /** Stops the pools, waiting up to 30 s for requests in flight; closes the journals. */
    @Override
    public void close() {
        judgePool.shutdownNow();
        writerPool.shutdownNow();
        try {
            judgePool.awaitTermination(30, TimeUnit.SECONDS);
            writerPool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journals.close();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
