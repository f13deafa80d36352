package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code dpo4j train} in-process: the outside check's exact command on the dpo-step-llama-tiny fixture
 * (one SGD step at learning rate 1 without clipping or warmup gives {@code ADAPTER − ∂loss/∂ADAPTER}),
 * YAML keys under flags, {@code --lora-dropout} on a loaded adapter, SFT on the real stories260K model,
 * chat-message rows, and one-line errors.
 */
class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STEP = "dpo-step-llama-tiny";

    @TempDir
    Path tmp;

    /** The outside check's command, for one loss. */
    private static List<String> outsideCheck(Path adapter, String loss, Path out) {
        List<String> args = new ArrayList<>(List.of("train", "--model", Fixtures.path("models/llama-tiny").toString(),
                "--adapter", adapter.toString(), "--data", Fixtures.path(STEP + "/pairs.jsonl").toString(),
                "--reference", "base", "--loss-type", loss, "--beta", "0.1", "--optimizer", "sgd", "--learning-rate",
                "1.0", "--max-steps", "1", "--train-batch-size", "3", "--max-grad-norm", "0", "--warmup-steps", "0",
                "--lora-dropout", "0", "--output", out.toString()));
        if (loss.equals("robust")) {
            args.addAll(List.of("--label-smoothing", "0.1"));
        }
        return args;
    }

    @ParameterizedTest
    @CsvSource({"sigmoid, expected_grads.safetensors", "ipo, expected_grads_ipo.safetensors",
        "hinge, expected_grads_hinge.safetensors", "robust, expected_grads_robust.safetensors"})
    void outsideCheckCommandSubtractsTheFixtureGradient(String loss, String gradFile) throws IOException {
        Path out = tmp.resolve("out-" + loss);
        CliTest.Run r = CliTest.cli(outsideCheck(Fixtures.path(STEP), loss, out).toArray(String[]::new));
        assertEquals(0, r.status(), r.err());

        assertAdapterIsStartMinusGradient(out, gradFile, loss);
        // The logged loss is the fixture's loss of the starting adapter (logged before the update).
        JsonNode line = JSON.readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        double expectedLoss = Fixtures.json(STEP + "/expected.json").get("loss").get(loss).asDouble();
        assertEquals(expectedLoss, line.get("loss").asDouble(), 1e-4, loss);
        JsonNode config = JSON.readTree(out.resolve(PeftAdapters.CONFIG_FILE).toFile());
        assertEquals(4, config.get("r").asInt());
        assertEquals(7, config.get("target_modules").size());
        assertTrue(r.out().contains(out.resolve(PeftAdapters.WEIGHTS_FILE).toString()), r.out());
        assertTrue(r.out().contains("metrics.jsonl"), r.out());
    }

    @Test
    void loraDropoutFlagOverridesTheLoadedAdaptersDropout() throws IOException {
        // A copy of the fixture adapter whose config asks for dropout 0.5.
        Path adapter = Files.createDirectories(tmp.resolve("adapter-with-dropout"));
        Files.copy(Fixtures.path(STEP + "/" + PeftAdapters.WEIGHTS_FILE), adapter.resolve(PeftAdapters.WEIGHTS_FILE));
        ObjectNode config = (ObjectNode) Fixtures.json(STEP + "/" + PeftAdapters.CONFIG_FILE);
        config.put("lora_dropout", 0.5);
        Files.writeString(adapter.resolve(PeftAdapters.CONFIG_FILE), config.toString());

        Path off = tmp.resolve("flag-off");
        assertEquals(0, CliTest.cli(outsideCheck(adapter, "sigmoid", off).toArray(String[]::new)).status());
        assertAdapterIsStartMinusGradient(off, "expected_grads.safetensors", "dropout 0 by flag");
        assertEquals(0.0, JSON.readTree(off.resolve(PeftAdapters.CONFIG_FILE).toFile()).get("lora_dropout").asDouble());

        // Without the flag the adapter's own dropout 0.5 is in force, so the step is a different one.
        List<String> args = outsideCheck(adapter, "sigmoid", tmp.resolve("own"));
        int i = args.indexOf("--lora-dropout");
        args.subList(i, i + 2).clear();
        assertEquals(0, CliTest.cli(args.toArray(String[]::new)).status());
        Map<String, float[]> withDropout = PeftAdapters.read(tmp.resolve("own")).weights();
        Map<String, float[]> without = PeftAdapters.read(off).weights();
        assertTrue(withDropout.keySet().stream().anyMatch(k -> maxAbsDiff(withDropout.get(k), without.get(k)) > 1e-4),
                "dropout 0.5 must change the step");
    }

    @Test
    void yamlKeysInLlmforgeNamesWithFlagsOnTop() throws IOException {
        Path out = tmp.resolve("yaml-out");
        Path yaml = tmp.resolve("run.yaml");
        Files.writeString(yaml, String.join("\n",
                "model_id: " + Fixtures.path("models/llama-tiny"),
                "train_path: " + Fixtures.path(STEP + "/pairs.jsonl"),
                "output_dir: " + out,
                "task: preference_tuning",
                "num_devices: 1",
                "loss_type: sigmoid",
                "beta: 0.7",
                "optimizer: sgd",
                "learning_rate: 1.0",
                "max_steps: 1",
                "train_batch_size_per_device: 3",
                "max_grad_norm: 0",
                "warmup_steps: 0",
                "lora_config:",
                "  r: 16",
                "  lora_dropout: 0.0",
                "  task_type: CAUSAL_LM",
                ""));
        // --beta overrides the file's 0.7; the adapter's r 4 wins over lora_config's 16.
        CliTest.Run r = CliTest.cli("train", "--config", yaml.toString(), "--adapter", Fixtures.path(STEP).toString(),
                "--beta", "0.1");
        assertEquals(0, r.status(), r.err());
        assertAdapterIsStartMinusGradient(out, "expected_grads.safetensors", "yaml");
        assertTrue(r.err().contains("num_devices"), r.err());
        assertTrue(r.err().contains("lora_config.r is ignored"), r.err());
    }

    @Test
    void sftOnStories260kLowersTheLossAndTheAdapterLoadsBack() throws IOException {
        Path model = Fixtures.path("real/models/stories260K");
        Path data = tmp.resolve("sft.jsonl");
        List<String> rows = new ArrayList<>();
        String[] names = {"Lily", "Tom", "Sue", "Ben", "Max", "Amy", "Tim", "Mia"};
        for (String name : names) {
            rows.add(JSON.createObjectNode().put("prompt", "Once upon a time, there was a girl named " + name + ".")
                    .put("completion", " " + name + " liked to play with a big red ball in the park.").toString());
        }
        Files.write(data, rows);
        Path out = tmp.resolve("sft-out");
        CliTest.Run r = CliTest.cli("train", "--task", "sft", "--model", model.toString(), "--data", data.toString(),
                "--output", out.toString(), "--max-steps", "20", "--learning-rate", "1e-2", "--lr-scheduler-type",
                "constant", "--train-batch-size", "4", "--lora-r", "8", "--lora-alpha", "16", "--lora-dropout", "0",
                "--logging-steps", "5", "--save-steps", "10", "--seed", "3");
        assertEquals(0, r.status(), r.err());

        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            losses.add(JSON.readTree(line).get("loss").asDouble());
        }
        assertEquals(4, losses.size(), "one line per 5 steps");
        assertTrue(losses.get(3) < 0.7 * losses.get(0), "loss should fall over 20 steps: " + losses);
        assertTrue(Files.isDirectory(out.resolve("checkpoint-10")));
        assertTrue(r.out().startsWith("task"), r.out());
        try (DecoderModel m = DecoderModel.load(model); LoraModel lora = PeftAdapters.load(m, out)) {
            assertEquals(8, lora.config().r());
            float[] b = lora.snapshot().get(LoraModel.keyB("model.layers.0.self_attn.q_proj"));
            assertTrue(maxAbsDiff(b, new float[b.length]) > 0, "B was trained away from zero");
        }
    }

    @Test
    void dpoOnChatMessagesNeedsAndUsesTheChatTemplate() throws IOException {
        Path stories = Fixtures.path("real/models/stories260K");
        Path data = tmp.resolve("chat.jsonl");
        List<String> rows = new ArrayList<>();
        for (String animal : new String[] {"cat", "dog", "bird", "fish"}) {
            rows.add("{\"prompt\":[{\"role\":\"user\",\"content\":\"Tell me about the " + animal + ".\"}],"
                    + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"The " + animal + " was happy.\"}],"
                    + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"No.\"}]}");
        }
        Files.write(data, rows);
        String[] common = {"train", "--data", data.toString(), "--max-steps", "2", "--train-batch-size", "2",
            "--lora-r", "4", "--logging-steps", "1"};

        // stories260K has no chat template: the first row is named.
        CliTest.Run missing = CliTest.cli(concat(common, "--model", stories.toString(), "--output",
                tmp.resolve("no-template").toString()));
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains(data + ":1"), missing.err());
        assertTrue(missing.err().contains("chat template"), missing.err());

        // The same model with a chat template beside it (links, nothing copied) trains on the rows.
        Path withTemplate = Files.createDirectories(tmp.resolve("stories-chat"));
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
            "generation_config.json"}) {
            Files.createSymbolicLink(withTemplate.resolve(f), stories.resolve(f).toAbsolutePath());
        }
        Files.writeString(withTemplate.resolve("chat_template.jinja"), "{% for m in messages %}{{ m['role'] }}: "
                + "{{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}");
        Path out = tmp.resolve("chat-out");
        CliTest.Run r = CliTest.cli(concat(common, "--model", withTemplate.toString(), "--output", out.toString()));
        assertEquals(0, r.status(), r.err());
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertTrue(JSON.readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0)).has("rewards/accuracies"));
    }

    @Test
    void exampleConfigsValidateAndRun() throws IOException {
        Path configs = Files.isDirectory(Path.of("configs")) ? Path.of("configs") : Path.of("examples", "configs");
        // The files' paths are relative to the repository root; here model and data come from the fixtures.
        Path dpoOut = tmp.resolve("example-dpo");
        CliTest.Run dpo = CliTest.cli("train", "--config", configs.resolve("dpo-llama-tiny.yaml").toString(),
                "--model", Fixtures.path("models/llama-tiny").toString(), "--data",
                Fixtures.path(STEP + "/pairs.jsonl").toString(), "--output", dpoOut.toString(), "--max-steps", "2");
        assertEquals(0, dpo.status(), dpo.err());
        assertEquals(2, Files.readAllLines(dpoOut.resolve("metrics.jsonl")).size(), "logging_steps 1 from the file");
        assertEquals(8, JSON.readTree(dpoOut.resolve(PeftAdapters.CONFIG_FILE).toFile()).get("r").asInt());

        Path data = tmp.resolve("example-sft.jsonl");
        Files.writeString(data, "{\"prompt\": \"Once upon a time, Lily\", \"completion\": \" found a red ball.\"}\n");
        Path sftOut = tmp.resolve("example-sft");
        CliTest.Run sft = CliTest.cli("train", "--config", configs.resolve("sft-example.yaml").toString(),
                "--model", Fixtures.path("real/models/stories260K").toString(), "--data", data.toString(),
                "--output", sftOut.toString(), "--max-steps", "2");
        assertEquals(0, sft.status(), sft.err());
        assertTrue(sft.out().startsWith("task"), sft.out());
        assertTrue(Files.isRegularFile(sftOut.resolve(PeftAdapters.WEIGHTS_FILE)));

        CliTest.Run help = CliTest.cli("train", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("--loss-type") && help.out().contains("--lora-target-modules"), help.out());
    }

    @Test
    void errorsAreOneLineNamingTheKeyOrFileAndLine() throws IOException {
        String llama = Fixtures.path("models/llama-tiny").toString();
        String pairs = Fixtures.path(STEP + "/pairs.jsonl").toString();
        String out = tmp.resolve("err-out").toString();

        Path typo = tmp.resolve("typo.yaml");
        Files.writeString(typo, "learning_rat: 1e-4\n");
        assertOneLineError(CliTest.cli("train", "--config", typo.toString(), "--model", llama, "--data", pairs,
                "--output", out), "typo.yaml", "learning_rat");

        Path badType = tmp.resolve("type.yaml");
        Files.writeString(badType, "max_steps: many\n");
        assertOneLineError(CliTest.cli("train", "--config", badType.toString(), "--model", llama, "--data", pairs,
                "--output", out), "type.yaml", "max_steps");

        assertOneLineError(CliTest.cli("train", "--model", llama, "--data", pairs, "--output", out, "--beta", "-1"),
                "beta");
        assertOneLineError(CliTest.cli("train", "--model", llama, "--data", pairs, "--output", out,
                "--max-prompt-length", "64", "--max-length", "32"), "max_prompt_length");
        assertOneLineError(CliTest.cli("train", "--model", llama, "--data", pairs, "--output", out, "--task", "rl"),
                "task must be dpo or sft");
        assertOneLineError(CliTest.cli("train", "--data", pairs, "--output", out), "missing model", "--model");
        assertOneLineError(CliTest.cli("train", "--model", llama, "--data", tmp.resolve("nope.jsonl").toString(),
                "--output", out), "--data: " + tmp.resolve("nope.jsonl") + ": file not found");

        Path text = tmp.resolve("text.jsonl");
        Files.writeString(text, "{\"prompt_ids\":[1,2],\"chosen_ids\":[3],\"rejected_ids\":[4]}\n"
                + "{\"prompt\":\"Hi\",\"chosen\":\"Hello\",\"rejected\":\"Go\"}\n");
        assertOneLineError(CliTest.cli("train", "--model", llama, "--data", text.toString(), "--output", out),
                text + ":2", "tokenizer");
        assertFalse(Files.exists(Path.of(out, PeftAdapters.WEIGHTS_FILE)), "no adapter after a failed run");
    }

    private static void assertOneLineError(CliTest.Run r, String... mentions) {
        assertNotEquals(0, r.status(), r.out());
        String err = r.err().strip();
        List<String> errorLines = err.lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errorLines.size(), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        for (String m : mentions) {
            assertTrue(errorLines.get(0).contains(m), "'" + m + "' in: " + errorLines.get(0));
        }
    }

    /**
     * Checks {@code OUT = START − grad} tensor by tensor, to 1e-4 of each tensor's largest magnitude, in both
     * forms: the weights against {@code START − grad}, and the step {@code START − OUT} against the gradient.
     */
    private static void assertAdapterIsStartMinusGradient(Path out, String gradFile, String what) throws IOException {
        Map<String, float[]> start = tensors(Fixtures.path(STEP + "/" + PeftAdapters.WEIGHTS_FILE));
        Map<String, float[]> grads = tensors(Fixtures.path(STEP + "/" + gradFile));
        Map<String, float[]> after = tensors(out.resolve(PeftAdapters.WEIGHTS_FILE));
        assertEquals(start.keySet(), after.keySet(), what);
        for (String name : start.keySet()) {
            float[] s = start.get(name);
            float[] g = grads.get(name);
            float[] a = after.get(name);
            float[] expected = new float[s.length];
            float[] step = new float[s.length];
            for (int i = 0; i < s.length; i++) {
                expected[i] = s[i] - g[i];
                step[i] = s[i] - a[i];
            }
            double tolWeights = 1e-4 * maxAbs(expected);
            double tolStep = 1e-4 * maxAbs(g);
            assertTrue(maxAbsDiff(expected, a) <= tolWeights, what + " " + name + ": weights off by "
                    + maxAbsDiff(expected, a) + " > " + tolWeights);
            assertTrue(maxAbsDiff(g, step) <= tolStep, what + " " + name + ": step off by " + maxAbsDiff(g, step)
                    + " > " + tolStep);
        }
    }

    static Map<String, float[]> tensors(Path file) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(file)) {
            for (String name : ckpt.names()) {
                out.put(name, ckpt.readFloatArray(name));
            }
        }
        return out;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    private static double maxAbs(float[] a) {
        return maxAbsDiff(a, new float[a.length]);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void helpListsEveryNameTheRegistriesAccept() {
        CliTest.Run r = CliTest.cli("train", "--help");
        assertEquals(0, r.status(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        List<String> names = new ArrayList<>(dev.dpo4j.core.loss.LossType.names());
        names.addAll(dev.dpo4j.core.optim.OptimizerType.names());
        names.addAll(dev.dpo4j.core.optim.LrSchedulerType.names());
        names.addAll(dev.dpo4j.data.format.PreferenceFormats.names());
        assertTrue(names.contains("cdpo"), "cdpo is a loss type");
        for (String name : names) {
            assertTrue(help.contains(" " + name + ",") || help.contains(" " + name + " ("), name + " missing from: " + help);
        }
    }
}
