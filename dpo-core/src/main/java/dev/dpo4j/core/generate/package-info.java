/** Text generation with a KV cache: greedy and sampled decoding of several prompts at once. */
package dev.dpo4j.core.generate;
