package dev.dpo4j.core.chat;

import static dev.dpo4j.core.chat.ChatTestSupport.completion;
import static dev.dpo4j.core.chat.ChatTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dpo4j.core.chat.ChatTestSupport.RecordingSleeper;
import java.nio.file.Path;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests, retries, cache hits, failures, tokens and cost are counted. */
class ChatUsageTest {

    @TempDir
    Path dir;

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
    void countersAndCostAddUp() {
        server.enqueue(completion("m", 10, 5, "one"));
        server.enqueue(json(500, "{}"));
        server.enqueue(completion("m", 20, 7, "two"));
        server.enqueue(completion("m", 30, 11, "three"));
        server.enqueue(json(400, "{}"));
        ChatPricing pricing = new ChatPricing(2.0, 8.0);

        ChatUsage usage;
        try (OpenAiChatClient client = ChatTestSupport.client(server, new RecordingSleeper()).optPricing(pricing)
                .optCache(dir).build()) {
            client.chat(ChatRequest.user("1").build());
            client.chat(ChatRequest.user("2").build());
            client.chat(ChatRequest.user("3").build());
            client.chat(ChatRequest.user("1").build());
            assertThrows(ChatException.class, () -> client.chat(ChatRequest.user("4").build()));
            usage = client.usage();
        }

        // Five HTTP requests (one 500 retried), three answers from the server, one from the cache,
        // one 400 failure. Tokens: prompt 10 + 20 + 30 = 60, completion 5 + 7 + 11 = 23 (the cache
        // hit costs nothing). Cost: 60 * 2 / 1e6 + 23 * 8 / 1e6 = (120 + 184) / 1e6 = 0.000304 $.
        assertEquals(5, usage.requestsSent());
        assertEquals(3, usage.responses());
        assertEquals(1, usage.cacheHits());
        assertEquals(1, usage.retries());
        assertEquals(1, usage.failures());
        assertEquals(60, usage.promptTokens());
        assertEquals(23, usage.completionTokens());
        assertEquals(0.000304, usage.costUsd(), 1e-12);
        assertEquals(83, usage.totalTokens());
        assertEquals("4 answers (1 cached), 5 requests (1 retry), 1 failed, 60 prompt + 23 completion tokens, $0.0003",
                usage.summary());
    }

    @Test
    void pricingRejectsNegativePrices() {
        assertThrows(IllegalArgumentException.class, () -> new ChatPricing(-1, 0));
        assertEquals(1.5, new ChatPricing(1, 2).cost(new TokenUsage(500_000, 500_000)), 1e-12);
    }
}
