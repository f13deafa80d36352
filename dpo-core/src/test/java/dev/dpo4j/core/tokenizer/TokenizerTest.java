package dev.dpo4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer on the real TinyLlama-Chat (SentencePiece BPE, byte fallback, 32000 tokens) and
 * SmolLM2 (byte-level BPE, 49152 tokens) files.
 */
class TokenizerTest {

    private static Tokenizer tinyLlama;
    private static Tokenizer smolLm2;

    /** Loaded on first use, so that a missing fixture directory skips each test that needs it. */
    private static Tokenizer tinyLlama() {
        if (tinyLlama == null) {
            tinyLlama = Tokenizer.load(RealTokenizerFixtures.tokenizer("TinyLlama-1.1B-Chat-v1.0"));
        }
        return tinyLlama;
    }

    private static Tokenizer smolLm2() {
        if (smolLm2 == null) {
            smolLm2 = Tokenizer.load(RealTokenizerFixtures.tokenizer("SmolLM2-135M"));
        }
        return smolLm2;
    }

    @AfterAll
    static void close() {
        if (tinyLlama != null) {
            tinyLlama.close();
        }
        if (smolLm2 != null) {
            smolLm2.close();
        }
    }

    @Test
    void specialTokensOfTinyLlama() {
        // tokenizer_config: bos "<s>", eos "</s>", pad "</s>"; added_tokens: <unk>=0, <s>=1, </s>=2
        assertEquals("<s>", tinyLlama().bosToken());
        assertEquals(OptionalLong.of(1), tinyLlama().bosTokenId());
        assertEquals("</s>", tinyLlama().eosToken());
        assertArrayEquals(new long[] {2}, tinyLlama().eosTokenIds());
        assertEquals(OptionalLong.of(2), tinyLlama().padTokenId());
        assertEquals(32000, tinyLlama().vocabSize());
        assertEquals(0, tinyLlama().tokenToId("<unk>"));
    }

    @Test
    void specialTokensOfSmolLm2() {
        // bos and eos are the ChatML markers <|im_start|>=1, <|im_end|>=2; generation_config eos 2
        assertEquals("<|im_start|>", smolLm2().bosToken());
        assertEquals(OptionalLong.of(1), smolLm2().bosTokenId());
        assertArrayEquals(new long[] {2}, smolLm2().eosTokenIds());
        assertEquals(49152, smolLm2().vocabSize());
    }

    @Test
    void bosIsAddedOnceAndOnlyWhenAsked() {
        long[] with = tinyLlama().encode("Hello world", true);
        long[] without = tinyLlama().encode("Hello world", false);
        assertEquals(1, with[0]);
        assertNotEquals(1, with[1]);
        assertArrayEquals(without, Arrays.copyOfRange(with, 1, with.length));
        assertEquals(1, LongStream.of(with).filter(id -> id == 1).count());
        // "Hello" and "world" are whole SentencePiece words: ▁Hello ▁world
        assertArrayEquals(new long[] {tinyLlama().tokenToId("▁Hello"), tinyLlama().tokenToId("▁world")}, without);
    }

    @Test
    void roundTripWithAccentsAndEmojiUsesByteFallback() {
        String text = "Café naïve — ça marche 🚀!";
        long[] ids = tinyLlama().encode(text, true);
        assertEquals(text, tinyLlama().decode(ids, true));
        // with special tokens kept, the word-boundary "▁" of the first word shows as a space after <s>
        assertEquals("<s> " + text, tinyLlama().decode(ids, false));
        // 🚀 is U+1F680, UTF-8 F0 9F 9A 80; it is not in the vocabulary, so byte fallback emits the
        // four byte tokens in order
        long[] rocket = {tinyLlama().tokenToId("<0xF0>"), tinyLlama().tokenToId("<0x9F>"),
                tinyLlama().tokenToId("<0x9A>"), tinyLlama().tokenToId("<0x80>")};
        assertTrue(Collections.indexOfSubList(boxed(ids), boxed(rocket)) >= 0, Arrays.toString(ids));
    }

    @Test
    void longTextIsNotTruncatedAt512() {
        // "hello" repeated 3000 times with spaces: each word is the single token ▁hello, plus BOS
        long hello = tinyLlama().tokenToId("▁hello");
        String text = String.join(" ", Collections.nCopies(3000, "hello"));
        long[] ids = tinyLlama().encode(text, true);
        assertEquals(3001, ids.length);
        assertEquals(hello, ids[3000]);
        assertEquals(text, tinyLlama().decode(ids, true));
    }

    @Test
    void encodePairSeparatesPromptAndCompletion() {
        // TinyLlama prompt from its own chat template; the completion is encoded on its own, so
        // SentencePiece's Prepend("▁") normalizer makes its first token ▁Paris (as in TRL).
        String prompt = tinyLlama().applyChatTemplate(List.of(ChatMessage.user("Capital of France?")), true);
        EncodedPair pair = tinyLlama().encodePair(prompt, "Paris", true);
        long[] p = pair.promptIds();
        long[] c = pair.completionIds();
        assertEquals(1, p[0]);
        assertArrayEquals(tinyLlama().encode(prompt, true), p);
        assertEquals(tinyLlama().tokenToId("▁Paris"), c[0]);
        assertEquals(2, c[c.length - 1]);
        // the Prepend("▁") normalizer also runs on each segment after a special token, so the
        // "\n" after </s> comes back as " \n" once </s> is skipped; the text up to </s> is exact
        assertTrue(tinyLlama().decode(p, true).startsWith("<|user|>\nCapital of France?"));
        assertEquals("Paris", tinyLlama().decode(c, true));
    }

    @Test
    void encodePairConcatenationDecodesToPromptPlusCompletion() {
        // Byte-level BPE has no prefix space, so prompt ids ++ completion ids decode to the exact text.
        String prompt = smolLm2().applyChatTemplate(List.of(ChatMessage.user("Say hi")), true);
        assertEquals("<|im_start|>user\nSay hi<|im_end|>\n<|im_start|>assistant\n", prompt);
        EncodedPair pair = smolLm2().encodePair(prompt, "Hi there!", true);
        assertEquals(prompt + "Hi there!<|im_end|>", smolLm2().decode(pair.concatenated(), false));
        assertEquals(1, pair.promptIds()[0]);
        // "Hi" is a whole byte-level token; the completion ends with <|im_end|> = 2
        assertEquals(smolLm2().tokenToId("Hi"), pair.completionIds()[0]);
        assertEquals(2, pair.completionIds()[pair.completionIds().length - 1]);
        EncodedPair noEos = smolLm2().encodePair(prompt, "Hi there!", false);
        assertEquals("Hi there!", smolLm2().decode(noEos.completionIds(), false));
    }

    @Test
    void promptThatAlreadyStartsWithBosTextGetsOneBos() {
        String prompt = ChatTemplate.of(ChatTemplateTest.MISTRAL, tinyLlama().bosToken(), tinyLlama().eosToken())
                .render(List.of(ChatMessage.user("Hi")), false);
        assertEquals("<s>[INST] Hi [/INST]", prompt);
        long[] ids = tinyLlama().encodePair(prompt, "Hello", false).promptIds();
        assertEquals(1, ids[0]);
        assertEquals(1, LongStream.of(ids).filter(id -> id == 1).count(), Arrays.toString(ids));
    }

    @Test
    void chatTemplateComesFromTheJinjaFile() {
        assertTrue(tinyLlama().chatTemplate().isPresent());
        assertEquals("<|user|>\nHi</s>\n<|assistant|>\n",
                tinyLlama().applyChatTemplate(List.of(ChatMessage.user("Hi")), true));
    }

    @Test
    void missingTokenizerJsonNamesTheDirectory(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void unknownTokenIsReported() {
        assertEquals(OptionalLong.empty(), tinyLlama().findTokenId("no-such-token"));
        assertThrows(IllegalArgumentException.class, () -> tinyLlama().tokenToId("no-such-token"));
    }

    private static List<Long> boxed(long[] ids) {
        return LongStream.of(ids).boxed().toList();
    }
}
