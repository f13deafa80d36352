package dev.dpo4j.data.tokenize;

import static dev.dpo4j.data.tokenize.TestData.jsonl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.core.train.PreferencePair;
import dev.dpo4j.data.io.DatasetException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad preference row fails with {@code "file:line: field 'name' problem"}. Each file starts with a
 * good row so the reported line number is checked too.
 */
class PairReaderErrorsTest {

    private static final String GOOD_TEXT = "{\"prompt\":\"Q\",\"chosen\":\"a\",\"rejected\":\"b\"}";
    private static final String GOOD_IDS = "{\"prompt_ids\":[1],\"chosen_ids\":[3],\"rejected_ids\":[4]}";
    private static final String USER = "{\"role\":\"user\",\"content\":\"Q\"}";
    private static final String ANSWER = "{\"role\":\"assistant\",\"content\":\"A\"}";

    @TempDir
    Path dir;

    /** Reads {@code good} then {@code bad} (line 2) and returns the message. */
    private String error(Tokenizer tokenizer, int vocabSize, String good, String bad) {
        Path file = jsonl(dir, "bad.jsonl", good, bad);
        DatasetException e = assertThrows(DatasetException.class,
                () -> new PairReader(tokenizer, vocabSize, Truncation.defaults()).read(file));
        assertEquals(file.toString(), e.source());
        assertEquals(2, e.line());
        return e.getMessage();
    }

    private String textError(String bad) {
        return error(TestData.stories(), 512, GOOD_TEXT, bad);
    }

    private String at2(String problem) {
        return dir.resolve("bad.jsonl") + ":2: " + problem;
    }

    @Test
    void missingField() {
        assertEquals(at2("field 'rejected' is missing (columns: [prompt, chosen])"), textError("{\"prompt\":\"Q\",\"chosen\":\"a\"}"));
        assertEquals(at2("field 'chosen' is missing (columns: [prompt, answer])"),
                textError("{\"prompt\":\"Q\",\"answer\":\"a\"}"));
        assertEquals(at2("field 'rejected_ids' is missing"),
                error(null, 10, GOOD_IDS, "{\"prompt_ids\":[1],\"chosen_ids\":[3]}"));
    }

    @Test
    void wrongType() {
        assertEquals(at2("field 'chosen' must be a string or a list of messages, found a number"),
                textError("{\"prompt\":\"Q\",\"chosen\":5,\"rejected\":\"b\"}"));
        assertEquals(at2("field 'chosen' is a string but field 'rejected' is a list of messages; both must be strings"
                + " or both lists of messages"),
                textError("{\"prompt\":[" + USER + "],\"chosen\":\"a\",\"rejected\":[" + ANSWER + "]}"));
        assertEquals(at2("field 'chosen_ids' element [1] must be an integer, found number 1.5"),
                error(null, 10, GOOD_IDS, "{\"prompt_ids\":[1],\"chosen_ids\":[3,1.5],\"rejected_ids\":[4]}"));
    }

    @Test
    void emptyCompletion() {
        assertEquals(at2("field 'chosen' is an empty completion"), textError("{\"prompt\":\"Q\",\"chosen\":\"\",\"rejected\":\"b\"}"));
        assertEquals(at2("field 'rejected' is an empty completion"), textError("{\"prompt\":\"Q\",\"chosen\":\"a\",\"rejected\":\"  \"}"));
        assertEquals(at2("field 'chosen_ids' is empty; it needs at least one token id"),
                error(null, 10, GOOD_IDS, "{\"prompt_ids\":[1],\"chosen_ids\":[],\"rejected_ids\":[4]}"));
        // implicit prompt: the chosen dialogue ends where the answer should start
        assertEquals(at2("field 'chosen' is an empty completion"), textError(
                "{\"chosen\":\"Human: hi Assistant: \",\"rejected\":\"Human: hi Assistant: hello\"}"));
    }

    @Test
    void idOutsideTheVocabulary() {
        assertEquals(at2("field 'chosen_ids' token [1] = 10 is outside the vocabulary [0, 10)"),
                error(null, 10, GOOD_IDS, "{\"prompt_ids\":[1],\"chosen_ids\":[3,10],\"rejected_ids\":[4]}"));
        assertEquals(at2("field 'prompt_ids' token [0] = -1 is outside the vocabulary [0, 10)"),
                error(null, 10, GOOD_IDS, "{\"prompt_ids\":[-1],\"chosen_ids\":[3],\"rejected_ids\":[4]}"));
        // vocabulary unknown (0): no check
        Path file = jsonl(dir, "big.jsonl", "{\"prompt_ids\":[1],\"chosen_ids\":[99999],\"rejected_ids\":[4]}");
        assertEquals(List.of(new PreferencePair(new long[] {1}, new long[] {99999}, new long[] {4})),
                assertDoesNotThrow(file).examples());
    }

    private ReadResult<PreferencePair> assertDoesNotThrow(Path file) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(
                () -> new PairReader(null, 0, Truncation.defaults()).read(file));
    }

    @Test
    void tokenizerIdsOutsideASmallerModelVocabulary() {
        // TinyLlama's "▁Paris" is id 3681: a model with 1000 embedding rows cannot take it
        assertEquals(at2("field 'chosen' token [0] = 3681 is outside the vocabulary [0, 1000) (an id from the"
                + " tokenizer, which is larger than the model)"),
                error(TestData.tinyLlama(), 1000, "{\"prompt\":\"Q\",\"chosen\":\"a\",\"rejected\":\"b\"}",
                        "{\"prompt\":\"Q\",\"chosen\":\"Paris\",\"rejected\":\"b\"}"));
    }

    @Test
    void badMessages() {
        Tokenizer smol = TestData.smolLm2();
        String good = "{\"prompt\":[" + USER + "],\"chosen\":[" + ANSWER + "],\"rejected\":[" + ANSWER + "]}";
        assertEquals(at2("field 'prompt' message [0] has no 'role'"), error(smol, 0, good,
                "{\"prompt\":[{\"content\":\"Q\"}],\"chosen\":[" + ANSWER + "],\"rejected\":[" + ANSWER + "]}"));
        assertEquals(at2("field 'rejected' message [1] has no 'content'"), error(smol, 0, good,
                "{\"prompt\":[" + USER + "],\"chosen\":[" + ANSWER + "],\"rejected\":[" + ANSWER
                        + ",{\"role\":\"assistant\"}]}"));
        assertEquals(at2("field 'chosen' message [0] 'content' must be a string, found an array"), error(smol, 0, good,
                "{\"prompt\":[" + USER + "],\"chosen\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"text\"}]}],"
                        + "\"rejected\":[" + ANSWER + "]}"));
        assertEquals(at2("field 'chosen' message [0] must be an object with 'role' and 'content', found a string"),
                error(smol, 0, good, "{\"prompt\":[" + USER + "],\"chosen\":[\"A\"],\"rejected\":[" + ANSWER + "]}"));
        assertEquals(at2("field 'prompt' is an empty list of messages"),
                error(smol, 0, good, "{\"prompt\":[],\"chosen\":[" + ANSWER + "],\"rejected\":[" + ANSWER + "]}"));
        assertEquals(at2("field 'chosen' and field 'rejected' share no leading messages, so there is no implicit prompt;"
                + " add a 'prompt' field"),
                error(smol, 0, good, "{\"chosen\":[" + ANSWER + "],\"rejected\":[" + USER + "]}"));
    }

    @Test
    void messagesWithoutAChatTemplate() {
        String row = "{\"prompt\":[" + USER + "],\"chosen\":[" + ANSWER + "],\"rejected\":[" + ANSWER + "]}";
        assertEquals(at2("field 'prompt' holds chat messages, but the tokenizer has no chat template (none in"
                + " chat_template.jinja or tokenizer_config.json); give text instead or use a chat model's tokenizer"),
                textError(row));
    }

    @Test
    void textWithoutATokenizer() {
        assertEquals(at2("field 'chosen' is text or chat messages, which need a tokenizer; pass one to the reader,"
                + " or give token ids (the *_ids fields)"), error(null, 0, GOOD_IDS, GOOD_TEXT));
    }

    @Test
    void malformedJsonIsReportedOrSkipped() throws Exception {
        assertEquals(at2("expected a JSON object, found array"), textError("[1,2]"));
        Path file = jsonl(dir, "mixed.jsonl", GOOD_IDS, "{oops", "{\"prompt_ids\":[1],\"chosen_ids\":[],\"rejected_ids\":[4]}",
                GOOD_IDS);
        ReadResult<PreferencePair> result = new PairReader(null, 10, Truncation.defaults()).skipBadRows(true).read(file);
        assertEquals(2, result.examples().size());
        assertEquals(2, result.bad());
        assertEquals(4, result.rowsRead());
        assertEquals(file + ":3: field 'chosen_ids' is empty; it needs at least one token id", result.badRows().get(1));
        assertTrue(result.badRows().get(0).startsWith(file + ":2: malformed JSON"));
    }
}
