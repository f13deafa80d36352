/**
 * Format adapters: each {@link dev.dpo4j.data.format.PreferenceFormat} turns the rows of one
 * public preference-data layout into {@link dev.dpo4j.data.format.PreferenceExample}s, TRL's
 * {@code prompt}/{@code chosen}/{@code rejected} form.
 *
 * <p>Known layouts ({@link dev.dpo4j.data.format.PreferenceFormats} lists them in detection
 * order, most specific first): argilla's cleaned UltraFeedback, HuggingFaceH4's UltraFeedback
 * binarized, stack-exchange-paired, Anthropic hh-rlhf, llmforge preference rows and TRL's
 * standard and conversational formats (explicit or implicit prompt, split by the one rule of
 * {@link dev.dpo4j.data.format.ImplicitPrompt}, TRL's {@code extract_prompt}). Every column an adapter does
 * not consume is kept in the example's metadata, and a row that cannot be adapted raises a
 * {@link dev.dpo4j.data.io.DatasetException} whose message starts with {@code file:line:} and
 * names the field.
 */
package dev.dpo4j.data.format;
