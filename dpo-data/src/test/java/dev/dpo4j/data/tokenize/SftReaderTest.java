package dev.dpo4j.data.tokenize;

import static dev.dpo4j.data.tokenize.TestData.append;
import static dev.dpo4j.data.tokenize.TestData.concat;
import static dev.dpo4j.data.tokenize.TestData.count;
import static dev.dpo4j.data.tokenize.TestData.jsonl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.core.train.SftExample;
import dev.dpo4j.data.io.DatasetException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The row formats {@link SftReader} accepts, and its errors. */
class SftReaderTest {

    private static final String SYSTEM = "{\"role\":\"system\",\"content\":\"Be brief.\"}";
    private static final String USER = "{\"role\":\"user\",\"content\":\"Capital of France?\"}";
    private static final String ANSWER = "{\"role\":\"assistant\",\"content\":\"Paris.\"}";

    @TempDir
    Path dir;

    private static SftExample only(ReadResult<SftExample> result) {
        assertEquals(1, result.examples().size());
        return result.examples().get(0);
    }

    @Test
    void messagesSplitBeforeTheLastAssistantMessage() throws Exception {
        Tokenizer t = TestData.smolLm2();
        Path file = jsonl(dir, "sft.jsonl", "{\"messages\":[" + SYSTEM + "," + USER + "," + ANSWER + "],\"id\":7}");
        SftExample example = only(SftReader.of(t, Truncation.defaults()).read(file));
        List<ChatMessage> prompt = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Capital of France?"));
        List<ChatMessage> all = List.of(prompt.get(0), prompt.get(1), ChatMessage.assistant("Paris."));
        assertArrayEquals(t.encode(t.applyChatTemplate(prompt, true), true), example.promptIds());
        // ChatML is prefix-stable (special tokens at every boundary), so prompt ++ completion is the whole conversation
        assertArrayEquals(t.encode(t.applyChatTemplate(all, false), true), concat(example.promptIds(), example.completionIds()));
        assertEquals("Paris.<|im_end|>\n", t.decode(example.completionIds(), false));
        assertEquals(1, count(example.completionIds(), 2));
    }

    @Test
    void earlierTurnsBelongToThePrompt() throws Exception {
        Tokenizer t = TestData.smolLm2();
        String second = "{\"role\":\"user\",\"content\":\"And of Italy?\"}";
        String rome = "{\"role\":\"assistant\",\"content\":\"Rome.\"}";
        Path file = jsonl(dir, "sft.jsonl", "{\"messages\":[" + USER + "," + ANSWER + "," + second + "," + rome + "]}");
        SftExample example = only(SftReader.of(t, Truncation.defaults()).read(file));
        assertEquals("<|im_start|>user\nCapital of France?<|im_end|>\n<|im_start|>assistant\nParis.<|im_end|>\n"
                + "<|im_start|>user\nAnd of Italy?<|im_end|>\n<|im_start|>assistant\n", t.decode(example.promptIds(), false));
        assertEquals("Rome.<|im_end|>\n", t.decode(example.completionIds(), false));
    }

    @Test
    void promptCompletionTextGetsOneBosAndOneEos() throws Exception {
        Tokenizer t = TestData.stories();
        Path file = jsonl(dir, "sft.jsonl", "{\"prompt\":\"Once upon a time\",\"completion\":\" there was a cat.\"}");
        SftExample example = only(SftReader.of(t, Truncation.defaults()).read(file));
        assertArrayEquals(concat(new long[] {1}, t.encode("Once upon a time", false)), example.promptIds());
        assertArrayEquals(append(t.encode(" there was a cat.", false), 2), example.completionIds());
    }

    @Test
    void conversationalPromptCompletionEqualsTheMessagesRow() throws Exception {
        Path file = jsonl(dir, "sft.jsonl",
                "{\"prompt\":[" + USER + "],\"completion\":[" + ANSWER + "]}",
                "{\"messages\":[" + USER + "," + ANSWER + "]}");
        List<SftExample> examples = SftReader.of(TestData.tinyLlama(), Truncation.defaults()).read(file).examples();
        assertEquals(examples.get(1), examples.get(0));
        assertEquals(1, count(examples.get(0).promptIds(), 1));
        assertEquals(1, count(examples.get(0).completionIds(), 2));
    }

    @Test
    void idRowsAndTruncation() throws Exception {
        Path file = jsonl(dir, "sft.jsonl",
                "{\"prompt_ids\":[1,2,3],\"completion_ids\":[4,5,6,7,8,9]}",
                "{\"prompt_ids\":[1,2,3,4,5,6,7,8],\"completion_ids\":[9]}");
        ReadResult<SftExample> result = new SftReader(null, 10, Truncation.of(8, 4)).read(file);
        // the first 8 tokens of 1..3 ++ 4..9 are kept; the second row's prompt fills max_length 8
        assertEquals(List.of(new SftExample(new long[] {1, 2, 3}, new long[] {4, 5, 6, 7, 8})), result.examples());
        assertEquals(List.of(file + ":2: prompt of 8 tokens leaves no room for a completion within max_length 8"),
                result.droppedRows());
    }

    private String error(Tokenizer tokenizer, String bad) {
        Path file = jsonl(dir, "bad.jsonl", "{\"prompt_ids\":[1],\"completion_ids\":[2]}", bad);
        DatasetException e = assertThrows(DatasetException.class, () -> new SftReader(tokenizer, 100, Truncation.defaults()).read(file));
        return e.getMessage().substring(file.toString().length());
    }

    @Test
    void badRowsNameFileLineAndField() {
        Tokenizer smol = TestData.smolLm2();
        assertEquals(":2: field 'messages' has no assistant message to train on",
                error(smol, "{\"messages\":[" + USER + "]}"));
        assertEquals(":2: field 'messages' continues after its last assistant message (message [1]); an SFT"
                + " conversation must end with the assistant's answer",
                error(smol, "{\"messages\":[" + USER + "," + ANSWER + "," + USER + "]}"));
        assertEquals(":2: field 'messages' message [1] has no 'role'",
                error(smol, "{\"messages\":[" + USER + ",{\"content\":\"x\"}]}"));
        assertEquals(":2: field 'completion' is missing", error(smol, "{\"prompt\":\"Q\"}"));
        assertEquals(":2: field 'completion' is an empty completion", error(smol, "{\"prompt\":\"Q\",\"completion\":\"\"}"));
        assertEquals(":2: field 'completion_ids' token [0] = 100 is outside the vocabulary [0, 100)",
                error(null, "{\"prompt_ids\":[1],\"completion_ids\":[100]}"));
        assertEquals(":2: field 'messages' is missing: an SFT row needs 'messages', or 'prompt' and 'completion',"
                + " or 'prompt_ids' and 'completion_ids'", error(smol, "{\"text\":\"hello\"}"));
        assertEquals(":2: field 'messages' holds chat messages, but the tokenizer has no chat template (none in"
                + " chat_template.jinja or tokenizer_config.json); give text instead or use a chat model's tokenizer",
                error(TestData.stories(), "{\"messages\":[" + USER + "," + ANSWER + "]}"));
    }
}
