package dev.dpo4j.core.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request loop behind {@link OpenAiChatClient}: base-URL rotation, the concurrency bound,
 * the rate caps, retries with backoff, and usage counting. Each attempt holds one of the
 * semaphore's slots only while its request is in flight, not while it waits to retry.
 */
final class RetryingSender {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiChatClient.class);

    private final List<HttpUrl> endpoints;
    private final AtomicInteger rotation = new AtomicInteger();
    private final Semaphore slots;
    private final ChatRetryPolicy retry;
    private final ChatRateLimiter limiter;
    private final UsageMeter meter;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final ChatTransport transport;

    RetryingSender(List<HttpUrl> endpoints, int maxConcurrency, ChatRetryPolicy retry, ChatRateLimiter limiter,
            UsageMeter meter, Sleeper sleeper, DoubleSupplier random, ChatTransport transport) {
        this.endpoints = List.copyOf(endpoints);
        this.slots = new Semaphore(maxConcurrency, true);
        this.retry = retry;
        this.limiter = limiter;
        this.meter = meter;
        this.sleeper = sleeper;
        this.random = random;
        this.transport = transport;
    }

    /**
     * Sends a request, retrying transient failures.
     *
     * @param body the request JSON
     * @param model the resolved model name
     * @param estimatedTokens the token estimate for the rate cap
     * @return the answer
     * @throws ChatException when the call fails for good; {@link ChatException#attempts()} counts
     *     the requests made
     */
    ChatResponse send(byte[] body, String model, long estimatedTokens) {
        // Each call starts at the next base URL; each retry moves one further along.
        int first = Math.floorMod(rotation.getAndIncrement(), endpoints.size());
        for (int attempt = 1; ; attempt++) {
            HttpUrl url = endpoints.get((first + attempt - 1) % endpoints.size());
            AttemptFailedException failure;
            try {
                return attempt(url, body, model, estimatedTokens, attempt > 1);
            } catch (AttemptFailedException e) {
                failure = e;
            }
            boolean retryable = retry.isRetryable(failure.kind(), failure.status());
            if (!retryable || attempt >= retry.maxAttempts()) {
                meter.failure();
                throw failure.toChatException(attempt, retryable && attempt > 1);
            }
            Duration delay = retry.delay(attempt, failure.retryAfter(), random.getAsDouble());
            LOG.warn("{}; retry {}/{} in {} ms{}", failure.getMessage(), attempt + 1, retry.maxAttempts(),
                    delay.toMillis(), failure.retryAfter() == null ? "" : " (Retry-After)");
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                meter.failure();
                throw new ChatException(ChatException.Kind.REFUSED, failure.status(), attempt,
                        "interrupted while waiting to retry; last: " + failure.getMessage(), failure.getCause());
            }
        }
    }

    /** One request: a concurrency slot, a rate-cap permit, the HTTP exchange. */
    private ChatResponse attempt(HttpUrl url, byte[] body, String model, long estimatedTokens, boolean isRetry)
            throws AttemptFailedException {
        String where = ChatTransport.describe(url);
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AttemptFailedException(ChatException.Kind.REFUSED, 0, null,
                    "interrupted while waiting for a free slot to " + where, e);
        }
        try {
            ChatRateLimiter.Permit permit = null;
            if (limiter.enabled()) {
                try {
                    permit = limiter.acquire(estimatedTokens);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AttemptFailedException(ChatException.Kind.REFUSED, 0, null,
                            "interrupted while waiting for the rate cap to " + where, e);
                }
            }
            meter.requestSent(isRetry);
            try {
                ChatResponse response = transport.send(url, body, model);
                if (permit != null && response.usage().totalTokens() > 0) {
                    permit.settle(response.usage().totalTokens());
                }
                meter.response(response.usage());
                return response;
            } catch (AttemptFailedException e) {
                if (permit != null && e.kind() == ChatException.Kind.HTTP_STATUS) {
                    // The server refused the request, so it consumed no tokens.
                    permit.settle(0);
                }
                throw e;
            }
        } finally {
            slots.release();
        }
    }
}
