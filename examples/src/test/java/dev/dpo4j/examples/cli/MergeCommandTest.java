package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.model.AttentionMask;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dpo4j merge} run in-process on llama-tiny and the fixture PEFT adapter: the output folder loads
 * as a plain model with the adapted model's logits; bad paths and mismatched adapters fail clearly.
 */
class MergeCommandTest {
    @TempDir
    Path tmp;

    private record Run(int status, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Dpo4jCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    private static float[] logits(DecoderModel model) {
        long[] ids = {1, 17, 42, 99, 3, 250, 7, 64};
        long[] pos = {0, 1, 2, 3, 4, 5, 6, 7};
        try (NDManager m = model.manager().newSubManager()) {
            NDArray mask = AttentionMask.causal(m, 8, 8, new int[] {0}, new int[] {8}, 0);
            return model.logits(model.forward(m.create(ids, new Shape(1, 8)), pos, mask, null)).toFloatArray();
        }
    }

    @Test
    void mergeWritesALoadableModel() throws IOException {
        Path base = Fixtures.path("models/llama-tiny");
        Path adapter = Fixtures.path("dpo-step-llama-tiny");
        Path out = tmp.resolve("merged");
        Run r = cli("merge", "--model", base.toString(), "--adapter", adapter.toString(), "--output", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("model.safetensors") && r.out().contains("14 merged"), r.out());
        float[] adapted;
        try (DecoderModel model = DecoderModel.load(base); LoraModel lora = PeftAdapters.load(model, adapter)) {
            adapted = logits(model);
        }
        try (DecoderModel merged = DecoderModel.load(out)) {
            float[] got = logits(merged);
            for (int i = 0; i < got.length; i++) {
                // W' = W + 2·B·A in float32 vs the adapter's separate path: summation order only
                assertEquals(adapted[i], got[i], 1e-4, "logit " + i);
            }
        }
    }

    @Test
    void yamlConfigAndShardSize() throws IOException {
        Path out = tmp.resolve("sharded");
        Path yaml = tmp.resolve("merge.yaml");
        Files.writeString(yaml, "max_shard_size: 100KB\n");
        Run r = cli("merge", "--config", yaml.toString(), "--model", Fixtures.path("models/llama-tiny").toString(),
                "--adapter", Fixtures.path("dpo-step-llama-tiny").toString(), "--output", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.isRegularFile(out.resolve(SafetensorsCheckpoint.INDEX_FILE)), r.out());
        try (DecoderModel merged = DecoderModel.load(out)) {
            assertEquals(256, logits(merged).length / 8);
        }
    }

    @Test
    void clearErrors() throws IOException {
        Path llama = Fixtures.path("models/llama-tiny");
        Path adapter = Fixtures.path("dpo-step-llama-tiny");
        Run missingAdapter = cli("merge", "--model", llama.toString(), "--adapter", tmp.resolve("nope").toString(),
                "--output", tmp.resolve("o1").toString());
        assertEquals(1, missingAdapter.status());
        assertTrue(missingAdapter.err().contains("adapter folder does not exist"), missingAdapter.err());

        Run missingModel = cli("merge", "--model", tmp.resolve("no-model").toString(), "--adapter", adapter.toString(),
                "--output", tmp.resolve("o2").toString());
        assertEquals(1, missingModel.status());
        assertTrue(missingModel.err().contains("no-model"), missingModel.err());

        Run mismatch = cli("merge", "--model", Fixtures.path("models/qwen2-tiny").toString(), "--adapter",
                adapter.toString(), "--output", tmp.resolve("o3").toString());
        assertEquals(1, mismatch.status());
        assertTrue(mismatch.err().contains("adapter tensor"), mismatch.err());
        assertFalse(Files.exists(tmp.resolve("o3")));

        Run badSize = cli("merge", "--model", llama.toString(), "--adapter", adapter.toString(),
                "--output", tmp.resolve("o4").toString(), "--max-shard-size", "lots");
        assertEquals(1, badSize.status());
        assertTrue(badSize.err().contains("--max-shard-size"), badSize.err());

        Run missingFlag = cli("merge", "--model", llama.toString());
        assertEquals(2, missingFlag.status());
        assertTrue(missingFlag.err().contains("--adapter"), missingFlag.err());
    }

    @Test
    void shardSizesParseLikeSavePretrained() {
        assertEquals(5_000_000_000L, MergeCommand.parseSize("5GB"));
        assertEquals(500_000_000L, MergeCommand.parseSize("500MB"));
        assertEquals(2L << 30, MergeCommand.parseSize("2GiB"));
        assertEquals(1536L, MergeCommand.parseSize("1.5KiB"));
        assertEquals(123L, MergeCommand.parseSize("123"));
        assertThrows(IllegalArgumentException.class, () -> MergeCommand.parseSize("5 parsecs"));
        assertThrows(IllegalArgumentException.class, () -> MergeCommand.parseSize("0"));
    }

    @Test
    void helpListsTheFlags() {
        Run r = cli("merge", "--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("--adapter") && r.out().contains("--max-shard-size"), r.out());
        assertTrue(cli("--help").out().contains("merge"), "merge is listed among the subcommands");
    }
}
