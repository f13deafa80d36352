package dev.dpo4j.core.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dpo4j.core.chat.ChatTestSupport.FakeClock;
import dev.dpo4j.core.chat.ChatTestSupport.RecordingSleeper;
import dev.dpo4j.core.tokenizer.ChatMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sliding one-minute window of requests and tokens. */
class ChatRateLimiterTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);

    @Test
    void requestCapWaitsForTheOldestRequestToLeaveTheWindow() throws Exception {
        ChatRateLimiter limiter = new ChatRateLimiter(2, 0, clock, sleeper);
        limiter.acquire(1); // t = 0
        clock.advance(Duration.ofSeconds(10));
        limiter.acquire(1); // t = 10 s
        clock.advance(Duration.ofSeconds(5));
        limiter.acquire(1); // t = 15 s: waits until the t = 0 entry leaves at 60 s, i.e. 45 s
        limiter.acquire(1); // t = 60 s: waits until the t = 10 s entry leaves at 70 s, i.e. 10 s

        assertEquals(List.of(Duration.ofSeconds(45), Duration.ofSeconds(10)), sleeper.sleeps());
    }

    @Test
    void settledTokensReplaceTheEstimate() throws Exception {
        ChatRateLimiter limiter = new ChatRateLimiter(0, 100, clock, sleeper);
        limiter.acquire(60).settle(10); // the server counted 10, not 60
        limiter.acquire(60).settle(60); // window: 10 + 60 = 70
        clock.advance(Duration.ofSeconds(1));
        limiter.acquire(30); // 70 + 30 = 100 fits
        limiter.acquire(5); // 105 > 100: the first two entries (10, then 60) must leave, at t = 60 s

        assertEquals(List.of(Duration.ofSeconds(59)), sleeper.sleeps());
    }

    @Test
    void aRequestLargerThanTheTokenCapGoesAloneInAnEmptyWindow() throws Exception {
        ChatRateLimiter limiter = new ChatRateLimiter(0, 100, clock, sleeper);
        limiter.acquire(500);
        limiter.acquire(1); // must wait for the big one to leave

        assertEquals(List.of(Duration.ofSeconds(60)), sleeper.sleeps());
    }

    @Test
    void estimateIsPromptCharactersOverFourPlusMaxTokensTimesN() {
        ChatRequest request = ChatRequest.builder(List.of(ChatMessage.system("x".repeat(30)),
                ChatMessage.user("y".repeat(10)))).optMaxTokens(50).optN(3).build();
        // ceil(40 / 4) + 50 * 3 = 10 + 150
        assertEquals(160, ChatRateLimiter.estimateTokens(request));
        assertEquals(1, ChatRateLimiter.estimateTokens(ChatRequest.user("").build()));
    }
}
