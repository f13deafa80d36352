package dev.dpo4j.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.data.synth.Judgement;
import dev.dpo4j.data.synth.QuestionSet;
import dev.dpo4j.eval.report.ContenderResult;
import dev.dpo4j.eval.report.EvalReport;
import dev.dpo4j.eval.report.LengthResult;
import dev.dpo4j.eval.report.PairedDifference;
import dev.dpo4j.eval.report.PairwiseResult;
import dev.dpo4j.eval.report.QaResult;
import dev.dpo4j.eval.report.RougeResult;
import dev.dpo4j.eval.rouge.Rouge;
import dev.dpo4j.eval.rouge.RougeScore;
import dev.dpo4j.eval.stats.Bootstrap;
import dev.dpo4j.eval.stats.Distribution;
import dev.dpo4j.eval.stats.PairedTests;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stages 5 to 7: computes the report from the stages' results alone, in item order, so a resumed
 * run's report equals an uninterrupted run's. Per contender: outputs and failures, word lengths,
 * the QA score (mean, distribution, share at or above the threshold), ROUGE F1 means; per pair:
 * MT-Bench win/loss/tie with the adjusted win rate; per compared pair, the paired per-item
 * differences of the QA score and ROUGE-L F1 with bootstrap intervals and sign-flip p values.
 */
final class ReportBuilder {

    /** The metric name of the QA score in {@link PairedDifference}. */
    static final String QA_SCORE = "qa_score";
    /** The metric name of ROUGE-L F1 in {@link PairedDifference}. */
    static final String ROUGE_L = "rouge_l";

    private final EvalSettings settings;
    private final List<EvalItem> items;
    private final boolean qaOn;
    private final boolean rougeOn;
    private final Bootstrap bootstrap;
    /** Per metric, per contender, the value of each item (index as in {@code items}), or null. */
    private final Map<String, Map<String, Double[]>> perItem = new HashMap<>();

    ReportBuilder(EvalSettings settings, List<EvalItem> items, boolean qaOn, boolean rougeOn) {
        this.settings = settings;
        this.items = items;
        this.qaOn = qaOn;
        this.rougeOn = rougeOn;
        this.bootstrap = settings.bootstrap();
        perItem.put(QA_SCORE, new HashMap<>());
        perItem.put(ROUGE_L, new HashMap<>());
    }

    /**
     * Builds the report.
     *
     * @param results the stages' results
     * @return the report
     */
    EvalReport build(StageResults results) {
        List<ContenderResult> contenders = new ArrayList<>();
        for (Contender c : settings.contenders()) {
            contenders.add(contender(c, results));
        }
        ObjectNode reportSettings = settings.reportSettings(qaOn, rougeOn);
        ObjectNode notJudged = reportSettings.putObject("pairwise_not_judged");
        List<PairwiseResult> pairwise = new ArrayList<>();
        for (EvalSettings.Pair p : settings.pairs()) {
            pairwise.add(pairwise(p, results.verdicts().get(p), notJudged));
        }
        List<PairedDifference> differences = new ArrayList<>();
        for (EvalSettings.Pair p : settings.differencePairs()) {
            if (qaOn) {
                differences.add(difference(p, QA_SCORE));
            }
            if (rougeOn) {
                differences.add(difference(p, ROUGE_L));
            }
        }
        if (qaOn) {
            long failedQuestions = results.questions().values().stream().filter(q -> !q.ok()).count();
            reportSettings.put("question_sets_failed", failedQuestions);
        }
        return new EvalReport(settings.title(), items.size(), contenders, pairwise, differences, reportSettings);
    }

    private ContenderResult contender(Contender c, StageResults results) {
        Map<String, Journaled<Generation>> outputs = results.generations().get(c.name());
        List<String> texts = new ArrayList<>();
        int failed = 0;
        Double[] rougeL = new Double[items.size()];
        List<RougeScore> rouges = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Journaled<Generation> output = outputs.get(items.get(i).id());
            if (output == null || !output.ok()) {
                failed++;
                continue;
            }
            texts.add(output.value().text());
            String reference = items.get(i).reference();
            if (rougeOn && reference != null) {
                RougeScore score = Rouge.score(output.value().text(), reference);
                rouges.add(score);
                rougeL[i] = score.rougeL().f1();
            }
        }
        perItem.get(ROUGE_L).put(c.name(), rougeL);
        QaResult qa = qaOn ? qa(c, results, outputs) : null;
        RougeResult rouge = rougeOn ? rouge(rouges) : null;
        return new ContenderResult(c.name(), c.model().name(), texts.size(), failed, qa, rouge, length(texts));
    }

    /**
     * The QA result over the items with an article and an output: judged ones give scores; a
     * failed judgement or a failed question set counts as failed.
     */
    private QaResult qa(Contender c, StageResults results, Map<String, Journaled<Generation>> outputs) {
        Map<String, Journaled<Judgement>> judged = results.judgements().get(c.name());
        Double[] values = new Double[items.size()];
        List<Integer> scores = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < items.size(); i++) {
            EvalItem item = items.get(i);
            Journaled<Generation> output = outputs.get(item.id());
            if (item.article() == null || output == null || !output.ok()) {
                continue;
            }
            Journaled<QuestionSet> set = results.questions().get(item.article().id());
            Journaled<Judgement> judgement = judged.get(item.id());
            if (set == null || !set.ok() || judgement == null || !judgement.ok()) {
                failed++;
                continue;
            }
            scores.add(judgement.value().score());
            values[i] = (double) judgement.value().score();
        }
        perItem.get(QA_SCORE).put(c.name(), values);
        int questions = settings.config().numQuestions();
        int threshold = settings.config().threshold();
        int[] s = scores.stream().mapToInt(Integer::intValue).toArray();
        double[] x = Arrays.stream(s).asDoubleStream().toArray();
        boolean[] good = new boolean[s.length];
        for (int i = 0; i < s.length; i++) {
            good[i] = s[i] >= threshold;
        }
        return new QaResult(bootstrap.mean(x), questions, Distribution.of(s, questions), threshold,
                bootstrap.proportion(good), s.length, failed);
    }

    private RougeResult rouge(List<RougeScore> scores) {
        return new RougeResult(
                bootstrap.mean(scores.stream().mapToDouble(r -> r.rouge1().f1()).toArray()),
                bootstrap.mean(scores.stream().mapToDouble(r -> r.rouge2().f1()).toArray()),
                bootstrap.mean(scores.stream().mapToDouble(r -> r.rougeL().f1()).toArray()));
    }

    /** Words are whitespace-separated tokens; an output with none counts as empty. */
    private LengthResult length(List<String> texts) {
        int[] words = texts.stream().mapToInt(ReportBuilder::words).sorted().toArray();
        int n = words.length;
        double median = n == 0 ? Double.NaN : n % 2 == 1 ? words[n / 2] : (words[n / 2 - 1] + words[n / 2]) / 2.0;
        int empty = (int) Arrays.stream(words).filter(w -> w == 0).count();
        return new LengthResult(bootstrap.mean(Arrays.stream(words).asDoubleStream().toArray()), median,
                n == 0 ? 0 : words[0], n == 0 ? 0 : words[n - 1], empty);
    }

    /**
     * Counts whitespace-separated words.
     *
     * @param text the text
     * @return the number of words
     */
    static int words(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    /**
     * MT-Bench counts over the items with both verdicts; items the judge failed on, or where an
     * output is missing, are counted in the settings' {@code pairwise_not_judged}.
     */
    private PairwiseResult pairwise(EvalSettings.Pair p, Map<String, Journaled<PairVerdicts>> verdicts,
            ObjectNode notJudged) {
        int wins = 0;
        int losses = 0;
        int ties = 0;
        int inconsistent = 0;
        int judgeFailed = 0;
        int noOutput = 0;
        List<Double> values = new ArrayList<>();
        for (EvalItem item : items) {
            Journaled<PairVerdicts> v = verdicts.get(item.id());
            if (v == null) {
                noOutput++;
                continue;
            }
            if (!v.ok()) {
                judgeFailed++;
                continue;
            }
            switch (v.value().outcome()) {
                case WIN -> {
                    wins++;
                    values.add(1.0);
                }
                case LOSS -> {
                    losses++;
                    values.add(0.0);
                }
                case TIE -> {
                    ties++;
                    values.add(0.5);
                }
            }
            inconsistent += v.value().inconsistent() ? 1 : 0;
        }
        ObjectNode counts = notJudged.putObject(p.key());
        counts.put("judge_failed", judgeFailed);
        counts.put("output_missing", noOutput);
        double[] x = values.stream().mapToDouble(Double::doubleValue).toArray();
        return new PairwiseResult(p.a(), p.b(), x.length, wins, losses, ties, inconsistent, bootstrap.mean(x),
                PairedTests.signTestPValue(wins, losses));
    }

    /** The paired difference a − b of a metric over the items where both have a value. */
    private PairedDifference difference(EvalSettings.Pair p, String metric) {
        Double[] a = perItem.get(metric).get(p.a());
        Double[] b = perItem.get(metric).get(p.b());
        List<double[]> both = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (a[i] != null && b[i] != null) {
                both.add(new double[] {a[i], b[i]});
            }
        }
        double[] xa = both.stream().mapToDouble(v -> v[0]).toArray();
        double[] xb = both.stream().mapToDouble(v -> v[1]).toArray();
        int aBetter = 0;
        int bBetter = 0;
        for (int i = 0; i < xa.length; i++) {
            aBetter += xa[i] > xb[i] ? 1 : 0;
            bBetter += xa[i] < xb[i] ? 1 : 0;
        }
        return new PairedDifference(p.a(), p.b(), metric, bootstrap.pairedMeanDifference(xa, xb), aBetter, bBetter,
                xa.length - aBetter - bBetter,
                PairedTests.signFlipPValue(xa, xb, bootstrap.resamples(), bootstrap.seed()));
    }
}
