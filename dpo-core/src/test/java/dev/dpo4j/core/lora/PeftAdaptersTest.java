package dev.dpo4j.core.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.safetensors.DType;
import dev.dpo4j.core.safetensors.HalfFloats;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import dev.dpo4j.core.safetensors.SafetensorsFile;
import dev.dpo4j.core.safetensors.SafetensorsWriter;
import dev.dpo4j.core.safetensors.WritableTensor;
import dev.dpo4j.core.score.CompletionScore;
import dev.dpo4j.core.score.LogProbScorer;
import dev.dpo4j.core.score.ScoringRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PEFT adapter I/O against the fixture adapter {@code dpo-step-llama-tiny} (r 4, alpha 8, all seven
 * projections of llama-tiny's two layers: 2·7·2 = 28 tensors, B ≠ 0): reading, attaching, writing back,
 * and the errors for adapters that do not fit.
 */
class PeftAdaptersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Path adapterDir() {
        return Fixtures.path("dpo-step-llama-tiny");
    }

    private static Path llama() {
        return Fixtures.path("models/llama-tiny");
    }

    /** The fixture adapter's tensors read directly with the safetensors reader. */
    private static Map<String, float[]> fixtureTensors() throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(adapterDir().resolve(PeftAdapters.WEIGHTS_FILE))) {
            for (String name : f.tensors().keySet()) {
                out.put(name, f.readFloatArray(name));
            }
        }
        return out;
    }

    @Test
    void readsFixtureAdapter() throws IOException {
        PeftAdapter adapter = PeftAdapters.read(adapterDir());
        assertEquals(28, adapter.weights().size());
        assertEquals(4, adapter.config().r());
        assertEquals(8.0, adapter.config().loraAlpha());
        assertEquals(2.0, adapter.config().scaling()); // 8 / 4
        assertEquals(14, adapter.modulePaths().size());
        assertArrayEquals(new long[] {4, 160},
                adapter.shapes().get("base_model.model.model.layers.0.mlp.down_proj.lora_A.weight"));
        Map<String, float[]> direct = fixtureTensors();
        for (Map.Entry<String, float[]> e : direct.entrySet()) {
            assertArrayEquals(e.getValue(), adapter.weights().get(e.getKey()), e.getKey());
        }
    }

    @Test
    void adaptedModelEqualsHandMergedModel() throws IOException {
        try (DecoderModel model = DecoderModel.load(llama());
             LoraModel lora = PeftAdapters.load(model, adapterDir());
             NDManager manager = NDManager.newBaseManager();
             DecoderModel merged = LoraTestSupport.handMergedModel(llama(), fixtureTensors(), 4, 2.0, manager)) {
            assertEquals(14, lora.layers().size());
            float[] adapted = LoraTestSupport.logits(model, LoraTestSupport.IDS);
            float[] expected = LoraTestSupport.logits(merged, LoraTestSupport.IDS);
            // x·(W + 2·B·A)ᵀ = x·Wᵀ + 2·(x·Aᵀ)·Bᵀ exactly in real arithmetic; in float32 the two orders of
            // summation differ by rounding only, far below the golden-logit contract of 1e-4
            double diff = LoraTestSupport.maxDiff(adapted, expected);
            assertTrue(diff < 1e-4, "max diff " + diff + " at logit scale " + LoraTestSupport.maxAbs(expected));
            float[] base;
            try (LoraModel.Disabled off = lora.disabled()) {
                base = LoraTestSupport.logits(model, LoraTestSupport.IDS);
            }
            assertTrue(LoraTestSupport.maxDiff(adapted, base) > 1e-2, "the adapter must change the logits by far more");
        }
    }

    @Test
    void adaptedModelGivesFixturePolicyLogps() throws IOException {
        JsonNode expected = Fixtures.json("dpo-step-llama-tiny/expected.json");
        try (DecoderModel model = DecoderModel.load(llama()); LoraModel lora = PeftAdapters.load(model, adapterDir())) {
            List<ScoringRequest> rows = new ArrayList<>();
            for (JsonNode pair : expected.get("pairs")) {
                rows.add(new ScoringRequest(Fixtures.longs(pair.get("prompt_ids")), Fixtures.longs(pair.get("chosen_ids"))));
            }
            List<CompletionScore> scores = new LogProbScorer(model).score(rows, 3);
            for (int i = 0; i < scores.size(); i++) {
                assertEquals(expected.get("policy_chosen_logps").get(i).asDouble(), scores.get(i).logprob(), 1e-3);
            }
        }
    }

    @Test
    void saveThenReadRoundTrips() throws IOException {
        Path out = tmp.resolve("adapter");
        try (DecoderModel model = DecoderModel.load(llama()); LoraModel lora = PeftAdapters.load(model, adapterDir())) {
            float[] before = LoraTestSupport.logits(model, LoraTestSupport.IDS);
            PeftAdapters.save(lora, out, "llama-tiny");
            Map<String, float[]> written = lora.snapshot();
            lora.close();
            PeftAdapter back = PeftAdapters.read(out);
            assertEquals(written.keySet(), back.weights().keySet());
            for (Map.Entry<String, float[]> e : written.entrySet()) {
                assertArrayEquals(e.getValue(), back.weights().get(e.getKey()), e.getKey());
            }
            try (LoraModel again = PeftAdapters.load(model, out)) {
                assertArrayEquals(before, LoraTestSupport.logits(model, LoraTestSupport.IDS));
            }
        }
        Set<String> fixtureKeys;
        try (SafetensorsFile f = SafetensorsFile.open(adapterDir().resolve(PeftAdapters.WEIGHTS_FILE))) {
            fixtureKeys = new TreeSet<>(f.tensors().keySet());
        }
        try (SafetensorsFile f = SafetensorsFile.open(out.resolve(PeftAdapters.WEIGHTS_FILE))) {
            assertEquals(fixtureKeys, new TreeSet<>(f.tensors().keySet()));
            assertEquals(Map.of("format", "pt"), f.metadata());
            f.tensors().values().forEach(t -> assertEquals(DType.F32, t.dtype()));
        }
        JsonNode config = JSON.readTree(out.resolve(PeftAdapters.CONFIG_FILE).toFile());
        assertEquals("LORA", config.get("peft_type").asText());
        assertEquals("CAUSAL_LM", config.get("task_type").asText());
        assertEquals(4, config.get("r").asInt());
        assertTrue(config.get("lora_alpha").isIntegralNumber());
        assertEquals(8, config.get("lora_alpha").asInt());
        assertEquals("llama-tiny", config.get("base_model_name_or_path").asText());
        assertFalse(config.get("fan_in_fan_out").asBoolean());
        assertTrue(config.get("inference_mode").asBoolean());
        assertTrue(config.get("modules_to_save").isNull());
        assertEquals(7, config.get("target_modules").size());
        assertEquals(List.of(), leftoverTemps());
    }

    @Test
    void allLinearIsWrittenAsTheExpandedModuleList() throws IOException {
        Path out = tmp.resolve("all-linear");
        try (DecoderModel model = DecoderModel.load(llama());
             LoraModel lora = LoraModel.create(model, LoraConfig.of(2, 4), 1)) {
            PeftAdapters.save(lora, out, null);
            // PEFT replaces "all-linear" by the set of adapted module names before saving
            JsonNode config = JSON.readTree(out.resolve(PeftAdapters.CONFIG_FILE).toFile());
            List<String> targets = new ArrayList<>();
            config.get("target_modules").forEach(n -> targets.add(n.asText()));
            assertEquals(List.of("down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"), targets);
            assertTrue(config.get("base_model_name_or_path").isNull());
            // saving again over the folder replaces the files
            PeftAdapters.save(lora, out, "again");
            assertEquals("again", JSON.readTree(out.resolve(PeftAdapters.CONFIG_FILE).toFile())
                    .get("base_model_name_or_path").asText());
            assertEquals(2, PeftAdapters.read(out).config().r());
        }
        assertEquals(List.of(), leftoverTemps());
    }

    @Test
    void halfPrecisionTensorsAreWidened() throws IOException {
        Path dir = copyFixture("f16");
        Map<String, float[]> direct = fixtureTensors();
        Map<String, WritableTensor> tensors = new LinkedHashMap<>();
        try (SafetensorsCheckpoint f = SafetensorsCheckpoint.open(adapterDir().resolve(PeftAdapters.WEIGHTS_FILE))) {
            for (String name : f.names()) {
                DType dtype = name.contains("lora_A") ? DType.F16 : DType.BF16;
                tensors.put(name, WritableTensor.of(dtype, f.info(name).shape(), direct.get(name)));
            }
        }
        SafetensorsWriter.write(dir.resolve(PeftAdapters.WEIGHTS_FILE), tensors, SafetensorsWriter.PT_METADATA);
        PeftAdapter adapter = PeftAdapters.read(dir);
        String a = "base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight";
        String b = "base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight";
        for (int i = 0; i < direct.get(a).length; i++) {
            assertEquals(HalfFloats.halfToFloat(HalfFloats.floatToHalf(direct.get(a)[i])), adapter.weights().get(a)[i]);
        }
        for (int i = 0; i < direct.get(b).length; i++) {
            assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(direct.get(b)[i])), adapter.weights().get(b)[i]);
        }
    }

    @Test
    void missingConfigIsNamed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        Files.copy(adapterDir().resolve(PeftAdapters.WEIGHTS_FILE), dir.resolve(PeftAdapters.WEIGHTS_FILE));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> PeftAdapters.read(dir));
        assertTrue(e.getMessage().contains(PeftAdapters.CONFIG_FILE), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> PeftAdapters.read(tmp.resolve("nowhere")));
    }

    @Test
    void rankThatDisagreesWithTensorShapesIsRejected() throws IOException {
        Path dir = copyFixture("wrong-r");
        editConfig(dir, c -> c.put("r", 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeftAdapters.read(dir));
        assertTrue(e.getMessage().contains(PeftAdapters.WEIGHTS_FILE) && e.getMessage().contains("r = 8"), e.getMessage());
    }

    @Test
    void tensorForAModuleTheModelLacksIsRejected() throws IOException {
        Path dir = copyFixture("extra-layer");
        Map<String, float[]> direct = fixtureTensors();
        Map<String, WritableTensor> tensors = new LinkedHashMap<>();
        try (SafetensorsCheckpoint f = SafetensorsCheckpoint.open(adapterDir().resolve(PeftAdapters.WEIGHTS_FILE))) {
            for (String name : f.names()) {
                tensors.put(name, WritableTensor.of(DType.F32, f.info(name).shape(), direct.get(name)));
                if (name.contains("layers.1.")) { // llama-tiny has layers 0 and 1 only
                    tensors.put(name.replace("layers.1.", "layers.5."),
                            WritableTensor.of(DType.F32, f.info(name).shape(), direct.get(name)));
                }
            }
        }
        SafetensorsWriter.write(dir.resolve(PeftAdapters.WEIGHTS_FILE), tensors, SafetensorsWriter.PT_METADATA);
        assertEquals(42, PeftAdapters.read(dir).weights().size()); // fine without a model
        try (DecoderModel model = DecoderModel.load(llama())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PeftAdapters.load(model, dir));
            assertTrue(e.getMessage().contains("model.layers.5.") && e.getMessage().contains(PeftAdapters.WEIGHTS_FILE),
                    e.getMessage());
            assertTrue(model.linears().values().stream().allMatch(l -> l.adapter() == null), "nothing attached");
        }
    }

    @Test
    void adapterOfAnotherModelIsRejected() {
        try (DecoderModel model = DecoderModel.load(Fixtures.path("models/qwen2-tiny"))) {
            // qwen2-tiny has hidden 48, llama-tiny's adapter A matrices are (4, 64)
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PeftAdapters.load(model, adapterDir()));
            assertTrue(e.getMessage().contains("shape"), e.getMessage());
        }
    }

    @Test
    void regexTargetModulesIsRejected() throws IOException {
        Path dir = copyFixture("regex");
        editConfig(dir, c -> c.put("target_modules", ".*\\.(q|v)_proj"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeftAdapters.read(dir));
        assertTrue(e.getMessage().contains(PeftAdapters.CONFIG_FILE) && e.getMessage().contains("target_modules"),
                e.getMessage());
    }

    @Test
    void allLinearStringIsAccepted() throws IOException {
        Path dir = copyFixture("all-linear-string");
        editConfig(dir, c -> c.put("target_modules", "all-linear"));
        assertEquals(List.of(LoraConfig.ALL_LINEAR), PeftAdapters.read(dir).config().targetModules());
    }

    @Test
    void unsupportedSettingsAreRejected() throws IOException {
        Path fan = copyFixture("fan");
        editConfig(fan, c -> c.put("fan_in_fan_out", true));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeftAdapters.read(fan)).getMessage()
                .contains("fan_in_fan_out"));
        Path dora = copyFixture("dora");
        editConfig(dora, c -> c.put("use_dora", true));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeftAdapters.read(dora)).getMessage()
                .contains("use_dora"));
        Path ia3 = copyFixture("ia3");
        editConfig(ia3, c -> c.put("peft_type", "IA3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeftAdapters.read(ia3)).getMessage()
                .contains("peft_type"));
        Path subset = copyFixture("subset");
        editConfig(subset, c -> c.putArray("target_modules").add("q_proj"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeftAdapters.read(subset));
        assertTrue(e.getMessage().contains("target_modules"), e.getMessage());
    }

    private Path copyFixture(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String file : List.of(PeftAdapters.CONFIG_FILE, PeftAdapters.WEIGHTS_FILE)) {
            Files.copy(adapterDir().resolve(file), dir.resolve(file));
            dir.resolve(file).toFile().setWritable(true);
        }
        return dir;
    }

    private static void editConfig(Path dir, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path file = dir.resolve(PeftAdapters.CONFIG_FILE);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(root);
        Files.write(file, JSON.writeValueAsBytes(root));
    }

    private List<Path> leftoverTemps() throws IOException {
        try (var s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
