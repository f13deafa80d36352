package dev.dpo4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.engine.Autograd;
import dev.dpo4j.core.generate.Generation;
import dev.dpo4j.core.generate.GenerationConfig;
import dev.dpo4j.core.generate.Generator;
import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraMerge;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.LoraTestSupport;
import dev.dpo4j.core.lora.MergedExport;
import dev.dpo4j.core.lora.PeftAdapter;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.safetensors.DType;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import dev.dpo4j.core.score.CompletionScore;
import dev.dpo4j.core.score.LogProbScorer;
import dev.dpo4j.core.score.ScoringRequest;
import dev.dpo4j.core.train.DpoTrainer;
import dev.dpo4j.core.train.PackedBatch.Layout;
import dev.dpo4j.core.train.PackedBatch;
import dev.dpo4j.core.train.PreferencePair;
import dev.dpo4j.core.train.SegmentLogps.Mode;
import dev.dpo4j.core.train.SegmentLogps;
import dev.dpo4j.core.train.SftExample;
import dev.dpo4j.core.train.SftTrainer;
import dev.dpo4j.core.train.TrainConfig;
import dev.dpo4j.core.train.TrainResult;
import dev.dpo4j.core.util.Scalars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every supported decoder family must do besides matching its golden logits, run over each fixture
 * checkpoint in {@link #FAMILIES}. Each test compares two computations of one quantity, so no value of
 * the code under test is written down here:
 * <ol>
 *   <li>KV-cache decoding equals recomputing the whole sequence: the logits of a prefill plus one-token
 *       steps equal the full forward's, and generated tokens (greedy and seeded sampling, a batch of
 *       unequal prompts left-padded) equal uncached generation and one-prompt-at-a-time generation.
 *   <li>A DPO step with the prompt shared ({@code [prompt, chosen, rejected]}, packed, checkpointed) gives
 *       the plain separate-sequence layout's log-probs, loss and LoRA gradients (1e-5 relative).
 *   <li>An adapter trained a few DPO steps is written in PEFT layout, reads back bit for bit and gives
 *       identical logits; merged (from the live model, and from the PEFT folder alone as
 *       {@code dpo4j merge} does) it is a checkpoint with the base's tensor names, dtypes and
 *       {@code config.json} whose reloaded logits are base + adapter's.
 *   <li>SFT with packing logs the unpacked run's losses, starts at the base model's mean NLL, and a run
 *       resumed from its checkpoint ends with the uninterrupted run's adapter.
 * </ol>
 *
 * <p>Every prompt (and every row of a prefill) has at least {@link #MIN_PROMPT} tokens and every
 * sequence at least {@link #MIN_TOKENS}, so sliding windows (4 and 5 in the fixtures) are exceeded and a
 * LongRoPE model (short factors up to 8 positions) is past its switch in every forward, prefill and
 * decode alike, whether it picks the factors per batch or per row. Token ids are below 256, inside every
 * fixture's vocabulary.
 */
class ModelFamiliesTest {
    /**
     * Fixture model folders under ../shared/fixtures, one per family or variant; a new family is one more
     * entry here (e.g. {@code models-hf/qwen3-tiny}, {@code models-hf/gemma2-tiny},
     * {@code models-hf/phi3-longrope}).
     */
    static final List<String> FAMILIES = List.of(
            "models/llama-tiny",
            "models/qwen2-tiny",
            "models/gemma-tiny",
            "models-hf/mistral-window",
            "models-hf/qwen3-tiny",
            "models-hf/qwen3-yarn",
            "models-hf/gemma2-tiny",
            "models-hf/gemma3-tiny",
            "models-hf/phi3-tiny",
            "models-hf/phi3-longrope");

    /** The shortest prompt used anywhere: past the fixtures' windows and LongRoPE's 8 original positions. */
    private static final int MIN_PROMPT = 10;
    /** The shortest whole sequence (prompt + completion) used anywhere. */
    private static final int MIN_TOKENS = 13;
    private static final double BETA = 0.1;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static Stream<String> families() {
        return FAMILIES.stream();
    }

    // ---------------------------------------------------------------------------------------------
    // 1. KV cache

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void kvCacheStepsGiveTheFullForwardLogits(String family) {
        // Row 0 has 18 real tokens; row 1 has 15, left-padded by 3 as the generator pads unequal prompts.
        // The cached run feeds the first P = 13 columns (10 or more real tokens in each row), then one
        // column at a time; each step's logits must be the full forward's at that column. The tolerance is
        // the golden-logit contract (1e-4).
        Random r = new Random(11);
        int width = 18;
        int prompt = 13;
        int[] pad = {0, 3};
        long[] ids = new long[2 * width]; // (B, T) row-major, 0 in padding
        long[] pos = new long[2 * width];
        for (int b = 0; b < 2; b++) {
            for (int c = pad[b]; c < width; c++) {
                ids[b * width + c] = 3 + r.nextInt(253);
                pos[b * width + c] = c - pad[b];
            }
        }
        try (DecoderModel model = load(family); NDManager m = model.manager().newSubManager()) {
            float[] full = model.logits(model.forward(m.create(ids, new Shape(2, width)), pos,
                    w -> AttentionMask.causal(m, width, width, pad, new int[] {width, width}, w), null))
                    .toFloatArray(); // (B, T, V)
            try (KvCache cache = new KvCache(m, model.config(), 2, width, model.dtype())) {
                // prefill: columns [0, P) against themselves
                NDArray prefill = model.forward(m.create(columns(ids, width, 0, prompt), new Shape(2, prompt)),
                        columns(pos, width, 0, prompt),
                        w -> AttentionMask.causal(m, prompt, prompt, pad, new int[] {prompt, prompt}, w),
                        cache); // (B, P, H)
                assertColumnsMatch(full, model.logits(prefill).toFloatArray(), pad, width, 0, prompt,
                        family + " prefill");
                // decode: column c alone against the c cached keys before it
                for (int c = prompt; c < width; c++) {
                    int keys = c + 1;
                    NDArray step = model.forward(m.create(columns(ids, width, c, c + 1), new Shape(2, 1)),
                            columns(pos, width, c, c + 1),
                            w -> AttentionMask.causal(m, 1, keys, pad, new int[] {keys, keys}, w),
                            cache); // (B, 1, H)
                    assertColumnsMatch(full, model.logits(step).toFloatArray(), pad, width, c, c + 1,
                            family + " step " + c);
                }
                assertEquals(width, cache.length());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void cachedGenerationEqualsRecomputationAndOnePromptAtATime(String family) {
        Random r = new Random(5);
        // unequal prompts: the batch is left-padded by 4, 0 and 2
        List<long[]> prompts = List.of(ids(r, MIN_PROMPT), ids(r, MIN_PROMPT + 4), ids(r, MIN_PROMPT + 2));
        int n = 10;
        try (DecoderModel model = load(family)) {
            Generator g = new Generator(model, new long[0], null);
            GenerationConfig greedy = GenerationConfig.builder().maxNewTokens(n).stopOnEos(false).build();
            GenerationConfig greedyFull = GenerationConfig.builder().maxNewTokens(n).stopOnEos(false)
                    .useCache(false).build();
            // sampling at temperature 1 leaves the repetitive loops greedy decoding falls into on random weights
            GenerationConfig sampled = GenerationConfig.builder().maxNewTokens(n).temperature(1.0).seed(7)
                    .stopOnEos(false).build();
            GenerationConfig sampledFull = GenerationConfig.builder().maxNewTokens(n).temperature(1.0).seed(7)
                    .stopOnEos(false).useCache(false).build();
            List<Generation> cachedGreedy = g.generate(prompts, greedy);
            List<Generation> fullGreedy = g.generate(prompts, greedyFull);
            List<Generation> cachedSampled = g.generate(prompts, sampled);
            List<Generation> fullSampled = g.generate(prompts, sampledFull);
            for (int i = 0; i < prompts.size(); i++) {
                assertEquals(n, cachedGreedy.get(i).tokens().length);
                assertArrayEquals(fullGreedy.get(i).tokens(), cachedGreedy.get(i).tokens(), family + " greedy " + i);
                assertArrayEquals(fullSampled.get(i).tokens(), cachedSampled.get(i).tokens(), family + " sampled " + i);
                long[] alone = g.generate(List.of(prompts.get(i)), greedy).get(0).tokens();
                assertArrayEquals(alone, cachedGreedy.get(i).tokens(), family + " batched vs alone " + i);
            }
        }
    }

    /**
     * LongRoPE switches from short to long factors once the sequence passes
     * {@code original_max_position_embeddings} (8 here): keys cached with the short factors are stale then,
     * and the generator refills its cache, as transformers' Phi-3 does, so a generation that crosses the
     * boundary equals the recomputed one.
     */
    @Test
    void longRopeGenerationAcrossTheOriginalContextRefillsTheCache() {
        Random r = new Random(9);
        List<long[]> prompts = List.of(ids(r, 5), ids(r, 3));
        try (DecoderModel model = DecoderModel.load(Fixtures.path("models-hf/phi3-longrope"))) {
            assertTrue(model.cacheRegime(8) != model.cacheRegime(9), "the fixture switches at 8 positions");
            Generator g = new Generator(model, new long[0], null);
            for (double temperature : new double[] {0, 1}) {
                GenerationConfig cached = GenerationConfig.builder().maxNewTokens(8).temperature(temperature).seed(3)
                        .stopOnEos(false).build();
                GenerationConfig full = GenerationConfig.builder().maxNewTokens(8).temperature(temperature).seed(3)
                        .stopOnEos(false).useCache(false).build();
                List<Generation> a = g.generate(prompts, cached);
                List<Generation> b = g.generate(prompts, full);
                for (int i = 0; i < prompts.size(); i++) {
                    assertArrayEquals(b.get(i).tokens(), a.get(i).tokens(), "temperature " + temperature + " row " + i);
                }
            }
        }
    }

    /** Phi-3's fused projections are adapted under PEFT's (and vLLM's) names and shapes. */
    @Test
    void phi3AdaptersUseTheFusedModulesPeftNames() throws IOException {
        try (DecoderModel model = DecoderModel.load(Fixtures.path("models-hf/phi3-tiny"));
             LoraModel lora = randomAdapter(model, 4)) {
            Path dir = tmp.resolve("phi3-adapter");
            PeftAdapters.save(lora, dir, null);
            JsonNode config = JSON.readTree(dir.resolve("adapter_config.json").toFile());
            List<String> targets = new ArrayList<>();
            config.get("target_modules").forEach(t -> targets.add(t.asText()));
            assertEquals(List.of("down_proj", "gate_up_proj", "o_proj", "qkv_proj"), targets);
            PeftAdapter read = PeftAdapters.read(dir);
            ModelConfig c = model.config();
            int r = lora.config().r();
            // qkv_proj: (N + 2·Nkv)·D outputs; gate_up_proj: 2·I outputs; A is (r, in), B is (out, r).
            assertArrayEquals(new long[] {r, c.hiddenSize()},
                    read.shapes().get("base_model.model.model.layers.0.self_attn.qkv_proj.lora_A.weight"));
            assertArrayEquals(new long[] {(long) (c.numHeads() + 2 * c.numKvHeads()) * c.headDim(), r},
                    read.shapes().get("base_model.model.model.layers.0.self_attn.qkv_proj.lora_B.weight"));
            assertArrayEquals(new long[] {2L * c.intermediateSize(), r},
                    read.shapes().get("base_model.model.model.layers.1.mlp.gate_up_proj.lora_B.weight"));
            // Llama's names are refused on Phi-3 rather than adapting o_proj alone.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoraModel.create(model,
                    LoraConfig.of(4, 8).withTargets(List.of("q_proj", "v_proj", "o_proj")), 1));
            assertTrue(e.getMessage().contains("'q_proj'") && e.getMessage().contains("qkv_proj, o_proj, gate_up_proj"),
                    e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 2. DPO with prefix sharing

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void sharedPromptDpoStepEqualsThePlainLayout(String family) {
        // Sigmoid DPO written out, the same for every layout:
        //   loss = mean_i −log σ(β·((πc − ρc) − (πr − ρr))),  −log σ(z) = log(1 + e^(−z))
        // with π the adapted model's and ρ the base's (adapter off) completion log-probs. B ≠ 0, so the
        // policy differs from the reference and every A and B has a gradient.
        List<PreferencePair> pairs = pairs(3, 21);
        try (DecoderModel model = load(family); LoraModel lora = randomAdapter(model, 13)) {
            DpoStep plain = dpoStep(model, lora, pairs, Layout.SEPARATE, 0, Mode.TRAIN);
            Map<String, DpoStep> variants = new LinkedHashMap<>();
            variants.put("shared", dpoStep(model, lora, pairs, Layout.SHARED_PROMPT, 0, Mode.TRAIN));
            variants.put("shared+packed+checkpointed",
                    dpoStep(model, lora, pairs, Layout.SHARED_PROMPT, 64, Mode.TRAIN_CHECKPOINTED));
            variants.put("separate+packed", dpoStep(model, lora, pairs, Layout.SEPARATE, 48, Mode.TRAIN));
            for (Map.Entry<String, DpoStep> v : variants.entrySet()) {
                String what = family + " " + v.getKey();
                DpoStep got = v.getValue();
                assertClose(plain.policy(), got.policy(), 1e-5, what + " policy log-probs");
                assertClose(plain.reference(), got.reference(), 1e-5, what + " reference log-probs");
                assertEquals(plain.loss(), got.loss(), 1e-5 * Math.abs(plain.loss()), what + " loss");
                assertEquals(plain.grads().keySet(), got.grads().keySet(), what);
                for (String name : plain.grads().keySet()) {
                    assertClose(plain.grads().get(name), got.grads().get(name), 1e-5, what + " " + name);
                }
            }
            // The plain layout itself against the independent right-padded scorer (its own mask and head).
            List<ScoringRequest> rows = new ArrayList<>();
            for (PreferencePair p : pairs) {
                rows.add(new ScoringRequest(p.promptIds(), p.chosenIds()));
                rows.add(new ScoringRequest(p.promptIds(), p.rejectedIds()));
            }
            List<CompletionScore> scores = new LogProbScorer(model).score(rows, rows.size());
            for (int s = 0; s < rows.size(); s++) {
                assertEquals(scores.get(s).logprob(), plain.policy()[s], 1e-4, family + " segment " + s);
            }
        }
    }

    /** The outcome of one sigmoid-DPO forward and backward in one layout. */
    private record DpoStep(float[] policy, float[] reference, double loss, Map<String, float[]> grads) {
    }

    private static DpoStep dpoStep(DecoderModel model, LoraModel lora, List<PreferencePair> pairs, Layout layout,
            int pack, Mode mode) {
        SegmentLogps runner = new SegmentLogps(model);
        PackedBatch batch = PackedBatch.ofPairs(pairs, layout, pack);
        for (NDArray p : lora.parameters().values()) {
            Autograd.zeroGradient(p);
        }
        try (NDManager manager = model.manager().newSubManager()) {
            float[] reference;
            try (LoraModel.Disabled off = lora.disabled()) {
                reference = runner.run(batch, manager, Mode.INFERENCE, -1).logps().toFloatArray(); // (S)
            }
            SegmentLogps.Pass pass = runner.run(batch, manager, mode, -1);
            NDArray loss;
            try (Autograd.Scope on = Autograd.recording(true)) {
                NDArray ratios = pass.logps().sub(manager.create(reference)).reshape(pairs.size(), 2); // (pairs, c|r)
                NDArray z = Scalars.mul(ratios.get(":, 0").sub(ratios.get(":, 1")), BETA); // (pairs)
                loss = z.neg().exp().add(1).log().mean();
            }
            pass.backward(loss);
            Map<String, float[]> grads = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : lora.parameters().entrySet()) {
                try (NDArray g = e.getValue().getGradient()) {
                    grads.put(e.getKey(), g.toFloatArray());
                }
            }
            return new DpoStep(pass.logps().toFloatArray(), reference, loss.toFloatArray()[0], grads);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 3. PEFT round trip and merge

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void trainedAdapterRoundTripsThroughPeftAndMerges(String family) throws IOException {
        Path base = Fixtures.path(family);
        Path run = tmp.resolve("run");
        Path merged = tmp.resolve("merged");
        Path mergedFromFolder = tmp.resolve("merged-from-peft-folder");
        long[][] rows = {ids(new Random(1), MIN_TOKENS + 3), ids(new Random(2), MIN_TOKENS + 3)};
        TrainConfig config = TrainConfig.builder().learningRate(2e-2).maxSteps(3).trainBatchSize(2).warmupSteps(0)
                .lrSchedulerType("constant").loraConfig(LoraConfig.of(4, 8)).build();
        float[] adapted;
        Map<String, float[]> trained;
        try (DecoderModel model = load(family); LoraModel lora = LoraModel.create(model, config.loraConfig(), 3)) {
            new DpoTrainer(lora, config, run, family, null).train(pairs(4, 31), List.of(), false);
            adapted = logits(model, rows);
            trained = lora.snapshot();
            try (LoraModel.Disabled off = lora.disabled()) {
                double effect = maxDiff(adapted, logits(model, rows));
                // the merge tolerances below mean nothing unless the adapter moves the logits by far more
                assertTrue(effect > 1e-2, family + ": trained adapter changes the logits by only " + effect);
            }
            MergedExport.Result result = MergedExport.write(base, lora, merged);
            assertEquals(lora.layers().size(), result.mergedTensors());
        }

        // PEFT layout: every key is base_model.model.<a projection of the model>.lora_{A,B}.weight and the
        // values read back are the trained ones, bit for bit.
        PeftAdapter peft = PeftAdapters.read(run);
        assertEquals(trained.keySet(), peft.weights().keySet());
        for (Map.Entry<String, float[]> e : trained.entrySet()) {
            assertArrayEquals(e.getValue(), peft.weights().get(e.getKey()), e.getKey());
        }
        assertEquals("LORA", JSON.readTree(run.resolve(PeftAdapters.CONFIG_FILE).toFile()).get("peft_type").asText());
        try (DecoderModel model = load(family); LoraModel again = PeftAdapters.load(model, run)) {
            for (String key : peft.weights().keySet()) {
                assertTrue(key.matches("base_model\\.model\\..+\\.lora_[AB]\\.weight"), family + ": PEFT key " + key);
            }
            for (String path : peft.modulePaths()) {
                assertTrue(model.linears().containsKey(path), family + ": adapter module " + path);
            }
            assertEquals(2 * again.layers().size(), peft.weights().size());
            assertArrayEquals(adapted, logits(model, rows), family + ": adapter read back from " + run);
        }

        // Merged as the merge command does: from the PEFT folder alone, without loading the model. Same bytes.
        MergedExport.write(base, peft, mergedFromFolder, MergedExport.DEFAULT_MAX_SHARD_BYTES, bytes -> { });
        assertArrayEquals(Files.readAllBytes(merged.resolve(SafetensorsCheckpoint.SINGLE_FILE)),
                Files.readAllBytes(mergedFromFolder.resolve(SafetensorsCheckpoint.SINGLE_FILE)), family);

        // The merged folder: the base's config.json and tensor names; each weight stored in the base's dtype,
        // untouched ones identical, adapted ones W + scaling·B·A rounded to that dtype.
        assertEquals(Files.readString(base.resolve("config.json")), Files.readString(merged.resolve("config.json")));
        assertEquals(JSON.readTree(base.resolve("config.json").toFile()).get("model_type"),
                JSON.readTree(merged.resolve("config.json").toFile()).get("model_type"));
        Map<String, String> adaptedWeights = new LinkedHashMap<>();
        peft.modulePaths().forEach(p -> adaptedWeights.put(LoraMerge.weightName(p), p));
        boolean halfBase = false;
        try (SafetensorsCheckpoint b = SafetensorsCheckpoint.open(base);
             SafetensorsCheckpoint m = SafetensorsCheckpoint.open(merged)) {
            assertEquals(b.names(), m.names(), family + ": merged tensor names");
            assertTrue(b.names().containsAll(adaptedWeights.keySet()), family + ": adapted weights are base tensors");
            for (String name : b.names()) {
                DType dtype = b.dtypeOf(name);
                halfBase |= dtype != DType.F32;
                assertEquals(dtype, m.dtypeOf(name), name);
                String path = adaptedWeights.get(name);
                if (path == null) {
                    assertArrayEquals(b.readFloatArray(name), m.readFloatArray(name), "untouched " + name);
                    continue;
                }
                long[] s = b.info(name).shape();
                float[] exact = LoraTestSupport.handMerge(b.readFloatArray(name), trained.get(LoraModel.keyA(path)),
                        trained.get(LoraModel.keyB(path)), (int) s[0], (int) s[1], peft.config().r(),
                        peft.config().scaling());
                float[] got = m.readFloatArray(name);
                for (int i = 0; i < got.length; i++) {
                    // F32: summation order only. BF16 keeps 8 significant bits, F16 11: round to nearest is off
                    // by at most 2^-9 resp. 2^-12 of |x|; twice that allows a float32 last-bit difference
                    // that moves a value across a rounding boundary.
                    double tol = switch (dtype) {
                        case F32 -> 1e-6;
                        case BF16 -> Math.abs(exact[i]) * 0x1p-8 + 1e-30;
                        case F16 -> Math.abs(exact[i]) * 0x1p-10 + 0x1p-24;
                    };
                    assertEquals(exact[i], got[i], tol, name + "[" + i + "]");
                }
            }
        }

        try (DecoderModel reloaded = DecoderModel.load(merged)) {
            float[] got = logits(reloaded, rows);
            double diff = maxDiff(adapted, got);
            if (!halfBase) {
                // x·(W + s·B·A)ᵀ vs x·Wᵀ + s·(x·Aᵀ)·Bᵀ: equal in real arithmetic, float32 summation order apart
                assertTrue(diff < 1e-4, family + ": merged vs base + adapter max diff " + diff);
            } else {
                // Each merged weight carries a relative rounding error of at most 2^-9 (bf16), which moves each
                // projection's output by at most that fraction; a few dozen rounded projections stay within
                // 3 % of the logits' scale (MergedExportTest's bound), far below the adapter's own effect.
                double scale = maxAbs(adapted);
                assertTrue(diff <= 0.03 * scale, family + ": merged vs base + adapter " + diff + " at scale " + scale);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 4. SFT packing and resume

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void packedSftLogsTheUnpackedLossesAndResumesToTheSameAdapter(String family) throws IOException {
        // One batch of all 8 examples per step: the first step's loss is the base model's (B = 0) mean NLL
        // over the completion tokens, −Σ log p / Σ |completion|, as the independent scorer computes it.
        List<SftExample> examples = new ArrayList<>();
        for (PreferencePair p : pairs(8, 41)) {
            examples.add(new SftExample(p.promptIds(), p.chosenIds()));
        }
        TrainConfig.Builder builder = TrainConfig.builder().learningRate(1e-2).maxSteps(4).trainBatchSize(8)
                .loggingSteps(1).warmupSteps(0).lrSchedulerType("constant").maxLength(64).maxPromptLength(32)
                .saveSteps(2).loraConfig(LoraConfig.of(4, 8));
        Path packedDir = tmp.resolve("packed");
        TrainResult packed = sft(family, builder.packing(true).build(), examples, packedDir, false);
        TrainResult unpacked = sft(family, builder.packing(false).build(), examples, tmp.resolve("unpacked"), false);
        Map<String, float[]> finalAdapter = PeftAdapters.read(packedDir).weights();

        double nll = 0;
        int tokens = 0;
        try (DecoderModel model = load(family)) {
            List<ScoringRequest> rows = examples.stream()
                    .map(e -> new ScoringRequest(e.promptIds(), e.completionIds())).toList();
            for (CompletionScore s : new LogProbScorer(model).score(rows, 4)) {
                nll -= s.logprob();
                tokens += s.tokenLogprobs().length;
            }
        }
        assertEquals(nll / tokens, loss(packed, 0), 1e-5 * nll / tokens, family + ": first packed loss");
        assertEquals(4, packed.history().size());
        for (int i = 0; i < 4; i++) {
            double want = loss(unpacked, i);
            assertEquals(want, loss(packed, i), 1e-5 * Math.abs(want),
                    family + ": packed vs unpacked loss, step " + (i + 1));
        }
        assertTrue(loss(packed, 3) < loss(packed, 0), family + ": SFT lowers the loss");

        // Crash after step 4 before the final adapter was written: resuming from checkpoint-2 must end with
        // the uninterrupted run's adapter (AdamW state and schedule restored).
        assertTrue(Files.isDirectory(packedDir.resolve("checkpoint-2")), family + ": checkpoint-2");
        Files.delete(packedDir.resolve(PeftAdapters.WEIGHTS_FILE));
        Files.delete(packedDir.resolve(PeftAdapters.CONFIG_FILE));
        TrainResult resumed = sft(family, builder.packing(true).build(), examples, packedDir, true);
        assertEquals(2, resumed.resumedFrom());
        Map<String, float[]> again = PeftAdapters.read(packedDir).weights();
        assertEquals(finalAdapter.keySet(), again.keySet());
        for (String name : finalAdapter.keySet()) {
            assertClose(finalAdapter.get(name), again.get(name), 1e-6, family + ": resumed " + name);
        }
    }

    private static TrainResult sft(String family, TrainConfig config, List<SftExample> examples, Path dir,
            boolean resume) {
        try (DecoderModel model = load(family); LoraModel lora = LoraModel.create(model, config.loraConfig(), 9)) {
            return new SftTrainer(lora, config, dir, family, null).train(examples, List.of(), resume);
        }
    }

    private static double loss(TrainResult r, int line) {
        return ((Number) r.history().get(line).get("loss")).doubleValue();
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    /** Loads a fixture model (a skip where ../shared is absent) and checks the data outruns its window. */
    private static DecoderModel load(String family) {
        DecoderModel model = DecoderModel.load(Fixtures.path(family));
        if (window(model) >= MIN_PROMPT) {
            model.close();
            throw new AssertionError(family + ": sliding window " + window(model) + " is not shorter than the "
                    + MIN_PROMPT + "-token prompts; lengthen the test's sequences");
        }
        return model;
    }

    /** The sliding window of the model's sliding layers (0 when none slides). */
    private static int window(DecoderModel model) {
        return model.config().slidingWindow();
    }

    /** Random token ids in [3, 256). */
    private static long[] ids(Random r, int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 3 + r.nextInt(253);
        }
        return ids;
    }

    /** Pairs with prompts of 10–13 tokens and distinct completions of 3–6. */
    private static List<PreferencePair> pairs(int n, long seed) {
        Random r = new Random(seed);
        List<PreferencePair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new PreferencePair(ids(r, MIN_PROMPT + r.nextInt(4)), ids(r, 3 + r.nextInt(4)),
                    ids(r, 3 + r.nextInt(4))));
        }
        return out;
    }

    /** A rank-4 adapter on every projection with B drawn N(0, 0.05²), so it changes the model. */
    private static LoraModel randomAdapter(DecoderModel model, long seed) {
        LoraModel lora = LoraModel.create(model, LoraConfig.of(4, 8), seed);
        Map<String, float[]> values = lora.snapshot();
        Random rnd = new Random(seed);
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            if (e.getKey().endsWith("lora_B.weight")) {
                float[] b = e.getValue();
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) (0.05 * rnd.nextGaussian());
                }
            }
        }
        lora.load(values);
        return lora;
    }

    /** Full-sequence logits of equal-length rows, (B, T, V) row-major (each layer's window). */
    private static float[] logits(DecoderModel model, long[][] rows) {
        return LoraTestSupport.logits(model, rows);
    }

    /** Columns [from, to) of a (B, T) row-major array: (B, to − from). */
    private static long[] columns(long[] a, int width, int from, int to) {
        int rows = a.length / width;
        long[] out = new long[rows * (to - from)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a, r * width + from, out, r * (to - from), to - from);
        }
        return out;
    }

    /**
     * Asserts that (B, n, V) logits of columns [from, to) equal those columns of (B, T, V) full logits within
     * 1e-4, skipping left-padding columns (their outputs are unused).
     */
    private static void assertColumnsMatch(float[] full, float[] part, int[] pad, int width, int from, int to,
            String what) {
        int rows = pad.length;
        int n = to - from;
        int vocab = part.length / (rows * n);
        for (int b = 0; b < rows; b++) {
            for (int c = Math.max(from, pad[b]); c < to; c++) {
                for (int v = 0; v < vocab; v++) {
                    float want = full[(b * width + c) * vocab + v];
                    float got = part[(b * n + c - from) * vocab + v];
                    assertEquals(want, got, 1e-4, what + ": row " + b + " column " + c + " logit " + v);
                }
            }
        }
    }

    /** |expected − actual| ≤ tol · max|expected| element-wise. */
    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        double max = maxAbs(expected);
        assertTrue(max > 0, what + ": all-zero expectation");
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            assertTrue(diff <= tol * max, what + "[" + i + "]: expected " + expected[i] + " got " + actual[i]
                    + " (|diff| " + diff + " > " + tol + "·" + max + ")");
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    private static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
