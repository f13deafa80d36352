package dev.dpo4j.examples.cli;

import ai.djl.Device;
import dev.dpo4j.core.model.LoadOptions;
import dev.dpo4j.core.chat.OpenAiChatClient;
import dev.dpo4j.data.synth.SynthConfig;
import dev.dpo4j.eval.Contender;
import dev.dpo4j.eval.Evaluator;
import dev.dpo4j.eval.report.ContenderResult;
import dev.dpo4j.eval.report.EvalReport;
import dev.dpo4j.eval.report.MarkdownReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dpo4j evaluate}: every contender (the base model, the base with each adapter, merged models,
 * OpenAI-compatible endpoints) answers every held-out item, then the judge scores the answers with
 * dpo-eval's {@link Evaluator}: the QA score (summarization), pairwise win/loss/tie with the adjusted
 * win rate, ROUGE and lengths, with bootstrap intervals. Journals and {@code report.json},
 * {@code report.md}, {@code report.html} go to {@code --output}; rerunning the same command asks only
 * what the journals lack. Stdout shows the Markdown tables and the path of the HTML report.
 *
 * <p>Flag checks run before any model is loaded; each error is one line naming the flag or key.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare a tuned model with its base and other models: QA score, pairwise judging, ROUGE "
                + "(resumable: rerun to continue).",
            "Summarization rows: {\"article\": ..., \"highlights\"?: ..., \"id\"?: ...} (CNN/DailyMail layout). "
                + "Instruction rows: {\"prompt\": text or [{\"role\", \"content\"}...], \"reference\"?: ..., "
                + "\"id\"?: ...}.",
            "Output in --output: report.json, report.md, report.html, eval.json and the journals questions.jsonl, "
                + "generations/, qa/, pairwise/.",
            "Every flag has a YAML key (--config): the flag in snake_case, a list for a repeatable flag; flags win."})
final class EvaluateCommand implements Callable<Integer> {


    @Spec
    CommandSpec spec;

    @Mixin
    DatasetInput input;

    @Option(names = "--task", defaultValue = "summarization", paramLabel = "summarization|instruction",
            description = "summarization: QA score, pairwise, ROUGE vs highlights; instruction: pairwise, ROUGE vs "
                    + "'reference' when rows have one (default: ${DEFAULT-VALUE}).")
    EvalRows.Task task;

    @Option(names = "--model", paramLabel = "DIR|ORG/NAME[@REV]",
            description = "The base model: contender 'base' unless --no-base, and the base of every --adapter.")
    String model;

    @Option(names = "--no-base", description = "Do not evaluate the plain base model.")
    boolean noBase;

    @Option(names = "--adapter", split = ",", paramLabel = "NAME=DIR",
            description = "The base model with this PEFT adapter, as contender NAME; repeatable.")
    List<String> adapters = new ArrayList<>();

    @Option(names = "--merged", split = ",", paramLabel = "NAME=DIR",
            description = "A merged model folder or Hub id, as contender NAME; repeatable.")
    List<String> merged = new ArrayList<>();

    @Option(names = "--endpoint", split = ",", paramLabel = "NAME=MODEL@URL",
            description = "An OpenAI-compatible model as contender NAME, e.g. gpt4o=gpt-4o@https://api.openai.com/v1 "
                    + "(key from --api-key-env; --judge-concurrency, --max-attempts, --timeout-seconds and --cache-dir "
                    + "apply to it too); repeatable.")
    List<String> endpoints = new ArrayList<>();

    @Mixin
    JudgeEndpoint judge;

    @Option(names = "--pairwise", split = ",", paramLabel = "A:B",
            description = "Judge contender A against B, both orders per item; repeatable.")
    List<String> pairwise = new ArrayList<>();

    @Option(names = "--questions", defaultValue = "5",
            description = "QA questions per article (default: ${DEFAULT-VALUE}).")
    int questions;

    @Option(names = "--threshold", defaultValue = "3",
            description = "QA score counted as a pass, of --questions (default: ${DEFAULT-VALUE}).")
    int threshold;

    @Option(names = "--temperature", defaultValue = "0.0",
            description = "Contenders' sampling temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--max-new-tokens", defaultValue = "256",
            description = "Most tokens per answer (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the questions and the sampling; the data run's seed asks the same questions "
                    + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--training-metrics", split = ",", paramLabel = "RUN=FILE",
            description = "A trainer's metrics.jsonl, drawn as curves in report.html; repeatable.")
    List<String> trainingMetrics = new ArrayList<>();

    @Option(names = "--output", paramLabel = "DIR", description = "Required: folder of the journals and reports.")
    Path output;

    @Option(names = "--title", defaultValue = "dpo4j evaluation",
            description = "Report title (default: ${DEFAULT-VALUE}).")
    String title;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu|gpu:N",
            description = "Device of local models (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--retry-failures", description = "Ask again the requests an earlier run recorded as failed.")
    boolean retryFailures;

    @Mixin
    PrecisionOptions precision;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        config.checkKeys(spec);
        OutputFolder.require(output);
        // 1. every flag checked before a model is loaded or a request sent
        ContenderSpecs specs = ContenderSpecs.parse(model, noBase, adapters, merged, endpoints, pairwise);
        checkSettings(specs);
        Device where = Devices.parse(device);
        LoadOptions loading = ModelLoading.prepare(where, precision.settings(), spec.commandLine().getErr()).options();
        Map<String, Path> curves = curves();
        SynthConfig synth = SynthConfig.builder()
                .optNumQuestions(questions)
                .optThreshold(threshold)
                .optSeed(seed)
                .optJudgeConcurrency(judge.concurrency)
                .build();
        // 2. the items, so a bad row fails before the models load
        EvalRows rows = EvalRows.read(input.open(), task, synth);
        PrintWriter err = spec.commandLine().getErr();
        if (rows.duplicates() > 0) {
            err.println("note: skipped " + rows.duplicates() + " row(s) repeating an earlier item");
            err.flush();
        }
        // 3. contenders and judge, all closed at the end
        List<ContenderModel> models = new ArrayList<>();
        OpenAiChatClient judgeClient = null;
        RuntimeException failure = null;
        try {
            for (ContenderSpecs.Spec c : specs.contenders()) {
                models.add(ContenderModel.open(c, model, where, loading, maxNewTokens, judge, judge.concurrency,
                        rows.conversations()));
            }
            judgeClient = needsJudge(specs) ? judge.judge() : null;
            Evaluator.Builder builder = Evaluator.builder()
                    .setOutputDir(output)
                    .optJudge(judgeClient)
                    .optSynthConfig(synth)
                    .optGeneration(temperature, maxNewTokens)
                    .optConcurrency(judge.concurrency)
                    .optTitle(title)
                    .optRetryFailures(retryFailures);
            for (int i = 0; i < models.size(); i++) {
                builder.addContender(new Contender(specs.contenders().get(i).name(), models.get(i)));
            }
            specs.pairs().forEach(p -> builder.optPairwise(p.a(), p.b()));
            curves.forEach(builder::optTrainingCurve);
            // 4. run (or resume) and show the tables
            EvalReport report = builder.build().run(rows.items());
            print(report, judgeClient);
            String nothing = nothingUsable(report);
            if (nothing != null) {
                spec.commandLine().getErr().println("error: " + nothing + "; the report holds no result (exit "
                        + Dpo4jCli.NOTHING_PRODUCED + "); see the failures journaled in " + output);
                spec.commandLine().getErr().flush();
                return Dpo4jCli.NOTHING_PRODUCED;
            }
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            closeAll(models, judgeClient, failure);
        }
        return 0;
    }

    /** Ranges and the judge, each error naming its flag. */
    private void checkSettings(ContenderSpecs specs) {
        if (output == null) {
            throw new IllegalArgumentException("--output: required (the folder of the journals and reports)");
        }
        require(questions >= 1, "--questions: must be >= 1, got " + questions);
        require(threshold >= 1 && threshold <= questions,
                "--threshold: must be in 1..--questions (" + questions + "), got " + threshold);
        require(temperature >= 0 && Double.isFinite(temperature), "--temperature: must be >= 0, got " + temperature);
        require(maxNewTokens >= 1, "--max-new-tokens: must be >= 1, got " + maxNewTokens);
        require(judge.concurrency >= 1, "--judge-concurrency: must be >= 1, got " + judge.concurrency);
        require(!title.isBlank(), "--title: must not be blank");
        boolean judgeGiven = !judge.urls.isEmpty() || judge.model != null;
        if (needsJudge(specs) && (judge.urls.isEmpty() || judge.model == null)) {
            String why = task == EvalRows.Task.summarization
                    ? "--task summarization (the judge writes and answers the QA questions)"
                    : "--pairwise (the judge compares the answers)";
            throw new IllegalArgumentException("--judge-url and --judge-model: both required for " + why);
        }
        if (judgeGiven && !needsJudge(specs)) {
            spec.commandLine().getErr().println("note: --task instruction without --pairwise does not use the judge");
        }
    }

    /** QA scoring (summarization) and pairwise judging ask the judge; ROUGE and lengths do not. */
    private boolean needsJudge(ContenderSpecs specs) {
        return task == EvalRows.Task.summarization || !specs.pairs().isEmpty();
    }

    private Map<String, Path> curves() {
        Map<String, Path> curves = new LinkedHashMap<>();
        for (String value : trainingMetrics) {
            int eq = value.indexOf('=');
            if (eq <= 0 || eq == value.length() - 1) {
                throw new IllegalArgumentException("--training-metrics: expected RUN=FILE, got '" + value + "'");
            }
            String run = value.substring(0, eq).trim();
            Path file = Path.of(value.substring(eq + 1).trim());
            require(Files.isRegularFile(file),
                    "--training-metrics: file " + file + " of run '" + run + "' does not exist");
            require(curves.put(run, file) == null, "--training-metrics: run '" + run + "' is given twice");
        }
        return curves;
    }

    /** The Markdown tables (the settings block stays in report.md) and where the HTML report is. */
    private void print(EvalReport report, OpenAiChatClient judgeClient) {
        String markdown = MarkdownReport.render(report);
        int settings = markdown.indexOf("\n## Settings");
        PrintWriter out = spec.commandLine().getOut();
        out.print(settings < 0 ? markdown : markdown.substring(0, settings + 1));
        out.println("report: " + output.resolve(EvalReport.HTML_FILE).toAbsolutePath());
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        if (judgeClient != null) {
            err.println("judge: " + judgeClient.usage().summary());
        }
        if (incomplete(report)) {
            err.println("note: some requests failed for good (journaled as failures, counted in the report); rerun "
                    + "with --retry-failures to ask them again");
        }
        err.flush();
    }

    /**
     * Why a finished evaluation has no usable result, or null when it has one: no contender produced an
     * output, no output got a QA judgement, or no pair got a verdict.
     */
    static String nothingUsable(EvalReport report) {
        if (report.contenders().stream().allMatch(c -> c.outputs() == 0)) {
            return "every generation request failed";
        }
        boolean qa = report.contenders().stream().anyMatch(c -> c.qa() != null);
        if (qa && report.contenders().stream().allMatch(c -> c.qa() == null || c.qa().judged() == 0)) {
            return "every QA judgement request failed";
        }
        if (!report.pairwise().isEmpty() && report.pairwise().stream().allMatch(p -> p.n() == 0)) {
            return "every pairwise judgement request failed";
        }
        return null;
    }

    /** Whether a generation, QA judgement or pairwise verdict is missing for some item. */
    private static boolean incomplete(EvalReport report) {
        for (ContenderResult c : report.contenders()) {
            if (c.failed() > 0 || (c.qa() != null && c.qa().failed() > 0)) {
                return true;
            }
        }
        return report.pairwise().stream().anyMatch(p -> p.n() < report.examples());
    }

    /**
     * Closes the contenders (last loaded first), then the judge. A failure to close is added to the
     * run's own failure when there is one, else the first is raised.
     */
    private static void closeAll(List<ContenderModel> models, OpenAiChatClient judgeClient, RuntimeException running) {
        List<AutoCloseable> all = new ArrayList<>();
        for (int i = models.size() - 1; i >= 0; i--) {
            all.add(models.get(i));
        }
        if (judgeClient != null) {
            all.add(judgeClient);
        }
        RuntimeException failure = null;
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                if (running != null) {
                    running.addSuppressed(e);
                } else if (failure == null) {
                    failure = new IllegalStateException("closing " + c + ": " + e.getMessage(), e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
