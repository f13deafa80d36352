/**
 * The seed workflows as runnable, tested examples: {@link dev.dpo4j.examples.workflows.SummarizationDpo}
 * (synthetic summarization preferences scored by a QA judge, DPO, evaluation, optional iterations),
 * {@link dev.dpo4j.examples.workflows.StackExchangeDpo} (DPO on stack-exchange-paired),
 * {@link dev.dpo4j.examples.workflows.UltraFeedbackDpo} (DPO on UltraFeedback with a chat template, merge,
 * pairwise evaluation), {@link dev.dpo4j.examples.workflows.SftThenDpo} (SFT, then DPO from the SFT adapter)
 * and {@link dev.dpo4j.examples.workflows.Chat} (talk to a base model with an optional adapter).
 *
 * <p>A workflow and the {@code dpo4j} command line share one config format ({@link
 * dev.dpo4j.examples.workflows.WorkflowConfig}): run keys ({@code run_name}, {@code output_dir},
 * {@code model_id}, {@code device}) and one section per stage holding the keys of the CLI command that runs
 * it. Each stage is written to {@code <output_dir>/configs/<stage>.yaml} and run by the real CLI in-process
 * ({@link dev.dpo4j.examples.workflows.StageRunner}), so any stage can be rerun alone with
 * {@code ./dpo4j <command> --config <output_dir>/configs/<stage>.yaml} and keeps the CLI's resume behaviour.
 * Typed results are read back from the files the stages wrote.
 */
package dev.dpo4j.examples.workflows;
