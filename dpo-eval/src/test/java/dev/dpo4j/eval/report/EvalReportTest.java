package dev.dpo4j.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalReportTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void jsonRoundTripThroughTextEqualsTheReport() throws Exception {
        EvalReport report = SampleReports.sample();
        JsonNode parsed = MAPPER.readTree(MAPPER.writeValueAsString(report.toJson()));
        EvalReport back = EvalReport.fromJson(parsed);
        assertEquals(report, back);
        assertNull(back.contenders().get(1).rouge());
        assertTrue(Double.isNaN(back.contenders().get(2).length().words().low()));
    }

    @Test
    void jsonUsesSnakeCaseKeysAndNullForMissingResults() {
        ObjectNode json = SampleReports.sample().toJson();
        JsonNode base = json.get("contenders").get(0);
        assertEquals(2.4, base.at("/qa/mean_score/value").doubleValue());
        assertEquals(0.5, base.at("/qa/share_at_threshold/value").doubleValue());
        assertEquals("[2,3,5,5,4,1]", base.at("/qa/scores").toString());
        assertEquals(0.3, base.at("/rouge/rouge_l/value").doubleValue());
        assertEquals(118.0, base.at("/length/median_words").doubleValue());
        assertTrue(json.get("contenders").get(1).get("rouge").isNull());
        JsonNode pair = json.get("pairwise").get(0);
        assertEquals(4, pair.get("inconsistent").intValue());
        assertEquals(0.65, pair.at("/win_rate_adjusted/value").doubleValue());
        assertEquals(0.0021, pair.get("sign_test_p").doubleValue());
        assertEquals(14, json.get("differences").get(0).get("a_better").intValue());
        assertEquals(42, json.at("/settings/seed").intValue());
    }

    @Test
    void fromJsonNamesThePathOfABadField() {
        ObjectNode json = SampleReports.sample().toJson();
        ((ObjectNode) json.get("contenders").get(1)).remove("name");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvalReport.fromJson(json));
        assertEquals("eval_report.contenders[1]: contender_result.name is missing", e.getMessage());
        ObjectNode badWins = SampleReports.sample().toJson();
        ((ObjectNode) badWins.get("pairwise").get(0)).put("wins", "many");
        IllegalArgumentException wins = assertThrows(IllegalArgumentException.class,
                () -> EvalReport.fromJson(badWins));
        assertTrue(wins.getMessage().contains("pairwise_result.wins: expected an integer"), wins.getMessage());
    }

    @Test
    void isImmutable() {
        EvalReport report = SampleReports.sample();
        report.settings().put("seed", 7);
        assertEquals(42, report.settings().get("seed").intValue());
        assertThrows(UnsupportedOperationException.class, () -> report.contenders().clear());
    }

    @Test
    void writeCreatesTheThreeFilesAndNothingElse(@TempDir Path dir) throws Exception {
        EvalReport report = SampleReports.sample();
        Path out = dir.resolve("eval/report");
        TrainingCurve curve = new TrainingCurve("dpo", List.of(Map.of("step", 1.0, "loss", 0.69),
                Map.of("step", 2.0, "loss", 0.6)));
        report.write(out, List.of(curve));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("report.html", "report.json", "report.md"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(report, EvalReport.read(out.resolve(EvalReport.JSON_FILE)));
        assertEquals(report.toMarkdown(), Files.readString(out.resolve(EvalReport.MARKDOWN_FILE)));
        String html = Files.readString(out.resolve(EvalReport.HTML_FILE));
        assertEquals(HtmlReport.render(report, List.of(curve)), html);
        // Writing again replaces the files in place.
        new EvalReport("second", 1, List.of(), List.of(), List.of(), null).write(out, null);
        assertEquals("second", EvalReport.read(out.resolve(EvalReport.JSON_FILE)).title());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(3, files.count());
        }
    }
}
