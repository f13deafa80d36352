package dev.dpo4j.eval;

import dev.dpo4j.core.io.DirectoryLock;
import dev.dpo4j.data.synth.Judgement;
import dev.dpo4j.data.synth.QuestionSet;
import dev.dpo4j.eval.report.EvalReport;
import dev.dpo4j.eval.report.TrainingCurve;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One run of an {@link Evaluator}, top to bottom: check the items, take the directory's lock,
 * check {@code eval.json}, then questions → generations → QA judgements → pairwise verdicts, each
 * stage asking only what its journal lacks, and finally the report, computed from the journals
 * alone and written as JSON, Markdown and HTML.
 */
final class EvalRun {

    private final EvalSettings settings;

    /** @param settings the evaluator's settings */
    EvalRun(EvalSettings settings) {
        this.settings = settings;
    }

    /**
     * Runs or resumes the evaluation.
     *
     * @param items the items
     * @return the report
     */
    EvalReport run(List<EvalItem> items) {
        checkItems(items);
        boolean qaOn = qaOn(items);
        boolean rougeOn = rougeOn(items);
        EvalFiles files = settings.files();
        try {
            Files.createDirectories(files.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + files.dir() + ": " + e.getMessage(), e);
        }
        try (DirectoryLock lock = DirectoryLock.acquire(files.lock(), "evaluation")) {
            EvalManifest.checkOrMerge(files.manifest(), settings.manifest());
            List<TrainingCurve> curves = curves();
            StageResults results = stages(items, qaOn);
            EvalReport report = new ReportBuilder(settings, items, qaOn, rougeOn).build(results);
            report.write(files.dir(), curves);
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + files.dir() + ": " + e.getMessage(), e);
        }
    }

    private StageResults stages(List<EvalItem> items, boolean qaOn) {
        QaStage qa = qaOn ? new QaStage(settings) : null;
        // 1. questions per article
        Map<String, Journaled<QuestionSet>> questions = qaOn ? qa.questions(items) : Map.of();
        // 2. each contender's output per item
        GenerationStage generation = new GenerationStage(settings);
        Map<String, Map<String, Journaled<Generation>>> outputs = new LinkedHashMap<>();
        for (Contender c : settings.contenders()) {
            outputs.put(c.name(), generation.run(c, items));
        }
        // 3. QA judgements per contender
        Map<String, Map<String, Journaled<Judgement>>> judgements = new LinkedHashMap<>();
        if (qaOn) {
            for (Contender c : settings.contenders()) {
                judgements.put(c.name(), qa.judge(c, items, outputs.get(c.name()), questions));
            }
        }
        // 4. pairwise verdicts, both orders
        Map<EvalSettings.Pair, Map<String, Journaled<PairVerdicts>>> verdicts = new LinkedHashMap<>();
        if (!settings.pairs().isEmpty()) {
            PairwiseStage pairwise = new PairwiseStage(settings);
            for (EvalSettings.Pair p : settings.pairs()) {
                verdicts.put(p, pairwise.run(p, items, outputs.get(p.a()), outputs.get(p.b())));
            }
        }
        return new StageResults(questions, outputs, judgements, verdicts);
    }

    private static void checkItems(List<EvalItem> items) {
        Objects.requireNonNull(items, "items");
        if (items.isEmpty()) {
            throw new IllegalArgumentException("Evaluator.run: no items to evaluate");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            EvalItem item = Objects.requireNonNull(items.get(i), "items[" + i + "] is null");
            if (!ids.add(item.id())) {
                throw new IllegalArgumentException("Evaluator.run: item id '" + item.id() + "' occurs twice (items["
                        + i + "]); ids key the journals and must be unique");
            }
        }
    }

    /** QA runs when switched on, or by default when a judge is set and some item has an article. */
    private boolean qaOn(List<EvalItem> items) {
        boolean articles = items.stream().anyMatch(i -> i.article() != null);
        if (settings.qa() == null) {
            return settings.judge() != null && articles;
        }
        if (settings.qa() && !articles) {
            throw new IllegalArgumentException("Evaluator: optQa(true) but no item has an article to ask questions about");
        }
        return settings.qa();
    }

    /** ROUGE runs when switched on, or by default when some item has a reference. */
    private boolean rougeOn(List<EvalItem> items) {
        boolean references = items.stream().anyMatch(i -> i.reference() != null);
        if (settings.rouge() == null) {
            return references;
        }
        if (settings.rouge() && !references) {
            throw new IllegalArgumentException("Evaluator: optRouge(true) but no item has a reference");
        }
        return settings.rouge();
    }

    /** Reads the training curves first, so a bad metrics file fails before any request is sent. */
    private List<TrainingCurve> curves() {
        List<TrainingCurve> list = new ArrayList<>();
        for (Map.Entry<String, Path> e : settings.curves().entrySet()) {
            try {
                list.add(TrainingCurve.read(e.getKey(), e.getValue()));
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read metrics " + e.getValue() + ": " + ex.getMessage(), ex);
            }
        }
        return list;
    }
}
