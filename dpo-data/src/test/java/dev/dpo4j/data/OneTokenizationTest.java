package dev.dpo4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.core.train.PreferencePair;
import dev.dpo4j.data.format.PreferenceExample;
import dev.dpo4j.data.format.PreferenceFormat;
import dev.dpo4j.data.format.PreferenceFormats;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.Dataset;
import dev.dpo4j.data.io.DatasetException;
import dev.dpo4j.data.io.Datasets;
import dev.dpo4j.data.tokenize.ExampleTokenizer;
import dev.dpo4j.data.tokenize.PairReader;
import dev.dpo4j.data.tokenize.ReadResult;
import dev.dpo4j.data.tokenize.TestData;
import dev.dpo4j.data.tokenize.Truncation;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One row, one example: a row gives the same token ids whether {@code train} reads it raw or after
 * {@code data prepare} wrote it, and the token count {@code data prepare} filters on is the count training
 * feeds, on the real hh-rlhf and UltraFeedback samples.
 */
class OneTokenizationTest {

    /** Large enough that nothing is cut: the untruncated pairs. */
    private static final Truncation UNCUT = Truncation.of(1 << 20, 0);

    @TempDir
    Path dir;

    @Test
    void implicitPromptsFollowTrlsRuleThroughPrepareAndThroughTrain() throws Exception {
        Tokenizer t = TestData.tinyLlama();
        Path raw = TestData.jsonl(dir, "implicit.jsonl", "{\"chosen\":\"I am happy\",\"rejected\":\"I am hungry\"}",
                "{\"chosen\":\"A: yes\",\"rejected\":\"A: yes and more\"}");
        List<PreferencePair> direct = PairReader.of(t, UNCUT).read(raw).examples();
        assertEquals(direct, prepareThenRead(t, raw));
        // TRL's extract_prompt: split at the first differing character, inside the word if need be
        assertEquals(new PreferencePair(t.encodePrompt("I am h"), t.encodeCompletion("appy", true),
                t.encodeCompletion("ungry", true)), direct.get(0));
        // no difference within the shorter text: one character short of it
        assertEquals(new PreferencePair(t.encodePrompt("A: ye"), t.encodeCompletion("s", true),
                t.encodeCompletion("s and more", true)), direct.get(1));
    }

    @Test
    void tenRealHhRlhfRowsGiveTheSameIdsThroughPrepareAndThroughTrain() throws Exception {
        Tokenizer t = TestData.tinyLlama();
        List<String> lines = hhRlhfLines().subList(0, 10);
        Path raw = TestData.jsonl(dir, "hh.jsonl", lines.toArray(String[]::new));
        List<PreferencePair> direct = PairReader.of(t, UNCUT).read(raw).examples();
        assertEquals(10, direct.size());
        assertEquals(direct, prepareThenRead(t, raw));
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 10; i++) {
            // hh-rlhf's layout: the prompt is the dialogue up to its last "\n\nAssistant:", as TRL's hh-rlhf script
            String chosen = json.readTree(lines.get(i)).get("chosen").asText();
            String rejected = json.readTree(lines.get(i)).get("rejected").asText();
            int common = 0;
            while (chosen.charAt(common) == rejected.charAt(common)) {
                common++;
            }
            int end = chosen.lastIndexOf("\n\nAssistant:", common - 1) + "\n\nAssistant:".length();
            assertArrayEquals(t.encodePrompt(chosen.substring(0, end)), direct.get(i).promptIds());
            assertArrayEquals(t.encodeCompletion(chosen.substring(end), true), direct.get(i).chosenIds());
        }
    }

    @Test
    void prepareCountsWhatTrainingFeedsOnRealHhRlhf() throws Exception {
        Path raw = TestData.jsonl(dir, "hh.jsonl", hhRlhfLines().toArray(String[]::new));
        checkCounts(TestData.tinyLlama(), raw, 2312, 4, 160, 96);
    }

    @Test
    void prepareCountsWhatTrainingFeedsOnRealUltraFeedback() throws Exception {
        Path raw = Fixtures.path("real/datasets/ultrafeedback/ultrafeedback_sample_1k.jsonl");
        checkCounts(TestData.smolLm2(), raw, 1000, 0, 640, 256);
    }

    /**
     * For every row: the lengths prepare's filter measures equal the token ids training makes of the row;
     * then prepare with {@code --max-prompt-tokens P --max-total-tokens N} keeps exactly the rows that
     * {@code train --max-length N --max-prompt-length P} would not cut, and cuts none of them.
     */
    private void checkCounts(Tokenizer t, Path raw, int rows, int bad, int maxTotal, int maxPrompt) {
        Dataset dataset = Datasets.open(raw);
        PreferenceFilter filter = new PreferenceFilter(new ExampleTokenizer(t, 0), 0, 0, 0, false, false);
        PairReader reader = PairReader.of(t, UNCUT);
        PreferenceFormat format = null;
        int read = 0;
        int failed = 0;
        int fit = 0;
        try (Stream<DataRow> stream = dataset.stream()) {
            for (DataRow row : (Iterable<DataRow>) stream::iterator) {
                read++;
                format = format == null ? PreferenceFormats.detect(row) : format;
                PreferenceExample example;
                PreferenceFilter.Lengths lengths;
                try {
                    example = format.adapt(row);
                    lengths = filter.lengths(row, example);
                } catch (DatasetException e) {
                    failed++;
                    assertThrows(DatasetException.class, () -> reader.toPair(row), row.location());
                    continue;
                }
                PreferencePair pair = reader.toPair(row);
                assertEquals(new PreferenceFilter.Lengths(pair.promptIds().length, pair.chosenIds().length,
                        pair.rejectedIds().length), lengths, row.location());
                int longer = Math.max(lengths.chosen(), lengths.rejected());
                fit += lengths.prompt() <= maxPrompt && lengths.prompt() + longer <= maxTotal ? 1 : 0;
            }
        }
        assertEquals(rows, read);
        assertEquals(bad, failed, "rows neither path can tokenize (hh-rlhf: 4 empty answers)");

        Path train = dir.resolve("train.jsonl");
        DatasetStats stats = PreferenceDataset.builder().addSource(dataset).optTokenizer(t).optDedup(false)
                .optDropIdentical(false).optMaxPromptTokens(maxPrompt).optMaxTotalTokens(maxTotal).build()
                .writeTo(train, null);
        assertEquals(fit, stats.kept(), "prepare keeps exactly the rows training would not cut");
        assertTrue(fit > rows / 10 && fit < rows - bad, fit + " of " + rows + ": the limits must bite");
        ReadResult<PreferencePair> limited = PairReader.of(t, Truncation.of(maxTotal, maxPrompt)).read(train);
        assertEquals(fit, limited.examples().size());
        assertEquals(PairReader.of(t, UNCUT).read(train).examples(), limited.examples(),
                "train --max-length " + maxTotal + " cuts no row that prepare kept");
    }

    private List<PreferencePair> prepareThenRead(Tokenizer t, Path raw) {
        Path prepared = dir.resolve("prepared-" + raw.getFileName());
        PreferenceDataset.builder().addSource(Datasets.open(raw)).build().writeTo(prepared, null);
        return PairReader.of(t, UNCUT).read(prepared).examples();
    }

    private static List<String> hhRlhfLines() throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(
                Fixtures.path("real/datasets/hh-rlhf/harmless-base-test.jsonl.gz"))), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
