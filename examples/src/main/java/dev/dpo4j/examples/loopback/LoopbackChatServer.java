package dev.dpo4j.examples.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible {@code POST /v1/chat/completions} server on 127.0.0.1 (JDK HTTP server, no
 * extra dependency). Answers are deterministic functions of the request body: a {@code json_schema}
 * request gets a schema-valid instance ({@link SchemaInstances}), a free-text request an extract of
 * its last user message. It sleeps {@code latencyMillis} before answering, injects the faults of a
 * {@link FaultPlan} at random (seeded), and counts what it answered per distinct request body, so a
 * test can check that no request was answered twice.
 */
public final class LoopbackChatServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm on, the body
        // waits for the client's delayed ACK (~40 ms), which capped a 64-way judge at 0.79 of its
        // ideal rate against a 200 ms server (0.94 with this on; docs/benchmarks.md). Read once
        // when the JDK's server classes load, so it is set before the first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final long latencyMillis;
    private final FaultPlan faults;
    private final Random faultRandom;
    private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong injected = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    /**
     * Starts a server on an ephemeral loopback port.
     *
     * @param latencyMillis the delay before each answer
     * @param faults the faults to inject
     * @param seed the seed of the fault draws
     * @param threads the most requests served at once
     * @throws IOException when the port cannot be bound
     */
    public LoopbackChatServer(long latencyMillis, FaultPlan faults, long seed, int threads) throws IOException {
        this(0, latencyMillis, faults, seed, threads);
    }

    /**
     * Starts a server on a given loopback port.
     *
     * @param port the port, or 0 for an ephemeral one
     * @param latencyMillis the delay before each answer
     * @param faults the faults to inject
     * @param seed the seed of the fault draws
     * @param threads the most requests served at once
     * @throws IOException when the port cannot be bound
     */
    public LoopbackChatServer(int port, long latencyMillis, FaultPlan faults, long seed, int threads)
            throws IOException {
        this.latencyMillis = latencyMillis;
        this.faults = faults;
        this.faultRandom = new Random(seed);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "loopback-chat");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /**
     * The base URL to give a client, {@code http://127.0.0.1:PORT/v1}.
     *
     * @return the base URL
     */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** @return requests received, faults included */
    public long requestsReceived() {
        return received.get();
    }

    /** @return faults injected */
    public long faultsInjected() {
        return injected.get();
    }

    /** @return distinct request bodies answered successfully */
    public int distinctAnswered() {
        return answered.size();
    }

    /** @return successful answers in all, repeats included */
    public long answeredTotal() {
        return answered.values().stream().mapToLong(AtomicInteger::get).sum();
    }

    /** @return distinct request bodies answered successfully more than once */
    public long answeredMoreThanOnce() {
        return answered.values().stream().filter(c -> c.get() > 1).count();
    }

    /** @return the most requests that were being served at the same time */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        received.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (latencyMillis > 0) {
                Thread.sleep(latencyMillis);
            }
            FaultPlan.Fault fault;
            synchronized (faultRandom) {
                fault = faults.pick(faultRandom.nextDouble());
            }
            if (fault != FaultPlan.Fault.NONE) {
                injected.incrementAndGet();
                inject(ex, fault);
                return;
            }
            String key = sha256(body);
            byte[] answer;
            try {
                answer = JSON.writeValueAsBytes(answer(JSON.readTree(body), key));
            } catch (IOException | RuntimeException e) {
                send(ex, 400, "{\"error\":{\"message\":\"bad request: " + e.getClass().getSimpleName() + "\"}}");
                return;
            }
            // Counted before sending, so a client that has read the answer always sees it counted.
            answered.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, answer.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void inject(HttpExchange ex, FaultPlan.Fault fault) throws IOException {
        switch (fault) {
            case TOO_MANY_REQUESTS:
                ex.getResponseHeaders().set("Retry-After", Integer.toString(faults.retryAfterSeconds()));
                send(ex, 429, "{\"error\":{\"message\":\"rate limited\"}}");
                break;
            case SERVER_ERROR:
                send(ex, 500, "{\"error\":{\"message\":\"internal error\"}}");
                break;
            case UNAVAILABLE:
                send(ex, 503, "{\"error\":{\"message\":\"overloaded\"}}");
                break;
            case DISCONNECT:
                ex.close(); // no status line at all: the connection just ends
                break;
            case TRUNCATED: {
                byte[] full = "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"abc\"}}]}"
                        .getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, full.length);
                OutputStream out = ex.getResponseBody();
                out.write(full, 0, full.length / 2);
                out.flush();
                ex.close();
                break;
            }
            case NON_JSON:
                ex.getResponseHeaders().set("Content-Type", "text/html");
                send(ex, 200, "<html><body>502 Bad Gateway</body></html>");
                break;
            default:
                throw new IllegalStateException("no fault " + fault);
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The chat-completion answer to a request; deterministic in the request body. */
    private static ObjectNode answer(JsonNode request, String key) {
        Random random = new Random(Long.parseUnsignedLong(key.substring(0, 15), 16));
        JsonNode format = request.path("response_format");
        int n = request.path("n").asInt(1);
        ObjectNode out = JSON.createObjectNode();
        out.put("id", "chatcmpl-" + key.substring(0, 12));
        out.put("object", "chat.completion");
        out.put("model", request.path("model").asText("loopback"));
        var choices = out.putArray("choices");
        long completion = 0;
        for (int i = 0; i < n; i++) {
            String content = "json_schema".equals(format.path("type").asText())
                    ? SchemaInstances.instance(format.path("json_schema").path("schema"), random).toString()
                    : Extracts.of(lastUserMessage(request), random);
            ObjectNode choice = choices.addObject();
            choice.put("index", i);
            choice.putObject("message").put("role", "assistant").put("content", content);
            choice.put("finish_reason", "stop");
            completion += (content.length() + 3) / 4;
        }
        ObjectNode usage = out.putObject("usage");
        long prompt = (request.path("messages").toString().length() + 3) / 4;
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
        return out;
    }

    private static String lastUserMessage(JsonNode request) {
        String text = "";
        for (JsonNode m : request.path("messages")) {
            if ("user".equals(m.path("role").asText())) {
                text = m.path("content").asText();
            }
        }
        return text;
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
