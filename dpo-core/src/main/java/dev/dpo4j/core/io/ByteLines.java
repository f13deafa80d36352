package dev.dpo4j.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines at {@code \n}, without decoding.
 *
 * <p>Splitting bytes rather than characters is safe for UTF-8 (the byte {@code 0x0A} never
 * occurs inside a multi-byte sequence), keeps line numbers exact even where a line holds
 * invalid UTF-8, and lets Jackson parse each line straight from bytes. A {@code \r} before
 * the {@code \n} is dropped, as is a UTF-8 byte order mark at the start of the first line.
 * The reader and {@link JsonlWriter#countLines} share this class, so they agree on what a
 * line and a blank line are. Not thread-safe.
 */
final class ByteLines {

    private static final int CHUNK_BYTES = 1 << 16;

    private final InputStream in;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private int chunkPos;
    private int chunkLimit;
    private boolean endOfStream;

    private byte[] line = new byte[1024];
    private int length;
    private int lineNumber;
    private boolean terminated;

    /**
     * Creates a splitter over a stream; the caller keeps ownership of the stream.
     *
     * @param in the bytes to split
     */
    ByteLines(InputStream in) {
        this.in = in;
    }

    /**
     * Advances to the next line.
     *
     * @return {@code false} when the stream has no more bytes
     * @throws IOException if reading the stream fails
     */
    boolean next() throws IOException {
        length = 0;
        terminated = false;
        boolean consumed = false;
        while (!endOfStream) {
            if (chunkPos == chunkLimit) {
                int n = in.read(chunk);
                if (n < 0) {
                    endOfStream = true;
                    break;
                }
                chunkPos = 0;
                chunkLimit = n;
                continue;
            }
            consumed = true;
            int newline = indexOfNewline();
            int end = newline < 0 ? chunkLimit : newline;
            append(chunkPos, end - chunkPos);
            if (newline >= 0) {
                chunkPos = newline + 1;
                terminated = true;
                break;
            }
            chunkPos = chunkLimit;
        }
        if (!consumed) {
            return false;
        }
        lineNumber++;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (lineNumber == 1) {
            dropByteOrderMark();
        }
        return true;
    }

    /** Returns the buffer holding the current line in its first {@link #length()} bytes. */
    byte[] bytes() {
        return line;
    }

    /** Returns the length in bytes of the current line, without its line end. */
    int length() {
        return length;
    }

    /** Returns the 1-based number of the current line. */
    int lineNumber() {
        return lineNumber;
    }

    /** Returns whether the current line ended with {@code \n} (the last line may not). */
    boolean terminated() {
        return terminated;
    }

    /** Returns whether the current line holds only spaces, tabs and carriage returns. */
    boolean isBlank() {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private int indexOfNewline() {
        for (int i = chunkPos; i < chunkLimit; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(int from, int count) {
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
        }
        System.arraycopy(chunk, from, line, length, count);
        length += count;
    }

    private void dropByteOrderMark() {
        if (length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
            System.arraycopy(line, 3, line, 0, length - 3);
            length -= 3;
        }
    }
}
