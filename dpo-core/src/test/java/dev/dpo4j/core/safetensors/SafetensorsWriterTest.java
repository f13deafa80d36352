package dev.dpo4j.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips through {@link SafetensorsWriter} and byte-level checks of the files it writes. */
class SafetensorsWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static final float[] SPECIALS = {
        0f, -0f, 1f, -2f, 0.1f, 3.4028235e38f, 1e-40f, Float.NaN,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1 + 0x1p-8f, 65519f,
    };

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    @Test
    void f32RoundTripIsBitExact() throws IOException {
        Path file = dir.resolve("f32.safetensors");
        SafetensorsWriter.write(file, Map.of("x", WritableTensor.of(DType.F32,
                new long[] {3, 4}, SPECIALS)), SafetensorsWriter.PT_METADATA);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(bits(SPECIALS), bits(f.readFloatArray("x")));
            assertArrayEquals(new long[] {3, 4}, f.info("x").shape());
            assertEquals(Map.of("format", "pt"), f.metadata());
        }
    }

    @Test
    void f16AndBf16StoreNarrowedBitsAndReadBackWidened() throws IOException {
        Path file = dir.resolve("half.safetensors");
        Map<String, WritableTensor> tensors = new LinkedHashMap<>();
        tensors.put("h", WritableTensor.of(DType.F16, new long[] {12}, SPECIALS));
        tensors.put("b", WritableTensor.of(DType.BF16, new long[] {2, 6}, SPECIALS));
        SafetensorsWriter.write(file, tensors, Map.of());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            ByteBuffer h = f.readRaw("h");
            ByteBuffer b = f.readRaw("b");
            float[] hw = f.readFloatArray("h");
            float[] bw = f.readFloatArray("b");
            for (int i = 0; i < SPECIALS.length; i++) {
                short hb = h.getShort(2 * i);
                short bb = b.getShort(2 * i);
                assertEquals(HalfFloats.floatToHalf(SPECIALS[i]), hb, "f16 " + SPECIALS[i]);
                assertEquals(HalfFloats.floatToBf16(SPECIALS[i]), bb, "bf16 " + SPECIALS[i]);
                assertEquals(Float.floatToRawIntBits(HalfFloats.halfToFloat(hb)),
                        Float.floatToRawIntBits(hw[i]));
                assertEquals(Float.floatToRawIntBits(HalfFloats.bf16ToFloat(bb)),
                        Float.floatToRawIntBits(bw[i]));
            }
            // 1.0 is 0x3C00 in F16 and 0x3F80 in BF16, stored little-endian
            assertEquals((short) 0x3C00, h.getShort(4));
            assertEquals((short) 0x3F80, b.getShort(4));
            // 1 + 2^-8 ties to even in BF16 (1.0) but is exact in F16 (0x3C04)
            assertEquals(1.0f, bw[10]);
            assertEquals(1 + 0x1p-8f, hw[10]);
            assertEquals(65504f, hw[11]);   // 65519 rounds down to F16's largest finite
            assertEquals(65536f, bw[11]);   // BF16 has 8 significant bits: 65519 -> 2^16
            assertTrue(Float.isNaN(hw[7]) && Float.isNaN(bw[7]));
        }
    }

    @Test
    void fileLayoutMatchesTheFormatByteForByte() throws IOException {
        Path file = dir.resolve("layout.safetensors");
        Map<String, WritableTensor> tensors = new LinkedHashMap<>();
        tensors.put("b", WritableTensor.of(DType.F32, new long[] {2}, new float[] {1f, 2f}));
        tensors.put("a", WritableTensor.of(DType.BF16, new long[] {1, 3}, new float[] {1, 2, 3}));
        tensors.put("s", WritableTensor.of(DType.F16, new long[] {}, new float[] {-2f}));
        SafetensorsWriter.write(file, tensors, SafetensorsWriter.PT_METADATA);
        byte[] bytes = Files.readAllBytes(file);

        // Rust serialize: metadata first, then tensors in order, compact, padded with spaces
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"BF16\",\"shape\":[1,3],\"data_offsets\":[8,14]},"
                + "\"s\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[14,16]}}";
        long n = TestFiles.lengthField(bytes);
        assertEquals(0, n % 8, "header length must keep the data 8-byte aligned");
        assertEquals((json.length() + 7) / 8 * 8, n);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals(json, header.stripTrailing());
        assertTrue(header.substring(json.length()).chars().allMatch(c -> c == ' '));
        assertEquals(8 + n + 16, bytes.length);

        ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + n), 16).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1f, data.getFloat(0));
        assertEquals(2f, data.getFloat(4));
        assertEquals((short) 0x3F80, data.getShort(8));  // 1.0 bf16
        assertEquals((short) 0x4000, data.getShort(10)); // 2.0 bf16
        assertEquals((short) 0x4040, data.getShort(12)); // 3.0 bf16
        assertEquals((short) 0xC000, data.getShort(14)); // -2.0 f16
        assertEquals(0x00, bytes[(int) (8 + n + 14)]);   // little-endian: low byte first

        // The whole file as huggingface/safetensors 0.8.0 (Rust) serialize() writes the same
        // tensors and metadata; Rust orders tensors by dtype (F32, BF16, F16) then name, which
        // is the order used here, so the files must be identical.
        assertEquals(RUST_REFERENCE_HEX, HexFormat.of().formatHex(bytes));
    }

    private static final String RUST_REFERENCE_HEX = "c800000000000000"
            + "7b225f5f6d657461646174615f5f223a7b22666f726d6174223a227074227d2c2262223a7b2264"
            + "74797065223a22463332222c227368617065223a5b325d2c22646174615f6f666673657473223a"
            + "5b302c385d7d2c2261223a7b226474797065223a2242463136222c227368617065223a5b312c33"
            + "5d2c22646174615f6f666673657473223a5b382c31345d7d2c2273223a7b226474797065223a22"
            + "463136222c227368617065223a5b5d2c22646174615f6f666673657473223a5b31342c31365d7d"
            + "7d20202020"
            + "0000803f00000040803f0040404000c0";

    @Test
    void emptyMetadataIsOmitted() throws IOException {
        Path file = dir.resolve("nometa.safetensors");
        SafetensorsWriter.write(file, Map.of("x", WritableTensor.of(DType.F32, new long[] {1},
                new float[] {5f})), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        String header = new String(bytes, 8, (int) TestFiles.lengthField(bytes),
                StandardCharsets.UTF_8);
        assertEquals("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                header.stripTrailing());
    }

    @Test
    void overwriteIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("w.safetensors");
        for (float v : new float[] {1f, 2f}) {
            SafetensorsWriter.write(file, Map.of("x", WritableTensor.of(DType.F32,
                    new long[] {1}, new float[] {v})), Map.of());
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(2f, f.readFloatArray("x")[0]);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void invalidTensorsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> WritableTensor.of(DType.F32, new long[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class,
                () -> WritableTensor.of(DType.F32, new long[] {-1}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(
                dir.resolve("m.safetensors"), Map.of("__metadata__",
                        WritableTensor.of(DType.F32, new long[] {1}, new float[1])), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.writeSharded(dir,
                Map.of(), 0, Map.of()));
    }

    @Test
    void rewritingTheBf16FixtureReproducesItsBytes() throws IOException {
        // bf16 -> f32 is exact and f32 -> bf16 of such a value is the identity
        Path source = TestFiles.fixtures().resolve("models/qwen2-tiny/model.safetensors");
        assumeTrue(Files.isRegularFile(source), "fixture missing: " + source);
        Path copy = dir.resolve("copy.safetensors");
        try (SafetensorsFile in = SafetensorsFile.open(source)) {
            Map<String, WritableTensor> tensors = new LinkedHashMap<>();
            for (TensorInfo info : in.tensors().values()) {
                tensors.put(info.name(), new WritableTensor(DType.BF16, info.shape(),
                        in.readFloat32(info.name()).asFloatBuffer()));
            }
            SafetensorsWriter.write(copy, tensors, in.metadata());
            try (SafetensorsFile out = SafetensorsFile.open(copy)) {
                assertEquals(in.tensors().keySet(), out.tensors().keySet());
                for (String name : in.tensors().keySet()) {
                    assertEquals(in.readRaw(name), out.readRaw(name), name);
                }
            }
        }
    }

    private static Map<String, WritableTensor> fiveTensors() {
        Map<String, WritableTensor> tensors = new LinkedHashMap<>();
        for (int t = 0; t < 5; t++) {
            float[] values = new float[16];
            for (int i = 0; i < values.length; i++) {
                values[i] = t * 100 + i * 0.5f;
            }
            tensors.put("layer." + t + ".weight", WritableTensor.of(DType.F32,
                    new long[] {4, 4}, values));
        }
        return tensors;
    }

    @Test
    void shardedWriteReadsBackThroughIndex() throws IOException {
        // five 64-byte tensors, at most 150 bytes per shard: shards of 2, 2 and 1 tensors
        Map<String, WritableTensor> tensors = fiveTensors();
        List<Path> written = SafetensorsWriter.writeSharded(dir, tensors, 150,
                SafetensorsWriter.PT_METADATA);
        assertEquals(List.of(dir.resolve("model-00001-of-00003.safetensors"),
                dir.resolve("model-00002-of-00003.safetensors"),
                dir.resolve("model-00003-of-00003.safetensors"),
                dir.resolve("model.safetensors.index.json")), written);

        JsonNode index = JSON.readTree(dir.resolve("model.safetensors.index.json").toFile());
        assertEquals(5 * 64, index.get("metadata").get("total_size").asLong());
        assertEquals("model-00001-of-00003.safetensors",
                index.get("weight_map").get("layer.1.weight").asText());
        assertEquals("model-00003-of-00003.safetensors",
                index.get("weight_map").get("layer.4.weight").asText());

        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
            assertEquals(tensors.keySet(), ckpt.names());
            assertEquals(3, ckpt.files().size());
            for (Map.Entry<String, WritableTensor> e : tensors.entrySet()) {
                float[] expected = new float[16];
                e.getValue().data().get(expected);
                assertArrayEquals(expected, ckpt.readFloatArray(e.getKey()), e.getKey());
                assertEquals(DType.F32, ckpt.dtypeOf(e.getKey()));
            }
            assertEquals(Map.of("format", "pt"), ckpt.files().get(0).metadata());
        }
    }

    @Test
    void tensorLargerThanShardLimitGetsItsOwnShard() throws IOException {
        List<Path> written = SafetensorsWriter.writeSharded(dir, fiveTensors(), 10, Map.of());
        assertEquals(6, written.size());
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
            assertEquals(5, ckpt.files().size());
        }
    }

    @Test
    void everythingInOneShardWritesModelFileAndRemovesStaleIndex() throws IOException {
        SafetensorsWriter.writeSharded(dir, fiveTensors(), 150, Map.of());
        List<Path> written = SafetensorsWriter.writeSharded(dir, fiveTensors(), 1 << 20, Map.of());
        assertEquals(List.of(dir.resolve("model.safetensors")), written);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("model.safetensors")), files.toList());
        }
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
            assertEquals(5, ckpt.names().size());
            assertEquals(300f, ckpt.readFloatArray("layer.3.weight")[0]);
        }
    }
}
