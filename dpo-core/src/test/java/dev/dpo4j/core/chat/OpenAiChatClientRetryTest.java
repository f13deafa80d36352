package dev.dpo4j.core.chat;

import static dev.dpo4j.core.chat.ChatTestSupport.client;
import static dev.dpo4j.core.chat.ChatTestSupport.json;
import static dev.dpo4j.core.chat.ChatTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.chat.ChatTestSupport.FakeClock;
import dev.dpo4j.core.chat.ChatTestSupport.RecordingSleeper;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transient failures are retried with backoff or the server's Retry-After; others fail at once. */
class OpenAiChatClientRetryTest {

    private MockWebServer server;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void start() throws Exception {
        server = ChatTestSupport.server();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private ChatResponse ask(OpenAiChatClient client) {
        try (client) {
            return client.chat(ChatRequest.user("hi").build());
        }
    }

    @Test
    void status429WithRetryAfterSecondsWaitsThatLong() {
        server.enqueue(json(429, "{\"error\":{\"message\":\"Rate limit reached\"}}").setHeader("Retry-After", "2"));
        server.enqueue(ok("done"));

        ChatResponse response = ask(client(server, sleeper).build());

        assertEquals("done", response.text());
        assertEquals(2, server.getRequestCount());
        assertEquals(List.of(Duration.ofSeconds(2)), sleeper.sleeps());
    }

    @Test
    void retryAfterMillisAndHttpDateAreHonouredAndCapped() {
        FakeClock clock = new FakeClock(Instant.parse("2024-05-01T12:00:00Z"));
        String in30s = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.parse("2024-05-01T12:00:30Z").atZone(ZoneOffset.UTC));
        server.enqueue(json(503, "{}").setHeader("retry-after-ms", "1500").setHeader("Retry-After", "9"));
        server.enqueue(json(429, "{}").setHeader("Retry-After", in30s));
        server.enqueue(json(429, "{}").setHeader("Retry-After", "600"));
        server.enqueue(ok("done"));

        ask(client(server, sleeper).optClock(clock).build());

        // retry-after-ms wins over Retry-After; the date is 30 s after the (fixed) clock; 600 s is
        // cut to the default maxRetryAfter of 120 s.
        assertEquals(List.of(Duration.ofMillis(1500), Duration.ofSeconds(30), Duration.ofSeconds(120)),
                sleeper.sleeps());
    }

    @Test
    void status500And503ThenSuccessBackOffExponentiallyWithJitter() {
        server.enqueue(json(500, "{\"error\":\"boom\"}"));
        server.enqueue(json(503, "overloaded"));
        server.enqueue(ok("done"));

        ChatResponse response = ask(client(server, sleeper).build());

        assertEquals("done", response.text());
        assertEquals(3, server.getRequestCount());
        // Full jitter with the random source fixed at 0.5: 0.5 * 500 ms * 2^(k-1) for failure k = 1, 2.
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), sleeper.sleeps());
    }

    @Test
    void statuses408And409AreRetried() {
        server.enqueue(json(408, "{}"));
        server.enqueue(json(409, "{}"));
        server.enqueue(ok("done"));

        assertEquals("done", ask(client(server, sleeper).build()).text());
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void slowBodyBeyondTheReadTimeoutIsRetried() {
        server.enqueue(ok("too late").setBodyDelay(700, TimeUnit.MILLISECONDS));
        server.enqueue(ok("done"));

        ChatResponse response = ask(client(server, sleeper)
                .optTimeouts(Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(5)).build());

        assertEquals("done", response.text());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void noResponseTimesOutAndIsRetried() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        server.enqueue(ok("done"));

        ChatResponse response = ask(client(server, sleeper)
                .optTimeouts(Duration.ofMillis(500), Duration.ofMillis(250), Duration.ofSeconds(5)).build());

        assertEquals("done", response.text());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void truncatedBodyIsRetried() {
        server.enqueue(ok("x".repeat(4000)).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        server.enqueue(ok("done"));

        assertEquals("done", ask(client(server, sleeper).build()).text());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void truncatedBodyEveryTimeFailsAsMalformed() {
        for (int i = 0; i < 2; i++) {
            server.enqueue(ok("x".repeat(4000)).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        }
        OpenAiChatClient client = client(server, sleeper).optRetry(ChatRetryPolicy.DEFAULT.withMaxAttempts(2)).build();

        ChatException e = assertThrows(ChatException.class, () -> ask(client));

        assertEquals(ChatException.Kind.MALFORMED_RESPONSE, e.kind());
        assertEquals(2, e.attempts());
        assertTrue(e.getMessage().contains("cut off"), e.getMessage());
    }

    @Test
    void disconnectAtStartIsRetried() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(ok("done"));

        assertEquals("done", ask(client(server, sleeper).build()).text());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void nonJsonBodyIsRetriedThenSucceeds() {
        server.enqueue(new MockResponse().setBody("<html>502 Bad Gateway</html>"));
        server.enqueue(json(200, "{\"object\":\"chat.completion\"}"));
        server.enqueue(ok("done"));

        assertEquals("done", ask(client(server, sleeper).build()).text());
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void nonJsonBodyEveryTimeFailsAsMalformedAfterMaxAttempts() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setBody("<html>proxy error</html>"));
        }
        OpenAiChatClient client = client(server, sleeper).optRetry(ChatRetryPolicy.DEFAULT.withMaxAttempts(3)).build();

        ChatException e = assertThrows(ChatException.class, () -> ask(client));

        assertEquals(ChatException.Kind.MALFORMED_RESPONSE, e.kind());
        assertEquals(3, e.attempts());
        assertEquals(3, server.getRequestCount());
        assertTrue(e.getMessage().contains("after 3 attempts") && e.getMessage().contains("proxy error"),
                e.getMessage());
    }

    @Test
    void retriesAreBoundedByMaxAttempts() {
        for (int i = 0; i < 10; i++) {
            server.enqueue(json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        }
        OpenAiChatClient client = client(server, sleeper).build();

        ChatException e = assertThrows(ChatException.class, () -> ask(client));

        int max = ChatRetryPolicy.DEFAULT.maxAttempts();
        assertEquals(max, server.getRequestCount());
        assertEquals(max, e.attempts());
        assertEquals(ChatException.Kind.HTTP_STATUS, e.kind());
        assertEquals(503, e.status());
        assertEquals(max - 1, sleeper.sleeps().size(), "no wait after the last attempt");
        String host = server.getHostName() + ":" + server.getPort() + "/v1/chat/completions";
        assertTrue(e.getMessage().contains(host) && e.getMessage().contains("HTTP 503")
                && e.getMessage().contains("overloaded"), e.getMessage());
        assertEquals(max, client.usage().requestsSent());
        assertEquals(max - 1, client.usage().retries());
        assertEquals(1, client.usage().failures());
    }

    @Test
    void status400FailsAtOnceWithAShortServerMessage() {
        String longMessage = "Invalid value for 'temperature': " + "x".repeat(1000);
        server.enqueue(json(400, "{\"error\":{\"message\":\"" + longMessage + "\",\"type\":\"invalid_request\"}}"));

        ChatException e = assertThrows(ChatException.class, () -> ask(client(server, sleeper).build()));

        assertEquals(1, server.getRequestCount());
        assertEquals(1, e.attempts());
        assertEquals(400, e.status());
        assertEquals(ChatException.Kind.HTTP_STATUS, e.kind());
        assertTrue(e.getMessage().contains("HTTP 400: Invalid value for 'temperature'"), e.getMessage());
        assertTrue(e.getMessage().length() < 400, "server message clipped: " + e.getMessage().length());
        assertTrue(sleeper.sleeps().isEmpty());
    }

    @Test
    void refusalWithNullContentIsUnparseableAndNotRetried() {
        server.enqueue(json(200, "{\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":null,\"refusal\":\"I cannot help with that.\"},\"finish_reason\":\"stop\"}]}"));

        ChatException e = assertThrows(ChatException.class, () -> ask(client(server, sleeper).build()));

        assertEquals(ChatException.Kind.UNPARSEABLE_OUTPUT, e.kind());
        assertEquals(1, server.getRequestCount());
        assertTrue(e.getMessage().contains("I cannot help with that."), e.getMessage());
    }

    @Test
    void unreachableServerFailsAsConnectionAfterRetries() throws Exception {
        String deadBase = ChatTestSupport.base(server);
        server.shutdown();
        OpenAiChatClient client = OpenAiChatClient.builder().setBaseUrl(deadBase).setModel("m")
                .optEnv(java.util.Map.of()).optSleeper(sleeper).optRetry(ChatRetryPolicy.DEFAULT.withMaxAttempts(2))
                .build();

        ChatException e = assertThrows(ChatException.class, () -> ask(client));

        assertEquals(ChatException.Kind.CONNECTION, e.kind());
        assertEquals(2, e.attempts());
        assertFalse(e.getMessage().isBlank());
    }
}
