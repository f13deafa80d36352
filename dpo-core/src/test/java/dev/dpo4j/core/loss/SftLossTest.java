package dev.dpo4j.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The SFT term reduces token-weighted over the batch, not as a mean of per-pair values. */
class SftLossTest {

    @Test
    void batchValueIsTotalNllOverTotalChosenTokens() {
        // pairs: chosen log-probs −10 over 2 tokens and −30 over 10 tokens
        //   per pair: 10/2 = 5 and 30/10 = 3;  mean of those = 4
        //   TRL (cross-entropy over all chosen tokens): (10 + 30) / (2 + 10) = 40/12
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceLogps in = PreferenceLogps.of(m, new double[] {-10, -30}, new double[] {-1, -1},
                    new double[] {-9, -9}, new double[] {-1, -1}, new double[] {2, 10}, new double[] {4, 4});
            SftLoss sft = new SftLoss();
            NDArray per = sft.perSequence(in, LossSettings.defaults());
            assertArrayEquals(new double[] {5, 3}, per.toDoubleArray(), 1e-12);
            assertEquals(40.0 / 12.0, sft.reduce(per, in).toDoubleArray()[0], 1e-12);
            assertEquals(40.0 / 12.0, sft.loss(in, LossSettings.defaults()).toDoubleArray()[0], 1e-12);
            // it does not depend on the reference, the rejected completion or beta
            assertEquals(40.0 / 12.0, sft.loss(in, LossSettings.defaults().withBeta(3)).toDoubleArray()[0], 1e-12);
        }
    }

    @Test
    void emptyCompletionsCountAsOneToken() {
        // TRL clamps lengths to ≥ 1: −(−2 − 4) / (1 + 2) = 2
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceLogps in = PreferenceLogps.of(m, new double[] {-2, -4}, new double[] {0, 0},
                    new double[] {0, 0}, new double[] {0, 0}, new double[] {0, 2}, new double[] {1, 1});
            assertEquals(2.0, new SftLoss().loss(in, LossSettings.defaults()).toDoubleArray()[0], 1e-12);
        }
    }
}
