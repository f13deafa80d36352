package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outside checks' precision forms, run in-process: {@code logprobs --dtype float16}, {@code --load-in-4bit}
 * and {@code --load-in-8bit} against the fixtures' float32 golden log-probs; {@code train --dtype float16} (the
 * fixture step), {@code --load-in-4bit} and {@code --load-in-8bit}; TRL's YAML names ({@code fp16},
 * {@code bf16}, {@code torch_dtype}, {@code model_init_kwargs.dtype}); and one-line errors. Tolerances are the
 * ones {@code PrecisionGoldenTest} documents for the same fixtures.
 */
class PrecisionCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STEP = "dpo-step-llama-tiny";

    @TempDir
    Path tmp;

    /** Runs logprobs on a fixture's golden rows and returns the worst |Δ token log-prob| against the golden. */
    private double logprobsError(String fixture, String... flags) throws IOException {
        JsonNode expected = Fixtures.json("models/" + fixture + "/expected.json");
        List<String> lines = new ArrayList<>();
        for (JsonNode row : expected.get("input_ids")) {
            List<Long> ids = new ArrayList<>();
            row.forEach(v -> ids.add(v.asLong()));
            lines.add("{\"prompt_ids\":" + ids.subList(0, 1) + ",\"completion_ids\":" + ids.subList(1, ids.size()) + "}");
        }
        Path in = Files.write(tmp.resolve(fixture + "-in.jsonl"), lines);
        Path out = tmp.resolve(fixture + "-" + String.join("", flags).replace("-", "") + ".jsonl");
        List<String> args = new ArrayList<>(List.of("logprobs", "--model", Fixtures.path("models/" + fixture).toString(),
                "--input", in.toString(), "--output", out.toString()));
        args.addAll(List.of(flags));
        CliTest.Run r = CliTest.cli(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        double worst = 0;
        List<String> got = Files.readAllLines(out);
        for (int i = 0; i < got.size(); i++) {
            JsonNode tokens = JSON.readTree(got.get(i)).get("token_logprobs");
            JsonNode want = expected.get("token_logprobs").get(i);
            for (int t = 0; t < want.size(); t++) {
                assertTrue(Double.isFinite(tokens.get(t).asDouble()));
                worst = Math.max(worst, Math.abs(want.get(t).asDouble() - tokens.get(t).asDouble()));
            }
        }
        return worst;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny", "gemma-tiny"})
    void logprobsInFloat16And8And4BitStayNearTheFloat32Golden(String fixture) throws IOException {
        double half = logprobsError(fixture, "--dtype", "float16");
        double int8 = logprobsError(fixture, "--load-in-8bit");
        double nf4 = logprobsError(fixture, "--load-in-4bit", "--bnb-4bit-use-double-quant");
        assertTrue(half > 0 && half <= 0.1, fixture + " float16: " + half);
        assertTrue(int8 > 0 && int8 <= 1.0, fixture + " int8: " + int8);
        assertTrue(nf4 > 0 && nf4 <= 10.0, fixture + " nf4: " + nf4);
        assertTrue(half < int8 && int8 < nf4, "more bits, less error: " + half + " < " + int8 + " < " + nf4);
    }

    @Test
    void bfloat16RunsAsFloat16AndSaysSoOnce() throws IOException {
        Path in = Files.writeString(tmp.resolve("in.jsonl"), "{\"prompt_ids\":[1,5],\"completion_ids\":[9,3]}\n");
        Path bf = tmp.resolve("bf.jsonl");
        Path f16 = tmp.resolve("f16.jsonl");
        String model = Fixtures.path("models/llama-tiny").toString();
        CliTest.Run r = CliTest.cli("logprobs", "--model", model, "--input", in.toString(), "--output", bf.toString(),
                "--dtype", "bf16");
        assertEquals(0, r.status(), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.contains("bfloat16")).count(), r.err());
        assertTrue(r.err().contains("float16"), r.err());
        assertEquals(0, CliTest.cli("logprobs", "--model", model, "--input", in.toString(), "--output", f16.toString(),
                "--dtype", "float16").status());
        assertEquals(Files.readString(f16), Files.readString(bf));
        // the YAML key transformers users write: torch_dtype
        Path yaml = Files.writeString(tmp.resolve("half.yaml"), "torch_dtype: float16\n");
        Path viaYaml = tmp.resolve("yaml.jsonl");
        assertEquals(0, CliTest.cli("logprobs", "--config", yaml.toString(), "--model", model, "--input", in.toString(),
                "--output", viaYaml.toString()).status());
        assertEquals(Files.readString(f16), Files.readString(viaYaml));
    }

    @Test
    void tf32FlagSetsLibtorchsSwitchBeforeTheModelLoads() throws IOException {
        // The value libtorch reads at its first CUDA matmul (Tf32's Javadoc); a JVM whose engine already
        // started ignores later changes, so this checks the switch, not a GPU's arithmetic.
        boolean before = dev.dpo4j.core.engine.Tf32.enabled();
        Path in = Files.writeString(tmp.resolve("in.jsonl"), "{\"prompt_ids\":[1,5],\"completion_ids\":[9,3]}\n");
        String model = Fixtures.path("models/llama-tiny").toString();
        try {
            for (String value : new String[] {"false", "true", "false"}) {
                assertEquals(0, CliTest.cli("logprobs", "--model", model, "--input", in.toString(), "--output",
                        tmp.resolve("tf32.jsonl").toString(), "--tf32", value).status());
                assertEquals(Boolean.parseBoolean(value), dev.dpo4j.core.engine.Tf32.enabled(), "--tf32 " + value);
            }
            Path yaml = Files.writeString(tmp.resolve("tf32.yaml"), "tf32: true\nmax_steps: 1\ntrain_batch_size: 3\n");
            assertEquals(0, CliTest.cli("train", "--config", yaml.toString(), "--model", model, "--data",
                    Fixtures.path(STEP + "/pairs.jsonl").toString(), "--output", tmp.resolve("t").toString()).status());
            assertTrue(dev.dpo4j.core.engine.Tf32.enabled(), "train's tf32: true");
        } finally {
            dev.dpo4j.core.engine.Tf32.configure(before);
        }
    }

    @Test
    void badPrecisionSettingsAreOneLineErrors() throws IOException {
        Path in = Files.writeString(tmp.resolve("in.jsonl"), "{\"prompt_ids\":[1,5],\"completion_ids\":[9,3]}\n");
        String model = Fixtures.path("models/llama-tiny").toString();
        String[] base = {"logprobs", "--model", model, "--input", in.toString(), "--output", tmp.resolve("o").toString()};
        assertError(CliTest.cli(concat(base, "--dtype", "float64")), "dtype", "float64", "float16");
        assertError(CliTest.cli(concat(base, "--load-in-4bit", "--load-in-8bit")), "exclusive");
        assertError(CliTest.cli(concat(base, "--bnb-4bit-quant-type", "nf4")), "needs load_in_4bit");
        assertError(CliTest.cli(concat(base, "--load-in-4bit", "--bnb-4bit-quant-type", "nf3")),
                "bnb_4bit_quant_type", "nf3");
    }

    @Test
    void float16TrainingTakesTheFixtureStepWithinFloat16Precision() throws IOException {
        Path out = tmp.resolve("f16-step");
        CliTest.Run r = CliTest.cli("train", "--model", Fixtures.path("models/llama-tiny").toString(), "--adapter",
                Fixtures.path(STEP).toString(), "--data", Fixtures.path(STEP + "/pairs.jsonl").toString(), "--reference",
                "base", "--loss-type", "sigmoid", "--beta", "0.1", "--optimizer", "sgd", "--learning-rate", "1.0",
                "--max-steps", "1", "--train-batch-size", "3", "--max-grad-norm", "0", "--warmup-steps", "0",
                "--lora-dropout", "0", "--dtype", "float16", "--output", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("float16, loss scale 65536, 0 step(s) skipped"), r.out());
        JsonNode line = JSON.readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        assertEquals(65536.0, line.get("loss_scale").asDouble());
        Map<String, float[]> start = tensors(Fixtures.path(STEP + "/" + PeftAdapters.WEIGHTS_FILE));
        Map<String, float[]> grads = tensors(Fixtures.path(STEP + "/expected_grads.safetensors"));
        Map<String, float[]> after = tensors(out.resolve(PeftAdapters.WEIGHTS_FILE));
        double diff = 0;
        double norm = 0;
        for (String name : start.keySet()) {
            for (int i = 0; i < start.get(name).length; i++) {
                double step = start.get(name)[i] - after.get(name)[i];
                double g = grads.get(name)[i];
                diff += (step - g) * (step - g);
                norm += g * g;
            }
        }
        assertTrue(Math.sqrt(diff / norm) <= 1e-2, "||step − grad|| / ||grad|| = " + Math.sqrt(diff / norm));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--load-in-4bit", "--load-in-8bit"})
    void trainingOnAQuantizedBaseWritesAFloat32Adapter(String flag) throws IOException {
        Path out = tmp.resolve("q" + flag);
        CliTest.Run r = CliTest.cli("train", "--model", Fixtures.path("models/llama-tiny").toString(), "--data",
                Fixtures.path(STEP + "/pairs.jsonl").toString(), "--max-steps", "3", "--train-batch-size", "3",
                "--learning-rate", "1e-2", "--logging-steps", "1", "--gradient-checkpointing", flag, "--output",
                out.toString());
        assertEquals(0, r.status(), r.err());
        // auto on CPU: float32 compute around the quantized projections (CPU float16 kernels are slow)
        assertTrue(r.out().contains(flag.endsWith("4bit") ? "float32+nf4-b64" : "float32+int8"), r.out());
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(3, lines.size());
        for (String l : lines) {
            assertTrue(Double.isFinite(JSON.readTree(l).get("loss").asDouble()), l);
        }
        try (SafetensorsCheckpoint adapter = SafetensorsCheckpoint.open(out.resolve(PeftAdapters.WEIGHTS_FILE))) {
            for (String name : adapter.names()) {
                assertEquals("F32", adapter.dtypeOf(name).name(), name);
            }
        }
    }

    @Test
    void trlYamlNamesChooseTheDtype() throws IOException {
        String model = Fixtures.path("models/llama-tiny").toString();
        String pairs = Fixtures.path(STEP + "/pairs.jsonl").toString();
        Map<String, String> yamls = new LinkedHashMap<>();
        yamls.put("fp16: true\n", "float16");
        yamls.put("bf16: true\n", "float16");
        yamls.put("model_init_kwargs:\n  torch_dtype: float16\n", "float16");
        yamls.put("dtype: float32\nfp16: false\n", "float32");
        int i = 0;
        for (Map.Entry<String, String> e : yamls.entrySet()) {
            Path yaml = Files.writeString(tmp.resolve("c" + i + ".yaml"), e.getKey() + "max_steps: 1\ntrain_batch_size: 3\n");
            CliTest.Run r = CliTest.cli("train", "--config", yaml.toString(), "--model", model, "--data", pairs,
                    "--output", tmp.resolve("y" + i++).toString());
            assertEquals(0, r.status(), e.getKey() + r.err());
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("precision") && l.contains(e.getValue())),
                    e.getKey() + " -> " + r.out());
            assertEquals(e.getKey().startsWith("bf16"), r.err().contains("bfloat16 requested"), r.err());
        }
        Path conflict = Files.writeString(tmp.resolve("conflict.yaml"), "fp16: true\ndtype: float32\n");
        assertError(CliTest.cli("train", "--config", conflict.toString(), "--model", model, "--data", pairs, "--output",
                tmp.resolve("z").toString()), "fp16", "float32");
    }

    private static void assertError(CliTest.Run r, String... mentions) {
        assertNotEquals(0, r.status(), r.out());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        for (String m : mentions) {
            assertTrue(errors.get(0).contains(m), "'" + m + "' in: " + errors.get(0));
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Map<String, float[]> tensors(Path file) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(file)) {
            for (String name : ckpt.names()) {
                out.put(name, ckpt.readFloatArray(name));
            }
        }
        return out;
    }
}
