/**
 * Hugging Face decoder models (Llama, Mistral, Qwen2, Gemma) on DJL: configs, the decoder blocks,
 * strict weight loading, attention masks and the KV cache.
 */
package dev.dpo4j.core.model;
