package dev.dpo4j.eval;

import dev.dpo4j.core.io.JsonlJournal;
import dev.dpo4j.data.synth.Article;
import dev.dpo4j.data.synth.Judgement;
import dev.dpo4j.data.synth.QaJudge;
import dev.dpo4j.data.synth.QuestionSet;
import dev.dpo4j.data.synth.QuestionWriter;
import dev.dpo4j.data.synth.Summary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stages 1 and 3, the QA score: the judge writes each article's questions once
 * ({@link QuestionWriter}, journal {@code questions.jsonl} in the data pipeline's line format),
 * then answers them from each contender's output alone ({@link QaJudge}, journal
 * {@code qa/<name>.jsonl}). Both use the data pipeline's prompts and seeds: the question request
 * of an article is the one {@code SynthPipeline} sends, and every contender's output of an
 * article is judged with the seed of summary 0.
 */
final class QaStage {

    private final EvalSettings settings;
    private final QuestionWriter questionWriter;
    private final QaJudge qaJudge;

    /** @param settings the evaluator's settings, with a judge */
    QaStage(EvalSettings settings) {
        this.settings = settings;
        this.questionWriter = new QuestionWriter(settings.judge(), settings.config());
        this.qaJudge = new QaJudge(settings.judge(), settings.config());
    }

    /**
     * Asks the questions of every article the journal lacks.
     *
     * @param items the items; those without an article are left out
     * @return every article's question set or failure, by article id
     */
    Map<String, Journaled<QuestionSet>> questions(List<EvalItem> items) {
        Path file = settings.files().questions();
        Map<String, Journaled<QuestionSet>> all = Journaled.load(file, "article_id", QuestionSet::fromJson,
                !settings.retryFailures());
        Map<String, Article> articles = new LinkedHashMap<>();
        for (EvalItem item : items) {
            if (item.article() != null) {
                articles.putIfAbsent(item.article().id(), item.article());
            }
        }
        List<StageRunner.Task<QuestionSet>> tasks = new ArrayList<>();
        int reused = 0;
        for (Article article : articles.values()) {
            if (all.containsKey(article.id())) {
                reused++;
            } else {
                tasks.add(new StageRunner.Task<>(article.id(), () -> questionWriter.write(article)));
            }
        }
        all.putAll(new StageRunner<QuestionSet>("questions", "req", "article_id", QuestionSet::toJson,
                settings.progress()).run(tasks, JsonlJournal.open(file), settings.threads(settings.judge()), reused));
        return all;
    }

    /**
     * Judges every output of a contender the journal lacks: items with an article, an output and
     * the article's questions.
     *
     * @param contender the contender
     * @param items the items
     * @param outputs the contender's outputs by item id
     * @param questions the question sets by article id
     * @return every judged item's judgement or failure, by item id
     */
    Map<String, Journaled<Judgement>> judge(Contender contender, List<EvalItem> items,
            Map<String, Journaled<Generation>> outputs, Map<String, Journaled<QuestionSet>> questions) {
        Path file = settings.files().qa(contender.name());
        Map<String, Journaled<Judgement>> all = Journaled.load(file, "item_id", Judgement::fromJson,
                !settings.retryFailures());
        List<StageRunner.Task<Judgement>> tasks = new ArrayList<>();
        int reused = 0;
        for (EvalItem item : items) {
            Article article = item.article();
            Journaled<Generation> output = outputs.get(item.id());
            Journaled<QuestionSet> set = article == null ? null : questions.get(article.id());
            if (set == null || !set.ok() || output == null || !output.ok()) {
                continue;
            }
            if (all.containsKey(item.id())) {
                reused++;
                continue;
            }
            Summary summary = new Summary(article.id(), 0, output.value().text(), contender.name());
            tasks.add(new StageRunner.Task<>(item.id(), () -> qaJudge.judge(summary, set.value())));
        }
        all.putAll(new StageRunner<Judgement>("qa " + contender.name(), "req", "item_id", Judgement::toJson,
                settings.progress()).run(tasks, JsonlJournal.open(file), settings.threads(settings.judge()), reused));
        return all;
    }
}
