package dev.dpo4j.core.chat;

import static dev.dpo4j.core.chat.ChatTestSupport.json;
import static dev.dpo4j.core.chat.ChatTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dpo4j.core.chat.ChatTestSupport.RecordingSleeper;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several base URLs are used in rotation, and a retry moves to the next one. */
class OpenAiChatClientRotationTest {

    private MockWebServer a;
    private MockWebServer b;

    @BeforeEach
    void start() throws Exception {
        a = ChatTestSupport.server();
        b = ChatTestSupport.server();
    }

    @AfterEach
    void stop() throws Exception {
        a.shutdown();
        b.shutdown();
    }

    private OpenAiChatClient client() {
        return OpenAiChatClient.builder().setBaseUrls(List.of(ChatTestSupport.base(a), ChatTestSupport.base(b)))
                .setModel("m").optEnv(Map.of()).optSleeper(new RecordingSleeper()).build();
    }

    @Test
    void requestsAlternateBetweenBaseUrls() {
        for (int i = 0; i < 2; i++) {
            a.enqueue(ok("from a"));
            b.enqueue(ok("from b"));
        }

        List<String> answers;
        try (OpenAiChatClient client = client()) {
            answers = java.util.stream.IntStream.range(0, 4)
                    .mapToObj(i -> client.chat(ChatRequest.user("q" + i).build()).text()).toList();
        }

        assertEquals(List.of("from a", "from b", "from a", "from b"), answers);
        assertEquals(2, a.getRequestCount());
        assertEquals(2, b.getRequestCount());
    }

    @Test
    void retryAfter503GoesToTheOtherBaseUrl() {
        a.enqueue(ok("from a"));
        b.enqueue(json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        a.enqueue(ok("from a after b failed"));

        try (OpenAiChatClient client = client()) {
            assertEquals("from a", client.chat(ChatRequest.user("1").build()).text());
            // The second call starts at b, which answers 503; its retry goes to a.
            assertEquals("from a after b failed", client.chat(ChatRequest.user("2").build()).text());
            assertEquals(3, client.usage().requestsSent());
            assertEquals(1, client.usage().retries());
        }
        assertEquals(2, a.getRequestCount());
        assertEquals(1, b.getRequestCount());
    }
}
