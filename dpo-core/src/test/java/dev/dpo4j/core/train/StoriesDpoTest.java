package dev.dpo4j.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.generate.Generation;
import dev.dpo4j.core.generate.GenerationConfig;
import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.score.CompletionScore;
import dev.dpo4j.core.score.LogProbScorer;
import dev.dpo4j.core.score.ScoringRequest;
import dev.dpo4j.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPO with LoRA on a real pretrained model changes what it writes, and only that: stories260K (a 260K
 * parameter Llama trained on TinyStories) mentions a dog in about 8–10% of its stories after "Once upon a
 * time". Preference pairs are built from the model's own samples (chosen: a story with a dog, rejected: one
 * without, same prompt, as the sampled token ids so nothing is re-tokenized), a short DPO run tunes an
 * adapter, and a fresh set of samples must mention a dog far more often while the text stays as likely
 * under the base model and as varied as before. Method and measured numbers: docs/dpo-stories260k.md.
 *
 * <p>Before and after use the same sampling seed (2), different from the seed of the training pool (1):
 * row i of both sets draws the same random numbers, so the comparison is paired and the difference is the
 * adapter's, not the sampler's luck.
 *
 * <p>Fluency is measured by the base model: the mean log-prob per token (Σ log p_base(token | before) over
 * all sampled tokens / their count) of the tuned samples must stay within {@link #MAX_FLUENCY_DROP} nats
 * of the base samples' own value. One nat per token means every token became e≈2.7 times less likely to
 * the base model on average; the base samples score about −1.0 nats/token and uniformly random tokens
 * would score log(1/512) ≈ −6.2, so a drop under one nat still reads as TinyStories prose. Degeneration
 * (repeating one phrase) is caught by the distinct-bigram ratio of each story (distinct token bigrams /
 * bigrams), which must not fall below {@link #MIN_DISTINCT_RATIO} of its value before tuning.
 */
class StoriesDpoTest {
    /** The prompt of every story. */
    static final String PROMPT = "Once upon a time";
    /** The property: the story mentions a dog. */
    static final Pattern DOG = Pattern.compile("\\b(dog|dogs|doggy|doggie)\\b", Pattern.CASE_INSENSITIVE);
    private static final int NEW_TOKENS = 80;
    private static final int POOL = 512;
    private static final int SAMPLES = 128;
    private static final long POOL_SEED = 1;
    private static final long EVAL_SEED = 2;
    private static final int REJECTED_PER_CHOSEN = 2;
    private static final double MAX_FLUENCY_DROP = 1.0;
    private static final double MIN_DISTINCT_RATIO = 0.8;

    @TempDir
    Path runDir;

    @Test
    void dpoMakesDogStoriesCommonWhileTheTextStaysFluent() {
        Path dir = Fixtures.path("real/models/stories260K");
        TrainConfig config = TrainConfig.builder().lossType("sigmoid").beta(0.1).optimizer("adamw")
                .learningRate(1e-3).lrSchedulerType("linear").warmupSteps(5).maxSteps(40).trainBatchSize(8)
                .maxGradNorm(1.0).loggingSteps(10).loraConfig(LoraConfig.of(8, 16)).seed(42).build();
        try (CausalLm lm = CausalLm.load(dir, Device.cpu())) {
            Tokenizer tokenizer = lm.tokenizer().orElseThrow();
            long[] prompt = tokenizer.encode(PROMPT, true);
            long started = System.nanoTime();

            List<long[]> before = sample(lm, prompt, SAMPLES, EVAL_SEED);
            List<long[]> pool = sample(lm, prompt, POOL, POOL_SEED);
            List<long[]> with = new ArrayList<>();
            List<long[]> without = new ArrayList<>();
            for (long[] story : pool) {
                (hasDog(tokenizer, story) ? with : without).add(story);
            }
            List<PreferencePair> pairs = pairs(prompt, with, without);
            System.out.printf("StoriesDpoTest: pool of %d stories (seed %d): %d with a dog -> %d pairs%n",
                    POOL, POOL_SEED, with.size(), pairs.size());

            TrainResult result;
            List<long[]> after;
            double beforeFluency;
            double afterFluency;
            try (LoraModel lora = LoraModel.create(lm.model(), config.loraConfig(), config.seed())) {
                result = new DpoTrainer(lora, config, runDir, "stories260K", null).train(pairs, List.of(), false);
                after = sample(lm, prompt, SAMPLES, EVAL_SEED);
                try (LoraModel.Disabled base = lora.disabled()) {
                    beforeFluency = meanTokenLogprob(lm, prompt, before);
                    afterFluency = meanTokenLogprob(lm, prompt, after);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            int beforeCount = count(tokenizer, before);
            int afterCount = count(tokenizer, after);
            double beforeShare = (double) beforeCount / SAMPLES;
            double afterShare = (double) afterCount / SAMPLES;
            double beforeDistinct = meanDistinctBigrams(before);
            double afterDistinct = meanDistinctBigrams(after);
            Map<String, Object> last = result.history().get(result.history().size() - 1);
            System.out.printf("StoriesDpoTest: stories with a dog: before %d/%d = %.3f, after %d/%d = %.3f%n",
                    beforeCount, SAMPLES, beforeShare, afterCount, SAMPLES, afterShare);
            System.out.printf("StoriesDpoTest: base-model log-prob per token: before %.3f, after %.3f;"
                    + " distinct-bigram ratio: before %.3f, after %.3f%n", beforeFluency, afterFluency,
                    beforeDistinct, afterDistinct);
            System.out.printf("StoriesDpoTest: training: %d steps, last logged loss %.4f, rewards/accuracies"
                    + " %.3f, rewards/margins %.3f; whole test body %.1f s%n", result.steps(), last.get("loss"),
                    last.get("rewards/accuracies"), last.get("rewards/margins"), seconds);
            System.out.println("StoriesDpoTest: base sample 0: " + text(tokenizer, prompt, before.get(0)));
            System.out.println("StoriesDpoTest: tuned sample 0: " + text(tokenizer, prompt, after.get(0)));
            System.out.println("StoriesDpoTest: tuned sample 1: " + text(tokenizer, prompt, after.get(1)));

            assertTrue(beforeCount > 0 && beforeShare <= 0.2,
                    "the base model should mention a dog rarely but not never, got " + beforeShare);
            assertTrue(afterShare >= beforeShare + 0.2 && afterShare >= 2 * beforeShare,
                    "share of dog stories " + beforeShare + " -> " + afterShare);
            assertTrue(afterFluency >= beforeFluency - MAX_FLUENCY_DROP,
                    "base-model log-prob per token fell from " + beforeFluency + " to " + afterFluency);
            assertTrue(afterDistinct >= MIN_DISTINCT_RATIO * beforeDistinct,
                    "distinct-bigram ratio fell from " + beforeDistinct + " to " + afterDistinct);
        }
    }

    /**
     * Samples stories: temperature 1, top-p 0.95, up to {@link #NEW_TOKENS} new tokens, stopping at EOS.
     *
     * @return the new tokens of each story (an EOS, where sampled, kept last)
     */
    static List<long[]> sample(CausalLm lm, long[] prompt, int count, long seed) {
        List<long[]> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            prompts.add(prompt);
        }
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(NEW_TOKENS).temperature(1.0).topP(0.95)
                .seed(seed).build();
        List<long[]> out = new ArrayList<>();
        for (Generation g : lm.generator().generate(prompts, config)) {
            out.add(g.tokens());
        }
        return out;
    }

    /**
     * Pairs each story with a dog with {@link #REJECTED_PER_CHOSEN} distinct stories without one, each
     * rejected story used once, in the pool's order shuffled by a fixed seed.
     */
    static List<PreferencePair> pairs(long[] prompt, List<long[]> with, List<long[]> without) {
        List<long[]> rejected = new ArrayList<>(without);
        Collections.shuffle(rejected, new Random(3));
        List<PreferencePair> out = new ArrayList<>();
        int next = 0;
        for (long[] chosen : with) {
            for (int k = 0; k < REJECTED_PER_CHOSEN && next < rejected.size(); k++) {
                out.add(new PreferencePair(prompt, chosen, rejected.get(next++)));
            }
        }
        return out;
    }

    /** The prompt and story decoded together (a completion decoded alone loses its leading space). */
    static String text(Tokenizer tokenizer, long[] prompt, long[] story) {
        long[] all = Arrays.copyOf(prompt, prompt.length + story.length);
        System.arraycopy(story, 0, all, prompt.length, story.length);
        return tokenizer.decode(all, true).replace('\n', ' ');
    }

    static boolean hasDog(Tokenizer tokenizer, long[] story) {
        return DOG.matcher(tokenizer.decode(story, true)).find();
    }

    private static int count(Tokenizer tokenizer, List<long[]> stories) {
        int n = 0;
        for (long[] s : stories) {
            if (hasDog(tokenizer, s)) {
                n++;
            }
        }
        return n;
    }

    /** Σ log p(token | prompt, earlier tokens) over every story's tokens / the number of tokens. */
    static double meanTokenLogprob(CausalLm lm, long[] prompt, List<long[]> stories) {
        List<ScoringRequest> requests = new ArrayList<>();
        long tokens = 0;
        for (long[] s : stories) {
            requests.add(new ScoringRequest(prompt, s));
            tokens += s.length;
        }
        double sum = 0;
        for (CompletionScore score : new LogProbScorer(lm.model()).score(requests, 32)) {
            sum += score.logprob();
        }
        return sum / tokens;
    }

    /** Mean over stories of distinct token bigrams / bigrams (1 = no bigram repeats within a story). */
    static double meanDistinctBigrams(List<long[]> stories) {
        double sum = 0;
        int counted = 0;
        for (long[] s : stories) {
            if (s.length < 2) {
                continue;
            }
            Set<Long> seen = new HashSet<>();
            for (int i = 1; i < s.length; i++) {
                seen.add(s[i - 1] * 1_000_003L + s[i]);
            }
            sum += (double) seen.size() / (s.length - 1);
            counted++;
        }
        return sum / counted;
    }
}
