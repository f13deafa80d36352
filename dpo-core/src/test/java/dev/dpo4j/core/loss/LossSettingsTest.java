package dev.dpo4j.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Defaults and validation of LossSettings, and shape checks of PreferenceLogps. */
class LossSettingsTest {

    @Test
    void defaultsAreTrls() {
        assertEquals(new LossSettings(0.1, 0.0, 0.05), LossSettings.defaults());
    }

    @Test
    void invalidValuesNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LossSettings(0, 0, 0.05))
                .getMessage().startsWith("beta"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LossSettings(0.1, 0.5, 0.05))
                .getMessage().startsWith("label_smoothing"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LossSettings(0.1, -0.1, 0.05))
                .getMessage().startsWith("label_smoothing"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LossSettings(0.1, 0, 0))
                .getMessage().startsWith("discopop_tau"));
        assertThrows(IllegalArgumentException.class, () -> new LossSettings(Double.NaN, 0, 0.05));
    }

    @Test
    void readsTrlNamesFromJson() throws Exception {
        LossSettings s = new ObjectMapper().readValue(
                "{\"beta\": 0.01, \"label_smoothing\": 0.1, \"discopop_tau\": 0.2}", LossSettings.class);
        assertEquals(new LossSettings(0.01, 0.1, 0.2), s);
    }

    @Test
    void logpsOfDifferentLengthsAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] two = {-1, -2};
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PreferenceLogps.of(m, two, two, two, new double[] {-1}, two, two));
            assertTrue(e.getMessage().startsWith("referenceRejected"), e.getMessage());
            assertEquals(2, PreferenceLogps.of(m, two, two, two, two, two, two).batchSize());
        }
    }
}
