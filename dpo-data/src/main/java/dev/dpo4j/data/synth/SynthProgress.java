package dev.dpo4j.data.synth;

import dev.dpo4j.core.util.ProgressBar;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a run's requests and shows them on a {@link ProgressBar} (requests/s, ETA) with the
 * failures and the answers reused from the journals. Thread-safe.
 */
final class SynthProgress implements AutoCloseable {

    private final ProgressBar bar;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong reused = new AtomicLong();

    /**
     * @param out where to draw the bar, or null for none
     * @param total the requests expected, or -1 when unknown
     */
    SynthProgress(PrintStream out, long total) {
        this.bar = out == null ? null : new ProgressBar("synth", total, "req", out);
    }

    /**
     * Records a request sent this run.
     *
     * @param failure whether it ended in a rejection
     */
    void sent(boolean failure) {
        sent.incrementAndGet();
        if (failure) {
            failed.incrementAndGet();
        }
        if (bar != null) {
            bar.setExtra(extra());
            bar.step(1);
        }
    }

    /**
     * Records requests whose answers came from the journals.
     *
     * @param n how many
     */
    void reused(long n) {
        reused.addAndGet(n);
    }

    /** @return requests sent this run */
    long sent() {
        return sent.get();
    }

    /** @return requests sent this run that were rejected */
    long failed() {
        return failed.get();
    }

    /** @return requests answered from the journals */
    long reused() {
        return reused.get();
    }

    private String extra() {
        return "failed=" + failed.get() + " reused=" + reused.get();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.setExtra(extra());
            bar.close();
        }
    }
}
