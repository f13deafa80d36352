package dev.dpo4j.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads the tiny random-weight checkpoints of the shared fixtures and checks names, shapes and
 * dtypes against their {@code config.json}, and values against the raw bytes decoded by hand.
 */
class SafetensorsFileFixtureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path model(String name) {
        Path dir = TestFiles.fixtures().resolve("models").resolve(name);
        assumeTrue(Files.isDirectory(dir), "fixture folder missing: " + dir);
        return dir;
    }

    /**
     * Expected tensor shapes of a Llama-family decoder from its config: embeddings (V, D),
     * q_proj (H*hd, D), k/v_proj (KV*hd, D), o_proj (D, H*hd), gate/up (I, D), down (D, I),
     * norms (D); lm_head (V, D) unless tied; q/k/v biases when {@code bias}.
     */
    private static Map<String, long[]> expectedShapes(JsonNode c, boolean bias) {
        long v = c.get("vocab_size").asLong();
        long d = c.get("hidden_size").asLong();
        long i = c.get("intermediate_size").asLong();
        long h = c.get("num_attention_heads").asLong();
        long kv = c.get("num_key_value_heads").asLong();
        long hd = c.has("head_dim") ? c.get("head_dim").asLong() : d / h;
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", new long[] {v, d});
        shapes.put("model.norm.weight", new long[] {d});
        if (!c.get("tie_word_embeddings").asBoolean()) {
            shapes.put("lm_head.weight", new long[] {v, d});
        }
        for (int l = 0; l < c.get("num_hidden_layers").asInt(); l++) {
            String p = "model.layers." + l + ".";
            shapes.put(p + "input_layernorm.weight", new long[] {d});
            shapes.put(p + "post_attention_layernorm.weight", new long[] {d});
            shapes.put(p + "self_attn.q_proj.weight", new long[] {h * hd, d});
            shapes.put(p + "self_attn.k_proj.weight", new long[] {kv * hd, d});
            shapes.put(p + "self_attn.v_proj.weight", new long[] {kv * hd, d});
            shapes.put(p + "self_attn.o_proj.weight", new long[] {d, h * hd});
            shapes.put(p + "mlp.gate_proj.weight", new long[] {i, d});
            shapes.put(p + "mlp.up_proj.weight", new long[] {i, d});
            shapes.put(p + "mlp.down_proj.weight", new long[] {d, i});
            if (bias) {
                shapes.put(p + "self_attn.q_proj.bias", new long[] {h * hd});
                shapes.put(p + "self_attn.k_proj.bias", new long[] {kv * hd});
                shapes.put(p + "self_attn.v_proj.bias", new long[] {kv * hd});
            }
        }
        return shapes;
    }

    private static void assertLayout(Path dir, boolean bias, DType dtype) throws IOException {
        JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
        Map<String, long[]> expected = expectedShapes(config, bias);
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            assertEquals(expected.keySet(), f.tensors().keySet());
            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                TensorInfo info = f.info(e.getKey());
                assertArrayEquals(e.getValue(), info.shape(), e.getKey());
                assertEquals(dtype, info.dtype(), e.getKey());
                assertEquals(info.numElements() * dtype.byteSize(), info.byteSize());
            }
            assertEquals(Map.of("format", "pt"), f.metadata());
        }
    }

    @Test
    void llamaNamesShapesAndDtypesMatchConfig() throws IOException {
        assertLayout(model("llama-tiny"), false, DType.F32);
    }

    @Test
    void qwen2NamesShapesAndDtypesMatchConfig() throws IOException {
        assertLayout(model("qwen2-tiny"), true, DType.BF16);
    }

    /** Header offsets parsed independently with Jackson from the raw file bytes. */
    private static long[] rawOffsets(byte[] bytes, String tensor) throws IOException {
        int n = (int) TestFiles.lengthField(bytes);
        JsonNode header = JSON.readTree(new String(bytes, 8, n, StandardCharsets.UTF_8));
        JsonNode offsets = header.get(tensor).get("data_offsets");
        return new long[] {8L + n + offsets.get(0).asLong(), 8L + n + offsets.get(1).asLong()};
    }

    @Test
    void bf16WideningEqualsShiftOfRawBytes() throws IOException {
        Path file = model("qwen2-tiny").resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.tensors().keySet()) {
                long[] at = rawOffsets(bytes, name);
                ByteBuffer widened = f.readFloat32(name);
                assertTrue(widened.isDirect());
                assertEquals(ByteOrder.LITTLE_ENDIAN, widened.order());
                assertEquals(f.info(name).numElements() * 4, widened.remaining());
                float[] values = f.readFloatArray(name);
                for (int k = 0; k < values.length; k++) {
                    int o = (int) at[0] + 2 * k;
                    // bf16 little-endian: low byte first; f32 bits = bf16 bits << 16
                    int bits = ((bytes[o + 1] & 0xFF) << 24) | ((bytes[o] & 0xFF) << 16);
                    assertEquals(bits, Float.floatToRawIntBits(values[k]), name + "[" + k + "]");
                    assertEquals(values[k], widened.getFloat(4 * k));
                }
                ByteBuffer raw = f.readRaw(name);
                assertTrue(raw.isDirect());
                for (int k = 0; k < raw.remaining(); k++) {
                    assertEquals(bytes[(int) at[0] + k], raw.get(k));
                }
            }
        }
    }

    @Test
    void f32ValuesEqualRawBytes() throws IOException {
        Path file = model("llama-tiny").resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.tensors().keySet()) {
                long[] at = rawOffsets(bytes, name);
                float[] values = f.readFloatArray(name);
                assertEquals((at[1] - at[0]) / 4, values.length);
                for (int k = 0; k < values.length; k++) {
                    int o = (int) at[0] + 4 * k;
                    int bits = (bytes[o] & 0xFF) | (bytes[o + 1] & 0xFF) << 8
                            | (bytes[o + 2] & 0xFF) << 16 | (bytes[o + 3] & 0xFF) << 24;
                    assertEquals(bits, Float.floatToRawIntBits(values[k]), name + "[" + k + "]");
                }
            }
        }
    }

    @Test
    void reusableDestinationBufferAdvancesByTensorSize() throws IOException {
        Path file = model("qwen2-tiny").resolve("model.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            String a = "model.norm.weight";
            String b = "model.layers.0.self_attn.q_proj.bias";
            ByteBuffer dst = ByteBuffer.allocateDirect(4 * 96);
            f.readFloat32Into(a, dst);
            f.readFloat32Into(b, dst);
            assertEquals(4 * 96, dst.position());
            dst.flip().order(ByteOrder.LITTLE_ENDIAN);
            float[] expected = new float[96];
            System.arraycopy(f.readFloatArray(a), 0, expected, 0, 48);
            System.arraycopy(f.readFloatArray(b), 0, expected, 48, 48);
            float[] got = new float[96];
            dst.asFloatBuffer().get(got);
            assertArrayEquals(expected, got);
        }
    }

    @Test
    void checkpointFolderPrefersModelFileOverOtherSafetensors() throws IOException {
        Path dir = model("llama-tiny");
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
            assertFalse(ckpt.contains("logits"));
            assertTrue(ckpt.contains("lm_head.weight"));
            assertEquals(1, ckpt.files().size());
        }
        try (SafetensorsFile logits = SafetensorsFile.open(dir.resolve("logits.safetensors"))) {
            assertArrayEquals(new long[] {2, 12, 256}, logits.info("logits").shape());
        }
    }
}
