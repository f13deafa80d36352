package dev.dpo4j.examples.loopback;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a {@link LoopbackChatServer} until the process is stopped, for trying {@code dpo4j data synth}
 * offline (a stand-in judge that answers every {@code json_schema} request with a valid instance).
 */
@Command(name = "loopback-chat-server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "An OpenAI-compatible stand-in server on 127.0.0.1 (schema-valid random answers, prompt extracts).")
public final class LoopbackServerMain implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8765", description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--latency-ms", defaultValue = "0", description = "Delay before each answer (default: ${DEFAULT-VALUE}).")
    long latencyMillis;

    @Option(names = "--fault-rate", defaultValue = "0",
            description = "Probability of each of the six faults per request (default: ${DEFAULT-VALUE}).")
    double faultRate;

    @Option(names = "--threads", defaultValue = "128", description = "Requests served at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        try (LoopbackChatServer server = new LoopbackChatServer(port, latencyMillis, FaultPlan.uniform(faultRate, 1),
                1, threads)) {
            System.out.println("serving " + server.baseUrl() + " (stop with Ctrl-C)");
            new CountDownLatch(1).await();
        }
        return 0;
    }

    /**
     * Starts the server.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new LoopbackServerMain()).execute(args));
    }
}
