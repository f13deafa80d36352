package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.Dataset;
import dev.dpo4j.data.io.DatasetException;
import dev.dpo4j.data.synth.SynthConfig;
import dev.dpo4j.eval.EvalItem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading {@code dpo4j evaluate} input rows into items. */
class EvalRowsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Dataset rows(String... json) throws Exception {
        List<DataRow> rows = new ArrayList<>();
        for (int i = 0; i < json.length; i++) {
            rows.add(new DataRow("rows.jsonl", i + 1, (ObjectNode) JSON.readTree(json[i])));
        }
        return Dataset.ofRows("rows.jsonl", rows);
    }

    @Test
    void instructionRowsKeepTextPromptsAndCarryMessageListsAsRenderedText() throws Exception {
        EvalRows read = EvalRows.read(rows(
                "{\"prompt\":\"Write a haiku.\",\"reference\":\"An old pond.\"}",
                "{\"id\":7,\"prompt\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                        + "{\"role\":\"user\",\"content\":\"Hi!\"}]}"),
                EvalRows.Task.instruction, SynthConfig.defaults());
        EvalItem first = read.items().get(0);
        // Without an id column the id is the SHA-1 of the prompt text, computed here independently.
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest("Write a haiku.".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new EvalItem(sha1, "Write a haiku.", "An old pond.", null), first);
        EvalItem second = read.items().get(1);
        assertEquals("7", second.id());
        assertEquals("system: Be brief.\n\nuser: Hi!", second.prompt());
        assertNull(second.reference());
        assertEquals(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi!")),
                read.conversations().get(second.prompt()));
    }

    @Test
    void summarizationRowsBecomeArticlesWithHighlightsAsReferenceAndRepeatsAreSkipped() throws Exception {
        String row = "{\"id\":\"a1\",\"article\":\"The cat sat on the mat.\",\"highlights\":\"Cat on mat.\"}";
        EvalRows read = EvalRows.read(rows(row, row), EvalRows.Task.summarization, SynthConfig.defaults());
        assertEquals(1, read.items().size());
        assertEquals(1, read.duplicates());
        EvalItem item = read.items().get(0);
        assertEquals("a1", item.id());
        assertEquals("Cat on mat.", item.reference());
        assertTrue(item.prompt().contains("The cat sat on the mat."), item.prompt());
        assertEquals("The cat sat on the mat.", item.article().text());
    }

    @Test
    void badRowsNameFileAndLine() throws Exception {
        DatasetException clash = assertThrows(DatasetException.class, () -> EvalRows.read(rows(
                "{\"id\":\"x\",\"prompt\":\"one\"}", "{\"id\":\"x\",\"prompt\":\"two\"}"),
                EvalRows.Task.instruction, SynthConfig.defaults()));
        assertTrue(clash.getMessage().contains("rows.jsonl:2") && clash.getMessage().contains("rows.jsonl:1"),
                clash.getMessage());
        DatasetException missing = assertThrows(DatasetException.class, () -> EvalRows.read(rows(
                "{\"question\":\"one\"}"), EvalRows.Task.instruction, SynthConfig.defaults()));
        assertTrue(missing.getMessage().contains("rows.jsonl:1") && missing.getMessage().contains("'prompt'"),
                missing.getMessage());
        DatasetException badMessage = assertThrows(DatasetException.class, () -> EvalRows.read(rows(
                "{\"prompt\":[{\"role\":\"user\"}]}"), EvalRows.Task.instruction, SynthConfig.defaults()));
        assertTrue(badMessage.getMessage().contains("'prompt'[0]"), badMessage.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> EvalRows.read(rows(), EvalRows.Task.instruction, SynthConfig.defaults()));
        assertTrue(empty.getMessage().contains("no rows"), empty.getMessage());
    }
}
