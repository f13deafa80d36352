package dev.dpo4j.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** TRL's RunningMoments merge, its checkpoint state, and the BCO running baseline built on it. */
class RunningMomentsTest {

    @Test
    void twoBatchesGiveTheMomentsOfAllValues() {
        // batch 1 {1, 2, 3, 4}: mean 2.5, population var 1.25
        // batches 1+2 {1, 2, 3, 4, 10, 20}: mean 40/6 = 20/3,
        //   population var = Σx²/6 − mean² = 530/6 − 400/9 = 395/9, unbiased std = sqrt(395/9 · 6/5)
        RunningMoments rm = new RunningMoments();
        rm.update(1, 2, 3, 4);
        assertEquals(2.5, rm.mean(), 1e-12);
        assertEquals(1.25, rm.var(), 1e-12);
        assertEquals(4.0, rm.count(), 1e-12);
        rm.update(10, 20);
        assertEquals(20.0 / 3, rm.mean(), 1e-12);
        assertEquals(395.0 / 9, rm.var(), 1e-12);
        assertEquals(6.0, rm.count(), 1e-12);
        assertEquals(Math.sqrt(395.0 / 9 * 6 / 5), rm.std(), 1e-12);
    }

    @Test
    void stateRestoresIntoAFreshInstanceAndContinuesIdentically() {
        RunningMoments a = new RunningMoments();
        a.update(0.5, -1.5, 2.0);
        RunningMoments b = new RunningMoments();
        b.restore(a.state());
        a.update(7, 8);
        b.update(7, 8);
        assertArrayEquals(a.state(), b.state(), 0);
        assertThrows(IllegalArgumentException.class, () -> b.restore(new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> b.restore(new double[] {0, -1, 1}));
        assertThrows(IllegalArgumentException.class, () -> a.update());
        assertThrows(IllegalArgumentException.class, () -> a.update(1, Double.NaN));
    }

    @Test
    void initialStateIsTrls() {
        // mean 0, var 1, count 1e-24 (a negligible prior)
        assertArrayEquals(new double[] {0, 1, 1e-24}, new RunningMoments().state(), 0);
        assertTrue(Double.isNaN(new RunningMoments().std()));
    }

    @Test
    void updateFromAnArrayReadsItsValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            RunningMoments rm = new RunningMoments();
            rm.update(m.create(new float[] {1, 3}));
            assertEquals(2.0, rm.mean(), 1e-12);
            assertEquals(1.0, rm.var(), 1e-12);
        }
    }

    @Test
    void bcoRunningBaselineShiftsRewardsByTheRunningMeanOfBatchMeans() {
        // batch rewards r = β·z; TRL merges mean(r_c ∪ r_r) into the moments as ONE value and uses the
        // running mean Δ: on batch 1 Δ1 = m1, on batch 2 Δ2 = (m1 + m2)/2.
        // loss_i = −log σ(r_c,i − Δ) − log σ(−(r_r,i − Δ)), written out here with Java doubles.
        double beta = 0.5;
        double[] pc1 = {-4, -6};
        double[] pr1 = {-5, -3};
        double[] pc2 = {-1, -2};
        double[] pr2 = {-8, -9};
        double[] ref = {-5, -5};
        double[] len = {3, 3};
        LossSettings s = LossSettings.defaults().withBeta(beta);
        BcoPairLoss loss = BcoPairLoss.withRunningBaseline();
        try (NDManager m = NDManager.newBaseManager()) {
            double m1 = beta * ((1 - 1) + 0 + 0 + 2) / 4; // r_c = β·(1, −1), r_r = β·(0, 2)
            double[] got1 = loss.perSequence(PreferenceLogps.of(m, pc1, pr1, ref, ref, len, len), s).toDoubleArray();
            assertEquals(m1, loss.baseline().orElseThrow().mean(), 1e-12);
            assertBco(got1, pc1, pr1, ref, beta, m1);
            double m2 = beta * (4 + 3 - 3 - 4) / 4; // r_c = β·(4, 3), r_r = β·(−3, −4)
            double[] got2 = loss.perSequence(PreferenceLogps.of(m, pc2, pr2, ref, ref, len, len), s).toDoubleArray();
            assertEquals((m1 + m2) / 2, loss.baseline().orElseThrow().mean(), 1e-12);
            assertBco(got2, pc2, pr2, ref, beta, (m1 + m2) / 2);
        }
        assertFalse(new BcoPairLoss().baseline().isPresent());
    }

    private static void assertBco(double[] got, double[] pc, double[] pr, double[] ref, double beta, double delta) {
        for (int i = 0; i < got.length; i++) {
            double rc = beta * (pc[i] - ref[i]) - delta;
            double rr = beta * (pr[i] - ref[i]) - delta;
            double want = Math.log1p(Math.exp(-rc)) + Math.log1p(Math.exp(rr));
            assertEquals(want, got[i], 1e-12, "pair " + i);
        }
    }
}
