package dev.dpo4j.core.chat;

import static dev.dpo4j.core.chat.ChatTestSupport.completion;
import static dev.dpo4j.core.chat.ChatTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.chat.ChatTestSupport.FakeClock;
import dev.dpo4j.core.chat.ChatTestSupport.RecordingSleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The concurrency bound and the requests- and tokens-per-minute caps hold. */
class OpenAiChatClientLimitsTest {

    private MockWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = ChatTestSupport.server();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    @Test
    void serverNeverSeesMoreThanMaxConcurrencyRequestsAtOnce() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                int now = inFlight.incrementAndGet();
                mostAtOnce.accumulateAndGet(now, Math::max);
                Thread.sleep(15);
                inFlight.decrementAndGet();
                return ok("fine");
            }
        });
        ExecutorService callers = Executors.newFixedThreadPool(32);
        try (OpenAiChatClient client = ChatTestSupport.client(server, new RecordingSleeper())
                .optMaxConcurrency(4).build()) {
            List<Future<ChatResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String question = "q" + i;
                answers.add(callers.submit(() -> client.chat(ChatRequest.user(question).build())));
            }
            for (Future<ChatResponse> answer : answers) {
                assertEquals("fine", answer.get().text());
            }
        } finally {
            callers.shutdownNow();
        }

        assertEquals(32, server.getRequestCount());
        assertTrue(mostAtOnce.get() <= 4, "server saw " + mostAtOnce.get() + " requests at once");
        assertTrue(mostAtOnce.get() >= 2, "the callers should have overlapped: " + mostAtOnce.get());
    }

    @Test
    void requestsPerMinuteCapMakesThe61stRequestWaitForTheWindow() {
        FakeClock clock = new FakeClock(Instant.parse("2024-05-01T12:00:00Z"));
        RecordingSleeper sleeper = new RecordingSleeper(clock);
        for (int i = 0; i < 61; i++) {
            server.enqueue(ok("a" + i));
        }

        try (OpenAiChatClient client = ChatTestSupport.client(server, sleeper).optClock(clock)
                .optRequestsPerMinute(60).build()) {
            for (int i = 0; i < 60; i++) {
                client.chat(ChatRequest.user("q" + i).build());
            }
            assertEquals(List.of(), sleeper.sleeps(), "60 requests fit in one minute");
            client.chat(ChatRequest.user("q60").build());
        }

        // The clock stood still, so all 60 requests were sent at t0; the 61st fits once the first
        // leaves the 60-second window, i.e. after exactly 60 s.
        assertEquals(List.of(Duration.ofSeconds(60)), sleeper.sleeps());
        assertEquals(61, server.getRequestCount());
    }

    @Test
    void tokensPerMinuteCapUsesTheRealUsageReported() {
        FakeClock clock = new FakeClock(Instant.parse("2024-05-01T12:00:00Z"));
        RecordingSleeper sleeper = new RecordingSleeper(clock);
        for (int i = 0; i < 3; i++) {
            server.enqueue(completion("m", 10, 40, "answer"));
        }
        // 40 prompt characters -> 10 tokens estimated, plus max_tokens 20 -> 30 tokens before sending.
        // The server reports 10 + 40 = 50 tokens per request. With a cap of 100: requests 1 and 2
        // fill the window to exactly 100; request 3 (estimate 30) must wait for request 1 to leave
        // (60 s). Had the estimates (30 each) been kept, request 3 would have fitted (90 <= 100).
        ChatRequest request = ChatRequest.user("x".repeat(40)).optMaxTokens(20).build();

        try (OpenAiChatClient client = ChatTestSupport.client(server, sleeper).optClock(clock)
                .optTokensPerMinute(100).build()) {
            client.chat(request.toBuilder().optSeed(1).build());
            client.chat(request.toBuilder().optSeed(2).build());
            assertEquals(List.of(), sleeper.sleeps());
            client.chat(request.toBuilder().optSeed(3).build());
        }

        assertEquals(List.of(Duration.ofSeconds(60)), sleeper.sleeps());
    }
}
