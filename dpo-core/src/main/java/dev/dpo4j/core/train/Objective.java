package dev.dpo4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Trainer} optimises: how examples are laid out and how a pass's per-segment log-probs
 * become a loss. DPO ({@link DpoObjective}) and SFT ({@link SftObjective}) share everything else: the
 * loop, accumulation, clipping, checkpoints, logging.
 *
 * @param <E> the example type
 */
public interface Objective<E> extends AutoCloseable {
    /** A micro-batch's loss and its metrics (TRL names). */
    record StepLoss(NDArray loss, double value, Map<String, Double> metrics) {
    }

    /** {@code dpo} or {@code sft}, for messages. */
    String name();

    /**
     * An example's token ids, part by part (prompt, completions): what identifies the training data in a
     * checkpoint.
     *
     * @param example the example
     * @return its parts
     */
    List<long[]> tokens(E example);

    /**
     * Lays out a micro-batch.
     *
     * @param examples the micro-batch
     * @return the layout
     */
    PackedBatch layout(List<E> examples);

    /**
     * Work before the first step, e.g. computing and caching reference log-probs.
     *
     * @param train the training set
     * @param eval the evaluation set (may be empty)
     */
    void prepare(List<E> train, List<E> eval);

    /**
     * Called before the micro-batch's forward pass, while the adapter weights are not yet part of a
     * recorded graph: the place for work that may touch them (an on-the-fly reference forward with
     * the starting adapter swapped in).
     *
     * @param examples the micro-batch
     * @param indices their indices
     * @param evaluation whether these come from the evaluation set
     * @param batch the layout the pass will run
     */
    default void beforePass(List<E> examples, int[] indices, boolean evaluation, PackedBatch batch) {
    }

    /**
     * The loss of a micro-batch from its pass.
     *
     * @param examples the micro-batch
     * @param indices their indices in the training (or evaluation) set
     * @param evaluation whether these come from the evaluation set
     * @param batch the layout the pass ran
     * @param pass the forward pass
     * @param manager for temporary arrays
     * @return the loss (differentiable when the pass records a graph) and metrics
     */
    StepLoss loss(List<E> examples, int[] indices, boolean evaluation, PackedBatch batch, SegmentLogps.Pass pass,
                  NDManager manager);

    @Override
    void close();
}
