/**
 * Tokenization and chat templates for Hugging Face models.
 *
 * <p>{@link dev.dpo4j.core.tokenizer.Tokenizer} wraps DJL's Hugging Face tokenizer (built from a
 * model directory's {@code tokenizer.json}, with truncation and padding switched off) and reads the
 * special tokens from {@code tokenizer_config.json}, {@code special_tokens_map.json},
 * {@code generation_config.json} and {@code config.json}. {@link
 * dev.dpo4j.core.tokenizer.ChatTemplate} renders the model's Jinja chat template with Jinjava so
 * that the output is byte-for-byte what {@code transformers}' {@code apply_chat_template} produces;
 * the Python-compatibility shims live in one package-private class, {@code JinjaShims}.
 */
package dev.dpo4j.core.tokenizer;
