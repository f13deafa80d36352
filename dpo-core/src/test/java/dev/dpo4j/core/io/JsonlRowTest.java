package dev.dpo4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonlRowTest {

    private static JsonlRow row(String json) throws IOException {
        return new JsonlRow("prefs.jsonl", 12, (ObjectNode) JsonlCodec.MAPPER.readTree(json));
    }

    @Test
    void longArrayReadsIntegersIncludingLargeOnes() throws IOException {
        JsonlRow row = row("{\"ids\":[1, 0, -5, 9007199254740993, 128000]}");
        // 9007199254740993 = 2^53 + 1 is not representable as a double: it must be read exactly.
        assertArrayEquals(new long[] {1, 0, -5, 9007199254740993L, 128000}, row.longArray("ids"));
        assertArrayEquals(new long[0], row("{\"ids\":[]}").longArray("ids"));
    }

    @Test
    void longArrayNamesFileLineAndFieldWhenMissingOrNull() throws IOException {
        JsonlException missing = assertThrows(JsonlException.class, () -> row("{\"x\":1}").longArray("prompt_ids"));
        assertEquals("prefs.jsonl:12: field 'prompt_ids' is missing", missing.getMessage());
        JsonlException nullValue = assertThrows(JsonlException.class, () -> row("{\"prompt_ids\":null}").longArray("prompt_ids"));
        assertEquals("prefs.jsonl:12: field 'prompt_ids' is null", nullValue.getMessage());
    }

    @Test
    void longArrayRejectsNonArraysAndNonIntegerElements() throws IOException {
        JsonlException notArray = assertThrows(JsonlException.class, () -> row("{\"ids\":\"1 2 3\"}").longArray("ids"));
        assertEquals("prefs.jsonl:12: field 'ids' must be an array of integers, found string \"1 2 3\"",
                notArray.getMessage());
        JsonlException fraction = assertThrows(JsonlException.class, () -> row("{\"ids\":[1, 2, 3, 1.5]}").longArray("ids"));
        assertEquals("prefs.jsonl:12: field 'ids' element [3] must be an integer, found number 1.5", fraction.getMessage());
        JsonlException wholeFloat = assertThrows(JsonlException.class, () -> row("{\"ids\":[1.0]}").longArray("ids"));
        assertTrue(wholeFloat.getMessage().endsWith("element [0] must be an integer, found number 1.0"), wholeFloat.getMessage());
        JsonlException quoted = assertThrows(JsonlException.class, () -> row("{\"ids\":[7, \"8\"]}").longArray("ids"));
        assertTrue(quoted.getMessage().endsWith("element [1] must be an integer, found string \"8\""), quoted.getMessage());
        JsonlException huge = assertThrows(JsonlException.class, () -> row("{\"ids\":[18446744073709551616]}").longArray("ids"));
        assertTrue(huge.getMessage().contains("element [0] must be an integer in the 64-bit range"), huge.getMessage());
    }

    @Test
    void textIsEmptyForAbsentOrNullAndFailsForOtherTypes() throws IOException {
        JsonlRow row = row("{\"prompt\":\"Hi\",\"none\":null,\"chosen\":[{\"role\":\"user\"}]}");
        assertEquals(Optional.of("Hi"), row.text("prompt"));
        assertEquals(Optional.empty(), row.text("absent"));
        assertEquals(Optional.empty(), row.text("none"));
        JsonlException e = assertThrows(JsonlException.class, () -> row.text("chosen"));
        assertEquals("prefs.jsonl:12: field 'chosen' must be a string, found array", e.getMessage());
        assertEquals("Hi", row.requireText("prompt"));
        JsonlException missing = assertThrows(JsonlException.class, () -> row.requireText("rejected"));
        assertEquals("prefs.jsonl:12: field 'rejected' is missing", missing.getMessage());
    }

    @Test
    void hasIsTrueOnlyForNonNullFields() throws IOException {
        JsonlRow row = row("{\"a\":0,\"b\":\"\",\"c\":null}");
        assertTrue(row.has("a"));
        assertTrue(row.has("b"));
        assertFalse(row.has("c"));
        assertFalse(row.has("d"));
    }

    @Test
    void longScalarsInErrorsAreShortened() throws IOException {
        String longText = "y".repeat(100);
        JsonlException e = assertThrows(JsonlException.class, () -> row("{\"ids\":\"" + longText + "\"}").longArray("ids"));
        // The quoted value is cut to 40 characters (the opening quote and 39 y's) plus an ellipsis.
        assertTrue(e.getMessage().endsWith("found string \"" + "y".repeat(39) + "…"), e.getMessage());
    }

    @Test
    void errorLocatesCallerChecksAtTheRow() throws IOException {
        JsonlException e = row("{}").error("chosen and rejected are identical");
        assertEquals("prefs.jsonl:12: chosen and rejected are identical", e.getMessage());
        assertEquals(12, e.line());
        assertEquals("chosen and rejected are identical", e.problem());
        assertEquals(JsonlRow.IN_MEMORY + ":3: x", new JsonlRow(3, JsonlCodec.MAPPER.createObjectNode()).error("x").getMessage());
    }
}
