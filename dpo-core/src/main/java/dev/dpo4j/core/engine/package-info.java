/**
 * The PyTorch engine under dpo4j: which libtorch DJL loaded, and process-wide libtorch switches.
 *
 * <p>{@link dev.dpo4j.core.engine.CudaRuntime#require(ai.djl.Device)} checks before a GPU run that
 * the loaded libtorch is a CUDA build that sees the GPU, and otherwise fails in one line naming the
 * folder and what to set (DJL takes a {@code pytorch-native-cpu} jar on the class path before CUDA).
 * {@link dev.dpo4j.core.engine.Tf32} switches TF32 for float32 CUDA matmuls through libtorch's
 * {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE}, set in the running process before libtorch reads it.
 * {@link dev.dpo4j.core.engine.Autograd} holds the autograd controls DJL does not expose (grad mode for a
 * scope, backward with an upstream gradient), used by the LoRA layers and the trainers alike.
 * docs/gpu.md tells the whole story, with what was measured.
 */
package dev.dpo4j.core.engine;
