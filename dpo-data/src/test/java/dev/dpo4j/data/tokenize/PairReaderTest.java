package dev.dpo4j.data.tokenize;

import static dev.dpo4j.data.tokenize.TestData.append;
import static dev.dpo4j.data.tokenize.TestData.concat;
import static dev.dpo4j.data.tokenize.TestData.count;
import static dev.dpo4j.data.tokenize.TestData.jsonl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.core.train.PreferencePair;
import dev.dpo4j.data.io.DatasetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The row formats {@link PairReader} accepts, tokenized with real tokenizers. */
class PairReaderTest {

    @TempDir
    Path dir;

    private static PreferencePair only(ReadResult<PreferencePair> result) {
        assertEquals(1, result.examples().size());
        assertEquals(0, result.dropped());
        return result.examples().get(0);
    }

    @Test
    void idRowsAreTakenAsGivenWithoutATokenizer() throws Exception {
        Path file = jsonl(dir, "ids.jsonl",
                "{\"prompt_ids\":[1,5,6],\"chosen_ids\":[7,2],\"rejected_ids\":[8,9,2],\"score\":0.5,\"source\":\"x\"}",
                "",
                "{\"prompt_ids\":[1],\"chosen_ids\":[3],\"rejected_ids\":[4]}");
        ReadResult<PreferencePair> result = new PairReader(null, 10, Truncation.defaults()).read(file);
        assertEquals(List.of(new PreferencePair(new long[] {1, 5, 6}, new long[] {7, 2}, new long[] {8, 9, 2}),
                new PreferencePair(new long[] {1}, new long[] {3}, new long[] {4})), result.examples());
        assertEquals(2, result.rowsRead());
    }

    @Test
    void idsWinOverTextInTheSameRow() throws Exception {
        Path file = jsonl(dir, "both.jsonl",
                "{\"prompt\":\"ignored\",\"chosen\":\"x\",\"rejected\":\"y\",\"prompt_ids\":[1],\"chosen_ids\":[3],\"rejected_ids\":[4]}");
        assertEquals(new PreferencePair(new long[] {1}, new long[] {3}, new long[] {4}),
                only(PairReader.of(TestData.stories(), Truncation.defaults()).read(file)));
    }

    @Test
    void standardTextGetsOneBosAndOneEos() throws Exception {
        Tokenizer t = TestData.stories();
        Path file = jsonl(dir, "text.jsonl",
                "{\"prompt\":\"Once upon a time\",\"chosen\":\" there was a girl.\",\"rejected\":\" the end\"}");
        PreferencePair pair = only(PairReader.of(t, Truncation.defaults()).read(file));
        // prompt = BOS (1) + the text's tokens; each completion = its tokens without special tokens + EOS (2)
        assertArrayEquals(concat(new long[] {1}, t.encode("Once upon a time", false)), pair.promptIds());
        assertArrayEquals(append(t.encode(" there was a girl.", false), 2), pair.chosenIds());
        assertArrayEquals(append(t.encode(" the end", false), 2), pair.rejectedIds());
        assertEquals(1, count(pair.promptIds(), 1));
        assertEquals(1, count(pair.chosenIds(), 2));
        assertEquals(1, count(pair.rejectedIds(), 2));
    }

    @Test
    void aCompletionThatAlreadyEndsWithEosGetsNoSecond() throws Exception {
        Tokenizer t = TestData.tinyLlama();
        Path file = jsonl(dir, "eos.jsonl", "{\"prompt\":\"Capital of France?\",\"chosen\":\"Paris</s>\",\"rejected\":\"Rome\"}");
        PreferencePair pair = only(PairReader.of(t, Truncation.defaults()).read(file));
        // "</s>" in the text is the EOS token itself: one 2, at the end, for both
        assertArrayEquals(new long[] {t.tokenToId("▁Paris"), 2}, pair.chosenIds());
        assertArrayEquals(new long[] {t.tokenToId("▁Rome"), 2}, pair.rejectedIds());
    }

    @Test
    void conversationalRowsWithChatMlAreExactlyTheTemplatedConversation() throws Exception {
        Tokenizer t = TestData.smolLm2();
        Path file = jsonl(dir, "chat.jsonl", "{\"prompt\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}],"
                + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"Paris.\"}],"
                + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"Rome.\"}]}");
        PreferencePair pair = only(PairReader.of(t, Truncation.defaults()).read(file));
        List<ChatMessage> prompt = List.of(ChatMessage.user("Capital of France?"));
        String promptText = t.applyChatTemplate(prompt, true);
        String chosenText = t.applyChatTemplate(List.of(prompt.get(0), ChatMessage.assistant("Paris.")), false);
        // ChatML is prefix-stable: every turn boundary is a special token and byte-level BPE splits "\n"
        // from the following word, so tokenizing prompt and completion apart equals tokenizing the
        // whole conversation; the split point is the prompt's length.
        long[] whole = t.encode(chosenText, true);
        assertArrayEquals(whole, concat(pair.promptIds(), pair.chosenIds()));
        assertArrayEquals(t.encode(promptText, true), pair.promptIds());
        // the completion ends as the template ends the turn, "<|im_end|>\n" = [2, 198], and gets no second EOS
        long[] end = Arrays.copyOfRange(pair.chosenIds(), pair.chosenIds().length - 2, pair.chosenIds().length);
        assertArrayEquals(new long[] {2, t.tokenToId("Ċ")}, end);
        assertEquals(1, count(pair.chosenIds(), 2));
        assertEquals(1, count(pair.rejectedIds(), 2));
        // the template writes <|im_start|> (SmolLM2's BOS text) itself: it appears once per turn header, never doubled
        assertEquals(1, pair.promptIds()[0]);
        assertEquals(2, count(pair.promptIds(), 1));
    }

    @Test
    void conversationalRowsWithTinyLlamaHaveOneBosAndTheTemplatesEos() throws Exception {
        Tokenizer t = TestData.tinyLlama();
        Path file = jsonl(dir, "chat.jsonl", "{\"prompt\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}],"
                + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"Paris.\"}],"
                + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"Rome.\"}]}");
        PreferencePair pair = only(PairReader.of(t, Truncation.defaults()).read(file));
        String promptText = "<|user|>\nCapital of France?</s>\n<|assistant|>\n";
        String whole = promptText + "Paris.</s>\n";
        assertEquals(whole, t.applyChatTemplate(
                List.of(ChatMessage.user("Capital of France?"), ChatMessage.assistant("Paris.")), false));
        // the prompt is the template's text with one BOS, and a token prefix of the whole conversation
        assertArrayEquals(t.encode(promptText, true), pair.promptIds());
        long[] wholeIds = t.encode(whole, true);
        assertArrayEquals(Arrays.copyOf(wholeIds, pair.promptIds().length), pair.promptIds());
        assertEquals(1, count(pair.promptIds(), 1));
        // SentencePiece is not prefix-stable here: a separately encoded completion starts with the word
        // marker ("▁Paris") where the whole conversation has "Par"+"is"; TRL tokenizes the same way.
        // The completion keeps the template's "</s>\n" ("\n" after a special token is "▁" + <0x0A>), no second EOS.
        assertArrayEquals(new long[] {t.tokenToId("▁Paris"), t.tokenToId("."), 2, t.tokenToId("▁"), t.tokenToId("<0x0A>")},
                pair.chosenIds());
        assertEquals(1, count(pair.rejectedIds(), 2));
    }

    @Test
    void aTemplateThatWritesBosGivesOneBos() throws Exception {
        // stories260K's tokenizer with a Llama-2-style template that writes {{ bos_token }} itself and ends
        // an answer with {{ eos_token }}; built in the temp dir, nothing is copied into the repository
        Path model = Fixtures.path("real/models/stories260K");
        Path copy = Files.createDirectories(dir.resolve("llama2-style"));
        Files.copy(model.resolve("tokenizer.json"), copy.resolve("tokenizer.json"));
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(model.resolve("tokenizer_config.json").toFile());
        config.put("chat_template", "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %}[INST] "
                + "{{ m['content'] }} [/INST]{% else %} {{ m['content'] }}{{ eos_token }}{% endif %}{% endfor %}");
        Files.writeString(copy.resolve("tokenizer_config.json"), config.toString());
        try (Tokenizer t = Tokenizer.load(copy)) {
            Path file = jsonl(dir, "chat.jsonl", "{\"prompt\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                    + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"Once\"}],"
                    + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"The end\"}]}");
            PreferencePair pair = only(PairReader.of(t, Truncation.defaults()).read(file));
            // the prompt text "<s>[INST] Hi [/INST]" starts with the BOS text: encoded without adding another
            assertArrayEquals(t.encode("<s>[INST] Hi [/INST]", false), pair.promptIds());
            assertEquals(1, pair.promptIds()[0]);
            assertEquals(1, count(pair.promptIds(), 1));
            // the completion " Once</s>" already ends with EOS: exactly one, last
            assertArrayEquals(t.encode(" Once</s>", false), pair.chosenIds());
            assertEquals(2, pair.chosenIds()[pair.chosenIds().length - 1]);
            assertEquals(1, count(pair.chosenIds(), 2));
            assertEquals(1, count(pair.rejectedIds(), 2));
        }
    }

    @Test
    void implicitTextPromptIsTheCommonStart() throws Exception {
        Tokenizer t = TestData.stories();
        Path file = jsonl(dir, "hh.jsonl", "{\"chosen\":\"\\n\\nHuman: Hi\\n\\nAssistant: Sure thing\","
                + "\"rejected\":\"\\n\\nHuman: Hi\\n\\nAssistant: No\"}");
        PreferencePair pair = only(PairReader.of(t, Truncation.defaults()).read(file));
        assertArrayEquals(t.encodePrompt("\n\nHuman: Hi\n\nAssistant:"), pair.promptIds());
        assertArrayEquals(t.encodeCompletion(" Sure thing", true), pair.chosenIds());
        assertArrayEquals(t.encodeCompletion(" No", true), pair.rejectedIds());
    }

    @Test
    void implicitMessagesEqualTheExplicitRow() throws Exception {
        String user = "{\"role\":\"user\",\"content\":\"Capital of France?\"}";
        String paris = "{\"role\":\"assistant\",\"content\":\"Paris.\"}";
        String rome = "{\"role\":\"assistant\",\"content\":\"Rome.\"}";
        Path file = jsonl(dir, "msgs.jsonl",
                "{\"chosen\":[" + user + "," + paris + "],\"rejected\":[" + user + "," + rome + "]}",
                "{\"prompt\":[" + user + "],\"chosen\":[" + paris + "],\"rejected\":[" + rome + "]}");
        List<PreferencePair> pairs = PairReader.of(TestData.smolLm2(), Truncation.defaults()).read(file).examples();
        assertEquals(2, pairs.size());
        assertEquals(pairs.get(1), pairs.get(0));
    }

    @Test
    void aPromptEndingWithAnAssistantMessageIsContinued() throws Exception {
        Tokenizer t = TestData.smolLm2();
        Path file = jsonl(dir, "cont.jsonl", "{\"prompt\":[{\"role\":\"user\",\"content\":\"Capital?\"},"
                + "{\"role\":\"assistant\",\"content\":\"The capital is\"}],"
                + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"Paris.\"}],"
                + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"Rome.\"}]}");
        PreferencePair pair = only(PairReader.of(t, Truncation.defaults()).read(file));
        // TRL's continue_final_message: the prompt stops right after the assistant's text, without <|im_end|>
        assertEquals("<|im_start|>user\nCapital?<|im_end|>\n<|im_start|>assistant\nThe capital is",
                t.decode(pair.promptIds(), false));
        assertTrue(t.decode(pair.chosenIds(), false).startsWith("<|im_end|>"));
    }

    @Test
    void overLongRowsAreCutOrDroppedAndReported() throws Exception {
        Path file = jsonl(dir, "long.jsonl",
                "{\"prompt_ids\":[1,2,3,4,5,6,7,8],\"chosen_ids\":[9],\"rejected_ids\":[9]}",
                "{\"prompt_ids\":[1,2,3],\"chosen_ids\":[4,5,6,7,8,9],\"rejected_ids\":[9]}");
        ReadResult<PreferencePair> result = new PairReader(null, 0, Truncation.of(8, 0)).read(file);
        assertEquals(List.of(file + ":1: prompt of 8 tokens leaves no room for a completion within max_length 8"),
                result.droppedRows());
        assertEquals(1, result.dropped());
        assertEquals(2, result.rowsRead());
        // 3 prompt tokens leave 8 - 3 = 5 for each completion
        assertArrayEquals(new long[] {4, 5, 6, 7, 8}, result.examples().get(0).chosenIds());
    }

    @Test
    void realHhRlhfStopsAtItsFirstEmptyAnswerUnlessToldToSkipBadRows() throws Exception {
        Tokenizer t = TestData.tinyLlama();
        Path gz = Fixtures.path("real/datasets/hh-rlhf/harmless-base-test.jsonl.gz");
        // line 87's chosen dialogue ends with "\n\nAssistant: " and nothing after it
        DatasetException e = assertThrows(DatasetException.class, () -> PairReader.of(t, Truncation.defaults()).read(gz));
        assertEquals(gz + ":87: field 'chosen' is an empty completion", e.getMessage());
        // TRL 0.x's limits (max_prompt_length 512, keep_end), set explicitly as a user of the older keys would
        ReadResult<PreferencePair> result = PairReader.of(t, Truncation.of(1024, 512)).skipBadRows(true).read(gz);
        assertEquals(2312, result.rowsRead());
        // 4 rows have an empty chosen or rejected answer (counted independently with Python)
        assertEquals(4, result.bad());
        assertEquals(gz + ":87: field 'chosen' is an empty completion", result.badRows().get(0));
        assertEquals(0, result.dropped(), "max_prompt_length 512 < max_length 1024 always leaves room");
        for (PreferencePair pair : result.examples()) {
            // keep_end keeps a long prompt's last 512 tokens, losing its BOS as in TRL; a shorter one keeps it
            assertTrue(count(pair.promptIds(), 1) <= 1);
            assertTrue(pair.promptIds().length <= 512);
            if (pair.promptIds().length < 512) {
                assertEquals(1, pair.promptIds()[0]);
            }
            assertTrue(pair.promptIds().length + pair.chosenIds().length <= 1024);
            assertTrue(pair.promptIds().length + pair.rejectedIds().length <= 1024);
        }
    }

    @Test
    void realUltraFeedbackRowsReadWithSmolLm() throws Exception {
        // the first 200 of the 1000 sample rows keep the test quick (DJL's tokenizer encodes ~60k tokens/s here)
        List<String> lines = Files.readAllLines(Fixtures.path("real/datasets/ultrafeedback/ultrafeedback_sample_1k.jsonl"));
        Path file = jsonl(dir, "uf.jsonl", lines.subList(0, 200).toArray(String[]::new));
        // with TRL 0.x's prompt limit every row keeps a completion; without one (the default now) the 5 rows whose
        // prompt alone fills max_length are dropped and listed
        assertEquals(5, PairReader.of(TestData.smolLm2(), Truncation.defaults()).read(file).dropped());
        ReadResult<PreferencePair> result = PairReader.of(TestData.smolLm2(), Truncation.of(1024, 512)).read(file);
        assertEquals(200, result.examples().size());
        long endingWithEos = result.examples().stream()
                .filter(p -> p.chosenIds()[p.chosenIds().length - 1] == 2).count();
        // a chosen answer keeps its EOS unless max_length cut it; most UltraFeedback answers fit in 1024 tokens
        assertTrue(endingWithEos > 100, endingWithEos + " of 200");
        for (PreferencePair pair : result.examples()) {
            for (long[] completion : List.of(pair.chosenIds(), pair.rejectedIds())) {
                // EOS only as the last token (or not at all where max_length cut the completion)
                assertEquals(completion[completion.length - 1] == 2 ? 1 : 0, count(completion, 2));
            }
        }
    }
}
