/**
 * Chat models behind one interface: {@link dev.dpo4j.core.chat.ChatModel}, implemented by an
 * OpenAI-compatible HTTP client (OpenAI, vLLM, Ollama, llama.cpp server) and by a local DJL
 * model (chat template + generation). Requests and responses are typed records
 * ({@link dev.dpo4j.core.chat.ChatRequest}, {@link dev.dpo4j.core.chat.ChatResponse}); structured
 * output uses the OpenAI {@code response_format: {type: json_schema}} field, with a tolerant
 * parser ({@link dev.dpo4j.core.chat.JsonReplies}) for servers that ignore it.
 *
 * <h2>The HTTP client</h2>
 * {@link dev.dpo4j.core.chat.OpenAiChatClient} posts to {@code {base}/chat/completions}, rotating
 * over several base URLs. Its parts, one concept per file:
 * <ul>
 *   <li>{@link dev.dpo4j.core.chat.ChatRetryPolicy}: which failures are retried (408, 409, 429,
 *       5xx, timeouts, connection resets, malformed or truncated bodies) and how long to wait
 *       (exponential backoff with full jitter, or the server's {@code Retry-After} /
 *       {@code retry-after-ms}, capped). Other 4xx statuses and unusable model output (a refusal)
 *       fail at once. A retry goes to the next base URL.</li>
 *   <li>A fair semaphore bounds the requests in flight
 *       ({@link dev.dpo4j.core.chat.ChatModel#maxConcurrency()}); a sliding one-minute window caps
 *       requests and tokens per minute, estimating tokens before sending and correcting them with
 *       the server's count.</li>
 *   <li>{@link dev.dpo4j.core.chat.ChatUsage}: requests, retries, cache hits, failures, tokens and
 *       the cost under {@link dev.dpo4j.core.chat.ChatPricing}.</li>
 *   <li>{@link dev.dpo4j.core.chat.ResponseCache}: answers on disk under the SHA-256 of the request
 *       body, written atomically, so a rerun asks nothing twice.</li>
 *   <li>{@link dev.dpo4j.core.chat.Sleeper} and {@link java.time.Clock} are injectable, so tests of
 *       backoff and rate caps run in milliseconds.</li>
 * </ul>
 *
 * <pre>{@code
 * try (OpenAiChatClient judge = OpenAiChatClient.builder()
 *         .setBaseUrls(List.of("http://127.0.0.1:8000/v1", "http://127.0.0.1:8001/v1"))
 *         .setModel("Qwen/Qwen2.5-7B-Instruct")
 *         .optCache(Path.of("cache/judge"))
 *         .optRequestsPerMinute(600)
 *         .build()) {
 *     ChatResponse answer = judge.chat(ChatRequest.user("Rate this answer from 1 to 5 ...")
 *             .optTemperature(0).optResponseFormat(ResponseFormat.jsonSchema("rating", schema)).build());
 *     int score = answer.json().get("score").asInt();
 *     System.out.println(judge.usage().summary());
 * }
 * }</pre>
 *
 * <p>API keys ({@code OPENAI_API_KEY} or {@code optApiKey}) are sent only in the
 * {@code Authorization} header; they never appear in logs, exception messages,
 * {@code toString()} output or cache files, and anything a server echoes back has the key masked.
 */
package dev.dpo4j.core.chat;
