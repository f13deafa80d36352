package dev.dpo4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.generate.GenerationConfig;
import dev.dpo4j.core.generate.Generator;
import dev.dpo4j.core.quant.QuantConfig;
import dev.dpo4j.core.score.CompletionScore;
import dev.dpo4j.core.score.LogProbScorer;
import dev.dpo4j.core.score.ScoringRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fixture checkpoints' token log-probs in reduced precision against their float32 golden values
 * (computed outside dpo4j): float16, and a quantized base (NF4, FP4, int8) in float16 and float32.
 *
 * <p>Tolerances bound the worst and the mean |Δ token log-prob| over a fixture's tokens (2 × 11 for the
 * random-weight fixtures, 11 for the real stories260K), set at 2–3× what was measured here
 * (docs/precision.md has the figures). They bound the error of the format, which is far larger than any
 * CPU's rounding differences: float16 keeps 11 significant bits (relative rounding 2^-11 ≈ 4.9e-4 per op),
 * NF4 moves each weight by up to 0.14 of its block's absmax. The random fixtures' logits are large
 * (|logit| up to 9, token log-probs near −10), which magnifies every perturbation; the real model's
 * errors are 10–30× smaller. {@code QuantizedModelTest} checks separately that a quantized model computes
 * exactly the model of its dequantized weights.
 */
class PrecisionGoldenTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        // fixture, variant, worst |Δ| allowed, mean |Δ| allowed (measured: see docs/precision.md)
        "llama-tiny, float16, 0.1, 0.02",
        "qwen2-tiny, float16, 0.1, 0.02",
        "gemma-tiny, float16, 0.1, 0.02",
        "real/models/stories260K, float16, 0.01, 0.002",
        "llama-tiny, int8, 1.0, 0.25",
        "qwen2-tiny, int8, 1.0, 0.25",
        "gemma-tiny, int8, 1.0, 0.25",
        "llama-tiny, int8-f32, 1.0, 0.25",
        "real/models/stories260K, int8, 0.03, 0.008",
        "llama-tiny, nf4, 4.0, 2.0",
        "qwen2-tiny, nf4, 10.0, 3.0",
        "gemma-tiny, nf4, 10.0, 3.5",
        "llama-tiny, nf4-dq, 4.0, 2.0",
        "llama-tiny, nf4-f32, 4.0, 2.0",
        "llama-tiny, fp4, 10.0, 3.0",
        "real/models/stories260K, nf4, 2.0, 0.25",
        "real/models/stories260K, nf4-dq, 2.0, 0.25",
        "real/models/stories260K, fp4, 1.5, 0.2",
    })
    void tokenLogprobsStayNearFloat32Golden(String name, String variant, double worstTol, double meanTol) {
        String where = name.contains("/") ? name : "models/" + name;
        Path dir = Fixtures.path(where);
        JsonNode expected = Fixtures.json(where + "/expected.json");
        LoadOptions options = options(variant);
        try (DecoderModel model = DecoderModel.load(dir, Device.cpu(), options)) {
            assertEquals(options.dtype().dataType(), model.dtype());
            List<ScoringRequest> requests = new ArrayList<>();
            for (JsonNode row : expected.get("input_ids")) {
                long[] ids = Fixtures.longs(row);
                requests.add(new ScoringRequest(Arrays.copyOf(ids, 1), Arrays.copyOfRange(ids, 1, ids.length)));
            }
            List<CompletionScore> scores = new LogProbScorer(model).score(requests, 2);
            double worst = 0;
            double sum = 0;
            int count = 0;
            for (int r = 0; r < scores.size(); r++) {
                JsonNode want = expected.get("token_logprobs").get(r);
                float[] got = scores.get(r).tokenLogprobs();
                for (int i = 0; i < got.length; i++) {
                    assertTrue(Float.isFinite(got[i]), name + " " + variant + " row " + r + " token " + i + ": " + got[i]);
                    worst = Math.max(worst, Math.abs(want.get(i).asDouble() - got[i]));
                    sum += Math.abs(want.get(i).asDouble() - got[i]);
                    count++;
                }
            }
            System.out.printf("precision %s %s: worst |dlogp| = %.3g, mean %.3g over %d%n", name, variant, worst,
                    sum / count, count);
            assertTrue(worst <= worstTol, name + " " + variant + ": worst |Δ token log-prob| " + worst + " > " + worstTol);
            assertTrue(sum / count <= meanTol, name + " " + variant + ": mean |Δ token log-prob| " + sum / count + " > "
                    + meanTol);
            assertTrue(worst > 0 || variant.equals("float32"), "reduced precision changed nothing: is it applied?");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"float16, 120", "int8, 120", "nf4, 12", "nf4-dq, 12"})
    void realModelGreedyStoryStaysTheSameInReducedPrecision(String variant, int atLeast) {
        // stories260K's published story, decoded greedily from <s> (120 tokens): float16 and int8 keep it; 4-bit
        // must keep its opening. With and without the KV cache the model must agree on every token: each token
        // the cached decode picked is, under recomputation of the whole sequence, the argmax up to a tie
        // (within TIE logits). Exact equality of the two decodes would hang on float16 rounding, which differs
        // between CPUs at a near-tie: on one Xeon the nf4 decode with the cache picked, at token 21, a token one
        // float16 step (0.0156 logits) below the recomputed best, and the two decodes parted there. Widest gaps
        // measured there: float16, int8, nf4-dq 0; nf4 0.0156.
        Path dir = Fixtures.path("real/models/stories260K");
        JsonNode expected = Fixtures.json("real/models/stories260K/expected.json");
        long[] prompt = Fixtures.longs(expected.get("greedy_prompt"));
        long[] full = Fixtures.longs(expected.get("greedy_output"));
        int n = expected.get("greedy_new_tokens").asInt();
        try (DecoderModel model = DecoderModel.load(dir, Device.cpu(), options(variant))) {
            Generator generator = new Generator(model, new long[0], null);
            long[] cached = generator.generate(List.of(prompt),
                    GenerationConfig.builder().maxNewTokens(n).stopOnEos(false).build()).get(0).tokens();
            assertGreedyUnderRecomputation(model, prompt, cached, variant);
            int same = 0;
            while (same < n && cached[same] == full[prompt.length + same]) {
                same++;
            }
            System.out.printf("precision stories260K %s: greedy matches the float32 story for %d of %d tokens%n",
                    variant, same, n);
            assertTrue(same >= atLeast, variant + ": greedy left the story after " + same + " tokens");
        }
    }

    /** Logits within this of the maximum count as a tie: float16 rounding differences, not a wrong cache. */
    private static final double TIE = 0.05;

    /**
     * One forward of {@code prompt + generated} without a cache: at every generated position the token the
     * cached decode picked has a logit within {@link #TIE} of the best. A cache that misplaced keys or
     * positions would pick tokens whole logits below it.
     */
    private static void assertGreedyUnderRecomputation(DecoderModel model, long[] prompt, long[] generated,
            String variant) {
        int t = prompt.length + generated.length;
        long[] ids = new long[t];
        System.arraycopy(prompt, 0, ids, 0, prompt.length);
        System.arraycopy(generated, 0, ids, prompt.length, generated.length);
        long[] positions = java.util.stream.LongStream.range(0, t).toArray();
        NDManager manager = model.manager();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray hidden = model.forward(manager.create(ids, new Shape(1, t)), positions,
                    window -> AttentionMask.causal(manager, t, t, new int[] {0}, new int[] {t}, window), null);
            int first = prompt.length - 1; // the state predicting the first generated token
            NDArray logits = model.logits(hidden.get(new NDIndex("0, {}:{}, :", first, t - 1))); // (G, V)
            float[] values = logits.toType(DataType.FLOAT32, false).toFloatArray();
            int vocab = Math.toIntExact(logits.getShape().get(1));
            double widest = 0;
            for (int j = 0; j < generated.length; j++) {
                float best = Float.NEGATIVE_INFINITY;
                for (int v = 0; v < vocab; v++) {
                    best = Math.max(best, values[j * vocab + v]);
                }
                double gap = best - values[j * vocab + (int) generated[j]];
                widest = Math.max(widest, gap);
                assertTrue(gap <= TIE, variant + ": KV cache vs recomputation at generated token " + j + ": picked "
                        + generated[j] + " whose recomputed logit is " + gap + " below the best");
            }
            System.out.printf("precision stories260K %s: cached decode vs recomputation, widest gap %.3g logits%n",
                    variant, widest);
        }
    }

    static LoadOptions options(String variant) {
        return switch (variant) {
            case "float16" -> LoadOptions.of(Precision.FLOAT16);
            case "nf4" -> LoadOptions.of(Precision.FLOAT16).withQuantization(QuantConfig.nf4(false));
            case "nf4-dq" -> LoadOptions.of(Precision.FLOAT16).withQuantization(QuantConfig.nf4(true));
            case "fp4" -> LoadOptions.of(Precision.FLOAT16).withQuantization(QuantConfig.fp4(false));
            case "int8" -> LoadOptions.of(Precision.FLOAT16).withQuantization(QuantConfig.int8());
            case "nf4-f32" -> LoadOptions.FLOAT32.withQuantization(QuantConfig.nf4(false));
            case "int8-f32" -> LoadOptions.FLOAT32.withQuantization(QuantConfig.int8());
            default -> throw new IllegalArgumentException(variant);
        };
    }
}
