/**
 * Training data for the DPO and SFT trainers: JSON Lines rows in TRL's dataset formats (token ids,
 * standard text, conversational messages, implicit prompt) tokenized into
 * {@link dev.dpo4j.core.train.PreferencePair}s and {@link dev.dpo4j.core.train.SftExample}s, and cut to
 * length with TRL's truncation rules.
 *
 * <p>{@link dev.dpo4j.core.train.data.PairReader} and {@link dev.dpo4j.core.train.data.SftReader} read a
 * file; {@link dev.dpo4j.core.train.data.Truncation} holds {@code max_length}, {@code max_prompt_length},
 * {@code max_completion_length} and {@code truncation_mode};
 * {@link dev.dpo4j.core.train.data.ImplicitPrompt} is TRL's {@code extract_prompt}. A bad row fails with
 * its file, line and field; a row too long to keep is dropped and listed in
 * {@link dev.dpo4j.core.train.data.ReadResult}, never silently.
 *
 * <p>Prompt and completion are tokenized separately, as TRL does, so their boundary is exact even where a
 * tokenizer would merge characters across it.
 */
package dev.dpo4j.core.train.data;
