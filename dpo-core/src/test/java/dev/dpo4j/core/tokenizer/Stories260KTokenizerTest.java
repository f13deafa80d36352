package dev.dpo4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The 512-token SentencePiece vocabulary of karpathy's stories260K, converted to tokenizer.json. */
class Stories260KTokenizerTest {

    /** The first 12 ids of the model's published greedy output from {@code <s>} (expected.json). */
    private static final long[] STORY_START = {1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315};

    @Test
    void specialTokenIds() {
        try (Tokenizer tok = Tokenizer.load(RealTokenizerFixtures.model("stories260K"))) {
            assertEquals(OptionalLong.of(1), tok.bosTokenId());
            assertArrayEquals(new long[] {2}, tok.eosTokenIds());
            assertEquals("<s>", tok.bosToken());
            assertEquals("</s>", tok.eosToken());
            assertEquals(512, tok.vocabSize());
            // the vocabulary lists <unk>, <s>, </s>, then the 256 byte tokens <0x00>…<0xFF>, then ▁t (259)
            assertEquals(259, tok.tokenToId("▁t"));
        }
    }

    @Test
    void decodesThePublishedStoryOpening() {
        try (Tokenizer tok = Tokenizer.load(RealTokenizerFixtures.model("stories260K"))) {
            // The published story begins "Once upon a time, there was a little girl named Lily."
            String text = tok.decode(STORY_START, true);
            assertTrue("Once upon a time, there was a little girl named Lily.".startsWith(text), text);
            assertTrue(text.startsWith("Once upon a time, there was"), text);
            assertArrayEquals(STORY_START, tok.encode(text, true));
            assertEquals("<s> " + text, tok.decode(STORY_START, false));
        }
    }
}
