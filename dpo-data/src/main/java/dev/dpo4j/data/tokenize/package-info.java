/**
 * Where rows become training examples: preference and SFT rows of every layout and file format that
 * {@code dpo-data} reads, tokenized into the {@link dev.dpo4j.core.train.PreferencePair}s and
 * {@link dev.dpo4j.core.train.SftExample}s that the trainers of {@code dpo-core} take, and cut to length
 * with TRL's truncation rules.
 *
 * <p>{@link dev.dpo4j.data.tokenize.PairReader} and {@link dev.dpo4j.data.tokenize.SftReader} read a
 * dataset; {@link dev.dpo4j.data.tokenize.ExampleTokenizer} is the one tokenization of an example (chat
 * template, BOS/EOS, the completion boundary), which {@code data prepare}'s length filters count with too;
 * {@link dev.dpo4j.data.tokenize.Truncation} holds {@code max_length}, {@code max_prompt_length},
 * {@code max_completion_length} and {@code truncation_mode}. Implicit prompts are split by
 * {@link dev.dpo4j.data.format.ImplicitPrompt}, TRL's {@code extract_prompt}. A bad row fails with its
 * file, line and field; a row too long to keep is dropped and listed in
 * {@link dev.dpo4j.data.tokenize.ReadResult}, never silently.
 *
 * <p>Prompt and completion are tokenized separately, as TRL does, so their boundary is exact even where a
 * tokenizer would merge characters across it.
 */
package dev.dpo4j.data.tokenize;
