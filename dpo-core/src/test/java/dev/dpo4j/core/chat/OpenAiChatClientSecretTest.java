package dev.dpo4j.core.chat;

import static dev.dpo4j.core.chat.ChatTestSupport.client;
import static dev.dpo4j.core.chat.ChatTestSupport.json;
import static dev.dpo4j.core.chat.ChatTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.chat.ChatTestSupport.RecordingSleeper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API key goes in the Authorization header and nowhere else: not in messages, logs, toString or files. */
class OpenAiChatClientSecretTest {

    private static final String KEY = "sk-test-SECRET123";

    @TempDir
    Path dir;

    private MockWebServer server;
    private final List<RecordedRequest> seen = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = ChatTestSupport.server();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    /** Every answer echoes the Authorization header back, as a careless proxy might. */
    private void echoing(java.util.function.Function<String, MockResponse> answer) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                synchronized (seen) {
                    seen.add(request);
                }
                return answer.apply(String.valueOf(request.getHeader("Authorization")));
            }
        });
    }

    @Test
    void keyNeverLeavesTheAuthorizationHeader() throws Exception {
        List<Throwable> errors = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (OpenAiChatClient client = client(server, new RecordingSleeper()).optApiKey(KEY).optCache(dir)
                .optRetry(ChatRetryPolicy.DEFAULT.withMaxAttempts(2))
                .optTimeouts(Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(2)).build()) {
            texts.add(client.toString());
            echoing(auth -> json(500, "{\"error\":{\"message\":\"internal; you sent " + auth + "\"}}"));
            errors.add(assertThrows(ChatException.class, () -> client.chat(ChatRequest.user("a").build())));
            echoing(auth -> json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + auth + "\"}}"));
            errors.add(assertThrows(ChatException.class, () -> client.chat(ChatRequest.user("b").build())));
            echoing(auth -> new MockResponse().setBody("<html>proxy says " + auth + "</html>"));
            errors.add(assertThrows(ChatException.class, () -> client.chat(ChatRequest.user("c").build())));
            echoing(auth -> json(200, "{\"choices\":[{\"index\":0,\"message\":{\"content\":null,\"refusal\":\""
                    + auth + "\"}}]}"));
            errors.add(assertThrows(ChatException.class, () -> client.chat(ChatRequest.user("d").build())));
            echoing(auth -> new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
            errors.add(assertThrows(ChatException.class, () -> client.chat(ChatRequest.user("e").build())));
            // A successful answer quoting the key is the model's text, cached as is: the client never
            // writes the key itself, so this test's answer does not echo it.
            echoing(auth -> ok("fine"));
            client.chat(ChatRequest.user("f").build());
            texts.add(client.usage().summary());
            texts.add(client.toString());
        } finally {
            System.setErr(originalErr);
        }

        assertTrue(seen.stream().allMatch(r -> ("Bearer " + KEY).equals(r.getHeader("Authorization"))),
                "the key must have been sent with every request, or this test proves nothing");
        for (Throwable error : errors) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t).contains(KEY), "key in exception: " + t);
            }
        }
        assertTrue(errors.get(0).getMessage().contains("you sent Bearer ***"), errors.get(0).getMessage());
        for (String text : texts) {
            assertFalse(text.contains(KEY), "key in " + text);
        }
        assertTrue(texts.get(0).contains("apiKey=set"), texts.get(0));
        String logged = captured.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("retry 2/2"), "retry warnings should have been captured: " + logged);
        assertFalse(logged.contains(KEY), "key in log output");
        int cacheFiles = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                cacheFiles++;
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertFalse(content.contains(KEY), "key in " + file);
            }
        }
        assertTrue(cacheFiles == 1, "exactly the one successful answer is cached, got " + cacheFiles);
    }
}
