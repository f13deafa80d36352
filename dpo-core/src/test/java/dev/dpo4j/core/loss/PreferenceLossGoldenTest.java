package dev.dpo4j.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every loss in fixtures/losses/preference_losses.json (an independent re-implementation of TRL's
 * losses) at its three (beta, label_smoothing, discopop_tau) settings: per-pair losses and batch means
 * within 1e-6 (relative above 1), rewards within 1e-9, and the reward metrics.
 */
class PreferenceLossGoldenTest {

    private static void assertClose(double expected, double actual, String what) {
        double tol = 1e-6 * Math.max(1.0, Math.abs(expected));
        assertEquals(expected, actual, tol, what);
    }

    @Test
    void everyFixtureLossMatchesPerPairAndOnAverage() {
        LossFixture fx = LossFixture.load();
        Set<String> checked = new TreeSet<>();
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceLogps in = fx.logps(m);
            for (JsonNode c : fx.cases()) {
                LossSettings s = LossFixture.settings(c);
                Iterator<Map.Entry<String, JsonNode>> it = c.get("per_sequence_loss").fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    PreferenceLoss loss = PreferenceLosses.of(e.getKey());
                    assertEquals(e.getKey(), loss.name());
                    NDArray per = loss.perSequence(in, s);
                    assertEquals(DataType.FLOAT64, per.getDataType(), e.getKey());
                    double[] got = per.toDoubleArray();
                    double[] want = LossFixture.doubles(e.getValue());
                    assertEquals(want.length, got.length, e.getKey());
                    for (int i = 0; i < want.length; i++) {
                        assertClose(want[i], got[i], e.getKey() + " pair " + i + " at " + s);
                    }
                    NDArray mean = loss.reduce(per, in);
                    assertEquals(0, mean.getShape().dimension(), "a scalar");
                    assertClose(c.get("mean_loss").get(e.getKey()).asDouble(), mean.toDoubleArray()[0],
                            e.getKey() + " mean at " + s);
                    checked.add(e.getKey());
                }
            }
        }
        // the fixture covers every registered loss except sft and cdpo (tested on their own)
        Set<String> expected = new TreeSet<>(LossType.names());
        expected.remove("sft");
        expected.remove("cdpo");
        assertEquals(expected, checked);
    }

    @Test
    void rewardsAndMetricsMatch() {
        LossFixture fx = LossFixture.load();
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceLogps in = fx.logps(m);
            for (JsonNode c : fx.cases()) {
                LossSettings s = LossFixture.settings(c);
                // rewards do not depend on the loss: use ipo, whose loss is per-token, to show they come
                // from the summed log-probs
                LossResult r = WeightedLoss.of(new IpoLoss()).compute(in, s);
                double[] chosen = r.chosenRewards().toDoubleArray();
                double[] rejected = r.rejectedRewards().toDoubleArray();
                double[] wantChosen = LossFixture.doubles(c.get("rewards_chosen"));
                double[] wantRejected = LossFixture.doubles(c.get("rewards_rejected"));
                for (int i = 0; i < chosen.length; i++) {
                    assertEquals(wantChosen[i], chosen[i], 1e-9, "chosen reward " + i);
                    assertEquals(wantRejected[i], rejected[i], 1e-9, "rejected reward " + i);
                }
                Map<String, Double> metrics = r.metrics();
                assertEquals(c.get("reward_accuracy").asDouble(), metrics.get("rewards/accuracies"), 1e-12);
                assertEquals(c.get("reward_margin").asDouble(), metrics.get("rewards/margins"), 1e-9);
                assertEquals(mean(wantChosen), metrics.get("rewards/chosen"), 1e-9);
                assertEquals(mean(wantRejected), metrics.get("rewards/rejected"), 1e-9);
                assertEquals(mean(fx.column("policy_chosen_logps")), metrics.get("logps/chosen"), 1e-9);
                assertEquals(mean(fx.column("policy_rejected_logps")), metrics.get("logps/rejected"), 1e-9);
                assertEquals(c.get("mean_loss").get("ipo").asDouble(), r.lossValue(),
                        1e-6 * Math.abs(c.get("mean_loss").get("ipo").asDouble()));
            }
        }
    }

    @Test
    void metricNamesAreTrlsInOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceLogps in = PreferenceLogps.of(m, new double[] {-1, -2}, new double[] {-3, -1},
                    new double[] {-2, -2}, new double[] {-2, -2}, new double[] {1, 1}, new double[] {1, 1});
            Map<String, Double> metrics = WeightedLoss.of(new SigmoidLoss()).compute(in, LossSettings.defaults())
                    .metrics();
            assertEquals("[rewards/chosen, rewards/rejected, rewards/accuracies, rewards/margins, logps/chosen,"
                    + " logps/rejected]", metrics.keySet().toString());
            // rewards 0.1·(1, 0) vs 0.1·(−1, 1): pair 0 chosen > rejected, pair 1 not → accuracy 1/2
            assertEquals(0.5, metrics.get("rewards/accuracies"), 0);
            // a tie counts as wrong (strict >)
            PreferenceLogps tie = PreferenceLogps.of(m, new double[] {-1}, new double[] {-1},
                    new double[] {-1}, new double[] {-1}, new double[] {1}, new double[] {1});
            assertEquals(0.0, WeightedLoss.of(new SigmoidLoss()).compute(tie, LossSettings.defaults())
                    .metrics().get("rewards/accuracies"), 0);
        }
    }

    @Test
    void exoPairWithoutLabelSmoothingUsesEpsilonOneInAThousand() {
        // x = β·δ; loss = σ(x)(log σ(x) − log(1 − ε)) + σ(−x)(log σ(−x) − log ε) with ε = 1e-3,
        // evaluated here in plain Java doubles
        LossFixture fx = LossFixture.load();
        double[] pc = fx.column("policy_chosen_logps");
        double[] pr = fx.column("policy_rejected_logps");
        double[] rc = fx.column("reference_chosen_logps");
        double[] rr = fx.column("reference_rejected_logps");
        double beta = 0.1;
        double eps = 1e-3;
        try (NDManager m = NDManager.newBaseManager()) {
            double[] got = new ExoPairLoss().perSequence(fx.logps(m), LossSettings.defaults()).toDoubleArray();
            for (int i = 0; i < pc.length; i++) {
                double x = beta * ((pc[i] - rc[i]) - (pr[i] - rr[i]));
                double sp = 1 / (1 + Math.exp(-x));
                double sn = 1 / (1 + Math.exp(x));
                double want = sp * (Math.log(sp) - Math.log(1 - eps)) + sn * (Math.log(sn) - Math.log(eps));
                assertClose(want, got[i], "exo_pair pair " + i);
                assertTrue(got[i] >= 0, "a KL divergence is non-negative");
            }
        }
    }

    @Test
    void conservativeSigmoidIsSigmoidPlusEpsilonTimesTheLogit() {
        // −log σ(−x) = −log σ(x) + x, so cDPO = −(1−ε)log σ(x) − ε log σ(−x) = sigmoid + ε·x, x = β·δ;
        // the sigmoid values come from the fixture's third case (β 0.5, ε 0.2)
        LossFixture fx = LossFixture.load();
        JsonNode c = fx.cases().get(2);
        LossSettings s = LossFixture.settings(c);
        assertEquals(0.2, s.labelSmoothing(), 0);
        double[] sigmoid = LossFixture.doubles(c.get("per_sequence_loss").get("sigmoid"));
        double[] pc = fx.column("policy_chosen_logps");
        double[] pr = fx.column("policy_rejected_logps");
        double[] rc = fx.column("reference_chosen_logps");
        double[] rr = fx.column("reference_rejected_logps");
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceLogps in = fx.logps(m);
            double[] got = PreferenceLosses.of("cdpo").perSequence(in, s).toDoubleArray();
            double[] plain = PreferenceLosses.of("cdpo").perSequence(in, s.withLabelSmoothing(0)).toDoubleArray();
            for (int i = 0; i < got.length; i++) {
                double x = s.beta() * ((pc[i] - rc[i]) - (pr[i] - rr[i]));
                assertClose(sigmoid[i] + 0.2 * x, got[i], "cdpo pair " + i);
                assertClose(sigmoid[i], plain[i], "cdpo with ε = 0 is sigmoid, pair " + i);
            }
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
