package dev.dpo4j.core.chat;

import dev.dpo4j.core.tokenizer.ChatMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Caps the requests and tokens sent per minute with a sliding 60-second window. Each request
 * takes a {@link Permit} holding its estimated tokens before it is sent and settles it with the
 * real count afterwards, so the window tracks what the server actually counted. A request that
 * would overflow the window waits (through the {@link Sleeper}) until the oldest entries leave
 * it; a single request larger than the token cap is let through alone in an empty window rather
 * than blocked for ever.
 */
final class ChatRateLimiter {

    private static final long WINDOW_MILLIS = 60_000;

    private final int requestsPerMinute;
    private final long tokensPerMinute;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Deque<Permit> window = new ArrayDeque<>();
    private long tokensInWindow;

    /**
     * @param requestsPerMinute the request cap, or 0 for none
     * @param tokensPerMinute the token cap, or 0 for none
     * @param clock the time source
     * @param sleeper how to wait
     */
    ChatRateLimiter(int requestsPerMinute, long tokensPerMinute, Clock clock, Sleeper sleeper) {
        this.requestsPerMinute = requestsPerMinute;
        this.tokensPerMinute = tokensPerMinute;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * The tokens a request is expected to consume before the server counts them: prompt
     * characters / 4 (about four characters per token in English BPE vocabularies) plus the
     * schema's, plus {@code max_tokens * n} (0 when {@code max_tokens} is unset).
     *
     * @param request the request
     * @return the estimate, at least 1
     */
    static long estimateTokens(ChatRequest request) {
        long chars = 0;
        for (ChatMessage message : request.messages()) {
            chars += message.content().length();
        }
        if (request.responseFormat() != null) {
            chars += request.responseFormat().schema().toString().length();
        }
        long completion = request.maxTokens() == null ? 0 : (long) request.maxTokens() * request.choiceCount();
        return Math.max(1, (chars + 3) / 4 + completion);
    }

    /** Whether any cap is set. */
    boolean enabled() {
        return requestsPerMinute > 0 || tokensPerMinute > 0;
    }

    /**
     * Waits until a request with the given token estimate fits in the window, then records it.
     *
     * @param estimatedTokens the tokens the request is expected to consume
     * @return the permit, to settle with the real count
     * @throws InterruptedException when interrupted while waiting
     */
    Permit acquire(long estimatedTokens) throws InterruptedException {
        while (true) {
            long waitMillis;
            synchronized (this) {
                long now = clock.millis();
                evict(now);
                waitMillis = waitMillis(now, estimatedTokens);
                if (waitMillis <= 0) {
                    Permit permit = new Permit(now, estimatedTokens);
                    window.addLast(permit);
                    tokensInWindow += estimatedTokens;
                    return permit;
                }
            }
            sleeper.sleep(Duration.ofMillis(waitMillis));
        }
    }

    /** How long until the request fits, 0 when it fits now. */
    private long waitMillis(long now, long estimatedTokens) {
        if (fits(estimatedTokens)) {
            return 0;
        }
        long wait = 1;
        if (requestsPerMinute > 0 && window.size() >= requestsPerMinute) {
            // The request fits once all but (cap - 1) of the current entries have left.
            Permit mustLeave = nth(window.size() - requestsPerMinute);
            wait = Math.max(wait, mustLeave.sentAt + WINDOW_MILLIS - now);
        }
        if (tokensPerMinute > 0 && tokensInWindow > 0 && tokensInWindow + estimatedTokens > tokensPerMinute) {
            long excess = tokensInWindow + estimatedTokens - tokensPerMinute;
            long freed = 0;
            long leaveAt = now;
            for (Permit permit : window) {
                freed += permit.tokens;
                leaveAt = permit.sentAt + WINDOW_MILLIS;
                if (freed >= excess) {
                    break;
                }
            }
            wait = Math.max(wait, leaveAt - now);
        }
        return wait;
    }

    private boolean fits(long estimatedTokens) {
        boolean requestsFit = requestsPerMinute <= 0 || window.size() < requestsPerMinute;
        boolean tokensFit = tokensPerMinute <= 0 || tokensInWindow == 0
                || tokensInWindow + estimatedTokens <= tokensPerMinute;
        return requestsFit && tokensFit;
    }

    private Permit nth(int index) {
        Iterator<Permit> it = window.iterator();
        Permit permit = it.next();
        for (int i = 0; i < index; i++) {
            permit = it.next();
        }
        return permit;
    }

    private void evict(long now) {
        while (!window.isEmpty() && window.peekFirst().sentAt + WINDOW_MILLIS <= now) {
            Permit left = window.removeFirst();
            left.inWindow = false;
            tokensInWindow -= left.tokens;
        }
    }

    /** One request's place in the window. */
    final class Permit {
        private final long sentAt;
        private long tokens;
        private boolean inWindow = true;

        private Permit(long sentAt, long tokens) {
            this.sentAt = sentAt;
            this.tokens = tokens;
        }

        /**
         * Replaces the estimate with the tokens the request really consumed.
         *
         * @param actualTokens the real count (0 when the server refused the request)
         */
        void settle(long actualTokens) {
            synchronized (ChatRateLimiter.this) {
                if (inWindow) {
                    tokensInWindow += actualTokens - tokens;
                }
                tokens = actualTokens;
            }
        }
    }
}
