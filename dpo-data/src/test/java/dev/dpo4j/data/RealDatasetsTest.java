package dev.dpo4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.data.format.HhRlhfFormat;
import dev.dpo4j.data.format.PreferenceExample;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.Dataset;
import dev.dpo4j.data.io.DatasetException;
import dev.dpo4j.data.io.Datasets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapters and the builder on the real samples in ../shared/fixtures/real/datasets (read from
 * there, never copied). Expected counts are computed here from the raw JSON with plain string
 * comparisons, following the documented filter order: empty, identical, duplicate, lengths.
 */
class RealDatasetsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UF = "real/datasets/ultrafeedback/ultrafeedback_sample_1k.jsonl";
    private static final String HH = "real/datasets/hh-rlhf/harmless-base-test.jsonl.gz";
    private static final String CNN = "real/datasets/cnn_dailymail/cnn_dailymail_3.0.0_test_first100.json";
    private static final String TAG = "\n\nAssistant:";

    @Test
    void ultraFeedbackSampleIsTrlStandardWithMetadataKept(@TempDir Path dir) throws IOException {
        Path file = Fixtures.path(UF);
        List<JsonNode> raw = readJsonl(file);
        // Independent expectations: walk the raw rows in order with the documented filter order.
        long empty = 0;
        long identical = 0;
        long duplicate = 0;
        List<JsonNode> expectedKept = new ArrayList<>();
        Set<List<String>> seen = new HashSet<>();
        for (JsonNode r : raw) {
            String p = r.get("prompt").asText();
            String c = r.get("chosen").asText();
            String j = r.get("rejected").asText();
            if (p.isBlank() || c.isBlank() || j.isBlank()) {
                empty++;
            } else if (c.equals(j)) {
                identical++;
            } else if (!seen.add(List.of(p, c, j))) {
                duplicate++;
            } else {
                expectedKept.add(r);
            }
        }
        assertTrue(identical > 0, "the sample has a row with chosen == rejected; the check must see it");

        Path train = dir.resolve("train.jsonl");
        DatasetStats s = PreferenceDataset.builder().addSource(Datasets.open(file)).build().writeTo(train, null);
        assertEquals("trl", s.formats().get(file.toString()));
        assertEquals(raw.size(), s.rowsRead());
        assertEquals(empty, s.dropped(DropReason.EMPTY));
        assertEquals(identical, s.dropped(DropReason.IDENTICAL));
        assertEquals(duplicate, s.dropped(DropReason.DUPLICATE));
        assertEquals(0, s.dropped(DropReason.MALFORMED));
        assertEquals(expectedKept.size(), s.kept());
        assertEquals(s.rowsRead(), s.kept() + s.droppedTotal());

        // The written file holds exactly the kept rows, in order, with their metadata object intact.
        List<JsonNode> written = readJsonl(train);
        assertEquals(expectedKept.size(), written.size());
        for (int i = 0; i < written.size(); i++) {
            JsonNode w = written.get(i);
            JsonNode r = expectedKept.get(i);
            assertEquals(r.get("prompt"), w.get("prompt"));
            assertEquals(r.get("chosen"), w.get("chosen"));
            assertEquals(r.get("rejected"), w.get("rejected"));
            assertEquals(r.get("metadata"), w.get("metadata"));
        }
        // Character lengths: the longest kept prompt, measured here in code points.
        int maxPrompt = expectedKept.stream().mapToInt(r -> r.get("prompt").asText().codePointCount(0,
                r.get("prompt").asText().length())).max().orElseThrow();
        assertEquals(maxPrompt, s.prompt().max());
        assertEquals("characters", s.unit());
    }

    @Test
    void hhRlhfImplicitPromptsMatchAnIndependentSplit() throws IOException {
        Path file = Fixtures.path(HH);
        List<JsonNode> raw = readJsonl(file);
        assertEquals(2312, raw.size());
        HhRlhfFormat format = new HhRlhfFormat();
        int checked = 0;
        try (Stream<DataRow> rows = Datasets.open(file).stream()) {
            for (DataRow row : (Iterable<DataRow>) rows::iterator) {
                JsonNode r = raw.get((int) row.line() - 1);
                String chosen = r.get("chosen").asText();
                String rejected = r.get("rejected").asText();
                PreferenceExample e = format.adapt(row);
                // Independent definition: the longest prefix of chosen that ends with the tag and
                // is also a prefix of rejected (tried from the last tag backwards).
                assertEquals(expectedPrompt(chosen, rejected), e.prompt().flatText(), row.location());
                assertTrue(e.prompt().flatText().endsWith(TAG));
                assertEquals(chosen, e.prompt().flatText() + e.chosen().flatText());
                assertEquals(rejected, e.prompt().flatText() + e.rejected().flatText());
                checked++;
            }
        }
        assertEquals(2312, checked);
    }

    @Test
    void hhRlhfStatsCountEmptyIdenticalAndDuplicateRowsWithLocations() throws IOException {
        Path file = Fixtures.path(HH);
        List<JsonNode> raw = readJsonl(file);
        long empty = 0;
        long identical = 0;
        long duplicate = 0;
        List<Long> emptyLines = new ArrayList<>();
        Set<List<String>> seen = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String c = raw.get(i).get("chosen").asText();
            String j = raw.get(i).get("rejected").asText();
            String p = expectedPrompt(c, j);
            if (c.substring(p.length()).isBlank() || j.substring(p.length()).isBlank()) {
                empty++;
                emptyLines.add(i + 1L);
            } else if (c.equals(j)) {
                identical++;
            } else if (!seen.add(List.of(c, j))) {
                // prompt + answer rebuilds each raw field, so equal triples are equal raw pairs.
                duplicate++;
            }
        }
        // A Python pass over the file found the same 4 rows (lines 87, 517, 926, 1104) whose chosen
        // answer is only a space.
        assertEquals(4, empty);
        DatasetStats s = PreferenceDataset.builder().addSource(Datasets.open(file)).build().scan();
        assertEquals("hh-rlhf", s.formats().get(file.toString()));
        assertEquals(2312, s.rowsRead());
        assertEquals(empty, s.dropped(DropReason.EMPTY));
        assertEquals(identical, s.dropped(DropReason.IDENTICAL));
        assertEquals(duplicate, s.dropped(DropReason.DUPLICATE));
        assertEquals(2312 - empty - identical - duplicate, s.kept());
        List<String> where = s.examples(DropReason.EMPTY);
        for (int i = 0; i < where.size(); i++) {
            assertTrue(where.get(i).startsWith(file + ":" + emptyLines.get(i) + ": "), where.get(i));
        }
    }

    @Test
    void cnnDailyMailIsNotPreferenceDataAndTheErrorListsItsColumns() {
        Path file = Fixtures.path(CNN);
        PreferenceDataset ds = PreferenceDataset.builder().addSource(Datasets.open(file)).build();
        DatasetException e = assertThrows(DatasetException.class, ds::scan);
        assertTrue(e.getMessage().startsWith(file.toString() + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("columns found: [id, article, highlights]"), e.getMessage());
        assertTrue(e.getMessage().contains("hh-rlhf: needs [chosen, rejected]"), e.getMessage());
    }

    @Test
    void tokenLimitsDropExactlyTheRowsAnIndependentCountSays() throws IOException {
        Path file = Fixtures.path(UF);
        int rows = 150;
        int maxPrompt = 64;
        int maxTotal = 512;
        List<JsonNode> raw = readJsonl(file).subList(0, rows);
        try (Tokenizer tokenizer = Tokenizer.load(Fixtures.path("real/tokenizers/SmolLM2-135M"))) {
            long promptTooLong = 0;
            long totalTooLong = 0;
            long kept = 0;
            Set<List<String>> seen = new HashSet<>();
            for (JsonNode r : raw) {
                String p = r.get("prompt").asText();
                String c = r.get("chosen").asText();
                String j = r.get("rejected").asText();
                if (p.isBlank() || c.isBlank() || j.isBlank() || c.equals(j) || !seen.add(List.of(p, c, j))) {
                    continue;
                }
                int pt = tokenizer.encode(p, false).length;
                int rt = Math.max(tokenizer.encode(c, false).length, tokenizer.encode(j, false).length);
                if (pt > maxPrompt) {
                    promptTooLong++;
                } else if (pt + rt > maxTotal) {
                    totalTooLong++;
                } else {
                    kept++;
                }
            }
            assertTrue(promptTooLong > 0 && totalTooLong > 0 && kept > 0,
                    "limits chosen so that each outcome occurs: " + promptTooLong + "/" + totalTooLong + "/" + kept);
            Dataset first = Datasets.open(file).limit(rows);
            DatasetStats s = PreferenceDataset.builder().addSource(first).optTokenizer(tokenizer)
                    .optMaxPromptTokens(maxPrompt).optMaxTotalTokens(maxTotal).build().scan();
            assertEquals("tokens", s.unit());
            assertEquals(promptTooLong, s.dropped(DropReason.PROMPT_TOO_LONG));
            assertEquals(totalTooLong, s.dropped(DropReason.TOTAL_TOO_LONG));
            assertEquals(0, s.dropped(DropReason.RESPONSE_TOO_LONG));
            assertEquals(kept, s.kept());
            assertTrue(s.prompt().max() <= maxPrompt);
            assertFalse(s.examples(DropReason.PROMPT_TOO_LONG).isEmpty());
        }
    }

    private static String expectedPrompt(String chosen, String rejected) {
        for (int at = chosen.lastIndexOf(TAG); at >= 0; at = chosen.lastIndexOf(TAG, at - 1)) {
            String prefix = chosen.substring(0, at + TAG.length());
            if (rejected.startsWith(prefix)) {
                return prefix;
            }
        }
        throw new AssertionError("no shared assistant turn");
    }

    private static List<JsonNode> readJsonl(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        var in = Files.newInputStream(file);
        var stream = file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }
}
