package dev.dpo4j.core.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The order of the data: which examples form each micro-batch of each optimizer step. A pure
 * function of (dataset size, batch size, accumulation, epochs or max steps, seed), so a resumed run
 * replays exactly the steps an uninterrupted run would have taken.
 *
 * <p>Each epoch shuffles the indices with {@code new Random(seed + epoch)}, cuts them into
 * micro-batches of {@code batchSize} (the last may be smaller) and groups {@code accumulation}
 * micro-batches per step (the epoch's last step may have fewer). With {@code maxSteps > 0} epochs
 * repeat until that many steps exist, as in Hugging Face's Trainer.
 */
public final class TrainingPlan {
    /** One optimizer step. */
    public record Step(int index, int epoch, List<int[]> microBatches, long firstMicroBatch) {
    }

    private final List<Step> steps;
    private final int stepsPerEpoch;

    private TrainingPlan(List<Step> steps, int stepsPerEpoch) {
        this.steps = List.copyOf(steps);
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /**
     * Builds the plan.
     *
     * @param size number of training examples, positive
     * @param batchSize examples per micro-batch
     * @param accumulation micro-batches per step
     * @param epochs passes over the data (ignored when maxSteps is positive)
     * @param maxSteps total steps when positive
     * @param seed shuffling seed
     * @return the plan
     */
    public static TrainingPlan of(int size, int batchSize, int accumulation, int epochs, int maxSteps, long seed) {
        if (size <= 0) {
            throw new IllegalArgumentException("no training examples");
        }
        int microPerEpoch = (size + batchSize - 1) / batchSize;
        int stepsPerEpoch = (microPerEpoch + accumulation - 1) / accumulation;
        int total = maxSteps > 0 ? maxSteps : epochs * stepsPerEpoch;
        List<Step> steps = new ArrayList<>();
        long micro = 0;
        for (int epoch = 0; steps.size() < total; epoch++) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(seed + epoch));
            List<int[]> batches = new ArrayList<>();
            for (int from = 0; from < size; from += batchSize) {
                int to = Math.min(size, from + batchSize);
                int[] batch = new int[to - from];
                for (int i = from; i < to; i++) {
                    batch[i - from] = order.get(i);
                }
                batches.add(batch);
            }
            for (int from = 0; from < batches.size() && steps.size() < total; from += accumulation) {
                List<int[]> group = batches.subList(from, Math.min(batches.size(), from + accumulation));
                steps.add(new Step(steps.size(), epoch, List.copyOf(group), micro));
                micro += group.size();
            }
        }
        return new TrainingPlan(steps, stepsPerEpoch);
    }

    /** All steps in order. */
    public List<Step> steps() {
        return steps;
    }

    /** Total optimizer steps. */
    public int totalSteps() {
        return steps.size();
    }

    /** Optimizer steps per epoch. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }
}
