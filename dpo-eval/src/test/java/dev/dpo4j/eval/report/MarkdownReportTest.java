package dev.dpo4j.eval.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    private final String md = MarkdownReport.render(SampleReports.sample());

    @Test
    void startsWithTitleAndSummary() {
        assertTrue(md.startsWith("# Summaries: DPO vs base\n\nEvaluated 3 contenders on 20 examples;"), md);
        assertTrue(md.contains("Highest mean QA score: dpo with 3.45 of 5 questions answered (95% CI 3.10–3.80)."), md);
        assertTrue(md.contains("dpo beats base in pairwise judging: adjusted win rate 65.0% [58.0%, 72.0%]"), md);
    }

    @Test
    void contendersTableHasFormattedEstimatesWithIntervals() {
        assertContains("| model | QA score (mean/5) [95% CI] | ≥ 3/5 | ROUGE-1 | ROUGE-2 | ROUGE-L | words | outputs (failed) |");
        assertContains("| base | 2.40 [2.10, 2.70] | 50.0% [30.0%, 70.0%] | 0.412 [0.400, 0.425] "
                + "| 0.150 [0.140, 0.160] | 0.300 [0.290, 0.310] | 120.5 [110.3, 131.0] | 20 (0) |");
        // No ROUGE for dpo; no QA, no interval (one output) and an escaped pipe for the third.
        assertContains("| dpo | 3.45 [3.10, 3.80] | 80.0% [60.0%, 95.0%] | – | – | – | 98.0 [90.0, 106.0] | 20 (0) |");
        assertContains("| <b>&\" | – | – | – | – | – | 7.0 | 1 (19) |");
        assertContains("- dpo: `runs/dpo/final`");
    }

    @Test
    void pairwiseTableInMtBenchLayout() {
        assertContains("| model A | model B | win | loss | tie | win_rate_adjusted [95% CI] | sign-test p |");
        assertContains("| dpo | base | 60 | 30 | 10 (4 inconsistent) | 0.650 [0.580, 0.720] | 0.002 |");
        assertContains("| <b>&\" | base | 2 | 15 | 3 | 0.175 [0.050, 0.325] | 0.002 |");
    }

    @Test
    void differencesTableIsSigned() {
        assertContains("| dpo | base | qa_score | +1.050 [+0.700, +1.400] | 14 | 2 | 4 | < 0.001 |");
        assertContains("| dpo | base | rouge_l | -0.010 [-0.030, +0.010] | 9 | 10 | 1 | 0.400 |");
    }

    @Test
    void settingsAsJsonBlock() {
        assertContains("```json\n{\n  \"judge\" : \"gpt-4o-mini\",");
    }

    @Test
    void emptyReportHasNoTables() {
        String empty = new EvalReport("Nothing", 0, List.of(), List.of(), List.of(), null).toMarkdown();
        assertTrue(empty.startsWith("# Nothing\n"));
        assertFalse(empty.contains("|"), empty);
    }

    private void assertContains(String expected) {
        assertTrue(md.contains(expected), "missing:\n" + expected + "\nin:\n" + md);
    }
}
