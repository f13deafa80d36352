/**
 * dpo4j core: Hugging Face decoders on DJL ({@link dev.dpo4j.core.CausalLm} is the entry point),
 * safetensors, the Hub client, tokenizers and chat templates, generation and scoring.
 */
package dev.dpo4j.core;
