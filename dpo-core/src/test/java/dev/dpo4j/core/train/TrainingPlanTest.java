package dev.dpo4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Steps, micro-batches and epochs of the data plan. */
class TrainingPlanTest {
    @Test
    void epochsCoverEveryExampleOnceInShuffledMicroBatches() {
        // 10 examples, batch 3 -> micro-batches of 3,3,3,1; accumulation 2 -> 2 steps per epoch
        TrainingPlan plan = TrainingPlan.of(10, 3, 2, 2, -1, 5);
        assertEquals(2, plan.stepsPerEpoch());
        assertEquals(4, plan.totalSteps());
        for (int epoch = 0; epoch < 2; epoch++) {
            int e = epoch;
            int[] seen = plan.steps().stream().filter(s -> s.epoch() == e)
                    .flatMap(s -> s.microBatches().stream()).flatMapToInt(Arrays::stream).sorted().toArray();
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, seen);
        }
        assertEquals(1, plan.steps().get(1).microBatches().get(1).length, "the epoch's last micro-batch is short");
        assertEquals(List.of(0L, 2L, 4L, 6L), plan.steps().stream().map(TrainingPlan.Step::firstMicroBatch).toList());
    }

    @Test
    void maxStepsRepeatsEpochsAndThePlanIsAFunctionOfTheSeed() {
        TrainingPlan a = TrainingPlan.of(4, 2, 1, 1, 5, 9);
        TrainingPlan b = TrainingPlan.of(4, 2, 1, 1, 5, 9);
        assertEquals(5, a.totalSteps());
        assertEquals(2, a.steps().get(4).epoch());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(a.steps().get(i).microBatches().get(0), b.steps().get(i).microBatches().get(0));
        }
    }
}
