/**
 * LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models") on the decoder's linear
 * projections: {@link dev.dpo4j.core.lora.LoraConfig} (PEFT's {@code adapter_config.json}),
 * {@link dev.dpo4j.core.lora.LoraLayer} (one adapted projection) and
 * {@link dev.dpo4j.core.lora.LoraModel} (the adapter set attached to a model, switchable off for the
 * DPO reference, readable and writable in PEFT layout, mergeable into the base).
 */
package dev.dpo4j.core.lora;
