package dev.dpo4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.safetensors.DType;
import dev.dpo4j.core.safetensors.SafetensorsFile;
import dev.dpo4j.core.safetensors.SafetensorsWriter;
import dev.dpo4j.core.safetensors.WritableTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strict loading: missing, unused and misshapen tensors fail loudly; sharded and half-precision copies
 * of the llama-tiny fixture load to the same model.
 */
class WeightLoaderTest {
    @TempDir
    Path tmp;

    private Map<String, WritableTensor> fixtureTensors(DType dtype) throws Exception {
        Map<String, WritableTensor> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(Fixtures.path("models/llama-tiny/model.safetensors"))) {
            for (String name : f.tensors().keySet()) {
                out.put(name, WritableTensor.of(dtype, f.info(name).shape(), f.readFloatArray(name)));
            }
        }
        return out;
    }

    private Path modelDir(String name, Map<String, WritableTensor> tensors, boolean sharded) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.copy(Fixtures.path("models/llama-tiny/config.json"), d.resolve("config.json"));
        if (sharded) {
            SafetensorsWriter.writeSharded(d, tensors, 100_000, SafetensorsWriter.PT_METADATA);
        } else {
            SafetensorsWriter.write(d.resolve("model.safetensors"), tensors, SafetensorsWriter.PT_METADATA);
        }
        return d;
    }

    @Test
    void missingTensorIsNamed() throws Exception {
        Map<String, WritableTensor> t = fixtureTensors(DType.F32);
        t.remove("model.layers.1.mlp.up_proj.weight");
        Path d = modelDir("missing", t, false);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> DecoderModel.load(d));
        assertTrue(e.getMessage().contains("missing tensor model.layers.1.mlp.up_proj.weight"), e.getMessage());
    }

    @Test
    void unusedTensorIsNamed() throws Exception {
        Map<String, WritableTensor> t = fixtureTensors(DType.F32);
        t.put("model.layers.2.self_attn.q_proj.weight", WritableTensor.of(DType.F32, new long[] {2}, new float[2]));
        Path d = modelDir("unused", t, false);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> DecoderModel.load(d));
        assertTrue(e.getMessage().contains("model.layers.2.self_attn.q_proj.weight") && e.getMessage().contains("not used"),
                e.getMessage());
    }

    @Test
    void misshapenTensorIsNamed() throws Exception {
        Map<String, WritableTensor> t = fixtureTensors(DType.F32);
        t.put("model.norm.weight", WritableTensor.of(DType.F32, new long[] {63}, new float[63]));
        Path d = modelDir("shape", t, false);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> DecoderModel.load(d));
        assertTrue(e.getMessage().contains("model.norm.weight") && e.getMessage().contains("[63]")
                && e.getMessage().contains("[64]"), e.getMessage());
    }

    @Test
    void shardedCheckpointGivesIdenticalLogits() throws Exception {
        Path sharded = modelDir("sharded", fixtureTensors(DType.F32), true);
        assertTrue(Files.exists(sharded.resolve("model.safetensors.index.json")));
        assertArrayEquals(logits(Fixtures.path("models/llama-tiny")), logits(sharded));
    }

    @Test
    void halfPrecisionCopiesLoadCloseToFloat32() throws Exception {
        float[] ref = logits(Fixtures.path("models/llama-tiny"));
        for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
            float[] half = logits(modelDir(dtype.name(), fixtureTensors(dtype), false));
            double maxDiff = 0;
            for (int i = 0; i < ref.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(ref[i] - half[i]));
            }
            // Rounding the weights to 11 (F16) or 8 (BF16) mantissa bits moves logits a little, not a lot.
            assertTrue(maxDiff > 0 && maxDiff < 0.5, dtype + " max diff " + maxDiff);
        }
    }

    private static float[] logits(Path dir) {
        try (DecoderModel m = DecoderModel.load(dir); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            long[] ids = {5, 9, 77, 3, 120, 8};
            long[] pos = {0, 1, 2, 3, 4, 5};
            NDArray mask = AttentionMask.causal(m.manager(), 6, 6, new int[] {0}, new int[] {6}, 0);
            NDArray out = m.logits(m.forward(m.manager().create(ids, new Shape(1, 6)), pos, mask, null));
            assertEquals(256, out.getShape().get(2));
            return out.toFloatArray();
        }
    }
}
