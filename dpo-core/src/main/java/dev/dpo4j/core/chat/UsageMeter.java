package dev.dpo4j.core.chat;

import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe counters behind {@link ChatUsage}. The cost is computed from the token totals at
 * snapshot time, so it is exact for the client's fixed {@link ChatPricing}.
 */
final class UsageMeter {

    private final ChatPricing pricing;
    private final LongAdder requestsSent = new LongAdder();
    private final LongAdder responses = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();

    UsageMeter(ChatPricing pricing) {
        this.pricing = pricing;
    }

    /** Counts one HTTP request; {@code retry} when it repeats a failed one. */
    void requestSent(boolean retry) {
        requestsSent.increment();
        if (retry) {
            retries.increment();
        }
    }

    /** Counts one successful answer from a server and its tokens. */
    void response(TokenUsage usage) {
        responses.increment();
        promptTokens.add(usage.promptTokens());
        completionTokens.add(usage.completionTokens());
    }

    /** Counts one answer served from the cache. */
    void cacheHit() {
        cacheHits.increment();
    }

    /** Counts one call that failed for good. */
    void failure() {
        failures.increment();
    }

    /** An immutable copy of the counters. */
    ChatUsage snapshot() {
        long prompt = promptTokens.sum();
        long completion = completionTokens.sum();
        return new ChatUsage(requestsSent.sum(), responses.sum(), cacheHits.sum(), retries.sum(), failures.sum(),
                prompt, completion, pricing.cost(prompt, completion));
    }
}
