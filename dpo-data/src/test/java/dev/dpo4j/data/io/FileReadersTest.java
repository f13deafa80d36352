package dev.dpo4j.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON Lines, JSON and CSV readers on small hand-written files, good and bad. */
class FileReadersTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static List<Long> lines(List<DataRow> rows) {
        return rows.stream().map(DataRow::line).toList();
    }

    private static String failure(Path file) {
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.open(file).toList());
        return e.getMessage();
    }

    @Test
    void jsonlSkipsBlankLinesButCountsThem() throws IOException {
        Path file = write("a.jsonl", "{\"id\":1}\n\n{\"id\":2}\r\n   \n{\"id\":3}");
        List<DataRow> rows = Datasets.open(file).toList();
        assertEquals(List.of(1L, 3L, 5L), lines(rows));
        assertEquals(3, rows.get(2).get("id").asInt());
        assertEquals(file.toString(), rows.get(0).source());
    }

    @Test
    void jsonlBadLinesNameFileAndLine() throws IOException {
        assertEquals(dir.resolve("bad.jsonl") + ":2: ",
                failure(write("bad.jsonl", "{\"id\":1}\n{\"id\": \n{\"id\":3}\n")).substring(0,
                        (dir.resolve("bad.jsonl") + ":2: ").length()));
        String notObject = failure(write("arr.ndjson", "{\"id\":1}\n\n[1,2]\n"));
        assertTrue(notObject.startsWith(dir.resolve("arr.ndjson") + ":3: "), notObject);
    }

    @Test
    void gzippedJsonlIsDecompressed() throws IOException {
        Path file = dir.resolve("z.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("{\"a\":\"x\"}\n{\"a\":\"y\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("x", "y"), Datasets.open(file).toList().stream().map(r -> r.get("a").asText()).toList());
    }

    @Test
    void jsonArrayRowsCarryTheLineWhereTheirObjectStarts() throws IOException {
        // Objects open on lines 2, 3 and 7 (counted by hand from the text below).
        Path file = write("a.json", "[\n  {\"id\": 1},\n  {\"id\": 2,\n   \"text\": \"two\"\n  }\n  ,\n  {\"id\": 3}\n]\n");
        List<DataRow> rows = Datasets.open(file).toList();
        assertEquals(List.of(1L, 2L, 3L), rows.stream().map(r -> r.get("id").asLong()).toList());
        assertEquals(List.of(2L, 3L, 7L), lines(rows));
    }

    @Test
    void jsonAcceptsMisnamedJsonLinesAndAWrapperObject() throws IOException {
        Path lines = write("lines.json", "{\"id\": 1, \"tags\": [{\"a\": 1}]}\n\n{\"id\": 2}\n");
        assertEquals(List.of(1L, 3L), lines(Datasets.open(lines).toList()));

        Path wrapper = write("wrap.json", "{\"version\": \"1.0\",\n \"meta\": [1, 2],\n \"data\": [\n"
                + "  {\"id\": \"a\"},\n  {\"id\": \"b\", \"nested\": [{\"x\": 1}]}\n ]\n}\n");
        List<DataRow> rows = Datasets.open(wrapper).toList();
        assertEquals(List.of("a", "b"), rows.stream().map(r -> r.get("id").asText()).toList());
        assertEquals(List.of(4L, 5L), lines(rows));

        Path single = write("one.json", "{\"id\": 7, \"a\": [{\"x\": 1}], \"b\": [{\"y\": 2}]}");
        assertEquals(1, Datasets.open(single).count());
        assertEquals(0, Datasets.open(write("empty.json", "  \n")).count());
    }

    @Test
    void jsonErrorsNameFileAndLine() throws IOException {
        Path notObject = write("n.json", "[\n {\"id\": 1},\n \"two\"\n]");
        assertEquals(notObject + ":3: array element 2 is a string, expected an object", failure(notObject));
        Path broken = write("b.json", "[\n {\"id\": 1},\n {\"id\": }\n]");
        String message = failure(broken);
        assertTrue(message.startsWith(broken + ":3: invalid JSON"), message);
        Path scalar = write("s.json", "\n42");
        assertTrue(failure(scalar).startsWith(scalar + ":2: expected a JSON array"), failure(scalar));
    }

    @Test
    void csvQuotingFollowsRfc4180() throws IOException {
        Path file = write("q.csv", "\uFEFFid,text,note\r\n"
                + "1,plain,\"with, comma\"\r\n"
                + "2,\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
                + "\r\n"
                + "3,,\"\"\n");
        List<DataRow> rows = Datasets.open(file).toList();
        assertEquals(3, rows.size());
        assertEquals("with, comma", rows.get(0).get("note").asText());
        assertEquals("say \"hi\"", rows.get(1).get("text").asText());
        assertEquals("two\r\nlines", rows.get(1).get("note").asText());
        assertEquals("", rows.get(2).value().get("text").asText());
        assertEquals("1", rows.get(0).get("id").asText());
        assertTrue(rows.get(0).get("id").isTextual());
        // Records start on lines 2, 3 and 6: record 2 spans lines 3-4 and line 5 is blank.
        assertEquals(List.of(2L, 3L, 6L), lines(rows));
    }

    @Test
    void csvErrorsNameFileAndLine() throws IOException {
        Path ragged = write("r.csv", "a,b\n1,2\n\"x\ny\",2,3\n");
        assertEquals(ragged + ":3: record has 3 fields but the header has 2", failure(ragged));
        Path open = write("o.csv", "a,b\n1,2\n3,\"never closed\n4,5\n");
        assertEquals(open + ":3: quoted field is not closed before the end of the file", failure(open));
        Path stray = write("s.csv", "a,b\n\"x\"y,2\n");
        assertTrue(failure(stray).startsWith(stray + ":2: unexpected character 'y'"), failure(stray));
        Path duplicate = write("d.csv", "a,a\n1,2\n");
        assertEquals(duplicate + ":1: header names column \"a\" twice", failure(duplicate));
    }

    @Test
    void folderReadsEverySupportedFileInOrder() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Files.writeString(folder.resolve("b.csv"), "id\n3\n");
        Files.writeString(folder.resolve("a.jsonl"), "{\"id\":\"1\"}\n{\"id\":\"2\"}\n");
        Files.writeString(folder.resolve("notes.txt"), "ignored");
        List<DataRow> rows = Datasets.open(folder).toList();
        assertEquals(List.of("1", "2", "3"), rows.stream().map(r -> r.get("id").asText()).toList());
        assertEquals(folder.resolve("b.csv").toString(), rows.get(2).source());
    }

    @Test
    void missingFilesAndUnknownExtensionsAreNamed() throws IOException {
        Path missing = dir.resolve("nope.jsonl");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.open(missing));
        assertEquals(missing + ": file not found", e.getMessage());
        Path text = write("data.txt", "x");
        DatasetException unknown = assertThrows(DatasetException.class, () -> Datasets.open(text));
        assertTrue(unknown.getMessage().startsWith(text + ": unsupported file extension; supported: "
                + ".jsonl, .ndjson, .json, .csv, .parquet"), unknown.getMessage());
    }
}
