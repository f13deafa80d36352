package dev.dpo4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlWriterTest {

    @TempDir
    Path dir;

    /** A typed row, as callers write them. */
    record Scored(String prompt, List<Long> ids, double score) {
    }

    private static ObjectNode object(String key, String value) {
        return JsonlCodec.MAPPER.createObjectNode().put(key, value);
    }

    private static List<ObjectNode> readAll(Path file) throws IOException {
        try (JsonlReader reader = JsonlReader.open(file)) {
            List<ObjectNode> rows = new ArrayList<>();
            reader.forEach(row -> rows.add(row.value()));
            return rows;
        }
    }

    @Test
    void roundTripKeepsEveryValueAndWritesOneLinePerRow() throws IOException {
        Path file = dir.resolve("nested/dir/out.jsonl");
        ObjectNode first = object("prompt", "line one\nline two\t\"quoted\"");
        first.putArray("ids").add(1).add(9007199254740993L);
        first.putObject("meta").put("score", 0.25).putNull("none").put("ok", true);
        ObjectNode second = object("prompt", "second");
        try (JsonlWriter writer = JsonlWriter.create(file)) {
            writer.write(first);
            writer.write(second);
            assertEquals(2, writer.rowsWritten());
        }
        assertEquals(List.of(first, second), readAll(file));
        // A newline inside a string is escaped, so the file has exactly two lines.
        assertEquals(2, Files.readAllLines(file, StandardCharsets.UTF_8).size());
        assertEquals(2, JsonlWriter.countLines(file));
    }

    @Test
    void unicodeIsWrittenAsUtf8Bytes() throws IOException {
        Path file = dir.resolve("u.jsonl");
        String text = "é 日本 🤖";
        try (JsonlWriter writer = JsonlWriter.create(file)) {
            writer.write(object("t", text));
        }
        byte[] bytes = Files.readAllBytes(file);
        // The file is the UTF-8 encoding of {"t":"é 日本 🤖"}\n, with no \\u escapes.
        assertEquals("{\"t\":\"" + text + "\"}\n", new String(bytes, StandardCharsets.UTF_8));
        assertEquals(("{\"t\":\"" + text + "\"}\n").getBytes(StandardCharsets.UTF_8).length, bytes.length);
        assertEquals(text, readAll(file).get(0).get("t").textValue());
    }

    @Test
    void eachRowIsOnDiskBeforeTheWriterCloses() throws IOException {
        Path file = dir.resolve("incremental.jsonl");
        try (JsonlWriter writer = JsonlWriter.create(file)) {
            writer.write(object("n", "1"));
            assertEquals(List.of("{\"n\":\"1\"}"), Files.readAllLines(file));
            writer.write(object("n", "2"));
            assertEquals(2, JsonlWriter.countLines(file));
        }
    }

    @Test
    void appendKeepsExistingRowsAndCreateTruncates() throws IOException {
        Path file = dir.resolve("resume.jsonl");
        try (JsonlWriter writer = JsonlWriter.create(file)) {
            writer.write(object("n", "1"));
            writer.write(object("n", "2"));
        }
        try (JsonlWriter writer = JsonlWriter.append(file)) {
            writer.write(object("n", "3"));
            assertEquals(1, writer.rowsWritten());
        }
        assertEquals(List.of(object("n", "1"), object("n", "2"), object("n", "3")), readAll(file));
        assertEquals(3, JsonlWriter.countLines(file));
        try (JsonlWriter writer = JsonlWriter.create(file)) {
            writer.write(object("n", "4"));
        }
        assertEquals(List.of(object("n", "4")), readAll(file));
    }

    @Test
    void appendCreatesAMissingFile() throws IOException {
        Path file = dir.resolve("new.jsonl");
        assertEquals(0, JsonlWriter.countLines(file));
        try (JsonlWriter writer = JsonlWriter.append(file)) {
            writer.write(object("n", "1"));
        }
        assertEquals(1, JsonlWriter.countLines(file));
    }

    @Test
    void appendRemovesALastLineCutShortByAnInterruptedWrite() throws IOException {
        Path file = dir.resolve("crashed.jsonl");
        Files.writeString(file, "{\"n\":\"1\"}\n{\"n\":\"2\", \"text\":\"half wri");
        // The cut-off line is not a row, so a resumed job has done one row, not two.
        assertEquals(1, JsonlWriter.countLines(file));
        try (JsonlWriter writer = JsonlWriter.append(file)) {
            writer.write(object("n", "2"));
        }
        assertEquals("{\"n\":\"1\"}\n{\"n\":\"2\"}\n", Files.readString(file));
    }

    @Test
    void appendCompletesALastRowThatOnlyLacksItsNewline() throws IOException {
        Path file = dir.resolve("no-final-newline.jsonl");
        Files.writeString(file, "{\"n\":\"1\"}\r\n{\"n\":\"2\"}");
        assertEquals(2, JsonlWriter.countLines(file));
        try (JsonlWriter writer = JsonlWriter.append(file)) {
            writer.write(object("n", "3"));
        }
        assertEquals(List.of(object("n", "1"), object("n", "2"), object("n", "3")), readAll(file));
    }

    @Test
    void countLinesSkipsBlankLinesAndAByteOrderMark() throws IOException {
        Path file = dir.resolve("count.jsonl");
        Files.writeString(file, "\uFEFF\n{}\n\n  \n{}\r\n{}\n\n");
        assertEquals(3, JsonlWriter.countLines(file));
    }

    @Test
    void writeValueSerializesRecordsAndMapsButOnlyObjects() throws IOException {
        Path file = dir.resolve("typed.jsonl");
        try (JsonlWriter writer = JsonlWriter.create(file)) {
            writer.writeValue(new Scored("p", List.of(3L, 4L), 0.5));
            writer.writeValue(Map.of("k", "v"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.writeValue(List.of(1)));
            assertTrue(e.getMessage().contains("a JSONL row must be a JSON object"), e.getMessage());
        }
        List<JsonlRow> rows;
        try (JsonlReader reader = JsonlReader.open(file)) {
            rows = reader.stream().collect(Collectors.toList());
        }
        assertEquals(2, rows.size());
        assertEquals("p", rows.get(0).requireText("prompt"));
        assertEquals(0.5, rows.get(0).value().get("score").doubleValue());
        assertEquals(4L, rows.get(0).longArray("ids")[1]);
        assertEquals("v", rows.get(1).requireText("k"));
    }

    @Test
    void writingAfterCloseFails() throws IOException {
        JsonlWriter writer = JsonlWriter.create(dir.resolve("closed.jsonl"));
        writer.close();
        assertThrows(IllegalStateException.class, () -> writer.write(object("a", "b")));
    }
}
