package dev.dpo4j.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.io.JsonlJournal;
import dev.dpo4j.core.util.FatalStop;
import dev.dpo4j.core.util.ProgressBar;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one stage's missing requests on a bounded pool and journals each answer, or its failure,
 * as it arrives. A {@link RuntimeException} from a request (a {@link dev.dpo4j.core.chat.ChatException}
 * after the client's retries, or anything else the model threw) is that item's failure and the
 * stage goes on; an {@link Error}, or a journal that cannot be written, stops the stage at once:
 * the journal is closed so nothing more is recorded, the pool is stopped, and the cause is thrown
 * to the caller.
 *
 * @param <T> the answer's type
 */
final class StageRunner<T> {

    /** One request to send: the key it is journaled under and the call that answers it. */
    record Task<T>(String key, Supplier<T> call) {
    }

    private final String label;
    private final String keyField;
    private final Function<T, ObjectNode> json;
    private final PrintStream progressOut;
    private final String unit;

    /**
     * @param label the progress bar's label
     * @param unit the progress bar's unit ({@code req}, {@code item})
     * @param keyField the journal's key field
     * @param json the answer's journal fields
     * @param progressOut where to draw the bar, or null for none
     */
    StageRunner(String label, String unit, String keyField, Function<T, ObjectNode> json, PrintStream progressOut) {
        this.label = label;
        this.unit = unit;
        this.keyField = keyField;
        this.json = json;
        this.progressOut = progressOut;
    }

    /**
     * Sends the tasks, at most {@code threads} at once, appending one line per task to the journal.
     *
     * @param tasks the requests to send
     * @param journal where answers and failures go; closed on return
     * @param threads requests in flight, at least 1
     * @param reused answers taken from the journal, shown on the bar
     * @return the new entries by key
     * @throws Error or RuntimeException: the first fatal cause, after the pool stopped
     */
    Map<String, Journaled<T>> run(List<Task<T>> tasks, JsonlJournal journal, int threads, int reused) {
        Map<String, Journaled<T>> done = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        ProgressBar bar = progressOut == null || tasks.isEmpty() ? null
                : new ProgressBar(label, tasks.size(), unit, progressOut);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, Math.max(1, tasks.size()))),
                runnable -> {
                    Thread t = new Thread(runnable, "dpo4j-eval-" + label.replace(' ', '-'));
                    t.setDaemon(true);
                    return t;
                });
        FatalStop fatal = new FatalStop(journal::close, pool::shutdownNow);
        try (journal) {
            for (Task<T> task : tasks) {
                try {
                    pool.execute(() -> send(task, journal, done, fatal, failed, bar, reused));
                } catch (RejectedExecutionException e) {
                    break;
                }
            }
            pool.shutdown();
            awaitTermination(pool, fatal);
        } finally {
            pool.shutdownNow();
            if (bar != null) {
                bar.setExtra(extra(failed.get(), reused));
                bar.close();
            }
        }
        fatal.rethrow("the " + label + " stage");
        return done;
    }

    private void send(Task<T> task, JsonlJournal journal, Map<String, Journaled<T>> done,
            FatalStop fatal, AtomicInteger failed, ProgressBar bar, int reused) {
        if (fatal.stopped()) {
            return;
        }
        try {
            Journaled<T> entry;
            try {
                entry = new Journaled<>(task.key(), task.call().get(), null);
            } catch (RuntimeException e) {
                entry = new Journaled<>(task.key(), null, Failure.of(e));
            }
            if (fatal.stopped()) {
                return;
            }
            journal.append(entry.toJson(keyField, json));
            done.put(task.key(), entry);
            if (!entry.ok()) {
                failed.incrementAndGet();
            }
            if (bar != null) {
                bar.setExtra(extra(failed.get(), reused));
                bar.step(1);
            }
        } catch (Throwable t) {
            fatal.stop(t);
        }
    }

    /** Waits for the pool; after a fatal failure, at most 30 s more for requests that ignore interrupts. */
    private static void awaitTermination(ExecutorService pool, FatalStop fatal) {
        try {
            while (!pool.awaitTermination(100, TimeUnit.MILLISECONDS)) {
                if (fatal.stopped()) {
                    pool.shutdownNow();
                    pool.awaitTermination(30, TimeUnit.SECONDS);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fatal.stop(e);
            pool.shutdownNow();
        }
    }

    private static String extra(int failed, int reused) {
        return "failed=" + failed + " reused=" + reused;
    }
}
