package dev.dpo4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * The scaler follows torch.amp.GradScaler's update rule: scale ← scale·0.5 on an Inf/NaN step (and the
 * clean-step counter resets), scale ← scale·2 after growth_interval consecutive clean steps.
 */
class LossScalerTest {
    @Test
    void startsAtTwoToTheSixteenthHalvesOnOverflowAndDoublesAfter2000CleanSteps() {
        LossScaler s = new LossScaler();
        assertEquals(65536.0, s.scale());
        s.update(true);
        assertEquals(32768.0, s.scale());
        assertEquals(1, s.skippedSteps());
        for (int i = 0; i < 1999; i++) {
            s.update(false);
        }
        assertEquals(32768.0, s.scale(), "1999 clean steps are not enough");
        s.update(false);
        assertEquals(65536.0, s.scale(), "the 2000th clean step doubles");
        for (int i = 0; i < 1500; i++) {
            s.update(false);
        }
        s.update(true); // an overflow resets the run of clean steps
        assertEquals(32768.0, s.scale());
        for (int i = 0; i < 1999; i++) {
            s.update(false);
        }
        assertEquals(32768.0, s.scale());
        assertEquals(2, s.skippedSteps());
    }

    @Test
    void stateRoundTripsThroughTheTrainerState() {
        LossScaler s = new LossScaler(1024, 3);
        s.update(false);
        s.update(false);
        s.update(true);
        s.update(false);
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        s.save(state);
        LossScaler restored = new LossScaler(1024, 3);
        restored.restore(state);
        assertEquals(512.0, restored.scale());
        assertEquals(1, restored.skippedSteps());
        restored.update(false);
        restored.update(false);
        assertEquals(1024.0, restored.scale(), "the restored counter continues: 1 + 2 clean steps = 3");
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new LossScaler(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new LossScaler(Double.POSITIVE_INFINITY, 10));
        assertThrows(IllegalArgumentException.class, () -> new LossScaler(1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new LossScaler().restore(JsonNodeFactory.instance.objectNode()));
    }
}
