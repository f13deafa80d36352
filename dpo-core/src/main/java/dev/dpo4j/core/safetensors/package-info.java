/**
 * Reading and writing of Hugging Face safetensors checkpoints.
 *
 * <p>A safetensors file is an 8-byte little-endian unsigned header length {@code N}, then
 * {@code N} bytes of UTF-8 JSON mapping each tensor name to its {@code dtype}, {@code shape}
 * and {@code data_offsets} (relative to the data region that starts at byte {@code 8 + N}),
 * plus an optional {@code "__metadata__"} map of strings; see
 * <a href="https://github.com/huggingface/safetensors">huggingface/safetensors</a>.
 *
 * <ul>
 *   <li>{@link dev.dpo4j.core.safetensors.SafetensorsFile} validates a whole header when a file
 *       is opened and reads tensors widened to float32 into direct buffers, never through a heap
 *       copy of the tensor.
 *   <li>{@link dev.dpo4j.core.safetensors.SafetensorsCheckpoint} presents a single file, a
 *       sharded checkpoint with {@code model.safetensors.index.json}, or a folder of files as one
 *       set of named tensors.
 *   <li>{@link dev.dpo4j.core.safetensors.SafetensorsWriter} writes single or sharded files
 *       byte-compatible with the Rust reference implementation, narrowing float32 to F16 or BF16
 *       with round-to-nearest-even as PyTorch does.
 * </ul>
 *
 * <p>Only the floating-point dtypes F32, F16 and BF16 are supported; any other dtype is
 * reported as a {@link dev.dpo4j.core.safetensors.SafetensorsException} when the file is opened.
 */
package dev.dpo4j.core.safetensors;
