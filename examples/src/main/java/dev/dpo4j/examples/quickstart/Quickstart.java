package dev.dpo4j.examples.quickstart;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.chat.LocalChatModel;
import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.core.train.DpoTrainer;
import dev.dpo4j.core.train.PreferencePair;
import dev.dpo4j.core.train.SftExample;
import dev.dpo4j.core.train.TrainConfig;
import dev.dpo4j.data.synth.PairPolicy;
import dev.dpo4j.data.synth.SynthConfig;
import dev.dpo4j.data.synth.SynthPipeline;
import dev.dpo4j.data.synth.SynthReport;
import dev.dpo4j.data.tokenize.PairReader;
import dev.dpo4j.data.tokenize.Truncation;
import dev.dpo4j.eval.Contender;
import dev.dpo4j.eval.EvalItem;
import dev.dpo4j.eval.Evaluator;
import dev.dpo4j.eval.report.EvalReport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code dpo4j quickstart}: the whole dpo4j pipeline offline, on a model it makes itself.
 *
 * <ol>
 *   <li>data/: a synthetic news corpus ({@link NewsCorpus}) split into articles to learn from,
 *       articles for preference pairs, and held-out articles;</li>
 *   <li>model/: a word-level tokenizer and a tiny Llama trained from scratch to summarise
 *       ({@link ScratchTrainer}) — the "SFT base";</li>
 *   <li>synth/: the data pipeline of seed 000 ({@link SynthPipeline}): candidate summaries sampled
 *       from the base, questions per article and QA scores from the {@link EmbeddedJudge}, chosen /
 *       rejected pairs;</li>
 *   <li>dpo/: DPO with LoRA on those pairs ({@link DpoTrainer});</li>
 *   <li>eval/: base vs tuned on the held-out articles ({@link Evaluator}): QA score with a
 *       confidence interval, the paired difference, pairwise wins, ROUGE, report.html.</li>
 * </ol>
 * Each stage skips what an earlier run finished, so a rerun after a crash picks up where it
 * stopped.
 *
 * <p>The run sets libtorch to one intra-op thread (and restores the previous count when it ends):
 * with two threads, CPU reductions differ in the last bits from run to run, and the from-scratch
 * training then drifts apart; with one, the same seed gives the same base model, pairs and report on
 * the same machine. The price is speed: the from-scratch SFT runs at 10 steps/s instead of 17 on two.
 */
public final class Quickstart {
    /** Contender name of the SFT base model in the report. */
    public static final String BASE = "sft-base";
    /** Contender name of the DPO-tuned model. */
    public static final String TUNED = "dpo-tuned";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SUMMARY_TOKENS = 48;
    private static final int SFT_SEED_OFFSET = 0;
    private static final int PAIR_SEED_OFFSET = 100_000;
    private static final int EVAL_SEED_OFFSET = 200_000;

    private Quickstart() {
    }

    /**
     * Runs every stage.
     *
     * @param config the settings
     * @param progress where progress bars and stage lines go
     * @return the outcome
     * @throws IOException if a file cannot be read or written
     */
    public static QuickstartResult run(QuickstartConfig config, PrintStream progress) throws IOException {
        Engine.getEngine("PyTorch");
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            return runStages(config, progress);
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }

    private static QuickstartResult runStages(QuickstartConfig config, PrintStream progress) throws IOException {
        long started = System.nanoTime();
        Path out = config.outputDir();
        List<NewsArticle> sft = NewsCorpus.generate(config.sftArticles(), config.seed(), SFT_SEED_OFFSET,
                config.faultyRate());
        List<NewsArticle> pairs = NewsCorpus.generate(config.pairArticles(), config.seed(), PAIR_SEED_OFFSET);
        List<NewsArticle> held = NewsCorpus.generate(config.evalArticles(), config.seed(), EVAL_SEED_OFFSET);
        QuickstartFiles.writeArticles(out.resolve("data/sft.jsonl"), sft);
        QuickstartFiles.writeArticles(out.resolve("data/pairs.jsonl"), pairs);
        QuickstartFiles.writeArticles(out.resolve("data/eval.jsonl"), held);
        List<NewsArticle> all = new ArrayList<>(sft);
        all.addAll(pairs);
        all.addAll(held);
        EmbeddedJudge judge = new EmbeddedJudge(all);
        SynthConfig synth = SynthConfig.builder()
                .optNumCandidates(config.candidates())
                .optTemperature(config.sampleTemperature())
                .optMaxTokens(MAX_SUMMARY_TOKENS)
                .optPolicy(PairPolicy.BEST_VS_WORST)
                .optThreshold(config.goodScore())
                .optSeed(config.seed())
                .optValidFraction(0.0)
                .build();

        Path modelDir = out.resolve("model");
        trainBase(config, sft, synth, modelDir, progress);
        SynthReport pairReport = makePairs(config, pairs, judge, synth, modelDir, out.resolve("synth"), progress);
        tune(config, modelDir, out.resolve("synth/train.jsonl"), out.resolve("dpo"), progress);
        EvalReport report = evaluate(config, held, judge, synth, modelDir, out, progress);
        return new QuickstartResult(out, report, pairReport, (System.nanoTime() - started) / 1e9);
    }

    /** model/: the tokenizer and the from-scratch SFT base; skipped when an earlier run wrote it. */
    private static void trainBase(QuickstartConfig config, List<NewsArticle> articles, SynthConfig synth, Path dir,
                                  PrintStream progress) throws IOException {
        ObjectNode stamp = JSON.createObjectNode();
        stamp.put("sft_articles", config.sftArticles()).put("faulty_rate", config.faultyRate())
                .put("hidden_size", config.hiddenSize()).put("layers", config.layers()).put("sft_steps", config.sftSteps())
                .put("sft_batch_size", config.sftBatchSize()).put("sft_learning_rate", config.sftLearningRate())
                .put("seed", config.seed());
        if (QuickstartFiles.isDone(dir, stamp)) {
            progress.println("model: " + dir + " (trained by an earlier run)");
            return;
        }
        Set<String> words = new LinkedHashSet<>(NewsCorpus.vocabulary());
        words.addAll(Arrays.asList(synth.prompts().summarize().replace("{{article}}", " ").trim().split("\\s+")));
        WordTokenizerFiles.write(dir, words);
        ObjectNode modelConfig = TinyModel.configJson(WordTokenizerFiles.vocabulary(words).size(), config.hiddenSize(),
                config.layers());
        List<SftExample> examples = new ArrayList<>(articles.size());
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            for (NewsArticle a : articles) {
                examples.add(new SftExample(tokenizer.encodePrompt(synth.prompts().summarizePrompt(a.toArticle())),
                        tokenizer.encodeCompletion(a.highlights(), true)));
            }
        }
        progress.printf("model: a %d-layer Llama (hidden %d), trained from scratch on %d articles%n", config.layers(),
                config.hiddenSize(), articles.size());
        try (DecoderModel model = TinyModel.initialise(modelConfig, config.seed())) {
            List<Double> losses = ScratchTrainer.train(model, examples, new ScratchTrainer.Settings(config.sftSteps(),
                    config.sftBatchSize(), config.sftLearningRate(), 0.05, 0.0, config.seed()), progress);
            TinyModel.save(model, modelConfig, dir);
            QuickstartFiles.writeLosses(dir.resolve("sft_metrics.jsonl"), losses);
        }
        QuickstartFiles.markDone(dir, stamp);
    }

    /** synth/: candidates from the base, questions and QA scores from the embedded judge, pairs. */
    private static SynthReport makePairs(QuickstartConfig config, List<NewsArticle> articles, EmbeddedJudge judge,
                                         SynthConfig synth, Path modelDir, Path dir, PrintStream progress) {
        progress.printf("pairs: %d candidates for each of %d articles, judged by the embedded QA judge%n",
                config.candidates(), articles.size());
        try (CausalLm lm = CausalLm.load(modelDir.toString())) {
            LocalChatModel base = LocalChatModel.of(lm, MAX_SUMMARY_TOKENS);
            SynthPipeline pipeline = SynthPipeline.builder()
                    .setJudge(judge)
                    .setBaseModel(base)
                    .setOutputDir(dir)
                    .optConfig(synth)
                    .optProgress(progress)
                    .build();
            return pipeline.run(articles.stream().map(NewsArticle::toArticle).toList());
        }
    }

    /** dpo/: DPO with LoRA on the pairs; skipped when an earlier run finished it. */
    private static void tune(QuickstartConfig config, Path modelDir, Path pairs, Path dir, PrintStream progress)
            throws IOException {
        ObjectNode stamp = JSON.createObjectNode();
        stamp.put("dpo_epochs", config.dpoEpochs()).put("dpo_learning_rate", config.dpoLearningRate())
                .put("beta", config.beta()).put("candidates", config.candidates())
                .put("sample_temperature", config.sampleTemperature()).put("good_score", config.goodScore())
                .put("pair_articles", config.pairArticles());
        if (QuickstartFiles.isDone(dir, stamp)) {
            progress.println("dpo: " + dir + " (trained by an earlier run)");
            return;
        }
        TrainConfig train = TrainConfig.builder()
                .lossType(List.of("sigmoid", "sft"))
                .lossWeights(List.of(1.0, 1.0))
                .trainBatchSize(8)
                .beta(config.beta())
                .learningRate(config.dpoLearningRate())
                .numEpochs(config.dpoEpochs())
                .warmupRatio(0.1)
                .lrSchedulerType("cosine")
                .maxLength(TinyModel.MAX_POSITIONS)
                .maxPromptLength(TinyModel.MAX_POSITIONS - MAX_SUMMARY_TOKENS - 1)
                .loggingSteps(5)
                .seed(config.seed())
                .loraConfig(LoraConfig.of(8, 16).withDropout(0.0).withTargets(List.of(LoraConfig.ALL_LINEAR)))
                .build();
        try (CausalLm lm = CausalLm.load(modelDir.toString())) {
            Tokenizer tokenizer = lm.tokenizer().orElseThrow();
            List<PreferencePair> rows = PairReader.of(tokenizer, Truncation.of(train.maxLength(), train.maxPromptLength()))
                    .read(pairs).examples();
            if (rows.isEmpty()) {
                throw new IllegalStateException(pairs + ": the base model's candidates gave no pairs; train it longer"
                        + " (sft_steps) or sample more candidates");
            }
            progress.printf("dpo: %d pairs, sigmoid loss + SFT on chosen (RPO), LoRA r 8 on all linear layers, beta %s,"
                    + " %d epochs%n", rows.size(), config.beta(), config.dpoEpochs());
            try (LoraModel lora = LoraModel.create(lm.model(), train.loraConfig(), train.seed())) {
                new DpoTrainer(lora, train, dir, modelDir.toString(), progress).train(rows, List.of(), false);
            }
        }
        QuickstartFiles.markDone(dir, stamp);
    }

    /** eval/: base vs tuned on the held-out articles. */
    private static EvalReport evaluate(QuickstartConfig config, List<NewsArticle> held, EmbeddedJudge judge,
                                       SynthConfig synth, Path modelDir, Path out, PrintStream progress)
            throws IOException {
        progress.printf("eval: %s vs %s on %d held-out articles%n", TUNED, BASE, held.size());
        try (CausalLm baseLm = CausalLm.load(modelDir.toString());
             CausalLm tunedLm = CausalLm.load(modelDir.toString());
             LoraModel adapter = PeftAdapters.load(tunedLm.model(), out.resolve("dpo"))) {
            Evaluator evaluator = Evaluator.builder()
                    .setOutputDir(out.resolve("eval"))
                    .addContender(new Contender(BASE, LocalChatModel.of(baseLm, MAX_SUMMARY_TOKENS, "base " + modelDir)))
                    .addContender(new Contender(TUNED, LocalChatModel.of(tunedLm, MAX_SUMMARY_TOKENS,
                            "base " + modelDir + " + adapter " + out.resolve("dpo"))))
                    .optJudge(judge)
                    .optPairwise(TUNED, BASE)
                    .optSynthConfig(synth)
                    .optGeneration(config.evalTemperature(), MAX_SUMMARY_TOKENS)
                    .optTitle("dpo4j quickstart: DPO-tuned vs SFT base on " + held.size() + " held-out articles")
                    .optTrainingCurve("sft (from scratch)", modelDir.resolve("sft_metrics.jsonl"))
                    .optTrainingCurve("dpo", out.resolve("dpo/metrics.jsonl"))
                    .optProgress(progress)
                    .build();
            return evaluator.run(held.stream().map(a -> EvalItem.summarization(a.toArticle(), synth)).toList());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
