package dev.dpo4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static List<JsonlRow> readAll(Path file) throws IOException {
        try (JsonlReader reader = JsonlReader.open(file)) {
            List<JsonlRow> rows = new ArrayList<>();
            reader.forEach(rows::add);
            return rows;
        }
    }

    @Test
    void readsRowsInOrderSkippingBlankLinesButCountingThem() throws IOException {
        Path file = write("in.jsonl", "{\"a\":1}\n\n   \t\n{\"a\":2}\n{\"a\":3}");
        List<JsonlRow> rows = readAll(file);
        assertEquals(List.of(1, 4, 5), rows.stream().map(JsonlRow::lineNumber).collect(Collectors.toList()));
        assertEquals(List.of(1, 2, 3), rows.stream().map(r -> r.value().get("a").intValue()).collect(Collectors.toList()));
        assertEquals(file.toString(), rows.get(0).source());
    }

    @Test
    void malformedLineIsReportedWithItsLineNumberAndReadingCanContinue() throws IOException {
        // Line 1 ok, line 2 blank, line 3 malformed, lines 4-5 ok: the error must say line 3, not row 2.
        Path file = write("in.jsonl", "{\"a\":1}\n\n{\"a\": }\n{\"a\":4}\n{\"a\":5}\n");
        try (JsonlReader reader = JsonlReader.open(file)) {
            Iterator<JsonlRow> rows = reader.iterator();
            assertEquals(1, rows.next().lineNumber());
            JsonlException e = assertThrows(JsonlException.class, rows::next);
            assertEquals(3, e.line());
            assertEquals(file.toString(), e.source());
            assertTrue(e.getMessage().startsWith(file + ":3: malformed JSON: Unexpected character ('}'"), e.getMessage());
            assertTrue(e.problem().contains("(column 7)"), e.problem());
            assertEquals(4, rows.next().lineNumber());
            assertEquals(5, rows.next().lineNumber());
            assertFalse(rows.hasNext());
        }
    }

    @Test
    void lineThatIsNotAnObjectIsReported() throws IOException {
        Path file = write("in.jsonl", "{\"a\":1}\n[1, 2]\n\"text\"\n");
        try (JsonlReader reader = JsonlReader.open(file)) {
            Iterator<JsonlRow> rows = reader.iterator();
            rows.next();
            JsonlException array = assertThrows(JsonlException.class, rows::next);
            assertEquals(file + ":2: expected a JSON object, found array", array.getMessage());
            JsonlException text = assertThrows(JsonlException.class, rows::next);
            assertEquals(file + ":3: expected a JSON object, found string \"text\"", text.getMessage());
        }
    }

    @Test
    void textAfterTheObjectAndDuplicateKeysAreMalformed() throws IOException {
        Path file = write("in.jsonl", "{\"a\":1} {\"b\":2}\n{\"a\":1,\"a\":2}\n");
        try (JsonlReader reader = JsonlReader.open(file)) {
            Iterator<JsonlRow> rows = reader.iterator();
            JsonlException trailing = assertThrows(JsonlException.class, rows::next);
            assertTrue(trailing.getMessage().startsWith(file + ":1: malformed JSON:"), trailing.getMessage());
            JsonlException duplicate = assertThrows(JsonlException.class, rows::next);
            assertTrue(duplicate.getMessage().startsWith(file + ":2: malformed JSON: Duplicate field 'a'"),
                    duplicate.getMessage());
        }
    }

    @Test
    void invalidUtf8IsReportedAtItsOwnLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("{\"a\":\"ok\"}\n{\"a\":\"".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xC3); // a lead byte followed by a quote instead of a continuation byte
        bytes.writeBytes("\"}\n{\"a\":\"also ok\"}\n".getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("bad-utf8.jsonl");
        Files.write(file, bytes.toByteArray());
        try (JsonlReader reader = JsonlReader.open(file)) {
            Iterator<JsonlRow> rows = reader.iterator();
            rows.next();
            JsonlException e = assertThrows(JsonlException.class, rows::next);
            assertEquals(2, e.line());
            assertTrue(e.problem().startsWith("malformed JSON: Invalid UTF-8"), e.problem());
            assertEquals("also ok", rows.next().value().get("a").textValue());
        }
    }

    @Test
    void crlfLineEndsAndByteOrderMarkAreAccepted() throws IOException {
        Path file = write("crlf.jsonl", "\uFEFF{\"q\":\"é\"}\r\n\r\n{\"q\":\"b\"}\r\n");
        List<JsonlRow> rows = readAll(file);
        assertEquals(2, rows.size());
        assertEquals("é", rows.get(0).value().get("q").textValue());
        assertEquals(3, rows.get(1).lineNumber());
    }

    @Test
    void unicodeTextSurvivesIncludingCharactersOutsideTheBasicPlane() throws IOException {
        String text = "naïve 日本語 🤖 \u2028 end";
        Path file = write("u.jsonl", "{\"t\":\"" + text + "\",\"e\":\"\\u00e9\\ud83e\\udd16\"}\n");
        JsonlRow row = readAll(file).get(0);
        assertEquals(text, row.requireText("t"));
        assertEquals("é🤖", row.requireText("e"));
    }

    @Test
    void linesLongerThanTheReadBufferAreReadWhole() throws IOException {
        String big = "x".repeat(200_000); // three times the 64 KiB chunk
        Path file = write("big.jsonl", "{\"t\":\"" + big + "\"}\n{\"t\":\"small\"}\n");
        List<JsonlRow> rows = readAll(file);
        assertEquals(big, rows.get(0).requireText("t"));
        assertEquals("small", rows.get(1).requireText("t"));
    }

    @Test
    void dashReadsStandardInput() throws IOException {
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream("{\"a\":1}\nnot json\n".getBytes(StandardCharsets.UTF_8)));
            try (JsonlReader reader = JsonlReader.open(Path.of("-"))) {
                Iterator<JsonlRow> rows = reader.iterator();
                assertEquals(JsonlReader.STDIN_NAME, rows.next().source());
                JsonlException e = assertThrows(JsonlException.class, rows::next);
                assertTrue(e.getMessage().startsWith("<stdin>:2: malformed JSON:"), e.getMessage());
            }
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void streamFactoryNamesTheGivenSource() {
        InputStream in = new ByteArrayInputStream("{\"a\":1}\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8));
        try (JsonlReader reader = JsonlReader.of(in, "train.jsonl.gz")) {
            List<JsonlRow> rows = reader.stream().collect(Collectors.toList());
            assertEquals(2, rows.size());
            assertEquals("train.jsonl.gz", rows.get(1).source());
        }
    }

    @Test
    void emptyFileHasNoRows() throws IOException {
        assertTrue(readAll(write("empty.jsonl", "")).isEmpty());
        assertTrue(readAll(write("blank.jsonl", "\n\n  \n")).isEmpty());
    }

    @Test
    void secondIterationAndMissingFileFailClearly() throws IOException {
        Path file = write("in.jsonl", "{}\n");
        try (JsonlReader reader = JsonlReader.open(file)) {
            reader.iterator();
            IllegalStateException e = assertThrows(IllegalStateException.class, reader::iterator);
            assertTrue(e.getMessage().contains("only once"), e.getMessage());
        }
        assertThrows(NoSuchFileException.class, () -> JsonlReader.open(dir.resolve("absent.jsonl")));
    }
}
