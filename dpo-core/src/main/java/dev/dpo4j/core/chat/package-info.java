/**
 * Chat models behind one interface: {@link dev.dpo4j.core.chat.ChatModel}, implemented by an
 * OpenAI-compatible HTTP client (OpenAI, vLLM, Ollama, llama.cpp server) and by a local DJL
 * model (chat template + generation). Requests and responses are typed records
 * ({@link dev.dpo4j.core.chat.ChatRequest}, {@link dev.dpo4j.core.chat.ChatResponse}); structured
 * output uses the OpenAI {@code response_format: {type: json_schema}} field, with a tolerant
 * parser ({@link dev.dpo4j.core.chat.JsonReplies}) for servers that ignore it.
 */
package dev.dpo4j.core.chat;
