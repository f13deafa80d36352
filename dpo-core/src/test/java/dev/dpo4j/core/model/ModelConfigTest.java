package dev.dpo4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json parsing: defaults per model_type, rope scaling, and errors that name file and field. */
class ModelConfigTest {
    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        Files.writeString(dir.resolve("config.json"), json);
        return dir;
    }

    private static final String BASE = "\"vocab_size\": 100, \"hidden_size\": 64, \"intermediate_size\": 128, "
            + "\"num_hidden_layers\": 2, \"num_attention_heads\": 4";

    @Test
    void unsupportedModelTypeNamesFileFieldAndSupportedList() throws IOException {
        Path d = write("{\"model_type\": \"gpt2\", " + BASE + "}");
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> ModelConfig.load(d));
        assertTrue(e.getMessage().contains(d.resolve("config.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("model_type") && e.getMessage().contains("gpt2"), e.getMessage());
        assertTrue(e.getMessage().contains("llama, mistral, qwen2, gemma, qwen3, gemma2, gemma3_text, phi3"),
                e.getMessage());
    }

    @Test
    void missingRequiredFieldIsNamed() throws IOException {
        Path d = write("{\"model_type\": \"llama\", \"vocab_size\": 100, \"intermediate_size\": 128, "
                + "\"num_hidden_layers\": 2, \"num_attention_heads\": 4}");
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> ModelConfig.load(d));
        assertTrue(e.getMessage().contains("'hidden_size'") && e.getMessage().contains("config.json"), e.getMessage());
    }

    @Test
    void everyFamilyNamesItsMissingRequiredFieldWithTheFile() throws IOException {
        for (String type : new String[] {"qwen3", "gemma2", "gemma3_text", "phi3"}) {
            Path d = write("{\"model_type\": \"" + type + "\", \"vocab_size\": 100, \"hidden_size\": 64, "
                    + "\"num_hidden_layers\": 2, \"num_attention_heads\": 4}");
            ModelConfigException e = assertThrows(ModelConfigException.class, () -> ModelConfig.load(d));
            assertTrue(e.getMessage().contains("'intermediate_size'") && e.getMessage().contains(
                    d.resolve("config.json").toString()), type + ": " + e.getMessage());
        }
    }

    @Test
    void badValuesAndMissingFileAreClear() throws IOException {
        assertThrows(ModelConfigException.class, () -> ModelConfig.load(dir)); // no config.json yet
        Path d = write("{\"model_type\": \"llama\", " + BASE + ", \"num_key_value_heads\": 3}");
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> ModelConfig.load(d));
        assertTrue(e.getMessage().contains("num_key_value_heads"), e.getMessage());
        Path d2 = write("{\"model_type\": \"llama\", " + BASE + ", \"hidden_act\": \"relu\"}");
        assertTrue(assertThrows(ModelConfigException.class, () -> ModelConfig.load(d2)).getMessage().contains("relu"));
        Path d3 = write("{\"model_type\": \"llama\", " + BASE + ", \"rope_scaling\": {\"rope_type\": \"mrope\", \"factor\": 4}}");
        assertTrue(assertThrows(ModelConfigException.class, () -> ModelConfig.load(d3)).getMessage().contains("mrope"));
        Path d4 = write("{\"model_type\": \"llama\", " + BASE.replace("\"hidden_size\": 64", "\"hidden_size\": \"64\"") + "}");
        assertTrue(assertThrows(ModelConfigException.class, () -> ModelConfig.load(d4)).getMessage().contains("hidden_size"));
    }

    @Test
    void defaultsFollowTransformersPerModelType() throws IOException {
        ModelConfig llama = ModelConfig.load(write("{\"model_type\": \"llama\", " + BASE + "}"));
        assertEquals(4, llama.numKvHeads()); // default: multi-head attention
        assertEquals(16, llama.headDim()); // hidden / heads
        assertFalse(llama.tieWordEmbeddings());
        assertEquals(HiddenActivation.SILU, llama.activation());
        assertFalse(llama.qkvBias());

        ModelConfig gemma = ModelConfig.load(write("{\"model_type\": \"gemma\", " + BASE + "}"));
        assertEquals(256, gemma.headDim()); // GemmaConfig's default head_dim
        assertTrue(gemma.tieWordEmbeddings());
        assertEquals(HiddenActivation.GELU_TANH, gemma.activation());
        assertTrue(gemma.normWeightPlusOne() && gemma.scaleEmbeddings());

        ModelConfig qwen = ModelConfig.load(write("{\"model_type\": \"qwen2\", " + BASE + ", \"eos_token_id\": [5, 7]}"));
        assertTrue(qwen.qkvBias());
        assertFalse(qwen.outputBias());
        assertEquals(2, qwen.eosTokenIds().length);

        ModelConfig mistral = ModelConfig.load(write("{\"model_type\": \"mistral\", " + BASE + ", \"sliding_window\": 4096}"));
        assertEquals(4096, mistral.slidingWindow());
    }

    @Test
    void llama3RopeScalingMatchesTheFormula() throws IOException {
        // Llama 3.1 8B: theta 5e5, head_dim 128, factor 8, low 1, high 4, original context 8192.
        ModelConfig c = ModelConfig.load(write("{\"model_type\": \"llama\", \"vocab_size\": 10, \"hidden_size\": 4096,"
                + " \"intermediate_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 32, \"rope_theta\": 500000.0,"
                + " \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0, \"low_freq_factor\": 1.0,"
                + " \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192}}"));
        float[] inv = new RotaryEmbedding(c).inverseFrequencies();
        assertEquals(64, inv.length);
        for (int i = 0; i < 64; i++) {
            // Independent double-precision computation of the same rule:
            // wavelength λ = 2π / f; λ < 8192/4 keeps f; λ > 8192/1 uses f/8; between, blend with
            // s = (8192/λ − 1) / (4 − 1): (1 − s)·f/8 + s·f.
            double f = 1.0 / Math.pow(500000.0, 2.0 * i / 128);
            double lambda = 2 * Math.PI / f;
            double want;
            if (lambda < 2048) {
                want = f;
            } else if (lambda > 8192) {
                want = f / 8;
            } else {
                double s = (8192 / lambda - 1) / 3;
                want = (1 - s) * f / 8 + s * f;
            }
            assertEquals(want, inv[i], Math.abs(want) * 1e-5, "frequency " + i);
        }
        assertEquals(1.0, inv[0], 1e-7); // the fastest rotation is never scaled
    }

    @Test
    void linearRopeScalingDividesEveryFrequency() throws IOException {
        ModelConfig c = ModelConfig.load(write("{\"model_type\": \"llama\", " + BASE
                + ", \"rope_scaling\": {\"type\": \"linear\", \"factor\": 4.0}}"));
        float[] inv = new RotaryEmbedding(c).inverseFrequencies();
        for (int i = 0; i < inv.length; i++) {
            assertEquals(Math.pow(10000.0, -2.0 * i / 16) / 4, inv[i], 1e-6);
        }
    }
}
