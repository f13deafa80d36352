/**
 * Frozen-base quantization for QLoRA: a base model's linear weights, (out, in) float32 from a
 * checkpoint, quantized at load time, kept packed on the device, and dequantized per layer just before
 * its matmul, as bitsandbytes' {@code load_in_4bit} / {@code load_in_8bit} through transformers'
 * {@code BitsAndBytesConfig}, but with plain engine ops and no custom kernels.
 *
 * <p>{@link dev.dpo4j.core.quant.QuantConfig} (the {@code BitsAndBytesConfig} subset: NF4 or FP4 with
 * optional double quantization and a block size, or INT8), {@link dev.dpo4j.core.quant.QuantType} and
 * {@link dev.dpo4j.core.quant.QuantizedWeight} (one quantized matrix: {@code quantize},
 * {@code dequantize}, {@code close}) are the public face. Papers: Dettmers et al. 2023, "QLoRA:
 * Efficient Finetuning of Quantized LLMs" (NF4, double quantization); Dettmers et al. 2022,
 * "LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale" (vector-wise int8, weight-only
 * here).
 */
package dev.dpo4j.core.quant;
