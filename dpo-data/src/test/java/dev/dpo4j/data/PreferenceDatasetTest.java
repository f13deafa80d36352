package dev.dpo4j.data;

import static dev.dpo4j.data.format.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.data.format.PreferenceFormats;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.DatasetException;
import dev.dpo4j.data.io.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreferenceDatasetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Twelve TRL rows; by construction: line 3 repeats line 1 (duplicate), line 4 has chosen equal
     * to rejected (identical), line 5 has a blank chosen (empty), line 6 lacks 'rejected'
     * (malformed), line 7 has a 40-character prompt (the only prompt over 20 characters), line 8
     * has a 30-character chosen (the only response over 20). The other 6 rows are kept.
     */
    private static List<DataRow> rows() {
        List<DataRow> rows = new ArrayList<>();
        rows.add(row("t.jsonl", 1, "{'prompt': 'p1', 'chosen': 'good', 'rejected': 'bad', 'id': 1}"));
        rows.add(row("t.jsonl", 2, "{'prompt': 'p2', 'chosen': 'good', 'rejected': 'bad'}"));
        rows.add(row("t.jsonl", 3, "{'prompt': 'p1', 'chosen': 'good', 'rejected': 'bad', 'id': 3}"));
        rows.add(row("t.jsonl", 4, "{'prompt': 'p4', 'chosen': 'same', 'rejected': 'same'}"));
        rows.add(row("t.jsonl", 5, "{'prompt': 'p5', 'chosen': '   ', 'rejected': 'bad'}"));
        rows.add(row("t.jsonl", 6, "{'prompt': 'p6', 'chosen': 'good'}"));
        rows.add(row("t.jsonl", 7, "{'prompt': '" + "x".repeat(40) + "', 'chosen': 'good', 'rejected': 'bad'}"));
        rows.add(row("t.jsonl", 8, "{'prompt': 'p8', 'chosen': '" + "y".repeat(30) + "', 'rejected': 'bad'}"));
        for (int line = 9; line <= 12; line++) {
            rows.add(row("t.jsonl", line, "{'prompt': 'p" + line + "', 'chosen': 'good', 'rejected': 'bad'}"));
        }
        return rows;
    }

    @Test
    void everyRowIsKeptOrCountedUnderOneReason() {
        DatasetStats s = PreferenceDataset.builder().addRows("t.jsonl", () -> rows().stream()).build().scan();
        // Character limits are not set: only the content filters apply (lines 3, 4, 5, 6).
        assertEquals(12, s.rowsRead());
        assertEquals(1, s.dropped(DropReason.DUPLICATE));
        assertEquals(1, s.dropped(DropReason.IDENTICAL));
        assertEquals(1, s.dropped(DropReason.EMPTY));
        assertEquals(1, s.dropped(DropReason.MALFORMED));
        assertEquals(8, s.kept());
        assertEquals(s.rowsRead(), s.kept() + s.droppedTotal());
        assertEquals(List.of("t.jsonl:3: same prompt, chosen and rejected as an earlier row"), s.examples(DropReason.DUPLICATE));
        assertEquals(List.of("t.jsonl:6: field 'rejected' is missing (columns: [prompt, chosen])"),
                s.examples(DropReason.MALFORMED));
        assertEquals(List.of("t.jsonl:5: 'chosen' is empty"), s.examples(DropReason.EMPTY));
        assertEquals("trl", s.formats().get("t.jsonl"));
        assertEquals("characters", s.unit());
        // Kept prompt lengths: 2,2,40,2,2,3,3,3 characters (p1 p2 x*40 p8 p9 p10 p11 p12), sorted
        // 2,2,2,2,3,3,3,40: nearest-rank p50 = 4th = 2, p90 = ceil(7.2) = 8th = 40.
        assertEquals(2, s.prompt().p50());
        assertEquals(40, s.prompt().p90());
        assertEquals(40, s.prompt().max());
    }

    @Test
    void switchesTurnFiltersOff() {
        DatasetStats s = PreferenceDataset.builder().addRows("t.jsonl", () -> rows().stream())
                .optDedup(false).optDropIdentical(false).build().scan();
        // Only the empty and malformed rows go; empty rows are always dropped.
        assertEquals(10, s.kept());
        assertEquals(0, s.dropped(DropReason.DUPLICATE));
        assertEquals(0, s.dropped(DropReason.IDENTICAL));
        assertEquals(1, s.dropped(DropReason.EMPTY));
    }

    @Test
    void strictModeStopsAtTheFirstMalformedRow() {
        PreferenceDataset strict = PreferenceDataset.builder().addRows("t.jsonl", () -> rows().stream())
                .optSkipBadRows(false).build();
        DatasetException e = assertThrows(DatasetException.class, strict::scan);
        assertEquals("t.jsonl:6: field 'rejected' is missing (columns: [prompt, chosen])", e.getMessage());
    }

    @Test
    void readerErrorsAreCountedWithTheirLocation() {
        // A reader that fails on its second row and carries on, as the JSONL reader does.
        PreferenceDataset ds = PreferenceDataset.builder().addRows("r.jsonl", () -> {
            List<DataRow> ok = rows().subList(0, 2);
            return java.util.stream.Stream.of(0, 1, 2).map(i -> {
                if (i == 1) {
                    throw new DatasetException("r.jsonl", 2, "malformed JSON");
                }
                return ok.get(i == 0 ? 0 : 1);
            });
        }).build();
        DatasetStats s = ds.scan();
        assertEquals(3, s.rowsRead());
        assertEquals(2, s.kept());
        assertEquals(List.of("r.jsonl:2: malformed JSON"), s.examples(DropReason.MALFORMED));
    }

    @Test
    void badLinesOfARealJsonlFileAreCountedAndReadingGoesOn(@TempDir Path dir) throws IOException {
        // Line 2 is not JSON (the reader fails), line 3 lacks 'rejected' (the adapter fails), line 4
        // is blank (skipped by JSONL, but it still counts for the line numbers after it).
        Path file = dir.resolve("mixed.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"prompt\": \"p1\", \"chosen\": \"a\", \"rejected\": \"b\"}",
                "{\"prompt\": \"p2\", \"chosen\": ",
                "{\"prompt\": \"p3\", \"chosen\": \"a\"}",
                "",
                "{\"prompt\": \"p5\", \"chosen\": \"a\", \"rejected\": \"b\"}") + "\n");
        DatasetStats s = PreferenceDataset.builder().addSource(Datasets.open(file)).build().scan();
        assertEquals(4, s.rowsRead());
        assertEquals(2, s.kept());
        assertEquals(2, s.dropped(DropReason.MALFORMED));
        List<String> where = s.examples(DropReason.MALFORMED);
        assertTrue(where.get(0).startsWith(file + ":2: "), where.get(0));
        assertEquals(file + ":3: field 'rejected' is missing (columns: [prompt, chosen])", where.get(1));
    }

    @Test
    void lengthLimitsNeedATokenizer() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PreferenceDataset.builder()
                .addRows("t", () -> rows().stream()).optMaxPromptTokens(10).build());
        assertTrue(e.getMessage().contains("optTokenizer"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> PreferenceDataset.builder().build());
        assertThrows(IllegalArgumentException.class, () -> PreferenceDataset.builder().optValidFraction(1.0));
    }

    @Test
    void undetectableSourceFailsEvenWhenSkippingBadRows() {
        DatasetException e = assertThrows(DatasetException.class, () -> PreferenceDataset.builder()
                .addRows("cnn.json", () -> java.util.stream.Stream.of(row("cnn.json", 2, "{'id': 'a', 'article': 'b', 'highlights': 'c'}")))
                .build().scan());
        assertTrue(e.getMessage().contains("columns found: [id, article, highlights]"), e.getMessage());
    }

    @Test
    void explicitFormatOverridesDetection() {
        // Read as TRL, an hh-rlhf row's prompt is the character-level common prefix (space moved
        // to the answers), not the cut at "\n\nAssistant:".
        List<String> prompts = new ArrayList<>();
        PreferenceDataset.builder()
                .addRows("hh", () -> java.util.stream.Stream.of(row("hh", 1,
                        "{'chosen': '\\n\\nHuman: Q\\n\\nAssistant: I can.', 'rejected': '\\n\\nHuman: Q\\n\\nAssistant: I cannot.'}")))
                .optFormat(PreferenceFormats.byName("trl")).build()
                .process(e -> prompts.add(e.prompt().flatText()), e -> { });
        assertEquals(List.of("\n\nHuman: Q\n\nAssistant: I can"), prompts);
    }

    @Test
    void splitIsDeterministicByPromptAndWrittenFilesReadBack(@TempDir Path dir) throws IOException {
        List<DataRow> many = new ArrayList<>();
        for (int i = 1; i <= 400; i++) {
            // Two rows per prompt (different answers), so a prompt-level split must keep pairs together.
            many.add(row("m.jsonl", 2L * i - 1, "{'prompt': 'q" + i + "', 'chosen': 'a', 'rejected': 'b', 'k': " + i + "}"));
            many.add(row("m.jsonl", 2L * i, "{'prompt': 'q" + i + "', 'chosen': 'c', 'rejected': 'd', 'k': " + i + "}"));
        }
        PreferenceDataset ds = PreferenceDataset.builder().addRows("m.jsonl", many::stream)
                .optValidFraction(0.25).optSeed(7).build();
        Path train = dir.resolve("out/train.jsonl");
        Path valid = dir.resolve("out/valid.jsonl");
        DatasetStats s = ds.writeTo(train, valid);
        List<JsonNode> trainRows = read(train);
        List<JsonNode> validRows = read(valid);
        assertEquals(s.train(), trainRows.size());
        assertEquals(s.valid(), validRows.size());
        assertEquals(800, trainRows.size() + validRows.size());
        // 400 prompts at 25%: the binomial standard deviation is sqrt(400 * 0.25 * 0.75) ≈ 8.7 prompts,
        // so 100 ± 40 prompts (±4.6 sd) holds for any reasonable hash; pairs stay together.
        Set<String> trainPrompts = prompts(trainRows);
        Set<String> validPrompts = prompts(validRows);
        assertTrue(validPrompts.size() > 60 && validPrompts.size() < 140, "valid prompts " + validPrompts.size());
        assertEquals(2L * validPrompts.size(), s.valid());
        assertTrue(trainPrompts.stream().noneMatch(validPrompts::contains));
        // Written rows are the standard layout with the extra column kept in metadata.
        JsonNode first = trainRows.get(0);
        assertEquals(List.of("prompt", "chosen", "rejected", "metadata"), fieldNames(first));
        assertTrue(first.get("metadata").has("k"));
        assertFalse(Files.list(dir.resolve("out")).anyMatch(p -> p.toString().endsWith(".tmp")));

        // Same seed, same split; another seed, another split.
        Path train2 = dir.resolve("again/train.jsonl");
        ds.writeTo(train2, dir.resolve("again/valid.jsonl"));
        assertEquals(Files.readString(train), Files.readString(train2));
        DatasetStats other = PreferenceDataset.builder().addRows("m.jsonl", many::stream)
                .optValidFraction(0.25).optSeed(8).build().writeTo(dir.resolve("o/t.jsonl"), dir.resolve("o/v.jsonl"));
        assertFalse(prompts(read(dir.resolve("o/v.jsonl"))).equals(validPrompts), "seed 8 gives the same split as 7");
        assertEquals(800, other.kept());
    }

    @Test
    void conversationalRowsAreWrittenAsMessageLists(@TempDir Path dir) throws IOException {
        DataRow conv = row("c.jsonl", 1, "{'chosen': [{'role': 'user', 'content': 'q'}, {'role': 'assistant', 'content': 'a'}],"
                + " 'rejected': [{'role': 'user', 'content': 'q'}, {'role': 'assistant', 'content': 'b'}]}");
        Path train = dir.resolve("t.jsonl");
        PreferenceDataset.builder().addRows("c.jsonl", () -> java.util.stream.Stream.of(conv)).build().writeTo(train, null);
        JsonNode written = JSON.readTree(Files.readString(train));
        assertEquals(JSON.readTree("{\"prompt\": [{\"role\": \"user\", \"content\": \"q\"}],"
                + " \"chosen\": [{\"role\": \"assistant\", \"content\": \"a\"}],"
                + " \"rejected\": [{\"role\": \"assistant\", \"content\": \"b\"}]}"), written);
    }

    @Test
    void failedPassLeavesExistingOutputUntouched(@TempDir Path dir) throws IOException {
        Path train = dir.resolve("train.jsonl");
        Files.writeString(train, "old\n");
        PreferenceDataset strict = PreferenceDataset.builder().addRows("t.jsonl", () -> rows().stream())
                .optSkipBadRows(false).build();
        assertThrows(DatasetException.class, () -> strict.writeTo(train, null));
        assertEquals("old\n", Files.readString(train));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void statsTableAndJsonNameEveryCount() {
        DatasetStats s = PreferenceDataset.builder().addRows("t.jsonl", () -> rows().stream()).build().scan();
        String table = s.table();
        assertTrue(table.contains("rows read"), table);
        assertTrue(table.contains("dropped duplicate"), table);
        assertTrue(table.contains("e.g. t.jsonl:6: field 'rejected' is missing"), table);
        assertTrue(table.contains("length (characters)"), table);
        JsonNode json = s.toJson();
        assertEquals(12, json.get("rows_read").asLong());
        assertEquals(1, json.get("dropped").get("malformed").asLong());
        assertEquals("characters", json.get("length_unit").asText());
        assertEquals(40, json.get("lengths").get("prompt").get("max").asInt());
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static Set<String> prompts(List<JsonNode> rows) {
        Set<String> out = new HashSet<>();
        rows.forEach(r -> out.add(r.get("prompt").asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
