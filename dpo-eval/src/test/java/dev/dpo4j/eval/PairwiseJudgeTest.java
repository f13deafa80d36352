package dev.dpo4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.chat.ChatChoice;
import dev.dpo4j.core.chat.ChatException;
import dev.dpo4j.core.chat.ChatRequest;
import dev.dpo4j.core.chat.ChatResponse;
import dev.dpo4j.core.chat.TokenUsage;
import dev.dpo4j.data.synth.SynthConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pairwise request, the parsing of verdicts, and MT-Bench's rule for combining two orders. */
class PairwiseJudgeTest {

    private final PairwiseJudge judge = new PairwiseJudge(
            ScriptedModel.judge(new EvalScript(1), ScriptedModel.Pairwise.FIRST, new AtomicInteger(-1)),
            SynthConfig.builder().optJudgeTemperature(0.0).optJudgeMaxTokens(300).build());

    @Test
    void requestShowsTheResponsesInTheirPositions() {
        ChatRequest r = judge.request("Summarize {{response_b}}", "first text", "second text");
        String prompt = r.messages().get(0).content();
        assertEquals("first text", ScriptedModel.section(prompt, "A"));
        assertEquals("second text", ScriptedModel.section(prompt, "B"));
        assertTrue(prompt.contains("Summarize {{response_b}}"), "a placeholder inside a value is left as it is");
        assertEquals("pairwise_verdict", r.responseFormat().name());
        assertTrue(r.responseFormat().strict());
        assertEquals(List.of("A", "B", "tie"), List.of(r.responseFormat().schema().at("/properties/winner/enum")
                .get(0).asText(), r.responseFormat().schema().at("/properties/winner/enum").get(1).asText(),
                r.responseFormat().schema().at("/properties/winner/enum").get(2).asText()));
        assertEquals(0.0, r.temperature());
        assertEquals(300, r.maxTokens());
        assertEquals(r, judge.request("Summarize {{response_b}}", "first text", "second text"), "deterministic");
        assertNotEquals(r.seed(), judge.request("Summarize {{response_b}}", "second text", "first text").seed());
    }

    @Test
    void parsesVerdictsAndRejectsGarbage() {
        assertEquals(new Verdict(Verdict.Winner.B, "shorter"),
                judge.parse(reply("{\"reason\": \"shorter\", \"winner\": \"B\"}")));
        assertEquals(Verdict.Winner.TIE, judge.parse(reply("```json\n{\"reason\": \"\", \"winner\": \"TIE\"}\n```"))
                .winner());
        ChatException e = assertThrows(ChatException.class, () -> judge.parse(reply("{\"winner\": \"C\"}")));
        assertEquals(ChatException.Kind.UNPARSEABLE_OUTPUT, e.kind());
        assertThrows(ChatException.class, () -> judge.parse(reply("I prefer the first one.")));
    }

    @Test
    void combinesBothOrdersAsMtBenchDoes() {
        Verdict a = new Verdict(Verdict.Winner.A, "");
        Verdict b = new Verdict(Verdict.Winner.B, "");
        Verdict tie = new Verdict(Verdict.Winner.TIE, "");
        // aFirst shows contender A in position A; bFirst shows contender B there.
        assertEquals(PairwiseJudge.Outcome.WIN, PairwiseJudge.outcome(a, b));
        assertEquals(PairwiseJudge.Outcome.LOSS, PairwiseJudge.outcome(b, a));
        assertEquals(PairwiseJudge.Outcome.TIE, PairwiseJudge.outcome(a, a));
        assertEquals(PairwiseJudge.Outcome.TIE, PairwiseJudge.outcome(b, b));
        assertEquals(PairwiseJudge.Outcome.TIE, PairwiseJudge.outcome(a, tie));
        assertEquals(PairwiseJudge.Outcome.TIE, PairwiseJudge.outcome(tie, tie));
        assertTrue(PairwiseJudge.inconsistent(a, a), "position bias: A, then B");
        assertTrue(PairwiseJudge.inconsistent(b, b));
        assertFalse(PairwiseJudge.inconsistent(a, b));
        assertFalse(PairwiseJudge.inconsistent(a, tie));
        assertFalse(PairwiseJudge.inconsistent(tie, tie));
    }

    private static ChatResponse reply(String text) {
        return new ChatResponse("judge", List.of(new ChatChoice(text, "stop")), TokenUsage.ZERO, false);
    }
}
