/**
 * Hugging Face decoder models (Llama, Mistral, Qwen2, Qwen3, Gemma 1/2/3 text, Phi-3) on DJL: configs in
 * both layouts, the decoder blocks, RoPE variants, strict weight loading, attention masks and the KV
 * cache.
 */
package dev.dpo4j.core.model;
