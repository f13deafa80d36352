package dev.dpo4j.core.optim;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A first-order optimizer that updates named float32 parameters in place.
 *
 * <p>Parameters and gradients are keyed by the same names (for LoRA, the PEFT keys such as
 * {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}). A parameter without a
 * gradient entry is skipped, as {@code torch.optim} skips a parameter whose {@code grad} is
 * {@code None}; its state (if any) is left untouched. A gradient without a parameter is an error,
 * because it almost always means the two maps were built with different names.
 *
 * <p>{@link #step} must run outside gradient recording (no open
 * {@link ai.djl.training.GradientCollector}), as {@code optimizer.step()} runs under
 * {@code torch.no_grad()}. State lives in native memory owned by the optimizer; close the
 * optimizer to free it.
 */
public interface Optimizer extends AutoCloseable {

    /**
     * Applies one update to every parameter that has a gradient.
     *
     * @param params the parameters, updated in place; float32
     * @param grads the gradients, same names, shapes and dtype as the parameters; not modified
     * @param lr the learning rate of this step, e.g. from {@link LrScheduler#lr(long)}
     * @throws IllegalArgumentException if a gradient has no parameter, or a gradient's shape or
     *     dtype differs from its parameter's, or restored state does not fit the parameter
     * @throws IllegalStateException if the optimizer is closed
     */
    void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr);

    /**
     * Copies the optimizer's state out of the engine.
     *
     * @return the state; restoring it into a fresh optimizer of the same kind and settings makes
     *     that optimizer continue exactly as this one would
     * @throws IllegalStateException if the optimizer is closed
     */
    OptimizerState state();

    /**
     * Replaces the optimizer's state with a saved one. Engine buffers are created from it lazily
     * on the next {@link #step}, on each parameter's device.
     *
     * @param state a state from {@link #state()} of an optimizer with the same {@link #name()}
     * @throws IllegalArgumentException if the state belongs to another kind of optimizer or holds
     *     tensors or step counts this optimizer does not use
     * @throws IllegalStateException if the optimizer is closed
     */
    void restore(OptimizerState state);

    /**
     * Returns the optimizer's name as written in saved states and logs.
     *
     * @return e.g. {@code "adamw"} or {@code "sgd"}
     */
    String name();

    /** Frees the optimizer's state; the optimizer cannot be used afterwards. */
    @Override
    void close();
}
