package dev.dpo4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.quant.QuantConfig;
import dev.dpo4j.core.quant.QuantizedWeight;
import dev.dpo4j.core.safetensors.DType;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import dev.dpo4j.core.safetensors.SafetensorsFile;
import dev.dpo4j.core.safetensors.SafetensorsWriter;
import dev.dpo4j.core.safetensors.WritableTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a model's weights are placed: a quantized base computes exactly the model of its dequantized
 * weights (so the only error is the format's, checked in {@code PrecisionGoldenTest} and the quant
 * package), dense tensors staged in row chunks equal tensors staged whole, and a checkpoint value beyond
 * float16's range keeps its tensor in float32 with a note instead of turning into infinities.
 */
class QuantizedModelTest {
    @TempDir
    Path tmp;

    @Test
    void aQuantizedBaseComputesTheModelOfItsDequantizedWeights() throws IOException {
        Path dir = Fixtures.path("models/llama-tiny");
        for (QuantConfig q : new QuantConfig[] {QuantConfig.nf4(false), QuantConfig.nf4(true), QuantConfig.fp4(false),
            QuantConfig.int8()}) {
            for (Precision p : Precision.values()) {
                LoadOptions options = LoadOptions.of(p).withQuantization(q);
                try (DecoderModel quantized = DecoderModel.load(dir, Device.cpu(), options);
                     DecoderModel dense = denseCopy(quantized)) {
                    assertEquals(WeightNames.projectionWeights(quantized.config()), quantized.quantizedWeights().keySet());
                    for (Linear l : quantized.linears().values()) {
                        assertTrue(l.isQuantized());
                        assertEquals(p.dataType(), l.computeType());
                        assertThrows(IllegalStateException.class, l::weight);
                    }
                    float[] a = logits(quantized);
                    float[] b = logits(dense);
                    double worst = 0;
                    for (int i = 0; i < a.length; i++) {
                        worst = Math.max(worst, Math.abs(a[i] - b[i]));
                    }
                    // float32: the same arithmetic on the same weights; float16: the same weights rounded alike.
                    double tol = p == Precision.FLOAT32 ? 1e-5 : 1e-2;
                    assertTrue(worst <= tol, q.label() + " " + p + ": |Δ logit| " + worst);
                }
            }
        }
    }

    @Test
    void projectionsHoldFarLessThanFloat32() {
        try (DecoderModel m = DecoderModel.load(Fixtures.path("models/llama-tiny"), Device.cpu(),
                LoadOptions.of(Precision.FLOAT16).withQuantization(QuantConfig.nf4(true)))) {
            long values = 0;
            long bytes = 0;
            for (QuantizedWeight w : m.quantizedWeights().values()) {
                values += w.shape()[0] * w.shape()[1];
                bytes += w.storedBytes();
            }
            assertTrue(bytes <= 0.57 * values, bytes + " bytes for " + values + " weights");
            assertEquals(DataType.FLOAT16, m.parameters().get(WeightNames.EMBED).getDataType(), "embeddings not quantized");
            assertEquals(DataType.FLOAT32, m.parameters().get(WeightNames.FINAL_NORM).getDataType(), "norms in float32");
        }
    }

    @Test
    void denseTensorsStagedInRowChunksEqualTensorsStagedWhole() throws IOException {
        Path dir = Fixtures.path("models/llama-tiny");
        ModelConfig config = ModelConfig.load(dir);
        for (Precision p : Precision.values()) {
            try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir);
                 NDManager manager = NDManager.newBaseManager()) {
                WeightLoader.Loaded whole = WeightLoader.place(config, LoadOptions.of(p), manager, ckpt::readFloat32Into,
                        "whole");
                // 100 elements: most tensors split, rows wider than the chunk go one at a time
                WeightLoader.Loaded chunked = WeightLoader.place(config, LoadOptions.of(p), manager, ckpt::readFloat32Into,
                        "chunked", 100);
                for (String name : whole.dense().keySet()) {
                    NDArray a = whole.dense().get(name);
                    NDArray b = chunked.dense().get(name);
                    assertEquals(a.getDataType(), b.getDataType(), name);
                    assertArrayEquals(a.toType(DataType.FLOAT32, false).toFloatArray(),
                            b.toType(DataType.FLOAT32, false).toFloatArray(), name);
                }
            }
        }
    }

    @Test
    void aValueBeyondFloat16KeepsItsTensorInFloat32() throws Exception {
        Map<String, WritableTensor> tensors = new LinkedHashMap<>();
        String big = WeightNames.layer(0, "mlp.down_proj.weight");
        try (SafetensorsFile f = SafetensorsFile.open(Fixtures.path("models/llama-tiny/model.safetensors"))) {
            for (String name : f.tensors().keySet()) {
                float[] v = f.readFloatArray(name);
                if (name.equals(big) || name.equals(WeightNames.EMBED)) {
                    v[3] = 1.0e5f; // bfloat16 holds it; float16's largest is 65504 (embedding: token 0, unused below)
                }
                tensors.put(name, WritableTensor.of(DType.BF16, f.info(name).shape(), v));
            }
        }
        Path dir = Files.createDirectories(tmp.resolve("bf16-big"));
        Files.copy(Fixtures.path("models/llama-tiny/config.json"), dir.resolve("config.json"));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, SafetensorsWriter.PT_METADATA);
        try (DecoderModel m = DecoderModel.load(dir, Device.cpu(), LoadOptions.of(Precision.FLOAT16))) {
            assertEquals(2, m.notes().size(), m.notes().toString());
            assertTrue(m.notes().get(0).contains(WeightNames.EMBED) && m.notes().get(0).contains("float32"),
                    m.notes().get(0));
            assertTrue(m.notes().get(1).contains(big), m.notes().get(1));
            assertEquals(DataType.FLOAT32, m.parameters().get(WeightNames.EMBED).getDataType());
            assertEquals(DataType.FLOAT32, m.parameters().get(big).getDataType());
            assertEquals(DataType.FLOAT32, m.linears().get(WeightNames.layer(0, "mlp.down_proj")).computeType());
            assertEquals(DataType.FLOAT16, m.parameters().get(WeightNames.layer(0, "mlp.up_proj.weight")).getDataType());
            assertEquals(1.0e5f, m.parameters().get(big).toFloatArray()[3], 1e5 * 1e-2); // bf16 rounding of 1e5
        }
        // The embedding alone out of range: its looked-up rows are cast to float16, the model stays finite.
        tensors.put(big, WritableTensor.of(DType.BF16, new long[] {64, 160}, new float[64 * 160]));
        Path embeddingOnly = Files.createDirectories(tmp.resolve("bf16-embedding"));
        Files.copy(dir.resolve("config.json"), embeddingOnly.resolve("config.json"));
        SafetensorsWriter.write(embeddingOnly.resolve("model.safetensors"), tensors, SafetensorsWriter.PT_METADATA);
        try (DecoderModel m = DecoderModel.load(embeddingOnly, Device.cpu(), LoadOptions.of(Precision.FLOAT16))) {
            assertEquals(1, m.notes().size(), m.notes().toString());
            assertEquals(DataType.FLOAT16, m.dtype());
            for (float v : logits(m)) {
                assertFalse(Float.isNaN(v) || Float.isInfinite(v), "a float32 embedding feeds a float16 model");
            }
        }
    }

    /** A float-precision model of the same config whose projections are the quantized ones, dequantized. */
    private static DecoderModel denseCopy(DecoderModel q) {
        NDManager manager = NDManager.newBaseManager();
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (String name : WeightNames.expected(q.config()).keySet()) {
            QuantizedWeight w = q.quantizedWeights().get(name);
            NDArray t = w != null
                    ? manager.create(w.dequantizeInJava(), new Shape(w.shape())).toType(q.dtype(), false)
                    : q.parameters().get(name).duplicate();
            t.attach(manager);
            params.put(name, t);
        }
        return DecoderModel.of(q.config(), manager, params);
    }

    private static float[] logits(DecoderModel m) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            long[] ids = {5, 9, 77, 3, 120, 8};
            long[] pos = {0, 1, 2, 3, 4, 5};
            NDArray mask = AttentionMask.causal(m.manager(), 6, 6, new int[] {0}, new int[] {6}, 0);
            return m.logits(m.forward(m.manager().create(ids, new Shape(1, 6)), pos, mask, null)).toFloatArray();
        }
    }
}
