package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.io.DirectoryLock;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.safetensors.DType;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import dev.dpo4j.core.safetensors.SafetensorsWriter;
import dev.dpo4j.core.safetensors.WritableTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that refuse what they cannot honour, before they load anything where they can: a locked output, an
 * output that is a file, non-finite weights in a base or an adapter; and defaults that never contradict a
 * value the user set ({@code --max-length 512} alone).
 */
class RunGuardsTest {
    private static final String STEP = "dpo-step-llama-tiny";

    @TempDir
    Path tmp;

    private static String llama() {
        return Fixtures.path("models/llama-tiny").toString();
    }

    private static String pairs() {
        return Fixtures.path(STEP + "/pairs.jsonl").toString();
    }

    /** A copy of a safetensors file with one value of one tensor replaced. */
    private static void poison(Path from, Path to, String tensor, float value) throws IOException {
        Map<String, WritableTensor> tensors = new TreeMap<>();
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(from)) {
            for (String name : ckpt.names()) {
                float[] values = ckpt.readFloatArray(name);
                if (name.equals(tensor)) {
                    values[3] = value;
                }
                tensors.put(name, WritableTensor.of(DType.F32, ckpt.info(name).shape(), values));
            }
        }
        SafetensorsWriter.write(to, tensors, SafetensorsWriter.PT_METADATA);
    }

    @Test
    void aSecondTrainIntoALockedFolderStopsAtOnceNamingTheHolder() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("run"));
        try (DirectoryLock other = DirectoryLock.acquire(out.resolve(".lock"), "training run")) {
            CliTest.Run r = CliTest.cli("train", "--model", llama(), "--data", pairs(), "--output", out.toString(),
                    "--max-steps", "1");
            assertNotEquals(0, r.status());
            assertTrue(r.err().contains("another training run is using " + out) && r.err().contains("process "),
                    r.err());
            assertFalse(Files.exists(out.resolve(PeftAdapters.WEIGHTS_FILE)));
        }
        Path merged = tmp.resolve("merged");
        try (DirectoryLock other = DirectoryLock.acquire(MergeCommand.lockFile(merged), "merge")) {
            CliTest.Run r = CliTest.cli("merge", "--model", llama(), "--adapter", Fixtures.path(STEP).toString(),
                    "--output", merged.toString());
            assertNotEquals(0, r.status());
            assertTrue(r.err().contains("another merge is using"), r.err());
        }
    }

    @Test
    void anOutputThatIsAFileIsRefusedBeforeAnythingLoads() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        // the model does not exist: had the model been loaded first, the error would be about it
        String missingModel = tmp.resolve("no-model").toString();
        CliTest.Run train = CliTest.cli("train", "--model", missingModel, "--data", pairs(), "--output",
                file.toString());
        assertEquals(1, train.status(), train.err());
        assertTrue(train.err().contains("--output " + file + " is a file"), train.err());
        CliTest.Run merge = CliTest.cli("merge", "--model", missingModel, "--adapter", Fixtures.path(STEP).toString(),
                "--output", file.toString());
        assertEquals(1, merge.status(), merge.err());
        assertTrue(merge.err().contains("--output " + file + " is a file"), merge.err());
        Path prompts = Files.writeString(tmp.resolve("prompts.jsonl"), "{\"id\":\"p1\",\"prompt\":\"Hi.\"}\n");
        CliTest.Run evaluate = CliTest.cli("evaluate", "--task", "instruction", "--input", prompts.toString(),
                "--model", missingModel, "--output", file.toString());
        assertEquals(1, evaluate.status(), evaluate.err());
        assertTrue(evaluate.err().contains("--output " + file + " is a file"), evaluate.err());
        CliTest.Run prepare = CliTest.cli("data", "prepare", "--input", pairs(), "--output", file.toString());
        assertEquals(1, prepare.status(), prepare.err());
        assertTrue(prepare.err().contains("--output " + file + " is a file"), prepare.err());
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingFileAndTensor() throws IOException {
        // an adapter with a NaN: merge refuses it instead of writing NaN weights
        Path adapter = Files.createDirectories(tmp.resolve("nan-adapter"));
        Files.copy(Fixtures.path(STEP + "/" + PeftAdapters.CONFIG_FILE), adapter.resolve(PeftAdapters.CONFIG_FILE));
        String loraA;
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(Fixtures.path(STEP + "/" + PeftAdapters.WEIGHTS_FILE))) {
            loraA = ckpt.names().stream().filter(n -> n.contains("lora_A")).sorted().findFirst().orElseThrow();
        }
        poison(Fixtures.path(STEP + "/" + PeftAdapters.WEIGHTS_FILE), adapter.resolve(PeftAdapters.WEIGHTS_FILE), loraA,
                Float.NaN);
        Path merged = tmp.resolve("merged");
        CliTest.Run merge = CliTest.cli("merge", "--model", llama(), "--adapter", adapter.toString(),
                "--output", merged.toString());
        assertNotEquals(0, merge.status());
        assertTrue(merge.err().contains(adapter.resolve(PeftAdapters.WEIGHTS_FILE) + ": tensor " + loraA + " holds NaN"),
                merge.err());
        assertFalse(Files.exists(merged.resolve("model.safetensors")), "no merged model");

        // a base with an Inf: train and generate refuse it at load, naming the file and the tensor
        Path base = Files.createDirectories(tmp.resolve("inf-base"));
        Files.copy(Fixtures.path("models/llama-tiny/config.json"), base.resolve("config.json"));
        String weight = "model.layers.1.mlp.down_proj.weight";
        poison(Fixtures.path("models/llama-tiny/model.safetensors"), base.resolve("model.safetensors"), weight,
                Float.POSITIVE_INFINITY);
        String expected = base.resolve("model.safetensors") + ": tensor " + weight + " holds Infinity at element 3";
        CliTest.Run train = CliTest.cli("train", "--model", base.toString(), "--data", pairs(), "--output",
                tmp.resolve("run").toString(), "--max-steps", "1");
        assertNotEquals(0, train.status());
        assertTrue(train.err().contains(expected), train.err());
        Path prompts = Files.writeString(tmp.resolve("prompts.jsonl"), "{\"prompt_ids\":[1,5,9]}\n");
        CliTest.Run generate = CliTest.cli("generate", "--model", base.toString(), "--input", prompts.toString(),
                "--output", tmp.resolve("out.jsonl").toString(), "--max-new-tokens", "3");
        assertNotEquals(0, generate.status());
        assertTrue(generate.err().contains(expected), generate.err());
    }

    @Test
    void maxLengthAloneTrainsAsInTrl() {
        // TRL 1.x has no default prompt limit; a default 512 would contradict --max-length 512
        CliTest.Run r = CliTest.cli("train", "--model", llama(), "--data", pairs(), "--output",
                tmp.resolve("run").toString(), "--max-length", "512", "--max-steps", "1");
        assertEquals(0, r.status(), r.err());
        // the older key still works, and is checked against the one the user set
        CliTest.Run both = CliTest.cli("train", "--model", llama(), "--data", pairs(), "--output",
                tmp.resolve("run2").toString(), "--max-length", "512", "--max-prompt-length", "512", "--max-steps", "1");
        assertNotEquals(0, both.status());
        assertTrue(both.err().contains("max_prompt_length (512) must be below max_length (512)"), both.err());
    }
}
