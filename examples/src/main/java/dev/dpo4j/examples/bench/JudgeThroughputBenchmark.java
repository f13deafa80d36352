package dev.dpo4j.examples.bench;

import dev.dpo4j.core.chat.ChatRetryPolicy;
import dev.dpo4j.core.chat.OpenAiChatClient;
import dev.dpo4j.data.synth.Article;
import dev.dpo4j.data.synth.QaJudge;
import dev.dpo4j.data.synth.Question;
import dev.dpo4j.data.synth.QuestionSet;
import dev.dpo4j.data.synth.Summary;
import dev.dpo4j.data.synth.SynthConfig;
import dev.dpo4j.data.synth.SynthPipeline;
import dev.dpo4j.data.synth.SynthReport;
import dev.dpo4j.examples.loopback.FaultPlan;
import dev.dpo4j.examples.loopback.LoopbackChatServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Judge requests per second at a given concurrency against a loopback OpenAI-compatible server that
 * answers after a fixed latency, as a fraction of the ideal {@code concurrency / latency} (64 / 0.2 s
 * = 320/s). Two ways are measured in the same process:
 * <ol>
 *   <li><b>qa-judge</b> — {@link QaJudge#judge} called by as many threads as the concurrency,
 *       through {@link OpenAiChatClient} (HTTP, JSON, semaphore, connection pool);
 *   <li><b>pipeline</b> — a whole {@link SynthPipeline} run (question sets and judgements on the
 *       judge server, summaries from a second loopback server without latency), so the figure
 *       shows whether the pipeline keeps the judge busy.
 * </ol>
 * This is a benchmark, not a test: nothing here asserts a speed.
 */
@Command(name = "judge-throughput-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Judge requests/s at a concurrency against a loopback server with fixed latency, vs the ideal.")
public final class JudgeThroughputBenchmark implements Callable<Integer> {

    @Option(names = "--concurrency", defaultValue = "64", description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--latency-ms", defaultValue = "200", description = "Server latency (default: ${DEFAULT-VALUE}).")
    long latencyMillis;

    @Option(names = "--requests", defaultValue = "1280", description = "Judge requests per way (default: ${DEFAULT-VALUE}).")
    int requests;

    /**
     * One way's figures.
     *
     * @param way "qa-judge" or "pipeline"
     * @param judgeRequests judge requests answered
     * @param seconds wall time
     * @param ideal the ideal rate, concurrency / latency
     * @param maxInFlight the most requests the server saw at once
     */
    public record Result(String way, long judgeRequests, double seconds, double ideal, int maxInFlight) {
        /** @return judge requests per second */
        public double rate() {
            return judgeRequests / seconds;
        }

        /** @return the rate as a fraction of the ideal */
        public double fraction() {
            return rate() / ideal;
        }

        /** @return a Markdown table row */
        public String markdownRow() {
            return String.format(Locale.ROOT, "| %s | %d | %.2f | %.1f | %.0f | **%.3f** | %d |", way, judgeRequests,
                    seconds, rate(), ideal, fraction(), maxInFlight);
        }
    }

    /**
     * Runs both ways.
     *
     * @param concurrency requests in flight
     * @param latencyMillis server latency
     * @param requests judge requests per way
     * @return the qa-judge and pipeline results
     */
    public static List<Result> run(int concurrency, long latencyMillis, int requests) {
        if (concurrency < 1 || latencyMillis < 1 || requests < concurrency) {
            throw new IllegalArgumentException("need concurrency >= 1, latency >= 1 ms, requests >= concurrency");
        }
        double ideal = concurrency * 1000.0 / latencyMillis;
        return List.of(qaJudge(concurrency, latencyMillis, requests, ideal),
                pipeline(concurrency, latencyMillis, requests, ideal));
    }

    private static OpenAiChatClient client(LoopbackChatServer server, int concurrency) {
        return OpenAiChatClient.builder().setBaseUrl(server.baseUrl()).setModel("loopback-judge")
                .optMaxConcurrency(concurrency).optRetry(ChatRetryPolicy.NONE)
                .optTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60)).build();
    }

    private static Result qaJudge(int concurrency, long latencyMillis, int requests, double ideal) {
        QuestionSet questions = new QuestionSet("bench", List.of(
                new Question("Who met?", List.of("The council", "A team", "Police", "Students"), "A"),
                new Question("When?", List.of("Monday", "Tuesday", "May", "Never"), "A"),
                new Question("Where?", List.of("Paris", "Rome", "Lima", "Oslo"), "C"),
                new Question("Why?", List.of("Repairs", "Money", "Rain", "Votes"), "A"),
                new Question("How long?", List.of("A day", "A week", "A month", "A year"), "D")), "loopback-judge");
        try (LoopbackChatServer server = new LoopbackChatServer(latencyMillis, FaultPlan.NONE, 1, concurrency * 2);
             OpenAiChatClient judge = client(server, concurrency)) {
            QaJudge qa = new QaJudge(judge, SynthConfig.defaults());
            ExecutorService callers = Executors.newFixedThreadPool(concurrency);
            try {
                List<Future<?>> warm = new ArrayList<>();
                for (int i = 0; i < concurrency; i++) { // open the connections before timing
                    Summary s = new Summary("warm", i, "The council met on Monday about the bridge.", "bench");
                    warm.add(callers.submit(() -> qa.judge(s, questions)));
                }
                waitAll(warm);
                long start = System.nanoTime();
                List<Future<?>> timed = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    Summary s = new Summary("bench", i, "The council met on Monday about the bridge, " + i + ".", "bench");
                    timed.add(callers.submit(() -> qa.judge(s, questions)));
                }
                waitAll(timed);
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Result("qa-judge", requests, seconds, ideal, server.maxInFlight());
            } finally {
                callers.shutdownNow();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result pipeline(int concurrency, long latencyMillis, int requests, double ideal) {
        SynthConfig config = SynthConfig.builder().optJudgeConcurrency(concurrency).optWriterConcurrency(concurrency)
                .build();
        int perArticle = 1 + config.numCandidates(); // one question set + one judgement per summary
        int articles = Math.max(1, requests / perArticle);
        List<Article> input = new ArrayList<>();
        for (int i = 0; i < articles; i++) {
            input.add(new Article("a" + i, "The council met on Monday to discuss bridge number " + i
                    + ". Officials said the repairs would take a year. Residents asked for a ferry.", null));
        }
        Path dir = null;
        try (LoopbackChatServer judgeServer = new LoopbackChatServer(latencyMillis, FaultPlan.NONE, 1, concurrency * 2);
             LoopbackChatServer writerServer = new LoopbackChatServer(0, FaultPlan.NONE, 2, concurrency * 2);
             OpenAiChatClient judge = client(judgeServer, concurrency);
             OpenAiChatClient writer = client(writerServer, concurrency)) {
            dir = Files.createTempDirectory("judge-bench");
            SynthPipeline p = SynthPipeline.builder().setJudge(judge).setBaseModel(writer)
                    .setOutputDir(dir).optConfig(config).optProgress(null).build();
            long start = System.nanoTime();
            SynthReport report = p.run(input);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (report.articlesIn() != articles) {
                throw new IllegalStateException("pipeline read " + report.articlesIn() + " of " + articles + " articles");
            }
            return new Result("pipeline", judgeServer.requestsReceived(), seconds, ideal, judgeServer.maxInFlight());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void waitAll(List<Future<?>> futures) {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IllegalStateException("a benchmark request failed: " + e.getMessage(), e);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }

    @Override
    public Integer call() {
        List<Result> results = run(concurrency, latencyMillis, requests);
        System.out.printf(Locale.ROOT, "judge throughput: concurrency %d, latency %d ms, ideal %.0f req/s%n%n",
                concurrency, latencyMillis, concurrency * 1000.0 / latencyMillis);
        System.out.println("| way | judge requests | seconds | req/s | ideal | fraction of ideal | max in flight |");
        System.out.println("|---|---|---|---|---|---|---|");
        results.forEach(r -> System.out.println(r.markdownRow()));
        return 0;
    }

    /**
     * Runs the benchmark from the command line.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new JudgeThroughputBenchmark()).execute(args));
    }
}
