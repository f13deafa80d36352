package dev.dpo4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.model.ModelConfig.LayerType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both config layouts: each transformers-5 fixture config rewritten into the keys checkpoints carried
 * before transformers 5 ({@code rope_theta}, {@code rope_scaling}, {@code rope_local_base_freq},
 * {@code sliding_window_pattern}, alternation implied) reads as the same architecture and gives the same
 * logits; configs that mix the layouts inconsistently, and each family's defaults, are checked too.
 */
class ConfigLayoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long[] IDS = {5, 9, 77, 3, 120, 8, 44, 200, 17, 60, 91, 33, 2, 150};

    @TempDir
    Path tmp;

    /** The legacy spelling of a transformers 5 config, built by hand from what each key meant then. */
    private static ObjectNode legacy(ObjectNode v5) {
        ObjectNode c = v5.deepCopy();
        JsonNode rope = c.remove("rope_parameters");
        JsonNode types = c.remove("layer_types");
        JsonNode pattern = c.remove("_sliding_window_pattern");
        if (rope.has("full_attention")) { // Gemma 3: global RoPE + local base
            c.put("rope_local_base_freq", rope.get("sliding_attention").get("rope_theta").asDouble());
            rope = rope.get("full_attention");
            c.put("sliding_window_pattern", pattern.asInt());
        }
        c.put("rope_theta", rope.get("rope_theta").asDouble());
        ObjectNode scaling = ((ObjectNode) rope).deepCopy();
        scaling.remove("rope_theta");
        if (scaling.has("partial_rotary_factor")) {
            c.set("partial_rotary_factor", scaling.remove("partial_rotary_factor"));
        }
        String type = scaling.remove("rope_type").asText();
        if (!type.equals("default")) {
            scaling.put("type", type); // the oldest spelling of rope_type
            if (type.equals("longrope")) {
                c.set("original_max_position_embeddings", scaling.remove("original_max_position_embeddings"));
            }
            c.set("rope_scaling", scaling);
        }
        assertTrue(types == null || types.isArray());
        return c;
    }

    private Path copyWith(String fixture, JsonNode config) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(fixture.replace('/', '_')));
        Files.copy(Fixtures.path(fixture + "/model.safetensors"), d.resolve("model.safetensors"));
        Files.writeString(d.resolve("config.json"), JSON.writeValueAsString(config));
        return d;
    }

    private static float[] logits(Path dir) {
        try (DecoderModel m = DecoderModel.load(dir); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            int t = IDS.length;
            long[] pos = new long[t];
            for (int i = 0; i < t; i++) {
                pos[i] = i;
            }
            NDArray h = m.forward(m.manager().create(IDS, new Shape(1, t)), pos,
                    w -> AttentionMask.causal(m.manager(), t, t, new int[] {0}, new int[] {t}, w), null);
            return m.logits(h).toFloatArray();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3-tiny", "qwen3-yarn", "gemma2-tiny", "gemma3-tiny", "phi3-tiny", "phi3-longrope",
        "mistral-window"})
    void legacyKeysReadAsTheSameArchitectureAndLogits(String name) throws IOException {
        String fixture = "models-hf/" + name;
        ObjectNode v5 = (ObjectNode) JSON.readTree(Fixtures.path(fixture + "/config.json").toFile());
        ObjectNode old = legacy(v5);
        assertFalse(old.has("rope_parameters") || old.has("layer_types"), old.toString());
        ModelConfig a = ModelConfig.parse(v5, "v5");
        ModelConfig b = ModelConfig.parse(old, "legacy");
        assertEquals(a.rope(), b.rope(), name);
        assertEquals(a.localRope(), b.localRope(), name);
        assertEquals(a.layerTypes(), b.layerTypes(), name);
        assertEquals(a.slidingWindow(), b.slidingWindow(), name);
        assertArrayEquals(logits(Fixtures.path(fixture)), logits(copyWith(fixture, old)), name);
    }

    @Test
    void fixtureLayoutsReadAsTransformersDescribesThem() throws IOException {
        ModelConfig gemma3 = ModelConfig.load(Fixtures.path("models-hf/gemma3-tiny"));
        assertEquals(List.of(LayerType.SLIDING, LayerType.SLIDING, LayerType.SLIDING, LayerType.SLIDING,
                LayerType.SLIDING, LayerType.FULL), gemma3.layerTypes());
        assertEquals(1e6, gemma3.rope().theta());
        assertEquals(1e4, gemma3.localRope().theta());
        assertEquals(5, gemma3.window(0));
        assertEquals(0, gemma3.window(5));
        ModelConfig gemma2 = ModelConfig.load(Fixtures.path("models-hf/gemma2-tiny"));
        assertEquals(20.0, gemma2.attnLogitSoftcapping());
        assertEquals(5.0, gemma2.finalLogitSoftcapping());
        assertEquals(32.0, gemma2.queryPreAttnScalar());
        ModelConfig phi = ModelConfig.load(Fixtures.path("models-hf/phi3-longrope"));
        assertEquals("longrope", phi.rope().type());
        assertEquals(16.0, phi.rope().factor()); // 128 / 8
        ModelConfig qwen = ModelConfig.load(Fixtures.path("models-hf/qwen3-tiny"));
        assertEquals(24, qwen.headDim());
        assertTrue(qwen.modelType().qkNorm() && !qwen.qkvBias());
    }

    /** Family defaults of configs written before transformers 5, with no layout keys at all. */
    @Test
    void legacyFamilyDefaultsImplyTheLayerPattern() {
        ModelConfig g2 = ModelConfig.parse(base("gemma2", 4), "g2");
        assertEquals(List.of(LayerType.SLIDING, LayerType.FULL, LayerType.SLIDING, LayerType.FULL), g2.layerTypes());
        assertEquals(4096, g2.slidingWindow());
        assertEquals(50.0, g2.attnLogitSoftcapping()); // Gemma2Config defaults
        assertEquals(30.0, g2.finalLogitSoftcapping());
        assertEquals(256.0, g2.queryPreAttnScalar());
        ObjectNode g3 = base("gemma3_text", 12);
        g3.put("sliding_window_pattern", 4);
        ModelConfig c3 = ModelConfig.parse(g3, "g3");
        for (int i = 0; i < 12; i++) {
            assertEquals((i + 1) % 4 == 0 ? LayerType.FULL : LayerType.SLIDING, c3.layerTypes().get(i), "layer " + i);
        }
        assertEquals(1e6, c3.rope().theta()); // Gemma3TextConfig: rope_theta 1e6, local base 1e4
        assertEquals(1e4, c3.localRope().theta());
        assertEquals(0, c3.attnLogitSoftcapping());
        ObjectNode q = base("qwen3", 4);
        q.put("use_sliding_window", true);
        q.put("sliding_window", 8);
        q.put("max_window_layers", 2);
        ModelConfig cq = ModelConfig.parse(q, "q");
        assertEquals(List.of(LayerType.FULL, LayerType.FULL, LayerType.SLIDING, LayerType.SLIDING), cq.layerTypes());
        assertEquals(128, ModelConfig.parse(base("qwen3", 1), "q").headDim()); // Qwen3Config default
        ObjectNode explicitNull = base("gemma2", 2);
        explicitNull.putNull("final_logit_softcapping");
        assertEquals(0, ModelConfig.parse(explicitNull, "g").finalLogitSoftcapping());
    }

    @Test
    void inconsistentMixesOfTheLayoutsAreRefusedNamingBothFields() {
        ObjectNode theta = base("llama", 2);
        theta.put("rope_theta", 10000.0);
        theta.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 500000.0);
        String m = assertThrows(ModelConfigException.class, () -> ModelConfig.parse(theta, "cfg.json")).getMessage();
        assertTrue(m.contains("cfg.json") && m.contains("'rope_theta'") && m.contains("rope_parameters.rope_theta")
                && m.contains("10000") && m.contains("500000"), m);

        ObjectNode agree = base("llama", 2);
        agree.put("rope_theta", 500000.0);
        agree.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 500000.0);
        assertEquals(500000.0, ModelConfig.parse(agree, "ok").rope().theta());

        ObjectNode scaling = base("llama", 2);
        scaling.putObject("rope_scaling").put("rope_type", "linear").put("factor", 2.0);
        scaling.putObject("rope_parameters").put("rope_type", "linear").put("factor", 4.0).put("rope_theta", 1e4);
        m = assertThrows(ModelConfigException.class, () -> ModelConfig.parse(scaling, "cfg.json")).getMessage();
        assertTrue(m.contains("rope_scaling") && m.contains("rope_parameters"), m);

        ObjectNode pattern = base("gemma3_text", 4);
        pattern.put("sliding_window_pattern", 2);
        ArrayNodeFiller.fill(pattern.putArray("layer_types"), "sliding_attention", "sliding_attention",
                "sliding_attention", "full_attention");
        m = assertThrows(ModelConfigException.class, () -> ModelConfig.parse(pattern, "cfg.json")).getMessage();
        assertTrue(m.contains("layer_types") && m.contains("sliding_window_pattern"), m);

        ObjectNode count = base("gemma2", 4);
        ArrayNodeFiller.fill(count.putArray("layer_types"), "sliding_attention", "full_attention");
        m = assertThrows(ModelConfigException.class, () -> ModelConfig.parse(count, "cfg.json")).getMessage();
        assertTrue(m.contains("layer_types") && m.contains("4"), m);

        ObjectNode noWindow = base("qwen3", 2);
        noWindow.put("use_sliding_window", false);
        noWindow.putNull("sliding_window");
        ArrayNodeFiller.fill(noWindow.putArray("layer_types"), "full_attention", "sliding_attention");
        m = assertThrows(ModelConfigException.class, () -> ModelConfig.parse(noWindow, "cfg.json")).getMessage();
        assertTrue(m.contains("layer_types") && m.contains("[1]") && m.contains("sliding_window"), m);

        ObjectNode unknown = base("gemma2", 2);
        ArrayNodeFiller.fill(unknown.putArray("layer_types"), "chunked_attention", "full_attention");
        m = assertThrows(ModelConfigException.class, () -> ModelConfig.parse(unknown, "cfg.json")).getMessage();
        assertTrue(m.contains("chunked_attention") && m.contains("full_attention, sliding_attention"), m);
    }

    @Test
    void badRopeParametersNameTheField() {
        ObjectNode longrope = base("phi3", 2);
        longrope.put("original_max_position_embeddings", 8);
        ObjectNode p = longrope.putObject("rope_parameters");
        p.put("rope_type", "longrope").put("rope_theta", 1e4);
        p.putArray("short_factor").add(1.0).add(1.0);
        p.putArray("long_factor").add(1.0).add(1.0);
        String m = assertThrows(ModelConfigException.class, () -> ModelConfig.parse(longrope, "cfg.json")).getMessage();
        assertTrue(m.contains("short_factor") && m.contains("has 2 values") && m.contains("needs 8"), m);

        ObjectNode mrope = base("qwen3", 2);
        mrope.putObject("rope_parameters").put("rope_type", "mrope").put("rope_theta", 1e4);
        m = assertThrows(ModelConfigException.class, () -> ModelConfig.parse(mrope, "cfg.json")).getMessage();
        assertTrue(m.contains("mrope") && m.contains(RopeParameters.SUPPORTED), m);

        ObjectNode llama3 = base("llama", 2);
        llama3.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8.0);
        m = assertThrows(ModelConfigException.class, () -> ModelConfig.parse(llama3, "cfg.json")).getMessage();
        assertTrue(m.contains("low_freq_factor"), m);
    }

    @Test
    void multimodalGemma3IsRefusedWithTheReasonAndTheWayOut() {
        ObjectNode c = base("gemma3", 2);
        String m = assertThrows(ModelConfigException.class, () -> ModelConfig.parse(c, "cfg.json")).getMessage();
        assertTrue(m.contains("'gemma3'") && m.contains("gemma3_text") && m.contains("language_model")
                && m.contains("qwen3, gemma2, gemma3_text, phi3"), m);
    }

    @Test
    void dynamicNtkGrowsThetaPastTheContextAndKeepsItWithin() {
        ObjectNode c = base("llama", 1);
        c.put("max_position_embeddings", 64);
        c.putObject("rope_scaling").put("rope_type", "dynamic").put("factor", 2.0);
        ModelConfig cfg = ModelConfig.parse(c, "d");
        int d = cfg.headDim();
        // Within the context: plain RoPE. At L = 128: θ' = θ · (2·128/64 − 1)^(d/(d−2)).
        float[] within = cfg.rope().frequencies(d, 64, 40).inverse();
        float[] past = cfg.rope().frequencies(d, 64, 128).inverse();
        double grown = 10000 * Math.pow(3.0, (double) d / (d - 2));
        for (int i = 0; i < d / 2; i++) {
            assertEquals(Math.pow(10000, -2.0 * i / d), within[i], 1e-6 * Math.max(1e-3, within[i]));
            assertEquals(Math.pow(grown, -2.0 * i / d), past[i], 1e-5 * past[i] + 1e-9);
        }
    }

    @Test
    void yarnMatchesThePaperFormulaComputedInDouble() {
        ObjectNode c = base("qwen3", 1);
        c.put("head_dim", 64);
        c.put("max_position_embeddings", 4096);
        c.putObject("rope_parameters").put("rope_type", "yarn").put("rope_theta", 1e6).put("factor", 4.0)
                .put("original_max_position_embeddings", 1024);
        RopeParameters.Frequencies fr = ModelConfig.parse(c, "y").rope().frequencies(64, 4096, 1);
        // Correction range in dimension units: d·ln(L0 / (2π·β)) / (2 ln θ), floored/ceiled, β = 32 and 1.
        double lo = Math.floor(64 * Math.log(1024 / (2 * Math.PI * 32)) / (2 * Math.log(1e6)));
        double hi = Math.ceil(64 * Math.log(1024 / (2 * Math.PI * 1)) / (2 * Math.log(1e6)));
        for (int i = 0; i < 32; i++) {
            double f = Math.pow(1e6, -2.0 * i / 64);
            double ramp = Math.min(1, Math.max(0, (i - lo) / (hi - lo))); // 0: keep f, 1: f / factor
            double want = f / 4 * ramp + f * (1 - ramp);
            assertEquals(want, fr.inverse()[i], 1e-5 * want, "frequency " + i);
        }
        assertEquals(0.1 * Math.log(4) + 1, fr.scaling(), 1e-6); // the attention factor
    }

    private static ObjectNode base(String type, int layers) {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", type).put("vocab_size", 100).put("hidden_size", 64).put("intermediate_size", 128)
                .put("num_hidden_layers", layers).put("num_attention_heads", 4).put("head_dim", 16);
        if (type.equals("qwen3") && layers == 1) {
            c.remove("head_dim");
        }
        return c;
    }

    /** Appends strings to a JSON array. */
    private static final class ArrayNodeFiller {
        static void fill(ArrayNode a, String... values) {
            for (String v : values) {
                a.add(v);
            }
        }
    }
}
