package dev.dpo4j.core.util;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The fatal-stop rule of dpo4j's journaled request runners ({@code data synth}'s and {@code evaluate}'s):
 * a failed request is that request's failure, but anything else (an {@link Error}, a journal that cannot
 * be written) stops the whole run at once. The first cause wins; stopping runs the given actions once
 * (close the journals, so nothing more is recorded, as after a kill; stop the pools), and every later
 * request sees {@link #stopped()} and does nothing.
 */
public final class FatalStop {

    private final AtomicReference<Throwable> cause = new AtomicReference<>();
    private final List<Runnable> onStop;

    /**
     * Creates the switch.
     *
     * @param onStop what stopping does, in order, once (closing journals, {@code shutdownNow} of pools)
     */
    public FatalStop(Runnable... onStop) {
        this.onStop = List.of(onStop);
    }

    /**
     * Stops the run unless it already stopped.
     *
     * @param why the cause
     * @return {@code true} if this call stopped it (its cause is the one reported)
     */
    public boolean stop(Throwable why) {
        if (!cause.compareAndSet(null, why)) {
            return false;
        }
        onStop.forEach(Runnable::run);
        return true;
    }

    /** @return whether the run stopped */
    public boolean stopped() {
        return cause.get() != null;
    }

    /** @return the first fatal cause, or null while the run is healthy */
    public Throwable cause() {
        return cause.get();
    }

    /**
     * Runs a step; any throwable stops the run before it propagates.
     *
     * @param step the step
     * @param <T> its result
     * @return the step's result
     */
    public <T> T guard(Supplier<T> step) {
        try {
            return step.get();
        } catch (Throwable t) {
            stop(t);
            throw unchecked(t);
        }
    }

    /**
     * Throws the fatal cause, if any, as it was thrown: an {@link Error} or {@link RuntimeException} as
     * itself, anything else wrapped.
     *
     * @param what names the run, for a wrapped cause's message
     */
    public void rethrow(String what) {
        Throwable t = cause.get();
        if (t == null) {
            return;
        }
        if (t instanceof Error || t instanceof RuntimeException) {
            throw unchecked(t);
        }
        throw new IllegalStateException(what + " failed: " + t, t);
    }

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new CompletionException(t);
    }
}
