package dev.dpo4j.data.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.train.PreferencePair;
import dev.dpo4j.core.train.SftExample;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** TRL's truncation rules on hand-made id sequences. */
class TruncationTest {

    /** Ids {@code from, from+1, …, to} inclusive. */
    private static long[] range(long from, long to) {
        return LongStream.rangeClosed(from, to).toArray();
    }

    @Test
    void defaultsAreTrls() {
        // TRL 1.x: max_length 1024 and no separate prompt limit (TRL 0.x's 512 contradicted --max-length 512)
        assertEquals(new Truncation(1024, 0, 0, TruncationMode.KEEP_END), Truncation.defaults());
    }

    @Test
    void keepEndKeepsThePromptsLastTokensAndCompletionsTheirFirst() {
        // prompt 1..10 cut to 4 -> 7..10; room = max_length 8 - 4 = 4, so chosen 21..26 -> 21..24, rejected 31..32 stays
        PreferencePair pair = new PreferencePair(range(1, 10), range(21, 26), range(31, 32));
        PreferencePair cut = Truncation.of(8, 4).apply(pair).orElseThrow();
        assertArrayEquals(range(7, 10), cut.promptIds());
        assertArrayEquals(range(21, 24), cut.chosenIds());
        assertArrayEquals(range(31, 32), cut.rejectedIds());
    }

    @Test
    void keepStartKeepsThePromptsFirstTokens() {
        PreferencePair pair = new PreferencePair(range(1, 10), range(21, 26), range(31, 32));
        PreferencePair cut = Truncation.of(8, 4).withMode(TruncationMode.KEEP_START).apply(pair).orElseThrow();
        assertArrayEquals(range(1, 4), cut.promptIds());
        assertArrayEquals(range(21, 24), cut.chosenIds());
    }

    @Test
    void maxCompletionLengthCapsEachCompletion() {
        // room after the 3-token prompt is 100 - 3 = 97, but max_completion_length 2 wins
        PreferencePair pair = new PreferencePair(range(1, 3), range(21, 26), range(31, 35));
        PreferencePair cut = Truncation.of(100, 50).withMaxCompletionLength(2).apply(pair).orElseThrow();
        assertArrayEquals(range(1, 3), cut.promptIds());
        assertArrayEquals(range(21, 22), cut.chosenIds());
        assertArrayEquals(range(31, 32), cut.rejectedIds());
    }

    @Test
    void aPairWithinTheLimitsIsReturnedUnchanged() {
        PreferencePair pair = new PreferencePair(range(1, 4), range(21, 24), range(31, 34));
        assertSame(pair, Truncation.of(8, 4).apply(pair).orElseThrow());
    }

    @Test
    void aPromptThatFillsMaxLengthDropsThePair() {
        // no prompt limit (0): an 8-token prompt leaves 8 - 8 = 0 completion tokens
        Truncation noPromptLimit = Truncation.of(8, 0);
        assertTrue(noPromptLimit.apply(new PreferencePair(range(1, 8), range(21, 22), range(31, 32))).isEmpty());
        PreferencePair seven = noPromptLimit.apply(new PreferencePair(range(1, 7), range(21, 22), range(31, 32))).orElseThrow();
        assertArrayEquals(new long[] {21}, seven.chosenIds());
        assertEquals(0, noPromptLimit.completionBudget(8));
        assertEquals(1, noPromptLimit.completionBudget(7));
    }

    @Test
    void sftKeepsTheStartOfTheWholeSequence() {
        // 5 + 6 tokens under max_length 8: the first 8 are kept, i.e. prompt 1..5 and completion 21..23
        SftExample cut = Truncation.of(8, 4).apply(new SftExample(range(1, 5), range(21, 26))).orElseThrow();
        assertArrayEquals(range(1, 5), cut.promptIds(), "SFT ignores max_prompt_length and the mode");
        assertArrayEquals(range(21, 23), cut.completionIds());
        SftExample fits = new SftExample(range(1, 3), range(21, 25));
        assertSame(fits, Truncation.of(8, 4).apply(fits).orElseThrow());
    }

    @Test
    void sftDropsAnExampleWhosePromptFillsMaxLength() {
        assertTrue(Truncation.of(8, 4).apply(new SftExample(range(1, 8), range(21, 22))).isEmpty());
    }

    @Test
    void invalidLimitsNameTheTrlField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Truncation.of(1, 0))
                .getMessage().startsWith("max_length must be at least 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Truncation.of(512, 512))
                .getMessage().startsWith("max_prompt_length must be in [0, max_length) = [0, 512)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Truncation.of(512, 8).withMaxCompletionLength(-1))
                .getMessage().startsWith("max_completion_length must be >= 0"));
        assertTrue(assertThrows(NullPointerException.class, () -> Truncation.of(512, 8).withMode(null))
                .getMessage().startsWith("truncation_mode must not be null"));
    }

    @Test
    void modeNamesAreTrls() {
        assertEquals(TruncationMode.KEEP_START, TruncationMode.fromName("keep_start"));
        assertEquals(TruncationMode.KEEP_END, TruncationMode.fromName("KEEP_END"));
        assertEquals("keep_end", TruncationMode.KEEP_END.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TruncationMode.fromName("left"));
        assertEquals("truncation_mode must be one of keep_end, keep_start, got 'left'", e.getMessage());
    }

    @Test
    void readsAndWritesTrlConfigNames() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Truncation read = json.readValue("{\"max_length\":256,\"truncation_mode\":\"keep_start\"}", Truncation.class);
        // max_prompt_length absent: no prompt limit, as TRL 1.x; a pair keeps the start of prompt + completion
        assertEquals(new Truncation(256, 0, 0, TruncationMode.KEEP_START), read);
        Truncation full = json.readValue(
                "{\"max_length\":64,\"max_prompt_length\":16,\"max_completion_length\":8,\"truncation_mode\":\"keep_end\"}",
                Truncation.class);
        assertEquals(new Truncation(64, 16, 8, TruncationMode.KEEP_END), full);
        assertEquals(full, json.readValue(json.writeValueAsString(full), Truncation.class));
        assertTrue(json.writeValueAsString(full).contains("\"truncation_mode\":\"keep_end\""));
        assertEquals(Truncation.defaults(), json.readValue("{}", Truncation.class));
    }
}
