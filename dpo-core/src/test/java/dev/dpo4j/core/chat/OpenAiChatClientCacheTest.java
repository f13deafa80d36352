package dev.dpo4j.core.chat;

import static dev.dpo4j.core.chat.ChatTestSupport.client;
import static dev.dpo4j.core.chat.ChatTestSupport.json;
import static dev.dpo4j.core.chat.ChatTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.chat.ChatTestSupport.RecordingSleeper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rerun asks nothing twice: answers are cached on disk under the SHA-256 of the request body. */
class OpenAiChatClientCacheTest {

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

    private OpenAiChatClient cached() {
        return client(server, new RecordingSleeper()).optCache(dir).build();
    }

    private static ChatRequest request(long seed) {
        return ChatRequest.user("What is 2+2?").optTemperature(0.0).optSeed(seed).build();
    }

    @Test
    void identicalRequestIsServedFromTheCacheAndADifferentSeedIsNot() {
        server.enqueue(ok("four"));
        server.enqueue(ok("4"));

        try (OpenAiChatClient client = cached()) {
            ChatResponse first = client.chat(request(1));
            ChatResponse second = client.chat(request(1));
            ChatResponse otherSeed = client.chat(request(2));

            assertEquals(2, server.getRequestCount());
            assertFalse(first.fromCache());
            assertTrue(second.fromCache());
            assertEquals(first.choices(), second.choices());
            assertEquals(first.usage(), second.usage());
            assertEquals(first.model(), second.model());
            assertEquals("4", otherSeed.text());
            assertEquals(1, client.usage().cacheHits());
            assertEquals(2, client.usage().responses());
        }
    }

    @Test
    void cacheSurvivesANewClientOnTheSameDirectory() {
        server.enqueue(ok("four"));

        try (OpenAiChatClient first = cached()) {
            first.chat(request(1));
        }
        ChatResponse again;
        try (OpenAiChatClient second = cached()) {
            again = second.chat(request(1));
        }

        assertEquals(1, server.getRequestCount());
        assertTrue(again.fromCache());
        assertEquals("four", again.text());
    }

    @Test
    void cacheFileIsNamedBySha256OfTheBodySentAndACorruptOneIsRefetched() throws Exception {
        server.enqueue(ok("four"));
        server.enqueue(ok("four again"));

        try (OpenAiChatClient client = cached()) {
            client.chat(request(1));
            // The key is defined as SHA-256 of the exact bytes sent; compute it independently.
            byte[] sent = server.takeRequest().getBody().readByteArray();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sent));
            Path file = dir.resolve(hash.substring(0, 2)).resolve(hash + ".json");
            assertTrue(Files.isRegularFile(file), "expected cache file " + file);

            Files.writeString(file, "{\"choices\": [trunc", StandardCharsets.UTF_8);
            ChatResponse refetched = client.chat(request(1));

            assertFalse(refetched.fromCache());
            assertEquals("four again", refetched.text());
            assertEquals(2, server.getRequestCount());
            // The corrupt file was overwritten with the new answer.
            assertTrue(Files.readString(file).contains("four again"));
            assertEquals("four again", client.chat(request(1)).text());
            assertEquals(2, server.getRequestCount());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".tmp")).toList(), "temp files left");
        }
    }

    @Test
    void failuresAreNotCached() {
        server.enqueue(json(400, "{\"error\":{\"message\":\"bad\"}}"));
        server.enqueue(ok("fine"));

        try (OpenAiChatClient client = cached()) {
            assertThrows(ChatException.class, () -> client.chat(request(1)));
            assertEquals("fine", client.chat(request(1)).text());
        }
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void concurrentWritersOfOneKeyLeaveOneCompleteFile() throws Exception {
        ResponseCache cache = new ResponseCache(dir);
        String key = ResponseCache.key("request".getBytes(StandardCharsets.UTF_8));
        java.util.concurrent.atomic.AtomicInteger misses = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> writers = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String text = "answer " + t + " " + "x".repeat(20_000);
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 20; i++) {
                    cache.put(key, new ChatResponse("m", List.of(new ChatChoice(text, "stop")), TokenUsage.ZERO,
                            false));
                    if (cache.get(key).isEmpty()) {
                        misses.incrementAndGet();
                    }
                }
            });
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }

        assertEquals(0, misses.get(), "a reader must never see a partial file");
        ChatResponse stored = cache.get(key).orElseThrow();
        assertTrue(stored.fromCache());
        assertTrue(stored.text().startsWith("answer ") && stored.text().length() == "answer 0 ".length() + 20_000);
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(1, files.filter(Files::isRegularFile).count(), "only the cache file remains");
        }
    }
}
