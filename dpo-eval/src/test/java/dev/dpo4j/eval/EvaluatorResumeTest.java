package dev.dpo4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.data.synth.SynthConfig;
import dev.dpo4j.eval.report.EvalReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash and resume: a run killed after N requests (the fakes throw an {@link Error}, as a dying
 * process stops answering) and started again asks only what its journals lack, and its report
 * equals an uninterrupted run's byte for byte. A rerun with other settings is refused.
 */
class EvaluatorResumeTest {

    private static final EvalScript SCRIPT = new EvalScript(8);
    private static final List<EvalItem> ITEMS = SCRIPT.summarizationItems(SynthConfig.defaults());

    @TempDir
    Path tmp;

    /** The fakes of one run: a judge and two contenders sharing a crash countdown. */
    private record World(ScriptedModel judge, ScriptedModel base, ScriptedModel dpo) {
        static World of(int crashAfter) {
            AtomicInteger countdown = new AtomicInteger(crashAfter);
            return new World(ScriptedModel.judge(SCRIPT, ScriptedModel.Pairwise.LONGER, countdown),
                    ScriptedModel.contender("base", SCRIPT, countdown), ScriptedModel.contender("dpo", SCRIPT, countdown));
        }

        Evaluator evaluator(Path dir) {
            return Evaluator.builder().setOutputDir(dir).optProgress(null).optConcurrency(3).optJudge(judge)
                    .addContender(new Contender("base", base)).addContender(new Contender("dpo", dpo))
                    .optPairwise("dpo", "base").optBootstrap(new dev.dpo4j.eval.stats.Bootstrap(500, 7)).build();
        }

        Map<String, Integer> asked() {
            Map<String, Integer> all = new HashMap<>();
            for (ScriptedModel m : List.of(judge, base, dpo)) {
                m.asked.forEach((k, v) -> all.merge(k, v.get(), Integer::sum));
            }
            return all;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 17, 30, 41, 55})
    void aRunKilledAfterNRequestsResumesAskingOnlyWhatIsMissing(int crashAfter) throws IOException {
        World full = World.of(-1);
        Path reference = tmp.resolve("reference");
        full.evaluator(reference).run(ITEMS);
        // 8 questions + 2·8 outputs + 2·8 QA judgements + 2·8 pairwise verdicts (both orders).
        int total = full.asked().values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(8 + 16 + 16 + 16, total);
        assertTrue(crashAfter < total);

        Path dir = tmp.resolve("crashed");
        World crashing = World.of(crashAfter);
        assertThrows(ScriptedModel.Crash.class, () -> crashing.evaluator(dir).run(ITEMS));
        assertTrue(!Files.exists(dir.resolve("report.json")), "no report from a crashed run");
        cutLastLine(dir);
        int journaled = journaledRequests(dir);
        assertTrue(journaled <= crashAfter, "nothing is journaled after the crash");

        World resumed = World.of(-1);
        resumed.evaluator(dir).run(ITEMS);
        Map<String, Integer> asked = resumed.asked();
        asked.forEach((k, v) -> assertEquals(1, v, k + " asked once"));
        assertEquals(total - journaled, asked.size(), "the rerun asks exactly what the journals lack");
        assertEquals(Files.readString(reference.resolve("report.json")), Files.readString(dir.resolve("report.json")));
        assertEquals(Files.readString(reference.resolve("report.md")), Files.readString(dir.resolve("report.md")));
    }

    @Test
    void aRerunWithOtherSettingsIsRefused() {
        Path dir = tmp.resolve("run");
        World.of(-1).evaluator(dir).run(ITEMS);

        World w = World.of(-1);
        Evaluator hotter = Evaluator.builder().setOutputDir(dir).optProgress(null).optJudge(w.judge)
                .addContender(new Contender("base", w.base)).optGeneration(0.7, 256).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> hotter.run(ITEMS));
        assertTrue(e.getMessage().contains("generation.temperature: 0.0 in the directory, 0.7 now"), e.getMessage());

        Evaluator swapped = Evaluator.builder().setOutputDir(dir).optProgress(null).optJudge(w.judge)
                .addContender(new Contender("base", w.dpo)).build();
        e = assertThrows(IllegalStateException.class, () -> swapped.run(ITEMS));
        assertTrue(e.getMessage().contains("contenders.base: \"fake/base\" in the directory, \"fake/dpo\" now"),
                e.getMessage());

        Evaluator otherPrompts = Evaluator.builder().setOutputDir(dir).optProgress(null).optJudge(w.judge)
                .addContender(new Contender("base", w.base)).optSynthConfig(SynthConfig.builder()
                        .optPrompts(SynthConfig.defaults().prompts().withQaJudge(
                                "Summary: {{summary}}\nQuestions: {{questions}}")).build()).build();
        e = assertThrows(IllegalStateException.class, () -> otherPrompts.run(ITEMS));
        assertTrue(e.getMessage().contains("prompts_sha256"), e.getMessage());
        assertEquals(0, w.asked().size(), "nothing was asked");

        // An item whose prompt changed under the same id is refused too.
        List<EvalItem> changed = List.of(EvalItem.instruction(ITEMS.get(0).id(), "Another prompt about [[a00]]"));
        Evaluator same = Evaluator.builder().setOutputDir(dir).optProgress(null)
                .addContender(new Contender("base", w.base)).build();
        e = assertThrows(IllegalStateException.class, () -> same.run(changed));
        assertTrue(e.getMessage().contains("generations") && e.getMessage().contains("another prompt"), e.getMessage());

        // A contender added later is accepted and is the only one asked.
        ScriptedModel other = ScriptedModel.contender("other", SCRIPT, new AtomicInteger(-1));
        EvalReport report = Evaluator.builder().setOutputDir(dir).optProgress(null).optJudge(w.judge)
                .addContender(new Contender("base", w.base)).addContender(new Contender("other", other)).build()
                .run(ITEMS);
        assertEquals(2, report.contenders().size());
        assertEquals(8, other.total());
        assertEquals(8, w.judge.total(), "only other's QA judgements");
        assertEquals(0, w.base.total());
    }

    /** Cuts the last line of the longest journal in half, as a kill mid-write leaves it. */
    private static void cutLastLine(Path dir) throws IOException {
        Path longest;
        try (Stream<Path> files = Files.walk(dir)) {
            longest = files.filter(f -> f.toString().endsWith(".jsonl")).max((a, b) -> Long.compare(size(a), size(b)))
                    .orElse(null);
        }
        if (longest == null || size(longest) == 0) {
            return;
        }
        String text = Files.readString(longest, StandardCharsets.UTF_8);
        int start = text.lastIndexOf('\n', text.length() - 2) + 1;
        Files.writeString(longest, text.substring(0, start + (text.length() - start) / 2), StandardCharsets.UTF_8);
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Requests the complete journal lines stand for: one each, two per pairwise line (both orders). */
    private static int journaledRequests(Path dir) throws IOException {
        int n = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                long lines = Files.readString(f).chars().filter(c -> c == '\n').count();
                n += (int) lines * (f.getParent().getFileName().toString().equals("pairwise") ? 2 : 1);
            }
        }
        return n;
    }
}
