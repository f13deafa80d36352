package dev.dpo4j.core.chat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a duration. The chat client waits through this interface (retry backoff,
 * {@code Retry-After}, rate caps) so that tests can replace real waiting with a recording one
 * and run in milliseconds.
 */
@FunctionalInterface
public interface Sleeper {

    /** Waits with {@link TimeUnit#sleep(long)}. */
    Sleeper SYSTEM = duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos());

    /**
     * Waits for the given duration.
     *
     * @param duration how long to wait; zero or negative returns at once
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;
}
