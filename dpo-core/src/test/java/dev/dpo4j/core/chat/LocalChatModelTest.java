package dev.dpo4j.core.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.Fixtures;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local DJL chat model on the real stories260K model (no chat template: plain-text prompts). */
class LocalChatModelTest {

    private static CausalLm lm;
    private static LocalChatModel chat;

    @BeforeAll
    static void load() {
        lm = CausalLm.load(Fixtures.path("real/models/stories260K").toString());
        chat = LocalChatModel.of(lm, 32);
    }

    @AfterAll
    static void close() {
        chat.close();
        lm.close();
    }

    /**
     * An empty user message is the prompt BOS alone; greedy decoding must then reproduce the
     * fixture's greedy continuation from BOS (expected.json, made by a numpy port of llama2.c).
     */
    @Test
    void greedyAnswerIsTheFixturesContinuation() {
        JsonNode expected = Fixtures.json("real/models/stories260K/expected.json");
        long[] output = Fixtures.longs(expected.get("greedy_output"));
        int n = expected.get("greedy_new_tokens").asInt();
        long[] newTokens = Arrays.copyOfRange(output, output.length - n, output.length);

        ChatResponse r = chat.chat(ChatRequest.user("").optTemperature(0).optMaxTokens(n).build());

        String want = lm.tokenizer().orElseThrow().decode(newTokens, true);
        assertEquals(want, r.text());
        assertEquals(1, r.usage().promptTokens());
        assertEquals(n, r.usage().completionTokens());
        assertEquals("length", r.choices().get(0).finishReason());
        assertFalse(r.fromCache());
    }

    @Test
    void sampledChoicesAreReproducibleBySeed() {
        ChatRequest req = ChatRequest.user("Once upon a time").optTemperature(1.0).optSeed(7).optN(3)
                .optMaxTokens(24).build();
        ChatResponse a = chat.chat(req);
        ChatResponse b = chat.chat(req);
        assertEquals(3, a.choices().size());
        assertEquals(a.choices(), b.choices());
        ChatResponse other = chat.chat(req.toBuilder().optSeed(8).build());
        assertTrue(!other.choices().equals(a.choices()), "another seed should sample something else");
    }

    @Test
    void stopStringIsCutFromTheAnswer() {
        ChatRequest free = ChatRequest.user("").optTemperature(0).optMaxTokens(40).build();
        String full = chat.chat(free).text();
        int comma = full.indexOf(',');
        assertTrue(comma > 0, full);
        ChatResponse r = chat.chat(free.toBuilder().optStop(List.of(",")).build());
        assertEquals(full.substring(0, comma), r.text());
        assertEquals("stop", r.choices().get(0).finishReason());
    }

    @Test
    void promptLongerThanTheContextKeepsItsEnd() {
        // stories260K's context is 512 positions; 2,000 words cannot fit, so the prompt is cut.
        String longText = "the dog ran to the park . ".repeat(400);
        long before = chat.truncatedPrompts();
        ChatResponse r = chat.chat(ChatRequest.user(longText).optTemperature(0).optMaxTokens(16).build());
        assertEquals(before + 1, chat.truncatedPrompts());
        assertEquals(512 - 16, r.usage().promptTokens());
        assertTrue(r.usage().completionTokens() >= 1);
    }
}
