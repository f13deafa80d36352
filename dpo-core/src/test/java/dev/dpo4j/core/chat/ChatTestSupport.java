package dev.dpo4j.core.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/** Shared pieces of the chat client tests: canned answers, a fake clock and a recording sleeper. */
final class ChatTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    private ChatTestSupport() {
    }

    /**
     * A 200 chat-completion answer with one choice per content, in the OpenAI shape.
     *
     * @param model the model the server names
     * @param promptTokens {@code usage.prompt_tokens}
     * @param completionTokens {@code usage.completion_tokens}
     * @param contents the choices' texts, index 0 first
     */
    static MockResponse completion(String model, long promptTokens, long completionTokens, String... contents) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-test").put("object", "chat.completion").put("model", model);
        ArrayNode choices = root.putArray("choices");
        for (int i = 0; i < contents.length; i++) {
            ObjectNode choice = choices.addObject();
            choice.put("index", i);
            choice.putObject("message").put("role", "assistant").put("content", contents[i]);
            choice.put("finish_reason", "stop");
        }
        root.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return json(200, root.toString());
    }

    /** A 200 answer with a single choice and small usage. */
    static MockResponse ok(String content) {
        return completion("served-model", 3, 2, content);
    }

    /**
     * A response with a JSON content type. It closes the connection: MockWebServer flushes the
     * headers and the body separately, and on a reused loopback connection Nagle's algorithm
     * with delayed ACKs adds about 40 ms to every request.
     */
    static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setHeader("Connection", "close")
                .setBody(body);
    }

    /** The JSON body of a recorded request. */
    static JsonNode body(RecordedRequest request) throws IOException {
        return JSON.readTree(request.getBody().readUtf8());
    }

    /** A server on loopback. */
    static MockWebServer server() throws IOException {
        MockWebServer server = new MockWebServer();
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    /** The {@code /v1} base URL of a server. */
    static String base(MockWebServer server) {
        return server.url("/v1").toString();
    }

    /** A client builder for one server that never really sleeps and does not jitter (random 0.5). */
    static OpenAiChatClient.Builder client(MockWebServer server, RecordingSleeper sleeper) {
        return OpenAiChatClient.builder().setBaseUrls(List.of(base(server))).setModel("test-model")
                .optEnv(java.util.Map.of()).optSleeper(sleeper).random(() -> 0.5)
                .optTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    /** A clock that stands still until told to move. */
    static final class FakeClock extends Clock {
        private final AtomicLong millis;

        FakeClock(Instant start) {
            this.millis = new AtomicLong(start.toEpochMilli());
        }

        void advance(Duration duration) {
            millis.addAndGet(duration.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    /** Records every requested wait and moves a fake clock forward instead of sleeping. */
    static final class RecordingSleeper implements Sleeper {
        private final List<Duration> sleeps = new ArrayList<>();
        private final FakeClock clock;

        RecordingSleeper() {
            this(null);
        }

        RecordingSleeper(FakeClock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized void sleep(Duration duration) {
            sleeps.add(duration);
            if (clock != null) {
                clock.advance(duration);
            }
        }

        synchronized List<Duration> sleeps() {
            return List.copyOf(sleeps);
        }
    }
}
