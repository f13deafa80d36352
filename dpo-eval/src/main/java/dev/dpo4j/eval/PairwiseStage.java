package dev.dpo4j.eval;

import dev.dpo4j.core.io.JsonlJournal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stage 4: for a pair of contenders and each item both answered, the judge compares the outputs
 * twice, A's shown first and then B's ({@link PairwiseJudge}); both verdicts go on one line of
 * {@code pairwise/<a>__vs__<b>.jsonl}. When either request fails the item is journaled as a
 * failure (and both are asked again under {@code optRetryFailures}).
 */
final class PairwiseStage {

    private final EvalSettings settings;
    private final PairwiseJudge judge;

    /** @param settings the evaluator's settings, with a judge */
    PairwiseStage(EvalSettings settings) {
        this.settings = settings;
        this.judge = new PairwiseJudge(settings.judge(), settings.config());
    }

    /**
     * Judges every item of the pair the journal lacks.
     *
     * @param pair the two contenders
     * @param items the items
     * @param outputsA A's outputs by item id
     * @param outputsB B's outputs by item id
     * @return every judged item's verdicts or failure, by item id
     */
    Map<String, Journaled<PairVerdicts>> run(EvalSettings.Pair pair, List<EvalItem> items,
            Map<String, Journaled<Generation>> outputsA, Map<String, Journaled<Generation>> outputsB) {
        Path file = settings.files().pairwise(pair.a(), pair.b());
        Map<String, Journaled<PairVerdicts>> all = Journaled.load(file, "item_id", PairVerdicts::fromJson,
                !settings.retryFailures());
        List<StageRunner.Task<PairVerdicts>> tasks = new ArrayList<>();
        int reused = 0;
        for (EvalItem item : items) {
            Journaled<Generation> a = outputsA.get(item.id());
            Journaled<Generation> b = outputsB.get(item.id());
            if (a == null || !a.ok() || b == null || !b.ok()) {
                continue;
            }
            if (all.containsKey(item.id())) {
                reused++;
                continue;
            }
            String textA = a.value().text();
            String textB = b.value().text();
            tasks.add(new StageRunner.Task<>(item.id(), () -> new PairVerdicts(
                    judge.judge(item.prompt(), textA, textB), judge.judge(item.prompt(), textB, textA))));
        }
        all.putAll(new StageRunner<PairVerdicts>("pairwise " + pair.a() + " vs " + pair.b(), "item", "item_id",
                PairVerdicts::toJson, settings.progress())
                .run(tasks, JsonlJournal.open(file), settings.threads(settings.judge()), reused));
        return all;
    }
}
