package dev.dpo4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.dpo4j.core.safetensors.DType;
import dev.dpo4j.core.safetensors.SafetensorsWriter;
import dev.dpo4j.core.safetensors.WritableTensor;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading keeps weights off the Java heap: the bytes the loading thread allocates on the heap stay
 * below the size of the largest tensor (the contract allows about one extra copy of it).
 */
class WeightLoaderHeapTest {
    @TempDir
    Path dir;

    @Test
    void loadingAllocatesLessHeapThanTheLargestTensor() throws Exception {
        // vocab 16384 × hidden 128 embedding = 8 MiB as float32, stored as BF16 (4 MiB) so widening runs too.
        String config = "{\"model_type\": \"llama\", \"vocab_size\": 16384, \"hidden_size\": 128,"
                + " \"intermediate_size\": 256, \"num_hidden_layers\": 2, \"num_attention_heads\": 4,"
                + " \"tie_word_embeddings\": false}";
        Files.writeString(dir.resolve("config.json"), config);
        ModelConfig c = ModelConfig.load(dir);
        Random rnd = new Random(1);
        Map<String, WritableTensor> tensors = new LinkedHashMap<>();
        long largest = 0;
        for (Map.Entry<String, long[]> e : WeightNames.expected(c).entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            float[] data = new float[(int) n];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) rnd.nextGaussian() * 0.02f;
            }
            tensors.put(e.getKey(), WritableTensor.of(DType.BF16, e.getValue(), data));
            largest = Math.max(largest, n * Float.BYTES);
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, SafetensorsWriter.PT_METADATA);
        tensors.clear();
        assertEquals(16384L * 128 * 4, largest);

        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        DecoderModel.load(dir).close(); // warm up class loading and the engine
        long before = threads.getThreadAllocatedBytes(thread);
        try (DecoderModel model = DecoderModel.load(dir)) {
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertEquals(21, model.parameters().size()); // embed + 2 layers × (2 norms + 7 projections) + norm + lm_head
            assertTrue(allocated < largest, "heap allocated while loading: " + allocated + " bytes, largest tensor "
                    + largest + " bytes");
        }
    }
}
