package dev.dpo4j.examples.quickstart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dpo4j.core.engine.Autograd;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.optim.AdamW;
import dev.dpo4j.core.optim.GradClipping;
import dev.dpo4j.core.optim.LrScheduler;
import dev.dpo4j.core.optim.LrSchedulerType;
import dev.dpo4j.core.train.PackedBatch;
import dev.dpo4j.core.train.SegmentLogps;
import dev.dpo4j.core.train.SftExample;
import dev.dpo4j.core.util.ProgressBar;
import dev.dpo4j.core.util.Scalars;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains every weight of a freshly initialised model with the completion-only SFT loss (TRL's
 * {@code completion_only_loss}: mean negative log-likelihood of the completion tokens), AdamW and a
 * cosine schedule with warmup. dpo4j's {@code SftTrainer} tunes LoRA adapters of a pretrained model;
 * the quickstart has no pretrained model, so it makes one with this loop on the same forward pass
 * ({@link SegmentLogps}) before the real pipeline starts.
 */
final class ScratchTrainer {

    /**
     * The loop's settings.
     *
     * @param steps optimizer steps
     * @param batchSize examples per step
     * @param learningRate peak learning rate
     * @param warmupRatio share of the steps spent warming up
     * @param weightDecay AdamW's decoupled weight decay
     * @param seed data order
     */
    record Settings(int steps, int batchSize, double learningRate, double warmupRatio, double weightDecay, long seed) {
    }

    private ScratchTrainer() {
    }

    /**
     * Trains the model's weights in place.
     *
     * @param model the model, all of whose parameters are trained
     * @param examples token-id examples
     * @param settings the loop's settings
     * @param progress where the progress bar goes, or null
     * @return the mean loss of each step
     */
    static List<Double> train(DecoderModel model, List<SftExample> examples, Settings settings, PrintStream progress) {
        Map<String, NDArray> params = model.parameters();
        params.values().forEach(p -> p.setRequiresGradient(true));
        LrScheduler schedule = LrScheduler.of(LrSchedulerType.COSINE, settings.learningRate(),
                LrScheduler.warmupSteps(0, settings.warmupRatio(), settings.steps()), settings.steps());
        SegmentLogps runner = new SegmentLogps(model);
        List<Integer> order = new ArrayList<>();
        Random random = new Random(settings.seed());
        List<Double> losses = new ArrayList<>(settings.steps());
        double smoothed = Double.NaN;
        try (AdamW optimizer = AdamW.builder().optWeightDecay(settings.weightDecay()).build();
             ProgressBar bar = progress == null ? null : new ProgressBar("sft (from scratch)", settings.steps(),
                     "step", progress)) {
            for (int step = 0; step < settings.steps(); step++) {
                List<SftExample> batch = new ArrayList<>(settings.batchSize());
                for (int i = 0; i < settings.batchSize(); i++) {
                    if (order.isEmpty()) {
                        for (int k = 0; k < examples.size(); k++) {
                            order.add(k);
                        }
                        Collections.shuffle(order, random);
                    }
                    batch.add(examples.get(order.remove(order.size() - 1)));
                }
                double loss = step(model, runner, params, optimizer, batch, schedule.lr(step));
                losses.add(loss);
                smoothed = Double.isNaN(smoothed) ? loss : 0.9 * smoothed + 0.1 * loss;
                if (bar != null) {
                    bar.setExtra(String.format("loss %.3f", smoothed));
                    bar.step(1);
                }
            }
        } finally {
            params.values().forEach(p -> p.setRequiresGradient(false));
        }
        return losses;
    }

    private static double step(DecoderModel model, SegmentLogps runner, Map<String, NDArray> params, AdamW optimizer,
                               List<SftExample> batch, double lr) {
        params.values().forEach(Autograd::zeroGradient);
        PackedBatch layout = PackedBatch.ofExamples(batch, 0);
        double value;
        try (NDManager manager = model.manager().newSubManager()) {
            SegmentLogps.Pass pass = runner.run(layout, manager, SegmentLogps.Mode.TRAIN, -1);
            NDArray loss;
            try (Autograd.Scope on = Autograd.recording(true)) {
                loss = Scalars.div(pass.logps().sum().neg(), layout.completionTokens()); // mean NLL per token
            }
            value = loss.toFloatArray()[0];
            pass.backward(loss);
        }
        Map<String, NDArray> grads = new LinkedHashMap<>();
        try {
            params.forEach((name, p) -> grads.put(name, p.getGradient()));
            GradClipping.clipGlobalNorm(grads, 1.0);
            optimizer.step(params, grads, lr);
        } finally {
            grads.values().forEach(NDArray::close);
        }
        return value;
    }
}
