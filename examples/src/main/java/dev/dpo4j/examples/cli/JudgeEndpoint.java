package dev.dpo4j.examples.cli;

import dev.dpo4j.core.chat.ChatPricing;
import dev.dpo4j.core.chat.ChatRetryPolicy;
import dev.dpo4j.core.chat.OpenAiChatClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options of an OpenAI-compatible endpoint (the judge, or a served base model): base URLs used in
 * rotation, model name, the environment variable holding the API key, concurrency, rate caps,
 * retries, pricing and the response cache. The key itself is never an option, so it never lands
 * in shell history, config files or logs.
 */
final class JudgeEndpoint {

    @Option(names = "--judge-url", split = ",", paramLabel = "URL",
            description = "Base URL(s) of the judge's OpenAI-compatible API, e.g. https://api.openai.com/v1 or "
                    + "http://127.0.0.1:8000/v1 (vLLM); several are used in rotation.")
    List<String> urls = new ArrayList<>();

    @Option(names = "--judge-model", paramLabel = "NAME", description = "The judge's model name, e.g. gpt-4o.")
    String model;

    @Option(names = "--api-key-env", defaultValue = OpenAiChatClient.API_KEY_ENV, paramLabel = "VAR",
            description = "Environment variable holding the API key (default: ${DEFAULT-VALUE}); unset = no key.")
    String apiKeyEnv;

    @Option(names = "--judge-concurrency", defaultValue = "64",
            description = "Judge requests in flight at most (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--requests-per-minute", defaultValue = "0", description = "Cap on judge requests per minute; 0 = none.")
    int requestsPerMinute;

    @Option(names = "--tokens-per-minute", defaultValue = "0", description = "Cap on judge tokens per minute; 0 = none.")
    long tokensPerMinute;

    @Option(names = "--max-attempts", defaultValue = "6",
            description = "Attempts per request before it is rejected (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--timeout-seconds", defaultValue = "120",
            description = "Per-request timeout (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--price-input", defaultValue = "0", paramLabel = "USD",
            description = "Judge price per 1M prompt tokens, for the cost line (default: ${DEFAULT-VALUE}).")
    double priceInput;

    @Option(names = "--price-output", defaultValue = "0", paramLabel = "USD",
            description = "Judge price per 1M completion tokens (default: ${DEFAULT-VALUE}).")
    double priceOutput;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "On-disk response cache shared by runs; identical requests are answered from it.")
    Path cacheDir;

    /**
     * A client for the given URLs and model with these options.
     *
     * @param baseUrls the base URLs
     * @param modelName the model name
     * @param maxConcurrency requests in flight at most
     * @return the client
     */
    OpenAiChatClient client(List<String> baseUrls, String modelName, int maxConcurrency) {
        if (baseUrls.isEmpty() || modelName == null) {
            throw new IllegalArgumentException("an endpoint needs a URL and a model name (--judge-url, --judge-model)");
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        OpenAiChatClient.Builder b = OpenAiChatClient.builder()
                .setBaseUrls(baseUrls)
                .setModel(modelName)
                .optEnv(Map.of())
                .optMaxConcurrency(maxConcurrency)
                .optRetry(ChatRetryPolicy.DEFAULT.withMaxAttempts(maxAttempts))
                .optRequestsPerMinute(requestsPerMinute)
                .optTokensPerMinute(tokensPerMinute)
                .optPricing(new ChatPricing(priceInput, priceOutput))
                .optTimeouts(Duration.ofSeconds(Math.min(10, timeoutSeconds)), timeout, timeout);
        String key = apiKeyEnv == null || apiKeyEnv.isBlank() ? null : System.getenv(apiKeyEnv);
        if (key != null && !key.isBlank()) {
            b.optApiKey(key);
        }
        if (cacheDir != null) {
            b.optCache(cacheDir);
        }
        return b.build();
    }

    /**
     * The judge client.
     *
     * @return the client
     */
    OpenAiChatClient judge() {
        return client(urls, model, concurrency);
    }
}
