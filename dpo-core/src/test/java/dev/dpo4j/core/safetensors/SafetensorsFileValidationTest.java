package dev.dpo4j.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One hand-written bad file per validation rule of {@link SafetensorsFile#open(Path)}. */
class SafetensorsFileValidationTest {

    @TempDir
    Path dir;

    /** Opens a file expected to be rejected and checks the message names file and fragments. */
    private static SafetensorsException rejected(Path file, String... fragments) {
        SafetensorsException e = assertThrows(SafetensorsException.class,
                () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertEquals(file, e.file());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    "'" + fragment + "' not in: " + e.getMessage());
        }
        return e;
    }

    private Path header(String json, int dataBytes) throws IOException {
        return TestFiles.withHeader(dir, "bad.safetensors", json, dataBytes);
    }

    @Test
    void fileShorterThanLengthField() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3, 4, 5});
        rejected(file, "5 bytes", "shorter than the 8-byte");
    }

    @Test
    void missingFile() {
        rejected(dir.resolve("absent.safetensors"), "does not exist");
    }

    @Test
    void hugeHeaderLengthIsRejectedWithoutAllocating() throws IOException {
        // 2^60 bytes could never be allocated: the check against the file size must come first
        Path file = TestFiles.withLength(dir, "huge.safetensors", 1L << 60,
                "{}".getBytes(StandardCharsets.UTF_8), 0);
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> rejected(file, "header length 1152921504606846976", "past the end"));
    }

    @Test
    void headerLengthWithTopBitSetIsReadAsUnsigned() throws IOException {
        Path file = TestFiles.withLength(dir, "neg.safetensors", -1L, new byte[0], 0);
        rejected(file, "header length 18446744073709551615");
    }

    @Test
    void headerLengthOverCapIsRejected() throws IOException {
        // a sparse file big enough that the length fits the file but exceeds the 100 MiB cap
        long length = SafetensorsFile.MAX_HEADER_BYTES + 8;
        Path file = TestFiles.withLength(dir, "cap.safetensors", length, new byte[0], 0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(8 + length);
        }
        rejected(file, "exceeds the limit of " + SafetensorsFile.MAX_HEADER_BYTES);
    }

    @Test
    void invalidJson() throws IOException {
        rejected(header("{\"a\": {\"dtype\": ", 0), "invalid JSON header");
    }

    @Test
    void jsonThatIsNotAnObject() throws IOException {
        rejected(header("[1, 2]", 0), "invalid JSON header: expected an object");
    }

    @Test
    void emptyHeader() throws IOException {
        rejected(header("", 0), "invalid JSON header");
    }

    @Test
    void duplicateTensorName() throws IOException {
        String entry = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        rejected(header("{\"a\":" + entry + ",\"a\":" + entry + "}", 4), "invalid JSON", "'a'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"shape\":[1],\"data_offsets\":[0,4]}                  | missing field 'dtype'",
        "{\"dtype\":\"F32\",\"data_offsets\":[0,4]}              | missing field 'shape'",
        "{\"dtype\":\"F32\",\"shape\":[1]}                       | missing field 'data_offsets'",
        "{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}      | field 'dtype' must be a string",
        "{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]} | field 'shape' must be an array",
        "{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]} | field 'shape' element 0",
        "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}  | field 'data_offsets' must have 2",
        "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",4]} | field 'data_offsets' element 0",
        "[1]                                                      | entry must be an object",
    })
    void missingOrIllTypedField(String entry, String expected) throws IOException {
        SafetensorsException e = rejected(header("{\"w\":" + entry.trim() + "}", 8),
                "tensor 'w'", expected.trim());
        assertEquals("w", e.tensor().orElseThrow());
    }

    @Test
    void metadataValueMustBeString() throws IOException {
        rejected(header("{\"__metadata__\":{\"format\":1}}", 0), "'__metadata__.format'",
                "must be a string");
    }

    @Test
    void unknownDtypeNamesTensorAndSupportedList() throws IOException {
        rejected(header("{\"pos\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8),
                "tensor 'pos'", "unsupported dtype 'I64'", "F32, F16, BF16");
    }

    @Test
    void negativeDimension() throws IOException {
        rejected(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1,2],\"data_offsets\":[0,8]}}", 8),
                "tensor 'w'", "negative dimension -1");
    }

    @Test
    void shapeByteCountMismatch() throws IOException {
        // (2, 2) F32 needs 16 bytes; the offsets span 12
        rejected(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 16),
                "tensor 'w'", "shape/byte-count mismatch", "needs 16 bytes", "span 12");
    }

    @Test
    void beginAfterEnd() throws IOException {
        rejected(header("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[8,4]}}", 8),
                "tensor 'w'", "begin > end");
    }

    @Test
    void dataPastEndOfFile() throws IOException {
        // (4,) F32 needs bytes [0, 16) but only 8 data bytes follow the header
        rejected(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8),
                "tensor 'w'", "past the data region of 8 bytes", "truncated");
    }

    @Test
    void overlappingTensors() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        rejected(header(json, 12), "tensor 'b'", "overlap tensor 'a'");
    }

    @Test
    void overlapIsFoundWhateverTheHeaderOrder() throws IOException {
        // c sits inside a, which is listed last; b is between them in the header
        String json = "{\"c\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[4,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
        rejected(header(json, 20), "tensor 'c'", "overlap tensor 'a'");
    }

    @Test
    void spacePaddedHeaderAndEmptyTensorsAreAccepted() throws IOException {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"z\":{\"dtype\":\"BF16\",\"shape\":[0,3],\"data_offsets\":[4,4]}}      ";
        try (SafetensorsFile f = SafetensorsFile.open(header(json, 4))) {
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(1, f.info("s").numElements());
            assertEquals(0, f.readFloatArray("z").length);
            // data byte i is i mod 251: bytes 00 01 02 03 little-endian
            assertEquals(Float.intBitsToFloat(0x03020100), f.readFloatArray("s")[0]);
        }
    }

    @Test
    void missingTensorListsClosestNames() throws IOException {
        String json = "{\"layer.q.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"layer.k.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        Path file = header(json, 8);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            SafetensorsException e = assertThrows(SafetensorsException.class,
                    () -> f.readFloat32("layer.q.weigth"));
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("tensor 'layer.q.weigth'"), e.getMessage());
            assertTrue(e.getMessage().contains("closest: layer.q.weight, layer.k.weight"),
                    e.getMessage());
        }
    }

    @Test
    void readAfterCloseFailsClearly() throws IOException {
        Path file = header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        SafetensorsFile f = SafetensorsFile.open(file);
        f.close();
        rejectedRead(() -> f.readRaw("w"), file, "file is closed");
    }

    @Test
    void tensorOver2GiBAsFloat32IsRejectedBeforeAllocating() throws IOException {
        // (2^29,) F32 is 2^31 bytes, one more than Integer.MAX_VALUE; the data region is sparse
        long bytes = 1L << 31;
        String json = "{\"big\":{\"dtype\":\"F32\",\"shape\":[536870912],\"data_offsets\":[0,"
                + bytes + "]}}";
        Path file = header(json, 0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() + bytes);
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            rejectedRead(() -> f.readFloat32("big"), file, "tensor 'big'", "2147483647-byte limit");
            rejectedRead(() -> f.readRaw("big"), file, "tensor 'big'", "2147483647-byte limit");
        }
    }

    /** A read that throws IOException. */
    private interface Read {
        void run() throws IOException;
    }

    private static void rejectedRead(Read read, Path file, String... fragments) {
        SafetensorsException e = assertThrows(SafetensorsException.class, read::run);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    "'" + fragment + "' not in: " + e.getMessage());
        }
    }
}
