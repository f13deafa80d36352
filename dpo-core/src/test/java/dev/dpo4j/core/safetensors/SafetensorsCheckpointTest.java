package dev.dpo4j.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder layouts {@link SafetensorsCheckpoint#open(Path)} accepts, and its errors. */
class SafetensorsCheckpointTest {

    @TempDir
    Path dir;

    private static void write(Path file, String... names) throws IOException {
        Map<String, WritableTensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            tensors.put(names[i], WritableTensor.of(DType.BF16, new long[] {2},
                    new float[] {i, -i}));
        }
        SafetensorsWriter.write(file, tensors, SafetensorsWriter.PT_METADATA);
    }

    private void index(String weightMapJson) throws IOException {
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"metadata\": {\"total_size\": 8}, \"weight_map\": " + weightMapJson + "}");
    }

    private static SafetensorsException failsToOpen(Path path, Path named, String... fragments) {
        SafetensorsException e = assertThrows(SafetensorsException.class,
                () -> SafetensorsCheckpoint.open(path).close());
        assertTrue(e.getMessage().startsWith(named.toString()), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    "'" + fragment + "' not in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void singleFilePath() throws IOException {
        Path file = dir.resolve("weights.safetensors");
        write(file, "a", "b");
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(file)) {
            assertEquals(List.of("a", "b"), List.copyOf(ckpt.names()));
            assertArrayEquals(new float[] {1f, -1f}, ckpt.readFloatArray("b"));
            assertEquals(DType.BF16, ckpt.dtypeOf("a"));
            assertEquals(file, ckpt.info("a").file());
        }
    }

    @Test
    void folderOfFilesIsTheUnion() throws IOException {
        write(dir.resolve("part-b.safetensors"), "y");
        write(dir.resolve("part-a.safetensors"), "x");
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
            assertEquals(Set.of("x", "y"), ckpt.names());
            assertEquals(dir.resolve("part-b.safetensors"), ckpt.info("y").file());
            assertEquals(2 * Float.BYTES, ckpt.readFloat32("x").remaining());
        }
    }

    @Test
    void duplicateTensorAcrossFilesIsAnError() throws IOException {
        write(dir.resolve("one.safetensors"), "x", "shared");
        write(dir.resolve("two.safetensors"), "shared");
        SafetensorsException e = failsToOpen(dir, dir, "tensor 'shared'", "one.safetensors",
                "two.safetensors");
        assertEquals("shared", e.tensor().orElseThrow());
    }

    @Test
    void missingTensorNamesCheckpointAndTensor() throws IOException {
        write(dir.resolve("model.safetensors"), "model.norm.weight");
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
            SafetensorsException e = assertThrows(SafetensorsException.class,
                    () -> ckpt.readFloat32("lm_head.weight"));
            assertEquals(dir, e.file());
            assertTrue(e.getMessage().startsWith(dir.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("tensor 'lm_head.weight'"), e.getMessage());
            assertTrue(e.getMessage().contains("model.norm.weight"), e.getMessage());
        }
    }

    @Test
    void indexWithMissingShard() throws IOException {
        write(dir.resolve("model-00001-of-00002.safetensors"), "a");
        index("{\"a\": \"model-00001-of-00002.safetensors\","
                + " \"b\": \"model-00002-of-00002.safetensors\"}");
        failsToOpen(dir, dir.resolve("model.safetensors.index.json"), "tensor 'b'",
                "shard file 'model-00002-of-00002.safetensors'", "does not exist");
    }

    @Test
    void indexWithTensorAbsentFromItsShard() throws IOException {
        write(dir.resolve("model-00001-of-00002.safetensors"), "a");
        write(dir.resolve("model-00002-of-00002.safetensors"), "b");
        index("{\"a\": \"model-00001-of-00002.safetensors\","
                + " \"b\": \"model-00001-of-00002.safetensors\"}");
        failsToOpen(dir, dir.resolve("model.safetensors.index.json"), "tensor 'b'",
                "'model-00001-of-00002.safetensors' but that shard has no such tensor");
    }

    @Test
    void indexWithBadWeightMap() throws IOException {
        Path indexFile = dir.resolve("model.safetensors.index.json");
        index("[\"a\"]");
        failsToOpen(dir, indexFile, "field 'weight_map' must be an object");
        index("{\"a\": 3}");
        failsToOpen(dir, indexFile, "tensor 'a'", "must be a shard file name");
        index("{\"a\": \"../outside.safetensors\"}");
        failsToOpen(dir, indexFile, "tensor 'a'", "is not a file name inside");
        Files.writeString(indexFile, "{\"weight_map\": {");
        failsToOpen(dir, indexFile, "invalid JSON index");
    }

    @Test
    void indexTakesPrecedenceAndListsOnlyMappedTensors() throws IOException {
        write(dir.resolve("s1.safetensors"), "a", "unlisted");
        write(dir.resolve("s2.safetensors"), "b");
        write(dir.resolve("model.safetensors"), "ignored");
        index("{\"b\": \"s2.safetensors\", \"a\": \"s1.safetensors\"}");
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
            assertEquals(List.of("b", "a"), List.copyOf(ckpt.names()));
            assertEquals(2, ckpt.files().size());
            assertArrayEquals(new float[] {0f, 0f}, ckpt.readFloatArray("b"));
        }
    }

    @Test
    void emptyFolderAndMissingPath() {
        failsToOpen(dir, dir, "no model.safetensors.index.json", "*.safetensors");
        Path absent = dir.resolve("absent");
        failsToOpen(absent, absent, "does not exist");
    }

    @Test
    void badShardHeaderFailsAtOpen() throws IOException {
        Path shard = TestFiles.withHeader(dir, "model.safetensors",
                "{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
        failsToOpen(dir, shard, "tensor 'w'", "unsupported dtype 'F64'");
    }
}
