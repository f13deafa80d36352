package dev.dpo4j.core.chat;

import static dev.dpo4j.core.chat.ChatTestSupport.body;
import static dev.dpo4j.core.chat.ChatTestSupport.client;
import static dev.dpo4j.core.chat.ChatTestSupport.json;
import static dev.dpo4j.core.chat.ChatTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.chat.ChatTestSupport.RecordingSleeper;
import dev.dpo4j.core.tokenizer.ChatMessage;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The request body holds exactly the fields set; the answer's choices, usage and model are read back. */
class OpenAiChatClientRequestTest {

    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"score\":{\"type\":\"integer\"}},"
            + "\"required\":[\"score\"],\"additionalProperties\":false}";

    private MockWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = ChatTestSupport.server();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private OpenAiChatClient.Builder builder() {
        return client(server, new RecordingSleeper());
    }

    @Test
    void jsonSchemaRequestHasTheOpenAiShapeAndNoUnsetFields() throws Exception {
        server.enqueue(ok("```json\n{\"score\": 4}\n```"));
        JsonNode schema = ChatTestSupport.JSON.readTree(SCHEMA);
        ChatRequest request = ChatRequest.builder(List.of(ChatMessage.system("Judge."), ChatMessage.user("Rate it.")))
                .optResponseFormat(ResponseFormat.jsonSchema("rating", schema)).build();

        ChatResponse response;
        try (OpenAiChatClient client = builder().build()) {
            response = client.chat(request);
        }

        RecordedRequest recorded = server.takeRequest();
        assertEquals("POST", recorded.getMethod());
        assertEquals("/v1/chat/completions", recorded.getPath());
        assertTrue(recorded.getHeader("Content-Type").startsWith("application/json"));
        JsonNode sent = body(recorded);
        assertEquals("test-model", sent.get("model").asText());
        assertEquals(ChatTestSupport.JSON.readTree("[{\"role\":\"system\",\"content\":\"Judge.\"},"
                + "{\"role\":\"user\",\"content\":\"Rate it.\"}]"), sent.get("messages"));
        JsonNode format = sent.get("response_format");
        assertEquals("json_schema", format.get("type").asText());
        assertEquals("rating", format.get("json_schema").get("name").asText());
        assertEquals(schema, format.get("json_schema").get("schema"));
        assertTrue(format.get("json_schema").get("strict").asBoolean());
        for (String unset : List.of("temperature", "top_p", "max_tokens", "n", "seed", "stop")) {
            assertFalse(sent.has(unset), unset + " must be absent when unset: " + sent);
        }
        assertEquals(List.of("model", "messages", "response_format"), fieldNames(sent));
        // The server ignored the schema and fenced its JSON; the tolerant parser still finds it.
        assertEquals(4, response.json().get("score").asInt());
    }

    @Test
    void everyOptionalFieldIsSentWhenSet() throws Exception {
        server.enqueue(ok("a"));
        ChatRequest request = ChatRequest.user("hi").optModel("other-model").optTemperature(0.7).optTopP(0.9)
                .optMaxTokens(64).optN(1).optSeed(42).optStop(List.of("\n\n", "END")).build();

        try (OpenAiChatClient client = builder().build()) {
            client.chat(request);
        }

        JsonNode sent = body(server.takeRequest());
        assertEquals("other-model", sent.get("model").asText(), "a request's model overrides the default");
        assertEquals(0.7, sent.get("temperature").asDouble());
        assertEquals(0.9, sent.get("top_p").asDouble());
        assertEquals(64, sent.get("max_tokens").asInt());
        assertEquals(1, sent.get("n").asInt());
        assertEquals(42, sent.get("seed").asLong());
        assertEquals(ChatTestSupport.JSON.readTree("[\"\\n\\n\",\"END\"]"), sent.get("stop"));
        assertFalse(sent.has("response_format"));
    }

    @Test
    void nGreaterThanOneGivesNChoicesInIndexOrder() {
        // The server lists the choices out of order; the client sorts them by index.
        server.enqueue(json(200, "{\"model\":\"served\",\"choices\":["
                + "{\"index\":2,\"message\":{\"role\":\"assistant\",\"content\":\"c\"},\"finish_reason\":\"length\"},"
                + "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"a\"},\"finish_reason\":\"stop\"},"
                + "{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":\"b\"}}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9}}"));

        ChatResponse response;
        try (OpenAiChatClient client = builder().build()) {
            response = client.chat(ChatRequest.user("hi").optN(3).build());
        }

        assertEquals(List.of("a", "b", "c"), response.choices().stream().map(ChatChoice::content).toList());
        assertEquals("stop", response.choices().get(0).finishReason());
        assertNull(response.choices().get(1).finishReason());
        assertEquals("length", response.choices().get(2).finishReason());
        assertEquals(new TokenUsage(5, 9), response.usage());
        assertEquals("served", response.model());
        assertFalse(response.fromCache());
    }

    @Test
    void apiKeyFromTheEnvironmentIsSentAsBearerAndNoHeaderWithoutOne() throws Exception {
        server.enqueue(ok("a"));
        server.enqueue(ok("b"));

        try (OpenAiChatClient withKey = builder().optEnv(Map.of("OPENAI_API_KEY", "sk-from-env")).build();
                OpenAiChatClient without = builder().optEnv(Map.of()).build()) {
            withKey.chat(ChatRequest.user("hi").build());
            without.chat(ChatRequest.user("hi").build());
        }

        assertEquals("Bearer sk-from-env", server.takeRequest().getHeader("Authorization"));
        assertNull(server.takeRequest().getHeader("Authorization"));
    }

    @Test
    void baseUrlWithTrailingSlashStillPostsToChatCompletions() throws Exception {
        server.enqueue(ok("a"));

        try (OpenAiChatClient client = builder().setBaseUrls(List.of(server.url("/v1/").toString())).build()) {
            client.chat(ChatRequest.user("hi").build());
        }

        assertEquals("/v1/chat/completions", server.takeRequest().getPath());
    }

    @Test
    void builderRejectsMissingAndInvalidSettings() {
        IllegalArgumentException noUrl = assertThrows(IllegalArgumentException.class,
                () -> OpenAiChatClient.builder().setModel("m").build());
        IllegalArgumentException badUrl = assertThrows(IllegalArgumentException.class,
                () -> OpenAiChatClient.builder().setBaseUrls(List.of("http://ok/v1", "ftp:/nope")).setModel("m").build());
        IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class,
                () -> OpenAiChatClient.builder().setBaseUrl("http://ok/v1").build());
        IllegalArgumentException badConcurrency = assertThrows(IllegalArgumentException.class,
                () -> builder().optMaxConcurrency(0).build());

        assertTrue(noUrl.getMessage().contains("base URL"), noUrl.getMessage());
        assertTrue(badUrl.getMessage().contains("#2") && badUrl.getMessage().contains("ftp:/nope"), badUrl.getMessage());
        assertTrue(noModel.getMessage().contains("model"), noModel.getMessage());
        assertTrue(badConcurrency.getMessage().contains("maxConcurrency"), badConcurrency.getMessage());
    }

    @Test
    void nameAndMaxConcurrencyReportTheConfiguration() {
        try (OpenAiChatClient client = builder().optMaxConcurrency(7).build()) {
            assertEquals("test-model", client.name());
            assertEquals(7, client.maxConcurrency());
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
