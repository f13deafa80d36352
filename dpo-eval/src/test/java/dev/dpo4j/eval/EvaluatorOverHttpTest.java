package dev.dpo4j.eval;

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
import dev.dpo4j.data.synth.SynthConfig;
import dev.dpo4j.eval.report.EvalReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny evaluation whose judge is the real {@link OpenAiChatClient} against an
 * OpenAI-compatible server on loopback; the scripted judge answers behind it, and the first
 * attempt of every third request gets an HTTP 500 that the client retries. The report must equal
 * the one from the same scripted judge called in process.
 */
class EvaluatorOverHttpTest {

    private static final EvalScript SCRIPT = new EvalScript(4);
    private static final Set<String> FORMATS = Set.of("question_set", "qa_answers", "pairwise_verdict");

    @TempDir
    Path tmp;

    @Test
    void judgeOverHttpGivesTheSameReportAsInProcess() throws IOException {
        List<EvalItem> items = SCRIPT.summarizationItems(SynthConfig.defaults());
        ScriptedModel brain = ScriptedModel.judge(SCRIPT, ScriptedModel.Pairwise.LONGER, new AtomicInteger(-1));
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        AtomicInteger badFormat = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        EvalReport overHttp;
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest recorded) {
                    try {
                        JsonNode body = ScriptedModel.MAPPER.readTree(recorded.getBody().readUtf8());
                        String key = body.toString();
                        int attempt = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        if (attempt == 1 && served.incrementAndGet() % 3 == 0) {
                            return new MockResponse().setResponseCode(500).setBody("{\"error\":\"boom\"}");
                        }
                        ChatResponse answer;
                        try {
                            answer = brain.chat(toRequest(body, badFormat));
                        } catch (ChatException e) {
                            return new MockResponse().setResponseCode(400).setBody("{\"error\":\"scripted\"}");
                        }
                        ObjectNode out = ScriptedModel.MAPPER.createObjectNode();
                        out.put("id", "c1").put("object", "chat.completion").put("model", "judge-model");
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
            try (OpenAiChatClient judge = OpenAiChatClient.builder().setBaseUrl(server.url("/v1").toString())
                    .setModel("judge-model").optApiKey("sk-test").optEnv(Map.of()).optMaxConcurrency(2)
                    .optRetry(ChatRetryPolicy.DEFAULT.withMaxAttempts(3)).optSleeper(d -> { }).build()) {
                overHttp = evaluator(tmp.resolve("http"), judge).run(items);
            }
            // 4 question sets, 2·4 QA judgements, 2·4 pairwise verdicts; each reached the brain once.
            assertEquals(20, brain.total());
            brain.asked.forEach((k, v) -> assertEquals(1, v.get(), k));
            assertTrue(server.getRequestCount() > 20, "faults were injected and retried");
            assertEquals(0, badFormat.get(), "every judge request was a strict json_schema of a known name");
        }
        ScriptedModel local = ScriptedModel.judge(SCRIPT, ScriptedModel.Pairwise.LONGER, new AtomicInteger(-1));
        EvalReport inProcess = evaluator(tmp.resolve("local"), local).run(items);
        assertEquals(inProcess.toJson(), overHttp.toJson());
        assertEquals(4, overHttp.contenders().get(0).qa().judged());
        assertEquals(4, overHttp.pairwise().get(0).n());
    }

    private static Evaluator evaluator(Path dir, dev.dpo4j.core.chat.ChatModel judge) {
        return Evaluator.builder().setOutputDir(dir).optProgress(null).optJudge(judge)
                .addContender(new Contender("base", ScriptedModel.contender("base", SCRIPT, new AtomicInteger(-1))))
                .addContender(new Contender("dpo", ScriptedModel.contender("dpo", SCRIPT, new AtomicInteger(-1))))
                .optPairwise("dpo", "base").optBootstrap(new dev.dpo4j.eval.stats.Bootstrap(200, 1)).build();
    }

    /** The request as the server received it; counts structured requests that are not a strict, known json_schema. */
    private static ChatRequest toRequest(JsonNode body, AtomicInteger badFormat) {
        ChatRequest.Builder b = ChatRequest.builder(List.of(new ChatMessage("user",
                body.get("messages").get(0).get("content").asText())));
        if (body.hasNonNull("seed")) {
            b.optSeed(body.get("seed").asLong());
        }
        JsonNode format = body.get("response_format");
        if (format == null) {
            badFormat.incrementAndGet();
            return b.build();
        }
        JsonNode js = format.get("json_schema");
        if (!"json_schema".equals(format.path("type").asText()) || !js.path("strict").asBoolean()
                || !FORMATS.contains(js.path("name").asText())) {
            badFormat.incrementAndGet();
        }
        return b.optResponseFormat(ResponseFormat.jsonSchema(js.get("name").asText(), js.get("schema"))).build();
    }
}
