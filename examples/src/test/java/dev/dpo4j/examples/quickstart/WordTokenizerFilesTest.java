package dev.dpo4j.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.tokenizer.EncodedPair;
import dev.dpo4j.core.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The written files loaded through dpo4j's {@link Tokenizer}, which runs DJL's Hugging Face
 * tokenizer over them. Expected ids follow from the layout: specials 0–3, then the words in the
 * order given, repeats skipped, so "Acme" = 4, "Corp" = 5, "said" = 6, "," = 7, "on" = 8,
 * "Monday" = 9, "." = 10.
 */
class WordTokenizerFilesTest {

    /** "Corp" repeated and "<s>" (a special token) among the words: both must be skipped. */
    private static final List<String> WORDS = List.of("Acme", "Corp", "said", ",", "on", "Corp", "Monday", "<s>", ".");

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeFiles() {
        WordTokenizerFiles.write(dir.resolve("model"), WORDS, 512);
    }

    @Test
    void encodesWordsToTheirIdsAndUnknownWordsToUnk() {
        try (Tokenizer tok = Tokenizer.load(dir.resolve("model"))) {
            assertArrayEquals(new long[] {4, 5, 6, 7, 8, 9, 10}, tok.encode("Acme Corp said , on Monday .", false));
            // Case is kept and punctuation glued to a word makes another (unknown) word.
            assertArrayEquals(new long[] {0, 0, 9}, tok.encode("acme Corp. Monday", false));
            assertEquals(4 + 7, tok.vocabSize());
        }
    }

    @Test
    void decodesToTheWordsJoinedBySingleSpaces() {
        try (Tokenizer tok = Tokenizer.load(dir.resolve("model"))) {
            String sentence = "Acme Corp said on Monday , Acme Corp said .";
            assertEquals(sentence, tok.decode(tok.encode(sentence, false), true));
            assertEquals(sentence, tok.decode(tok.encodePrompt(sentence), true));
            assertEquals("<s> Acme </s>", tok.decode(new long[] {1, 4, 2}, false));
            // Line breaks and runs of spaces are only separators.
            assertEquals("Acme Corp said", tok.decode(tok.encode("Acme \n\n Corp   said", false), true));
        }
    }

    @Test
    void specialTokensAreWhereDpo4jLooksForThem() {
        try (Tokenizer tok = Tokenizer.load(dir.resolve("model"))) {
            assertEquals(1, tok.bosTokenId().getAsLong());
            assertArrayEquals(new long[] {2}, tok.eosTokenIds());
            assertEquals("</s>", tok.eosToken());
            assertEquals(3, tok.padTokenId().getAsLong());
            assertEquals(0, tok.tokenToId("<unk>"));
            assertTrue(tok.chatTemplate().isEmpty());
        }
    }

    @Test
    void promptGetsExactlyOneBos() {
        try (Tokenizer tok = Tokenizer.load(dir.resolve("model"))) {
            assertArrayEquals(new long[] {1, 4, 5}, tok.encodePrompt("Acme Corp"));
            assertArrayEquals(new long[] {1, 4, 5}, tok.encode("Acme Corp", true));
            // A prompt that already starts with the BOS text is not given a second one.
            assertArrayEquals(new long[] {1, 4, 5}, tok.encodePrompt("<s> Acme Corp"));
        }
    }

    @Test
    void pairCompletionIsTheWordIdsThenEos() {
        try (Tokenizer tok = Tokenizer.load(dir.resolve("model"))) {
            EncodedPair pair = tok.encodePair("Acme Corp said", "on Monday .", true);
            assertArrayEquals(new long[] {1, 4, 5, 6}, pair.promptIds());
            assertArrayEquals(new long[] {8, 9, 10, 2}, pair.completionIds());
            assertArrayEquals(new long[] {8, 9, 10}, tok.encodeCompletion("on Monday .", false));
        }
    }

    @Test
    void configNamesTheSpecialTokensAndNoChatTemplate() throws IOException {
        JsonNode config = new ObjectMapper().readTree(dir.resolve("model/tokenizer_config.json").toFile());
        assertEquals("<s>", config.path("bos_token").asText());
        assertEquals("</s>", config.path("eos_token").asText());
        assertEquals("<pad>", config.path("pad_token").asText());
        assertEquals("<unk>", config.path("unk_token").asText());
        assertEquals(512, config.path("model_max_length").asInt());
        assertFalse(config.has("chat_template"));
    }

    @Test
    void refusesAWordWithWhitespace() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WordTokenizerFiles.write(dir.resolve("bad"), List.of("Acme", "New York")));
        assertTrue(e.getMessage().contains("'New York'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WordTokenizerFiles.write(dir.resolve("bad"), List.of("")));
    }
}
