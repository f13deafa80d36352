/**
 * The {@code dpo4j} command line ({@link dev.dpo4j.examples.cli.Dpo4jCli}): subcommands with
 * {@code --help}, YAML config defaults, JSONL in and out with errors naming file and line.
 */
package dev.dpo4j.examples.cli;
