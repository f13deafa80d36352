package dev.dpo4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Schedule values worked by hand from transformers.get_scheduler's lambdas. */
class LrSchedulerTest {
    private static final double TOL = 1e-15;

    @Test
    void linearWithWarmup() {
        // W = 2, N = 10, base 1e-3: warmup s/2, then (10 − s)/8.
        LrScheduler s = LrScheduler.of(LrSchedulerType.LINEAR, 1e-3, 2, 10);
        assertEquals(0.0, s.lr(0), TOL);          // first update uses lr 0, as in HF
        assertEquals(0.5e-3, s.lr(1), TOL);       // 1/2
        assertEquals(1e-3, s.lr(2), TOL);         // (10 − 2)/8
        assertEquals(0.625e-3, s.lr(5), TOL);     // 5/8
        assertEquals(0.125e-3, s.lr(9), TOL);     // 1/8
        assertEquals(0.0, s.lr(10), TOL);
        assertEquals(0.0, s.lr(12), TOL);         // max(0, −2/8)
    }

    @Test
    void cosineWithWarmup() {
        // W = 2, N = 10: progress p = (s − 2)/8, factor 0.5·(1 + cos(π·p)).
        LrScheduler s = LrScheduler.of(LrSchedulerType.COSINE, 2.0, 2, 10);
        assertEquals(1.0, s.lr(1), TOL);                  // warmup 1/2 of base 2
        assertEquals(2.0, s.lr(2), TOL);                  // p = 0: cos 0 = 1
        assertEquals(2 * 0.8535533905932737, s.lr(4), TOL); // p = 1/4: 0.5·(1 + √2/2)
        assertEquals(1.0, s.lr(6), 1e-15);                // p = 1/2: cos(π/2) = 0
        assertEquals(2 * 0.1464466094067262, s.lr(8), 1e-15); // p = 3/4: 0.5·(1 − √2/2)
        assertEquals(0.0, s.lr(10), 1e-15);               // p = 1: cos π = −1
        assertEquals(1.0, s.lr(14), 1e-15);               // p = 3/2: HF does not clamp past N
    }

    @Test
    void constantWithAndWithoutWarmup() {
        // constant_with_warmup, W = 4: s/4 then 1.
        LrScheduler warm = LrScheduler.of(LrSchedulerType.CONSTANT, 5e-6, 4, 100);
        assertEquals(0.0, warm.lr(0), TOL);
        assertEquals(3.75e-6, warm.lr(3), TOL);   // 3/4 · 5e-6
        assertEquals(5e-6, warm.lr(4), TOL);
        assertEquals(5e-6, warm.lr(1000), TOL);
        // plain constant: 1 from the first step.
        LrScheduler flat = LrScheduler.of(LrSchedulerType.CONSTANT, 5e-6, 0, 100);
        assertEquals(5e-6, flat.lr(0), TOL);
    }

    @Test
    void zeroWarmupLinearStartsAtBase() {
        // W = 0, N = 4: factor (4 − s)/4.
        LrScheduler s = LrScheduler.of(LrSchedulerType.LINEAR, 1.0, 0, 4);
        assertEquals(1.0, s.factor(0), TOL);
        assertEquals(0.75, s.factor(1), TOL);
        assertEquals(0.25, s.factor(3), TOL);
    }

    @Test
    void warmupStepsFromRatioAsTrainingArguments() {
        assertEquals(10, LrScheduler.warmupSteps(0, 0.1, 100));  // ceil(10.0)
        assertEquals(8, LrScheduler.warmupSteps(0, 0.07, 100));  // ceil(7.000000000000001)
        assertEquals(1, LrScheduler.warmupSteps(0, 0.01, 30));   // ceil(0.3)
        assertEquals(0, LrScheduler.warmupSteps(0, 0.0, 30));
        assertEquals(5, LrScheduler.warmupSteps(5, 0.5, 100));   // explicit steps win
        assertThrows(IllegalArgumentException.class, () -> LrScheduler.warmupSteps(0, 1.5, 10));
    }

    @Test
    void parsesHuggingFaceNames() {
        assertEquals(LrSchedulerType.LINEAR, LrSchedulerType.fromName("linear"));
        assertEquals(LrSchedulerType.COSINE, LrSchedulerType.fromName(" Cosine "));
        assertEquals(LrSchedulerType.CONSTANT, LrSchedulerType.fromName("constant_with_warmup"));
        assertEquals(LrSchedulerType.CONSTANT, LrSchedulerType.fromName("constant"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LrSchedulerType.fromName("polynomial"));
        assertTrue(e.getMessage().contains("'polynomial'"), e.getMessage());
        assertTrue(e.getMessage().contains("linear, cosine"), e.getMessage());
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class,
                () -> LrScheduler.of(LrSchedulerType.LINEAR, -1e-3, 0, 10));
        assertThrows(IllegalArgumentException.class,
                () -> LrScheduler.of(LrSchedulerType.LINEAR, 1e-3, -1, 10));
        LrScheduler s = LrScheduler.of(LrSchedulerType.LINEAR, 1e-3, 0, 10);
        assertThrows(IllegalArgumentException.class, () -> s.lr(-1));
    }
}
