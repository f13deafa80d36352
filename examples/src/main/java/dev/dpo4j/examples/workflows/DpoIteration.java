package dev.dpo4j.examples.workflows;

import dev.dpo4j.data.synth.SynthReport;
import java.nio.file.Path;

/**
 * One round of (iterative) DPO in {@link SummarizationDpo}: synthetic pairs sampled from a model, and
 * an adapter trained on that model.
 *
 * @param iteration 1-based
 * @param model the model that wrote the candidates and was tuned: the base model, or the previous
 *     iteration's merged folder
 * @param data the data synth stage's counts
 * @param training the train stage's metrics
 * @param adapter the adapter trained (PEFT layout)
 * @param merged the model with this adapter merged in, or null when it was not merged (the last
 *     iteration of a single-iteration run)
 */
public record DpoIteration(int iteration, String model, SynthReport data, TrainMetrics training, Path adapter,
                           Path merged) {
}
