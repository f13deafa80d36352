package dev.dpo4j.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.Fixtures;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The real dataset fixtures (skipped where absent), with row counts and first values taken from the
 * fixture README and from reading the files with Python's json module.
 */
class RealFixtureReadersTest {

    @Test
    void cnnDailyMailJsonArray() {
        Dataset data = Datasets.open(Fixtures.path("real/datasets/cnn_dailymail/cnn_dailymail_3.0.0_test_first100.json"));
        List<DataRow> rows = data.toList();
        assertEquals(100, rows.size());
        assertEquals(Set.of("id", "article", "highlights"), fields(rows.get(0).value()));
        assertEquals("f001ec5c4704938247d27a44948eebb37ae98d01", rows.get(0).get("id").asText());
        assertTrue(rows.get(0).get("article").asText().startsWith("(CNN)The Palestinian Authority officially became"));
        assertEquals(2, rows.get(0).line(), "the first object opens on line 2, after '['");
        assertTrue(rows.stream().allMatch(r -> r.get("article") != null && r.get("highlights") != null));
        assertEquals(100, data.split(0.1, 1).valid().count() + data.split(0.1, 1).train().count());
    }

    @Test
    void hhRlhfGzippedJsonLines() {
        Dataset data = Datasets.open(Fixtures.path("real/datasets/hh-rlhf/harmless-base-test.jsonl.gz"));
        assertEquals(2312, data.count());
        DataRow first = data.limit(1).toList().get(0);
        assertEquals(Set.of("chosen", "rejected"), fields(first.value()));
        assertTrue(first.get("chosen").asText().startsWith("\n\nHuman: what are some pranks with a pen i can do?"));
        assertEquals(312, data.select(2000, 3000).count(), "rows 2000..2311");
    }

    @Test
    void ultraFeedbackSampleJsonLines() {
        Dataset data = Datasets.open(Fixtures.path("real/datasets/ultrafeedback/ultrafeedback_sample_1k.jsonl"));
        assertEquals(1000, data.count());
        List<DataRow> sample = data.sample(25, 11).toList();
        assertEquals(25, sample.size());
        assertTrue(sample.stream().allMatch(r -> r.get("prompt") != null && r.get("chosen") != null
                && r.get("rejected") != null), "every row has prompt/chosen/rejected");
        assertTrue(data.limit(1).toList().get(0).get("prompt").asText()
                .startsWith("Examine how the rise of freelance platforms and on-demand services"));
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
