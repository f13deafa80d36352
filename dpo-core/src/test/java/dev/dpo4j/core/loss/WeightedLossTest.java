package dev.dpo4j.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TRL's loss_type list with loss_weights, and the name registry. */
class WeightedLossTest {

    @Test
    void sigmoidPlusHalfSftIsTheWeightedSumOfTheParts() {
        // value = 1.0·mean(sigmoid_i) + 0.5·(−Σ pc / Σ |y_c|): the fixture's sigmoid mean at β 0.1, and
        // the sft term computed here from the fixture's inputs
        LossFixture fx = LossFixture.load();
        JsonNode c = fx.cases().get(0);
        double sigmoidMean = c.get("mean_loss").get("sigmoid").asDouble();
        double sft = -Arrays.stream(fx.column("policy_chosen_logps")).sum()
                / Arrays.stream(fx.column("chosen_len")).sum();
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceLogps in = fx.logps(m);
            LossSettings s = LossFixture.settings(c);
            WeightedLoss objective = PreferenceLosses.objective(List.of("sigmoid", "sft"), List.of(1.0, 0.5));
            assertEquals(List.of("sigmoid", "sft"), objective.names());
            double got = objective.loss(in, s).toDoubleArray()[0];
            assertEquals(sigmoidMean + 0.5 * sft, got, 1e-9);
            WeightedLoss built = WeightedLoss.of(new SigmoidLoss()).and(new SftLoss(), 0.5);
            assertEquals(got, built.compute(in, s).lossValue(), 1e-12);
        }
    }

    @Test
    void threeTermsEqualTheSumOfEachLossTimesItsWeight() {
        LossFixture fx = LossFixture.load();
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceLogps in = fx.logps(m);
            LossSettings s = LossFixture.settings(fx.cases().get(2));
            double want = 0.8 * new SigmoidLoss().loss(in, s).toDoubleArray()[0]
                    + 0.2 * new BcoPairLoss().loss(in, s).toDoubleArray()[0]
                    - 1.5 * new IpoLoss().loss(in, s).toDoubleArray()[0];
            double got = WeightedLoss.of(List.of("sigmoid", "bco_pair", "ipo"), List.of(0.8, 0.2, -1.5))
                    .loss(in, s).toDoubleArray()[0];
            assertEquals(want, got, 1e-9);
        }
    }

    @Test
    void missingWeightsDefaultToOne() {
        WeightedLoss w = WeightedLoss.of(List.of("hinge", "apo_zero"), null);
        assertEquals(List.of(1.0, 1.0), w.terms().stream().map(WeightedLoss.Term::weight).toList());
    }

    @Test
    void mismatchedWeightsAreRejectedWithBothCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightedLoss.of(List.of("sigmoid", "sft"), List.of(1.0)));
        assertTrue(e.getMessage().contains("loss_weights has 1 entries but loss_type has 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WeightedLoss.of(List.of(), null));
        assertThrows(IllegalArgumentException.class, () -> WeightedLoss.of(new SigmoidLoss(), Double.NaN));
    }

    @Test
    void unknownNameFailsListingTheValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreferenceLosses.of("simpo"));
        assertTrue(e.getMessage().startsWith("unknown loss_type 'simpo'; valid names: sigmoid, hinge, ipo"),
                e.getMessage());
        for (String name : PreferenceLosses.names()) {
            assertTrue(e.getMessage().contains(name), name);
        }
        assertThrows(IllegalArgumentException.class, () -> WeightedLoss.of(List.of("sigmoid", "dpo"), null));
    }

    @Test
    void everyRegisteredNameMakesALossOfThatName() {
        for (String name : PreferenceLosses.names()) {
            assertEquals(name, PreferenceLosses.of(name).name());
        }
        assertEquals("sigmoid_norm", PreferenceLosses.of(" SIGMOID_NORM ").name());
        assertEquals(14, PreferenceLosses.names().size());
    }
}
