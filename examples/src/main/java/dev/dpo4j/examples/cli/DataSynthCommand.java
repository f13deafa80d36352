package dev.dpo4j.examples.cli;

import ai.djl.Device;
import dev.dpo4j.core.model.LoadOptions;
import dev.dpo4j.core.chat.ChatModel;
import dev.dpo4j.core.chat.LocalChatModel;
import dev.dpo4j.core.chat.OpenAiChatClient;
import dev.dpo4j.data.io.Dataset;
import dev.dpo4j.data.synth.Article;
import dev.dpo4j.data.synth.PairPolicy;
import dev.dpo4j.data.synth.SynthConfig;
import dev.dpo4j.data.synth.SynthPipeline;
import dev.dpo4j.data.synth.SynthPrompts;
import dev.dpo4j.data.synth.SynthReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dpo4j data synth}: the llmforge summarization recipe. A judge writes multiple-choice
 * questions per article, the base model samples candidate summaries, the judge answers the
 * questions from each summary alone, and summaries at or above the threshold are paired with ones
 * below. Every request's result is journaled in {@code --output} as it arrives; rerunning the same
 * command after a crash continues where it stopped.
 */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Synthetic summarization preferences scored by a QA judge (resumable: rerun to continue).",
            "Input rows: {\"article\": ..., \"highlights\"?: ..., \"id\"?: ...} (CNN/DailyMail layout).",
            "Output in --output: train.jsonl, valid.jsonl (TRL format, scores in metadata), questions/summaries/"
                + "judgements/articles/rejects .jsonl, report.json.",
            "The API key is read from the variable named by --api-key-env, never from a flag or file."})
final class DataSynthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatasetInput input;

    @Mixin
    JudgeEndpoint judge;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Run folder (journals and outputs).")
    Path output;

    @Option(names = "--writer-model", required = true, paramLabel = "DIR|ORG/NAME|NAME",
            description = "The base model that writes candidate summaries: a local model folder or Hub id, or with "
                    + "--writer-url the served model name.")
    String writerModel;

    @Option(names = "--writer-url", split = ",", paramLabel = "URL",
            description = "Serve the base model from OpenAI-compatible URL(s) (e.g. vLLM) instead of running it locally.")
    List<String> writerUrls = new ArrayList<>();

    @Option(names = "--writer-concurrency", defaultValue = "0",
            description = "Base-model requests in flight; 0 = the model's own limit (1 locally, 16 served).")
    int writerConcurrency;

    @Option(names = "--device", defaultValue = "cpu", description = "Device of a local base model (default: ${DEFAULT-VALUE}).")
    String device;

    @Mixin
    PrecisionOptions precision;

    @Option(names = "--questions", defaultValue = "5", description = "Questions per article (default: ${DEFAULT-VALUE}).")
    int questions;

    @Option(names = "--candidates", defaultValue = "4", description = "Summaries per article (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--threshold", defaultValue = "3",
            description = "Lowest score of a chosen summary (default: ${DEFAULT-VALUE}).")
    int threshold;

    @Option(names = "--policy", defaultValue = "threshold",
            description = "threshold, best-vs-worst or all-pairs (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--temperature", defaultValue = "1.0",
            description = "Base-model sampling temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-p", description = "Base-model nucleus mass; unset = the server's default.")
    Double topP;

    @Option(names = "--max-tokens", defaultValue = "256", description = "Most tokens per summary (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--judge-temperature", defaultValue = "0", description = "Judge temperature (default: ${DEFAULT-VALUE}).")
    double judgeTemperature;

    @Option(names = "--seed", defaultValue = "42", description = "Run seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--valid-fraction", defaultValue = "0.1",
            description = "Share of articles in valid.jsonl (default: ${DEFAULT-VALUE}).")
    double validFraction;

    @Option(names = "--chat-format", description = "Write prompt/chosen/rejected as chat messages.")
    boolean chatFormat;

    @Option(names = "--prompts", paramLabel = "DIR",
            description = "Folder overriding the prompt templates/schemas (question_writer.txt, summarize.txt, "
                    + "qa_judge.txt, question_set.schema.json, qa_answers.schema.json).")
    Path prompts;

    @Option(names = "--retry-rejects", description = "Ask again the requests an earlier run rejected.")
    boolean retryRejects;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        config.checkKeys(spec);
        OutputFolder.require(output);
        SynthConfig settings = settings();
        Dataset rows = input.open();
        try (OpenAiChatClient judgeClient = judge.judge();
             ChatModel writer = writer()) {
            SynthPipeline pipeline = SynthPipeline.builder()
                    .setJudge(judgeClient)
                    .setBaseModel(writer)
                    .setOutputDir(output)
                    .optConfig(settings)
                    .build();
            SynthReport report;
            long count = rows.count(); // a streaming first pass, so the progress bar has an ETA
            try (Stream<Article> articles = rows.stream().map(Article::fromRow)) {
                report = pipeline.run(articles, count);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(report.toTable());
            out.println("judge: " + judgeClient.usage().summary());
            out.println("output: " + output.toAbsolutePath());
            out.flush();
            if (report.pairsTrain() + report.pairsValid() == 0 && report.requestFailures() > 0) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("error: no pairs, and " + report.requestFailures() + " requests failed (rejects.jsonl"
                        + " says why; exit " + Dpo4jCli.NOTHING_PRODUCED + "); rerun with --retry-rejects once the"
                        + " cause is fixed");
                err.flush();
                return Dpo4jCli.NOTHING_PRODUCED;
            }
        }
        return 0;
    }

    private SynthConfig settings() {
        SynthPrompts templates = prompts == null ? SynthPrompts.defaults() : SynthPrompts.defaults().withOverrides(prompts);
        SynthConfig.Builder b = SynthConfig.builder()
                .optNumQuestions(questions)
                .optNumCandidates(candidates)
                .optThreshold(threshold)
                .optPolicy(PairPolicy.parse(policy))
                .optTemperature(temperature)
                .optMaxTokens(maxTokens)
                .optJudgeTemperature(judgeTemperature)
                .optSeed(seed)
                .optValidFraction(validFraction)
                .optChatFormat(chatFormat)
                .optJudgeConcurrency(judge.concurrency)
                .optWriterConcurrency(writerConcurrency)
                .optRetryRejects(retryRejects)
                .optPrompts(templates);
        if (topP != null) {
            b.optTopP(topP);
        }
        return b.build();
    }

    private ChatModel writer() {
        if (!writerUrls.isEmpty()) {
            return judge.client(writerUrls, writerModel, writerConcurrency > 0 ? writerConcurrency : 16);
        }
        Device where = Devices.parse(device);
        LoadOptions loading = ModelLoading.prepare(where, precision.settings(), spec.commandLine().getErr()).options();
        return LocalChatModel.load(writerModel, where, loading, maxTokens);
    }
}
