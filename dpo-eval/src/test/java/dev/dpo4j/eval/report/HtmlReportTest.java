package dev.dpo4j.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {

    private static final Pattern SVG = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL);

    private final String html = HtmlReport.render(SampleReports.sample(), List.of(curve("base-run", 0.0),
            curve("dpo-run", 0.1)));

    @Test
    void isOneSelfContainedDocument() {
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
        assertTrue(html.endsWith("</html>\n"));
        assertEquals(1, count(html, "<html"));
        assertEquals(1, count(html, "</html>"));
        assertEquals(1, count(html, "<body>"));
        assertEquals(1, count(html, "<style>"));
        assertFalse(html.contains("http://"), "no URLs");
        assertFalse(html.contains("https://"), "no URLs, not even from the settings");
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.contains("<link"), "no linked resources");
        assertTrue(html.contains("<title>Summaries: DPO vs base</title>"));
        assertTrue(html.contains("<p class=\"summary\">Evaluated 3 contenders on 20 examples;"));
    }

    @Test
    void escapesEveryName() {
        assertTrue(html.contains("&lt;b&gt;&amp;&quot;"));
        assertFalse(html.contains(SampleReports.NASTY));
        assertFalse(html.contains("<b>"));
    }

    @Test
    void tablesShowValuesAndIntervals() {
        assertTrue(html.contains("<td class=\"num\">2.40 <span class=\"ci\">[2.10, 2.70]</span></td>"), html);
        assertTrue(html.contains("<td class=\"num\">65.0% <span class=\"ci\">[58.0%, 72.0%]</span></td>"));
        assertTrue(html.contains("<td class=\"num\">+1.050 <span class=\"ci\">[+0.700, +1.400]</span></td>"));
        assertTrue(html.contains("<td class=\"num\"><strong>&lt; 0.001</strong></td>"));
    }

    @Test
    void hasDistributionWinRateAndOneCurveChartPerRunAndMetric() throws Exception {
        List<Document> charts = charts();
        // score distribution + win rate + per run: loss, rewards/accuracies, rewards/margins, eval_loss.
        assertEquals(10, charts.size());
        assertEquals("Distribution of QA scores per contender", label(charts.get(0)));
        assertEquals("Adjusted win rate of model A against model B", label(charts.get(1)));
        List<String> curves = new ArrayList<>();
        for (String run : List.of("base-run", "dpo-run")) {
            for (String metric : List.of("loss", "rewards/accuracies", "rewards/margins", "eval_loss")) {
                curves.add("Training curve: " + run + ": " + metric);
            }
        }
        assertEquals(curves, charts.subList(2, 10).stream().map(HtmlReportTest::label).toList());
        for (Document chart : charts) {
            assertEquals("600", chart.getDocumentElement().getAttribute("width"));
        }
    }

    @Test
    void distributionBarsAreProportionalToShares() throws Exception {
        // Highest share is 6/20 = 0.3 (dpo, score 3): the y axis runs 0..0.3 in steps of 0.1
        // over a plot 260 − 36 − 42 = 182 px high, so base's score-2 bar (5/20 = 0.25) is
        // 0.25/0.3·182 = 151.7 px and dpo's score-0 bar (0/20) is 0 px.
        Document chart = charts().get(0);
        assertEquals("151.7", rectByTooltip(chart, "base: score 2: 5 of 20 (25.0%)").getAttribute("height"));
        assertEquals("0", rectByTooltip(chart, "dpo: score 0: 0 of 20 (0.0%)").getAttribute("height"));
        // One colour per contender with a QA result, the same as in the tables: base blue, dpo orange.
        assertEquals("#4e79a7", rectByTooltip(chart, "base: score 2: 5 of 20 (25.0%)").getAttribute("fill"));
        assertEquals("#f28e2b", rectByTooltip(chart, "dpo: score 0: 0 of 20 (0.0%)").getAttribute("fill"));
        assertTrue(texts(chart).containsAll(List.of("base", "dpo", "0", "5", "30%", "share of outputs")));
    }

    @Test
    void winRateBarsHaveLengthOfTheRateAndALineAtParity() throws Exception {
        // The x axis maps 0..1 onto 600 − 190 − 56 = 354 px starting at x = 190, so a win rate
        // of 0.65 is a bar 0.65·354 = 230.1 px long and parity sits at x = 190 + 177 = 367.
        Document chart = charts().get(1);
        Element bar = rectByTooltip(chart, "dpo vs base: 65.0% [58.0%, 72.0%], 60 wins, 30 losses, 10 ties");
        assertEquals("190", bar.getAttribute("x"));
        assertEquals("230.1", bar.getAttribute("width"));
        boolean parity = false;
        NodeList lines = chart.getElementsByTagName("line");
        for (int i = 0; i < lines.getLength(); i++) {
            Element line = (Element) lines.item(i);
            parity |= line.getAttribute("class").equals("parity") && line.getAttribute("x1").equals("367");
        }
        assertTrue(parity, "dashed parity line at 50%");
        assertTrue(texts(chart).containsAll(List.of("dpo vs base", "0%", "50%", "100%", "65.0%")));
    }

    @Test
    void curveChartsDrawOneRunEachInItsColourAndNameIt() throws Exception {
        Document baseLoss = charts().get(2);
        Document dpoLoss = charts().get(6);
        assertEquals(1, baseLoss.getElementsByTagName("polyline").getLength());
        assertTrue(texts(baseLoss).containsAll(List.of("base-run: loss", "step", "loss")), texts(baseLoss).toString());
        assertTrue(texts(dpoLoss).contains("dpo-run: loss"), texts(dpoLoss).toString());
        // the run's colour is the same in each of its charts, and differs between runs
        String base = ((Element) baseLoss.getElementsByTagName("polyline").item(0)).getAttribute("stroke");
        String dpo = ((Element) dpoLoss.getElementsByTagName("polyline").item(0)).getAttribute("stroke");
        assertEquals(base, ((Element) charts().get(3).getElementsByTagName("polyline").item(0)).getAttribute("stroke"));
        assertFalse(base.equals(dpo));
    }

    @Test
    void omitsSectionsWithoutData() {
        EvalReport bare = new EvalReport("Bare", 0, List.of(), List.of(), List.of(), null);
        String page = HtmlReport.render(bare, null);
        assertFalse(page.contains("<svg"));
        assertFalse(page.contains("<table"));
        assertTrue(page.contains("<h1>Bare</h1>"));
    }

    private List<Document> charts() throws Exception {
        List<Document> out = new ArrayList<>();
        Matcher m = SVG.matcher(html);
        while (m.find()) {
            // Each chart must be well-formed XML (the HTML parser is forgiving; this test is not).
            out.add(DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.UTF_8))));
        }
        return out;
    }

    private static String label(Document chart) {
        return chart.getDocumentElement().getAttribute("aria-label");
    }

    private static Element rectByTooltip(Document chart, String tooltip) {
        NodeList rects = chart.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            if (rect.getTextContent().equals(tooltip)) {
                return rect;
            }
        }
        throw new AssertionError("no bar with tooltip " + tooltip);
    }

    private static List<String> texts(Document chart) {
        List<String> out = new ArrayList<>();
        NodeList nodes = chart.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** Ten training steps with an evaluation every fifth step; {@code offset} shifts the values. */
    private static TrainingCurve curve(String run, double offset) {
        List<Map<String, Double>> points = new ArrayList<>();
        for (int step = 1; step <= 10; step++) {
            Map<String, Double> train = new HashMap<>();
            train.put("step", (double) step);
            train.put("loss", 0.7 - 0.02 * step - offset);
            train.put("rewards/accuracies", 0.5 + 0.04 * step);
            train.put("rewards/margins", 0.01 * step + offset);
            points.add(train);
            if (step % 5 == 0) {
                points.add(Map.of("step", (double) step, "eval_loss", 0.68 - 0.01 * step));
            }
        }
        return new TrainingCurve(run, points);
    }

    @Test
    void runsOfVeryDifferentLengthsEachGetTheirOwnStepAxis() throws Exception {
        // an SFT of 3,000 steps and a DPO of 57: the DPO curve spans its chart, not 2% of a shared one
        List<Map<String, Double>> sft = new ArrayList<>();
        for (int step = 100; step <= 3000; step += 100) {
            sft.add(Map.of("step", (double) step, "loss", 3.0 - step / 1500.0));
        }
        List<Map<String, Double>> dpo = new ArrayList<>();
        for (int step = 1; step <= 57; step++) {
            dpo.add(Map.of("step", (double) step, "loss", 0.69 - step / 200.0));
        }
        List<String> charts = CurveChart.renderAll(List.of(new TrainingCurve("sft", sft), new TrainingCurve("dpo", dpo)));
        assertEquals(2, charts.size());
        assertTrue(charts.get(0).contains(">3000<") || charts.get(0).contains(">3,000<"), charts.get(0));
        assertFalse(charts.get(1).contains(">3000<") || charts.get(1).contains(">3,000<"), "dpo's axis ends near 57");
        assertTrue(charts.get(1).contains(">60<") || charts.get(1).contains(">50<"), charts.get(1));
    }
}
