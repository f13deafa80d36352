/**
 * Small utilities shared across dpo4j: console progress reporting.
 *
 * <p>{@link dev.dpo4j.core.util.ProgressBar} is used by the Hub download, generation and
 * training code to show progress with rate and ETA.
 */
package dev.dpo4j.core.util;
