/**
 * An OpenAI-compatible chat server on loopback for benchmarks, tests and offline demos: it answers
 * every {@code json_schema} request with a schema-valid instance, free-text requests with an
 * extract of the prompt, and can add latency and inject faults (429 with {@code Retry-After},
 * 500/503, dropped connections, truncated and non-JSON bodies). Nothing here talks to a real model.
 */
package dev.dpo4j.examples.loopback;
