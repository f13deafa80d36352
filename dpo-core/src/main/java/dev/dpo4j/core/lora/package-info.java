/**
 * LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models") on the decoder's linear
 * projections: {@link dev.dpo4j.core.lora.LoraConfig} (PEFT's {@code adapter_config.json}),
 * {@link dev.dpo4j.core.lora.LoraLayer} (one adapted projection) and
 * {@link dev.dpo4j.core.lora.LoraModel} (the adapter set attached to a model, switchable off for the
 * DPO reference), {@link dev.dpo4j.core.lora.PeftAdapters} (PEFT's {@code adapter_config.json} +
 * {@code adapter_model.safetensors}), {@link dev.dpo4j.core.lora.LoraMerge} (W + scaling·B·A) and
 * {@link dev.dpo4j.core.lora.MergedExport} (a full Hugging Face checkpoint in the base's dtype).
 */
package dev.dpo4j.core.lora;
