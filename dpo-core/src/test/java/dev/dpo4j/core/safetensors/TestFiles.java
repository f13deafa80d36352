package dev.dpo4j.core.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-made safetensors files for tests, written byte by byte without the writer under test. */
final class TestFiles {

    private TestFiles() {
    }

    /** Where the shared fixtures are, as set by surefire. */
    static Path fixtures() {
        return Path.of(System.getProperty("dpo4j.fixtures", "../../shared/fixtures"));
    }

    /**
     * Writes a file whose length field is the JSON's byte length, followed by the JSON and
     * {@code dataBytes} bytes of data (byte i has value i mod 251).
     */
    static Path withHeader(Path dir, String name, String json, int dataBytes) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return withLength(dir, name, header.length, header, dataBytes);
    }

    /** Writes a length field (any value), the header bytes and {@code dataBytes} of data. */
    static Path withLength(Path dir, String name, long lengthField, byte[] header, int dataBytes)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(lengthField).put(header);
        for (int i = 0; i < dataBytes; i++) {
            b.put((byte) (i % 251));
        }
        Path file = dir.resolve(name);
        Files.write(file, b.array());
        return file;
    }

    /** Reads the u64 little-endian at the start of a byte array, assembled by hand. */
    static long lengthField(byte[] bytes) {
        long n = 0;
        for (int i = 7; i >= 0; i--) {
            n = (n << 8) | (bytes[i] & 0xFF);
        }
        return n;
    }
}
