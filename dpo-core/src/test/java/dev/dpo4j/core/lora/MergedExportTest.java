package dev.dpo4j.core.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.djl.ndarray.NDManager;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.safetensors.DType;
import dev.dpo4j.core.safetensors.HalfFloats;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import dev.dpo4j.core.safetensors.SafetensorsFile;
import dev.dpo4j.core.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MergedExport}: the exported folder reloads as a plain model whose logits are the adapted
 * model's; dtypes, untouched bytes, sharding and failure modes.
 */
class MergedExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Path llama() {
        return Fixtures.path("models/llama-tiny");
    }

    private static Path adapterDir() {
        return Fixtures.path("dpo-step-llama-tiny");
    }

    /** The stored bytes of a tensor from whichever file of a checkpoint folder holds it. */
    private static ByteBuffer raw(SafetensorsCheckpoint ckpt, String name) throws IOException {
        TensorInfo info = ckpt.info(name);
        for (SafetensorsFile f : ckpt.files()) {
            if (f.path().equals(info.file())) {
                return f.readRaw(name);
            }
        }
        throw new AssertionError("no file for " + name);
    }

    @Test
    void anAdapterOnAQuantizedBaseMergesIntoTheUnquantizedWeightsFromDisk() throws IOException {
        // QLoRA: the adapter was trained against a 4-bit base, but the merge reads the base's own float32
        // tensors from disk, so the export is byte for byte the export of the same adapter on the full base.
        Path fromQuantized = tmp.resolve("merged-from-nf4");
        Path fromFull = tmp.resolve("merged-from-f32");
        try (DecoderModel model = DecoderModel.load(llama(), ai.djl.Device.cpu(),
                dev.dpo4j.core.model.LoadOptions.of(dev.dpo4j.core.model.Precision.FLOAT16)
                        .withQuantization(dev.dpo4j.core.quant.QuantConfig.nf4(true)));
             LoraModel lora = PeftAdapters.load(model, adapterDir())) {
            assertEquals(14, MergedExport.write(llama(), lora, fromQuantized).mergedTensors());
        }
        try (DecoderModel model = DecoderModel.load(llama()); LoraModel lora = PeftAdapters.load(model, adapterDir())) {
            MergedExport.write(llama(), lora, fromFull);
        }
        assertArrayEquals(Files.readAllBytes(fromFull.resolve("model.safetensors")),
                Files.readAllBytes(fromQuantized.resolve("model.safetensors")));
    }

    @Test
    void llamaExportReloadsWithAdaptedLogits() throws IOException {
        Path out = tmp.resolve("merged");
        try (DecoderModel model = DecoderModel.load(llama());
             LoraModel lora = PeftAdapters.load(model, adapterDir())) {
            float[] adapted = LoraTestSupport.logits(model, LoraTestSupport.IDS);
            MergedExport.Result result = MergedExport.write(llama(), lora, out);
            assertEquals(out.toAbsolutePath().normalize(), result.directory());
            assertEquals(14, result.mergedTensors());
            assertEquals(List.of(out.resolve("model.safetensors").toAbsolutePath().normalize(),
                    out.resolve("config.json").toAbsolutePath().normalize()), result.files());
            Map<String, float[]> adapter = lora.snapshot();
            try (DecoderModel reloaded = DecoderModel.load(out);
                 NDManager manager = NDManager.newBaseManager();
                 DecoderModel hand = LoraTestSupport.handMergedModel(llama(), adapter, 4, 2.0, manager)) {
                float[] got = LoraTestSupport.logits(reloaded, LoraTestSupport.IDS);
                // same merged weights up to the last float32 bit: same logits to 1e-5
                double diff = LoraTestSupport.maxDiff(LoraTestSupport.logits(hand, LoraTestSupport.IDS), got);
                assertTrue(diff < 1e-5, "reloaded vs hand-merged max diff " + diff);
                // x·W'ᵀ vs x·Wᵀ + 2·(x·Aᵀ)·Bᵀ: equal in real arithmetic, float32 summation order apart
                diff = LoraTestSupport.maxDiff(adapted, got);
                assertTrue(diff < 1e-4, "reloaded vs adapted max diff " + diff);
            }
            try (SafetensorsCheckpoint base = SafetensorsCheckpoint.open(llama());
                 SafetensorsCheckpoint merged = SafetensorsCheckpoint.open(out)) {
                assertEquals(base.names(), merged.names());
                assertEquals(result.copiedTensors() + 14, base.names().size());
                for (String name : base.names()) {
                    assertEquals(base.dtypeOf(name), merged.dtypeOf(name), name);
                    String module = name.substring(0, name.length() - ".weight".length());
                    float[] a = adapter.get(LoraModel.keyA(module));
                    if (a == null) {
                        assertEquals(raw(base, name), raw(merged, name), "untouched " + name);
                        continue;
                    }
                    long[] s = base.info(name).shape();
                    float[] expected = LoraTestSupport.handMerge(base.readFloatArray(name), a,
                            adapter.get(LoraModel.keyB(module)), (int) s[0], (int) s[1], 4, 2.0);
                    float[] got = merged.readFloatArray(name);
                    for (int i = 0; i < got.length; i++) {
                        assertEquals(expected[i], got[i], 1e-6, name + "[" + i + "]");
                    }
                }
            }
            assertEquals(Files.readString(llama().resolve("config.json")), Files.readString(out.resolve("config.json")));
            // the renamed temporary folder has the permissions of any new folder, not owner-only ones
            Path fresh = Files.createDirectory(tmp.resolve("fresh"));
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                assertEquals(Files.getPosixFilePermissions(fresh), Files.getPosixFilePermissions(out));
                assertTrue(Files.isWritable(out.resolve("config.json")), "copied files are not read-only");
            }
        }
        assertNoTemps();
    }

    @Test
    void aBf16BaseRoundTripsBitForBitWhereTheMergeAddsNothing() throws IOException {
        // A fresh adapter (B = 0) adds exactly 0: W + 0 in float32 rounds back to the very bf16 of W, so every
        // tensor, adapted or not, keeps its stored bytes (and the model loaded as float16 merges the same).
        Path qwen = Fixtures.path("models/qwen2-tiny");
        for (dev.dpo4j.core.model.Precision p : dev.dpo4j.core.model.Precision.values()) {
            Path out = tmp.resolve("qwen-zero-" + p.label());
            try (DecoderModel model = DecoderModel.load(qwen, ai.djl.Device.cpu(), dev.dpo4j.core.model.LoadOptions.of(p));
                 LoraModel lora = LoraModel.create(model, LoraConfig.of(4, 8), 11)) {
                assertEquals(14 * model.config().numLayers() / 2, MergedExport.write(qwen, lora, out).mergedTensors());
            }
            try (SafetensorsCheckpoint base = SafetensorsCheckpoint.open(qwen);
                 SafetensorsCheckpoint merged = SafetensorsCheckpoint.open(out)) {
                for (String name : base.names()) {
                    assertEquals(DType.BF16, merged.dtypeOf(name), name);
                    assertEquals(raw(base, name), raw(merged, name), p + " " + name);
                }
            }
        }
    }

    @Test
    void bf16BaseStaysBf16AndReloadsWithinRounding() throws IOException {
        Path qwen = Fixtures.path("models/qwen2-tiny");
        Path out = tmp.resolve("qwen-merged");
        try (DecoderModel model = DecoderModel.load(qwen);
             LoraModel lora = LoraModel.create(model, LoraConfig.of(4, 8), 11)) {
            Map<String, float[]> values = lora.snapshot();
            Random rnd = new Random(5);
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                if (e.getKey().contains("lora_B")) {
                    float[] b = e.getValue();
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (float) (0.05 * rnd.nextGaussian());
                    }
                }
            }
            lora.load(values);
            float[] adapted = LoraTestSupport.logits(model, LoraTestSupport.IDS);
            MergedExport.write(qwen, lora, out, MergedExport.DEFAULT_MAX_SHARD_BYTES);
            int changed = 0;
            try (SafetensorsCheckpoint base = SafetensorsCheckpoint.open(qwen);
                 SafetensorsCheckpoint merged = SafetensorsCheckpoint.open(out)) {
                assertEquals(base.names(), merged.names());
                assertFalse(merged.contains("lm_head.weight"), "tied embeddings stay tied");
                for (String name : base.names()) {
                    assertEquals(DType.BF16, base.dtypeOf(name));
                    assertEquals(DType.BF16, merged.dtypeOf(name), name);
                    String module = name.substring(0, name.length() - ".weight".length());
                    float[] a = values.get(LoraModel.keyA(module));
                    if (a == null) {
                        assertEquals(raw(base, name), raw(merged, name), "untouched " + name);
                        continue;
                    }
                    long[] s = base.info(name).shape();
                    float[] exact = LoraTestSupport.handMerge(base.readFloatArray(name), a,
                            values.get(LoraModel.keyB(module)), (int) s[0], (int) s[1], 4, 2.0);
                    float[] got = merged.readFloatArray(name);
                    for (int i = 0; i < got.length; i++) {
                        // round to nearest bf16 (8 significant bits): |error| ≤ 2^-9·|x|; 2^-8 leaves room
                        // for a float32 last-bit difference that moves a value across a rounding boundary
                        assertEquals(exact[i], got[i], Math.abs(exact[i]) * 0x1p-8 + 1e-30, name + "[" + i + "]");
                        assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(got[i])), got[i], 0.0);
                    }
                    if (!raw(base, name).equals(raw(merged, name))) {
                        changed++;
                    }
                }
            }
            assertEquals(21, changed, "3 layers x 7 projections rewritten");
            try (DecoderModel reloaded = DecoderModel.load(out);
                 NDManager manager = NDManager.newBaseManager();
                 DecoderModel hand = LoraTestSupport.handMergedModel(qwen, values, 4, 2.0, true, manager)) {
                float[] got = LoraTestSupport.logits(reloaded, LoraTestSupport.IDS);
                // the export is the hand-merged model with its merged weights rounded to bf16 (a rare element
                // may land one bf16 step apart where the float32 sums differ in the last bit at a tie)
                double exact = LoraTestSupport.maxDiff(LoraTestSupport.logits(hand, LoraTestSupport.IDS), got);
                assertTrue(exact < 1e-4, "reloaded vs hand-merged bf16 max diff " + exact);
                // Each merged weight carries a relative rounding error of at most 2^-9 (bf16 keeps 8
                // significant bits), so each projection's output moves by at most 2^-9 of its size; to first
                // order, 3 layers x 7 rounded projections move the logits by at most 21·2^-9 ≈ 4.1 % of
                // their scale. Allow 3 % of the largest logit; the adapter itself moves them far more.
                double diff = LoraTestSupport.maxDiff(adapted, got);
                double scale = LoraTestSupport.maxAbs(adapted);
                assertTrue(diff <= 0.03 * scale, "reloaded vs adapted max diff " + diff + " at scale " + scale);
                try (LoraModel.Disabled off = lora.disabled()) {
                    double effect = LoraTestSupport.maxDiff(adapted, LoraTestSupport.logits(model, LoraTestSupport.IDS));
                    assertTrue(effect > 5 * diff, "adapter effect " + effect + " vs rounding " + diff);
                }
            }
        }
    }

    @Test
    void smallShardLimitWritesIndexedShardsThatLoadIdentically() throws IOException {
        Path single = tmp.resolve("single");
        Path sharded = tmp.resolve("sharded");
        long limit = 50_000; // llama-tiny: 478 KB of F32; embed_tokens and lm_head (65,536 B) exceed it
        try (DecoderModel model = DecoderModel.load(llama());
             LoraModel lora = PeftAdapters.load(model, adapterDir())) {
            MergedExport.write(llama(), lora, single, MergedExport.DEFAULT_MAX_SHARD_BYTES);
            MergedExport.Result result = MergedExport.write(llama(), lora, sharded, limit);
            assertTrue(Files.isRegularFile(sharded.resolve(SafetensorsCheckpoint.INDEX_FILE)));
            assertFalse(Files.exists(sharded.resolve(SafetensorsCheckpoint.SINGLE_FILE)));
            List<Path> shards = new ArrayList<>();
            for (Path p : result.files()) {
                if (p.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors")) {
                    shards.add(p);
                }
            }
            assertTrue(shards.size() > 5, "shards: " + shards.size());
            assertEquals(String.format("model-00001-of-%05d.safetensors", shards.size()),
                    shards.get(0).getFileName().toString());
            long total = 0;
            for (Path p : shards) {
                try (SafetensorsFile f = SafetensorsFile.open(p)) {
                    long bytes = f.tensors().values().stream().mapToLong(TensorInfo::byteSize).sum();
                    total += bytes;
                    assertTrue(bytes <= limit || f.tensors().size() == 1, p + " holds " + bytes + " bytes");
                }
            }
            JsonNode index = JSON.readTree(sharded.resolve(SafetensorsCheckpoint.INDEX_FILE).toFile());
            assertEquals(total, index.get("metadata").get("total_size").asLong());
            assertEquals(total, result.totalBytes());
            try (SafetensorsCheckpoint a = SafetensorsCheckpoint.open(single);
                 SafetensorsCheckpoint b = SafetensorsCheckpoint.open(sharded)) {
                assertEquals(a.names().size(), index.get("weight_map").size());
                for (String name : a.names()) {
                    assertEquals(raw(a, name), raw(b, name), name);
                }
            }
            try (DecoderModel x = DecoderModel.load(single); DecoderModel y = DecoderModel.load(sharded)) {
                assertArrayEquals(LoraTestSupport.logits(x, LoraTestSupport.IDS),
                        LoraTestSupport.logits(y, LoraTestSupport.IDS));
            }
        }
    }

    @Test
    void adapterWithoutModelGivesTheSameBytes() throws IOException {
        Path viaModel = tmp.resolve("via-model");
        Path viaFile = tmp.resolve("via-file");
        Path base = tmp.resolve("base");
        Files.createDirectories(base);
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(llama().resolve(f), base.resolve(f));
        }
        Files.writeString(base.resolve("tokenizer_config.json"), "{\"model_max_length\": 512}\n");
        Files.writeString(base.resolve("generation_config.json"), "{\"do_sample\": false}\n");
        Files.writeString(base.resolve("notes.txt"), "not part of a model\n");
        try (DecoderModel model = DecoderModel.load(base); LoraModel lora = PeftAdapters.load(model, adapterDir())) {
            MergedExport.write(base, lora, viaModel);
        }
        AtomicLong progress = new AtomicLong();
        MergedExport.Result result = MergedExport.write(base, PeftAdapters.read(adapterDir()), viaFile,
                MergedExport.DEFAULT_MAX_SHARD_BYTES, progress::set);
        assertEquals(result.totalBytes(), progress.get());
        assertArrayEquals(Files.readAllBytes(viaModel.resolve("model.safetensors")),
                Files.readAllBytes(viaFile.resolve("model.safetensors")));
        for (String f : List.of("config.json", "tokenizer_config.json", "generation_config.json")) {
            assertArrayEquals(Files.readAllBytes(base.resolve(f)), Files.readAllBytes(viaFile.resolve(f)), f);
        }
        assertFalse(Files.exists(viaFile.resolve("notes.txt")));
    }

    @Test
    void failuresLeaveNoOutput() throws IOException {
        PeftAdapter adapter = PeftAdapters.read(adapterDir());
        Path out = tmp.resolve("out");
        // llama-tiny's adapter on qwen2-tiny: A is (4, 64) but qwen2's projections take 48 inputs
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> MergedExport.write(Fixtures.path("models/qwen2-tiny"), adapter, out, 1 << 20, b -> { }));
        assertTrue(mismatch.getMessage().contains("adapter"), mismatch.getMessage());
        assertFalse(Files.exists(out));
        assertThrows(NoSuchFileException.class,
                () -> MergedExport.write(tmp.resolve("no-base"), adapter, out, 1 << 20, b -> { }));
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        IOException notEmpty = assertThrows(IOException.class,
                () -> MergedExport.write(llama(), adapter, out, 1 << 20, b -> { }));
        assertTrue(notEmpty.getMessage().contains("not an empty folder"), notEmpty.getMessage());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
        assertNoTemps();
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        MergedExport.write(llama(), adapter, empty, 1 << 20, b -> { });
        assertTrue(Files.isRegularFile(empty.resolve("model.safetensors")));
        assertNotEquals(0, Files.size(empty.resolve("model.safetensors")));
    }

    private void assertNoTemps() throws IOException {
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList());
        }
    }
}
