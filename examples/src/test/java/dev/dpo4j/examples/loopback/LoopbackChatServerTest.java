package dev.dpo4j.examples.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class LoopbackChatServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = "{\"type\":\"object\",\"additionalProperties\":false,"
            + "\"required\":[\"answers\"],\"properties\":{\"answers\":{\"type\":\"array\",\"minItems\":5,"
            + "\"maxItems\":5,\"items\":{\"type\":\"string\",\"enum\":[\"A\",\"B\",\"C\",\"D\",\"X\"]}}}}";
    private static final String SCHEMA_REQUEST = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],"
            + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\",\"strict\":true,"
            + "\"schema\":" + SCHEMA + "}}}";

    private final OkHttpClient http = new OkHttpClient();

    private Response post(LoopbackChatServer server, String body) throws IOException {
        return http.newCall(new Request.Builder().url(server.baseUrl() + "/chat/completions")
                .post(RequestBody.create(body, MediaType.get("application/json"))).build()).execute();
    }

    @Test
    void jsonSchemaRequestsGetSchemaValidAnswersThatRepeatForTheSameBody() throws IOException {
        try (LoopbackChatServer server = new LoopbackChatServer(0, FaultPlan.NONE, 1, 4)) {
            String first;
            try (Response r = post(server, SCHEMA_REQUEST)) {
                assertEquals(200, r.code());
                JsonNode body = JSON.readTree(r.body().string());
                first = body.at("/choices/0/message/content").asText();
                JsonNode answer = JSON.readTree(first);
                assertEquals(5, answer.get("answers").size());
                Set<String> allowed = Set.of("A", "B", "C", "D", "X");
                answer.get("answers").forEach(a -> assertTrue(allowed.contains(a.asText()), a.toString()));
                assertTrue(body.at("/usage/prompt_tokens").asLong() > 0);
            }
            try (Response r = post(server, SCHEMA_REQUEST)) {
                assertEquals(first, JSON.readTree(r.body().string()).at("/choices/0/message/content").asText());
            }
            assertEquals(1, server.distinctAnswered());
            assertEquals(1, server.answeredMoreThanOnce());
        }
    }

    @Test
    void freeTextAnswerIsAnExtractOfThePrompt() throws IOException {
        String article = "The council met on Monday to discuss the bridge. Officials said the repairs would "
                + "take a year. Residents asked for a temporary ferry service across the river.";
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":" + JSON.writeValueAsString(article)
                + "}],\"n\":2}";
        try (LoopbackChatServer server = new LoopbackChatServer(0, FaultPlan.NONE, 1, 4);
             Response r = post(server, body)) {
            JsonNode answer = JSON.readTree(r.body().string());
            assertEquals(2, answer.get("choices").size());
            for (JsonNode c : answer.get("choices")) {
                for (String sentence : c.at("/message/content").asText().split("(?<=\\.) ")) {
                    assertTrue(article.contains(sentence), sentence);
                }
            }
        }
    }

    @Test
    void injectsEachFault() throws IOException {
        try (LoopbackChatServer server = new LoopbackChatServer(0, new FaultPlan(1, 0, 0, 0, 0, 0, 3), 1, 4);
             Response r = post(server, SCHEMA_REQUEST)) {
            assertEquals(429, r.code());
            assertEquals("3", r.header("Retry-After"));
        }
        try (LoopbackChatServer server = new LoopbackChatServer(0, new FaultPlan(0, 0, 0, 1, 0, 0, 0), 1, 4)) {
            assertThrows(IOException.class, () -> post(server, SCHEMA_REQUEST).close());
            assertEquals(0, server.distinctAnswered());
        }
        try (LoopbackChatServer server = new LoopbackChatServer(0, new FaultPlan(0, 0, 0, 0, 1, 0, 0), 1, 4)) {
            assertThrows(IOException.class, () -> {
                try (Response r = post(server, SCHEMA_REQUEST)) {
                    r.body().string();
                }
            });
        }
        try (LoopbackChatServer server = new LoopbackChatServer(0, new FaultPlan(0, 0, 0, 0, 0, 1, 0), 1, 4);
             Response r = post(server, SCHEMA_REQUEST)) {
            assertEquals(200, r.code());
            assertTrue(r.body().string().startsWith("<html>"));
            assertEquals(1, server.faultsInjected());
        }
    }

    @Test
    void uniformPlanInjectsFaultsAtAboutItsRate() {
        FaultPlan plan = FaultPlan.uniform(0.05, 0);
        Random random = new Random(3);
        int faults = 0;
        Set<FaultPlan.Fault> seen = new TreeSet<>();
        for (int i = 0; i < 10_000; i++) {
            FaultPlan.Fault f = plan.pick(random.nextDouble());
            if (f != FaultPlan.Fault.NONE) {
                faults++;
                seen.add(f);
            }
        }
        // 6 faults × 5% = 30% of draws; 10,000 draws give a standard deviation of ~0.46%.
        assertEquals(0.30, faults / 10_000.0, 0.02);
        assertEquals(6, seen.size());
    }
}
