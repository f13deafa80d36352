package dev.dpo4j.core.chat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A client for OpenAI-compatible {@code POST /v1/chat/completions} endpoints (OpenAI, vLLM,
 * Ollama, llama.cpp server). Per call it:
 * <ol>
 *   <li>serves the answer from the {@link ResponseCache} when one is configured and holds it;</li>
 *   <li>takes one of {@link #maxConcurrency()} slots (a fair semaphore) and a place in the
 *       requests- and tokens-per-minute window;</li>
 *   <li>posts the request to the next base URL in rotation;</li>
 *   <li>on a transient failure (408/409/429/5xx, timeout, reset, malformed body) waits as
 *       {@link ChatRetryPolicy} says, honouring {@code Retry-After}, and tries the next base URL;</li>
 *   <li>counts requests, tokens and cost ({@link #usage()}) and stores the answer in the cache.</li>
 * </ol>
 * The API key comes from {@link Builder#optApiKey(String)} or the {@code OPENAI_API_KEY}
 * environment variable and appears only in the {@code Authorization} header: never in logs,
 * exceptions, {@link #toString()} or cache files. Instances are thread-safe.
 */
public final class OpenAiChatClient implements ChatModel {

    /** The environment variable the API key is read from when none is given. */
    public static final String API_KEY_ENV = "OPENAI_API_KEY";

    private final List<HttpUrl> endpoints;
    private final String model;
    private final boolean hasApiKey;
    private final int maxConcurrency;
    private final UsageMeter meter;
    private final ResponseCache cache;
    private final OkHttpClient http;
    private final RetryingSender sender;

    private OpenAiChatClient(Builder b, List<HttpUrl> endpoints, String apiKey) {
        this.endpoints = List.copyOf(endpoints);
        this.model = b.model;
        this.hasApiKey = apiKey != null;
        this.maxConcurrency = b.maxConcurrency;
        this.meter = new UsageMeter(b.pricing);
        this.cache = b.cacheDir == null ? null : new ResponseCache(b.cacheDir);
        this.http = httpClient(b);
        ChatRateLimiter limiter = new ChatRateLimiter(b.requestsPerMinute, b.tokensPerMinute, b.clock, b.sleeper);
        this.sender = new RetryingSender(this.endpoints, b.maxConcurrency, b.retry, limiter, meter, b.sleeper,
                b.random, new ChatTransport(http, apiKey, b.clock));
    }

    /**
     * A builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        String resolvedModel = request.model() != null ? request.model() : model;
        byte[] body = ChatJson.bytes(ChatJson.requestBody(request, resolvedModel));
        String key = cache == null ? null : ResponseCache.key(body);
        if (cache != null) {
            Optional<ChatResponse> hit = cache.get(key);
            if (hit.isPresent()) {
                meter.cacheHit();
                return hit.get();
            }
        }
        ChatResponse response = sender.send(body, resolvedModel, ChatRateLimiter.estimateTokens(request));
        if (cache != null) {
            cache.put(key, response);
        }
        return response;
    }

    @Override
    public String name() {
        return model;
    }

    @Override
    public int maxConcurrency() {
        return maxConcurrency;
    }

    /**
     * What this client has done so far.
     *
     * @return an immutable snapshot of the counters
     */
    public ChatUsage usage() {
        return meter.snapshot();
    }

    /**
     * The response cache, when one is configured.
     *
     * @return the cache, or empty
     */
    public Optional<ResponseCache> cache() {
        return Optional.ofNullable(cache);
    }

    /** Stops the HTTP client's threads and closes its idle connections. */
    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        List<String> described = endpoints.stream().map(ChatTransport::describe).toList();
        return "OpenAiChatClient[model=" + model + ", endpoints=" + described + ", apiKey="
                + (hasApiKey ? "set" : "none") + ", maxConcurrency=" + maxConcurrency + ", cache="
                + (cache == null ? "none" : cache.dir()) + "]";
    }

    /** An HTTP client with its own dispatcher and pool sized for the concurrency bound. */
    private static OkHttpClient httpClient(Builder b) {
        OkHttpClient.Builder builder = b.httpClient == null ? new OkHttpClient.Builder() : b.httpClient.newBuilder();
        Dispatcher dispatcher = new Dispatcher();
        int limit = Math.max(64, 2 * b.maxConcurrency);
        dispatcher.setMaxRequests(limit);
        dispatcher.setMaxRequestsPerHost(limit);
        builder.dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(Math.max(5, b.maxConcurrency), 5, TimeUnit.MINUTES))
                // Retries are ours to count and pace; OkHttp must not repeat a request silently.
                .retryOnConnectionFailure(false);
        if (b.httpClient == null || b.timeoutsSet) {
            builder.connectTimeout(b.connectTimeout).readTimeout(b.readTimeout).writeTimeout(b.readTimeout)
                    .callTimeout(b.callTimeout);
        }
        return builder.build();
    }

    /**
     * Builds an {@link OpenAiChatClient}. {@link #setBaseUrls(List)} and {@link #setModel(String)}
     * are required; every {@code opt} method has the default its Javadoc names.
     */
    public static final class Builder {
        private List<String> baseUrls;
        private String model;
        private String apiKey;
        private Map<String, String> env = System.getenv();
        private int maxConcurrency = 16;
        private ChatRetryPolicy retry = ChatRetryPolicy.DEFAULT;
        private int requestsPerMinute;
        private long tokensPerMinute;
        private ChatPricing pricing = ChatPricing.FREE;
        private Path cacheDir;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(120);
        private Duration callTimeout = Duration.ofSeconds(120);
        private boolean timeoutsSet;
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Clock clock = Clock.systemUTC();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private OkHttpClient httpClient;

        private Builder() {
        }

        /**
         * @param urls the API base URLs, e.g. {@code http://127.0.0.1:8000/v1}; requests go to
         *     {@code {base}/chat/completions}, in rotation over the list
         * @return this builder
         */
        public Builder setBaseUrls(List<String> urls) {
            this.baseUrls = List.copyOf(urls);
            return this;
        }

        /**
         * @param url the one API base URL, e.g. {@code https://api.openai.com/v1}
         * @return this builder
         */
        public Builder setBaseUrl(String url) {
            return setBaseUrls(List.of(url));
        }

        /**
         * @param value the model asked when a request names none; also {@link OpenAiChatClient#name()}
         * @return this builder
         */
        public Builder setModel(String value) {
            this.model = value;
            return this;
        }

        /**
         * @param value the API key sent as {@code Authorization: Bearer}; default: the
         *     {@code OPENAI_API_KEY} environment variable, or no header when that is unset
         * @return this builder
         */
        public Builder optApiKey(String value) {
            this.apiKey = value;
            return this;
        }

        /**
         * @param value the environment the API key is looked up in; default {@link System#getenv()}
         * @return this builder
         */
        public Builder optEnv(Map<String, String> value) {
            this.env = Map.copyOf(value);
            return this;
        }

        /**
         * @param value the most requests in flight at once; default 16
         * @return this builder
         */
        public Builder optMaxConcurrency(int value) {
            this.maxConcurrency = value;
            return this;
        }

        /**
         * @param value attempts and backoff; default {@link ChatRetryPolicy#DEFAULT}
         * @return this builder
         */
        public Builder optRetry(ChatRetryPolicy value) {
            this.retry = value;
            return this;
        }

        /**
         * @param value the most requests (retries included) per sliding minute; default 0, no cap
         * @return this builder
         */
        public Builder optRequestsPerMinute(int value) {
            this.requestsPerMinute = value;
            return this;
        }

        /**
         * @param value the most tokens per sliding minute, estimated as prompt characters / 4 +
         *     {@code max_tokens * n} before sending and corrected with the server's count; default
         *     0, no cap
         * @return this builder
         */
        public Builder optTokensPerMinute(long value) {
            this.tokensPerMinute = value;
            return this;
        }

        /**
         * @param value prices for the cost in {@link OpenAiChatClient#usage()}; default {@link ChatPricing#FREE}
         * @return this builder
         */
        public Builder optPricing(ChatPricing value) {
            this.pricing = value;
            return this;
        }

        /**
         * @param dir the on-disk response cache directory; default none (every call asks)
         * @return this builder
         */
        public Builder optCache(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        /**
         * @param connect the connection timeout; default 10 s
         * @param read the longest silence while reading or writing; default 120 s
         * @param call the longest whole request; default 120 s
         * @return this builder
         */
        public Builder optTimeouts(Duration connect, Duration read, Duration call) {
            this.connectTimeout = connect;
            this.readTimeout = read;
            this.callTimeout = call;
            this.timeoutsSet = true;
            return this;
        }

        /**
         * @param value how to wait (backoff, {@code Retry-After}, rate caps); default real sleeping
         * @return this builder
         */
        public Builder optSleeper(Sleeper value) {
            this.sleeper = value;
            return this;
        }

        /**
         * @param value the clock for rate caps and HTTP-date {@code Retry-After}; default UTC system clock
         * @return this builder
         */
        public Builder optClock(Clock value) {
            this.clock = value;
            return this;
        }

        /**
         * @param value the HTTP client to derive from (interceptors, proxy, TLS); its dispatcher
         *     and pool are replaced, and its timeouts kept unless {@link #optTimeouts} is called;
         *     default a new client
         * @return this builder
         */
        public Builder optHttpClient(OkHttpClient value) {
            this.httpClient = value;
            return this;
        }

        /** Replaces the jitter source (numbers in [0, 1)); for tests. */
        Builder random(DoubleSupplier value) {
            this.random = value;
            return this;
        }

        /**
         * @return the client
         * @throws IllegalArgumentException when a required field is missing or a value is out of range
         */
        public OpenAiChatClient build() {
            if (baseUrls == null || baseUrls.isEmpty()) {
                throw new IllegalArgumentException("OpenAiChatClient needs at least one base URL (setBaseUrls)");
            }
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("OpenAiChatClient needs a model name (setModel)");
            }
            if (maxConcurrency < 1) {
                throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + maxConcurrency);
            }
            if (requestsPerMinute < 0 || tokensPerMinute < 0) {
                throw new IllegalArgumentException("requests/tokens per minute must be >= 0 (0 = no cap)");
            }
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(pricing, "pricing");
            Objects.requireNonNull(sleeper, "sleeper");
            Objects.requireNonNull(clock, "clock");
            for (Duration timeout : List.of(connectTimeout, readTimeout, callTimeout)) {
                if (timeout.isNegative()) {
                    throw new IllegalArgumentException("timeouts must not be negative, got " + timeout);
                }
            }
            List<HttpUrl> endpoints = new ArrayList<>();
            for (int i = 0; i < baseUrls.size(); i++) {
                String base = baseUrls.get(i) == null ? "" : baseUrls.get(i).strip().replaceAll("/+$", "");
                HttpUrl url = HttpUrl.parse(base);
                if (url == null) {
                    throw new IllegalArgumentException("base URL #" + (i + 1) + " is not an http(s) URL: '"
                            + base.replaceAll("//[^/@]*@", "//") + "'");
                }
                endpoints.add(url.newBuilder().addPathSegments("chat/completions").build());
            }
            String key = apiKey != null ? apiKey : env.get(API_KEY_ENV);
            return new OpenAiChatClient(this, endpoints, key == null || key.isBlank() ? null : key.strip());
        }
    }
}
