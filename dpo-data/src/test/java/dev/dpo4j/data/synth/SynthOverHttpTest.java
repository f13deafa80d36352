package dev.dpo4j.data.synth;

import static dev.dpo4j.data.synth.SynthTesting.config;
import static dev.dpo4j.data.synth.SynthTesting.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.chat.ChatException;
import dev.dpo4j.core.chat.ChatRequest;
import dev.dpo4j.core.chat.ChatResponse;
import dev.dpo4j.core.chat.ChatRetryPolicy;
import dev.dpo4j.core.chat.OpenAiChatClient;
import dev.dpo4j.core.chat.ResponseFormat;
import dev.dpo4j.core.tokenizer.ChatMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline through the real {@link OpenAiChatClient} against an OpenAI-compatible server on
 * loopback that answers every json_schema request with schema-valid JSON (the scripted fake
 * behind it) and fails the first attempt of most requests: 429 with Retry-After, 500, a dropped
 * connection, or a 200 whose body is not JSON. The client's retries absorb these; the scripted
 * hard failures come back as HTTP 400 and end in rejects.
 */
class SynthOverHttpTest {

    private static final SynthScript SCRIPT = new SynthScript(12, 5, 4, 5L, true);

    @TempDir
    Path dir;

    @Test
    void transientFaultsAreRetriedAndEveryRequestIsAnsweredOnce() throws IOException {
        FakeChatModel brain = new FakeChatModel("served", 8, SCRIPT);
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        AtomicInteger badFormat = new AtomicInteger();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest recorded) {
                    try {
                        JsonNode body = SynthTesting.MAPPER.readTree(recorded.getBody().readUtf8());
                        ChatRequest request = toRequest(body, badFormat);
                        String key = body.toString();
                        int attempt = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        if (attempt == 1) {
                            switch (Math.floorMod(key.hashCode(), 5)) {
                                case 0 -> {
                                    return new MockResponse().setResponseCode(429).setHeader("Retry-After", "1");
                                }
                                case 1 -> {
                                    return new MockResponse().setResponseCode(500).setBody("{\"error\":\"boom\"}");
                                }
                                case 2 -> {
                                    return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
                                }
                                case 3 -> {
                                    return new MockResponse().setResponseCode(200).setBody("<html>bad gateway");
                                }
                                default -> {
                                }
                            }
                        }
                        ChatResponse answer;
                        try {
                            answer = brain.chat(request);
                        } catch (ChatException e) {
                            return new MockResponse().setResponseCode(400).setBody("{\"error\":\"scripted\"}");
                        }
                        ObjectNode out = SynthTesting.MAPPER.createObjectNode();
                        out.put("id", "c1").put("object", "chat.completion").put("model", "served");
                        ObjectNode choice = out.putArray("choices").addObject();
                        choice.put("index", 0).put("finish_reason", "stop");
                        choice.putObject("message").put("role", "assistant").put("content", answer.text());
                        out.putObject("usage").put("prompt_tokens", 3).put("completion_tokens", 2);
                        return new MockResponse().setHeader("Content-Type", "application/json").setBody(out.toString());
                    } catch (IOException e) {
                        return new MockResponse().setResponseCode(400);
                    }
                }
            });
            server.start();
            String url = server.url("/v1").toString();
            SynthReport report;
            try (OpenAiChatClient judge = client(url, "judge-model"); OpenAiChatClient base = client(url, "base-model")) {
                report = SynthTesting.pipeline(dir, config(SCRIPT).build(), judge, base).run(SCRIPT.articleList());
            }
            // Every logical request reached the fake exactly once (faulted attempts never do).
            brain.asked.forEach((k, v) -> assertEquals(1, v.get(), k));
            assertEquals(report.requestsSent(), brain.asked.size());
            assertEquals(0, badFormat.get(), "every structured request was a strict json_schema");
            assertTrue(server.getRequestCount() > report.requestsSent(), "faults were injected and retried");
            assertEquals(report.articlesIn(),
                    report.articlesWithPairs() + report.articlesWithoutPairs() + report.articlesRejected());
            long expectedPairs = 0;
            for (int i = 0; i < SCRIPT.articles; i++) {
                expectedPairs += SCRIPT.rejected(i) ? 0 : SCRIPT.expectedPairs(i, "threshold", 3);
            }
            assertEquals(expectedPairs, report.pairsTrain() + report.pairsValid());
            assertTrue(lines(dir.resolve("rejects.jsonl")).stream()
                    .anyMatch(r -> r.get("kind").asText().equals("HTTP_STATUS")));

            // A rerun sends nothing to the server.
            int before = server.getRequestCount();
            try (OpenAiChatClient judge = client(url, "judge-model"); OpenAiChatClient base = client(url, "base-model")) {
                SynthReport again = SynthTesting.pipeline(dir, config(SCRIPT).build(), judge, base)
                        .run(SCRIPT.articleList());
                assertEquals(0, again.requestsSent());
            }
            assertEquals(before, server.getRequestCount());
        }
    }

    private static OpenAiChatClient client(String url, String model) {
        return OpenAiChatClient.builder().setBaseUrl(url).setModel(model).optApiKey("sk-test")
                .optEnv(Map.of()).optMaxConcurrency(4)
                .optRetry(ChatRetryPolicy.DEFAULT.withMaxAttempts(4)).optSleeper(d -> { }).build();
    }

    /** The request the server received, as the fake needs it; counts structured requests that are not strict json_schema. */
    private static ChatRequest toRequest(JsonNode body, AtomicInteger badFormat) {
        ChatRequest.Builder b = ChatRequest.builder(List.of(new ChatMessage("user",
                body.get("messages").get(0).get("content").asText())));
        if (body.hasNonNull("seed")) {
            b.optSeed(body.get("seed").asLong());
        }
        JsonNode format = body.get("response_format");
        if (format != null) {
            JsonNode js = format.get("json_schema");
            if (!"json_schema".equals(format.path("type").asText()) || !js.path("strict").asBoolean()
                    || !SchemaCheck.strictProblems(js.get("schema")).isEmpty()) {
                badFormat.incrementAndGet();
            }
            b.optResponseFormat(ResponseFormat.jsonSchema(js.get("name").asText(), js.get("schema")));
        }
        return b.build();
    }
}
