/**
 * Optimizers, learning-rate schedules and gradient clipping for LoRA training on DJL, with the
 * semantics of PyTorch and Hugging Face {@code transformers} so that a run here matches a run
 * there to float32 precision.
 *
 * <ul>
 *   <li>{@link dev.dpo4j.core.optim.Optimizer} updates named parameters in place from named
 *       gradients: {@link dev.dpo4j.core.optim.AdamW} ({@code torch.optim.AdamW}) and
 *       {@link dev.dpo4j.core.optim.Sgd} ({@code torch.optim.SGD}).
 *   <li>{@link dev.dpo4j.core.optim.OptimizerState} is an optimizer's state as plain arrays;
 *       {@link dev.dpo4j.core.optim.OptimizerStates} writes it to and reads it from a safetensors
 *       file, so a resumed run continues bit for bit.
 *   <li>{@link dev.dpo4j.core.optim.LrScheduler} gives the learning rate of each step as
 *       {@code transformers.get_scheduler} does ({@link dev.dpo4j.core.optim.LrSchedulerType}).
 *   <li>{@link dev.dpo4j.core.optim.GradClipping} clips gradients by their global L2 norm as
 *       {@code torch.nn.utils.clip_grad_norm_} does and finds non-finite gradients.
 * </ul>
 *
 * <p>A training step reads:
 * <pre>{@code
 * double norm = GradClipping.clipGlobalNorm(grads, 1.0);
 * optimizer.step(params, grads, scheduler.lr(stepsTaken));
 * }</pre>
 */
package dev.dpo4j.core.optim;
