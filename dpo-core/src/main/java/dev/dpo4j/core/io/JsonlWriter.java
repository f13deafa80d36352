package dev.dpo4j.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes JSON Lines: one object per line, UTF-8, flushed after every row.
 *
 * <p>Flushing each row means a long job (candidate generation, judging, evaluation) leaves
 * a usable file when it is stopped, and can resume: count the rows already written with
 * {@link #countLines(Path)}, skip that many inputs, and continue with {@link #append(Path)}.
 * A last line cut short by an interrupted write is not a row: {@code countLines} does not
 * count it and {@code append} removes it (with a warning) before writing, so the two agree.
 *
 * <p>Non-ASCII text is written as UTF-8 bytes, not as escapes. Not thread-safe; one
 * writer per file.
 */
public final class JsonlWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JsonlWriter.class);
    private static final int BUFFER_BYTES = 1 << 16;

    private final OutputStream out;
    private final boolean closeOutput;
    private final String target;
    private long rowsWritten;
    private boolean closed;

    private JsonlWriter(OutputStream out, boolean closeOutput, String target) {
        this.out = out;
        this.closeOutput = closeOutput;
        this.target = target;
    }

    /**
     * Creates (or truncates) a file, creating missing parent directories; {@code -} writes
     * to standard output.
     *
     * @param path the file to write
     * @return a writer positioned at the start of the empty file
     * @throws IOException if the file cannot be created
     */
    public static JsonlWriter create(Path path) throws IOException {
        return open(path, false);
    }

    /**
     * Opens a file to add rows after those it holds, creating it if absent; {@code -}
     * writes to standard output. A trailing line without its newline is completed if it
     * holds a JSON object, and otherwise removed as the remains of an interrupted write.
     *
     * @param path the file to extend
     * @return a writer positioned after the last complete row
     * @throws IOException if the file cannot be opened or repaired
     */
    public static JsonlWriter append(Path path) throws IOException {
        return open(path, true);
    }

    /**
     * Opens a file for writing, either truncating it or appending to it.
     *
     * @param path the file to write; {@code -} means standard output
     * @param append {@code true} to keep the rows already there (see {@link #append(Path)})
     * @return the writer
     * @throws IOException if the file cannot be opened
     */
    public static JsonlWriter open(Path path, boolean append) throws IOException {
        Objects.requireNonNull(path, "path");
        if (JsonlReader.STDIN_PATH.equals(path.toString())) {
            return new JsonlWriter(System.out, false, "<stdout>");
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (append && Files.exists(path)) {
            repairTail(path);
        }
        OutputStream file = append
                ? Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                : Files.newOutputStream(path);
        return new JsonlWriter(new BufferedOutputStream(file, BUFFER_BYTES), true, path.toString());
    }

    /**
     * Writes one object as a line and flushes it.
     *
     * @param row the object to write
     * @throws UncheckedIOException if writing fails
     * @throws IllegalStateException if the writer is closed
     */
    public void write(ObjectNode row) {
        Objects.requireNonNull(row, "row");
        if (closed) {
            throw new IllegalStateException(target + ": writer is closed");
        }
        try {
            byte[] json = JsonlCodec.MAPPER.writeValueAsBytes(row);
            out.write(json);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot write row " + (rowsWritten + 1) + ": " + e.getMessage(), e);
        }
        rowsWritten++;
    }

    /**
     * Writes a value that Jackson serializes to a JSON object, such as a record or a map.
     *
     * @param value the value to write
     * @throws IllegalArgumentException if the value does not serialize to a JSON object
     * @throws UncheckedIOException if writing fails
     */
    public void writeValue(Object value) {
        Objects.requireNonNull(value, "value");
        JsonNode node = JsonlCodec.MAPPER.valueToTree(value);
        if (!(node instanceof ObjectNode)) {
            throw new IllegalArgumentException(target + ": a JSONL row must be a JSON object, but "
                    + value.getClass().getSimpleName() + " serializes to " + JsonlCodec.describe(node));
        }
        write((ObjectNode) node);
    }

    /**
     * Returns how many rows this writer has written (not counting rows already in an
     * appended file).
     *
     * @return the number of rows written
     */
    public long rowsWritten() {
        return rowsWritten;
    }

    /**
     * Returns the name of the output for messages.
     *
     * @return the path as given, or {@code <stdout>}
     */
    public String target() {
        return target;
    }

    /**
     * Closes the file; standard output is flushed and left open.
     *
     * @throws UncheckedIOException if closing fails
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (closeOutput) {
                out.close();
            } else {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot close: " + e.getMessage(), e);
        }
    }

    /**
     * Counts the complete rows of a file without parsing them: the non-blank lines, less a
     * last line that lacks its newline and is not a JSON object (an interrupted write, which
     * {@link #append(Path)} would remove). Used to resume a job.
     *
     * @param path the file to count
     * @return the number of rows; 0 if the file does not exist
     * @throws IOException if the file cannot be read
     */
    public static long countLines(Path path) throws IOException {
        long count = 0;
        try (InputStream in = Files.newInputStream(path)) {
            ByteLines lines = new ByteLines(in);
            while (lines.next()) {
                if (lines.isBlank()) {
                    continue;
                }
                boolean interruptedWrite = !lines.terminated() && !JsonlCodec.isObject(lines.bytes(), lines.length());
                if (!interruptedWrite) {
                    count++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return count;
    }

    /** Completes or removes a last line that lacks its newline, as described in {@link #append}. */
    private static void repairTail(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size == 0 || readByte(channel, size - 1) == '\n') {
                return;
            }
            long start = startOfLastLine(channel, size);
            if (size - start > Integer.MAX_VALUE - 8) {
                throw new IOException(path + ": last line is longer than 2 GiB");
            }
            ByteBuffer tail = ByteBuffer.allocate((int) (size - start));
            readFully(channel, tail, start);
            ByteLines line = new ByteLines(new ByteArrayInputStream(tail.array()));
            line.next();
            if (!line.isBlank() && JsonlCodec.isObject(line.bytes(), line.length())) {
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
            } else {
                channel.truncate(start);
                if (!line.isBlank()) {
                    LOG.warn("{}: removed an incomplete last line ({} bytes) left by an interrupted write",
                            path, size - start);
                }
            }
        }
    }

    private static byte readByte(FileChannel channel, long position) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        readFully(channel, one, position);
        return one.get(0);
    }

    /** Fills the buffer from the channel starting at a position (a positional read may return less). */
    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int start = buffer.position();
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position() - start);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position() - start));
            }
        }
    }

    /** Returns the position just after the last {@code \n}, or 0 if there is none. */
    private static long startOfLastLine(FileChannel channel, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(BUFFER_BYTES);
        long end = size;
        while (end > 0) {
            long begin = Math.max(0, end - BUFFER_BYTES);
            chunk.clear().limit((int) (end - begin));
            readFully(channel, chunk, begin);
            for (int i = (int) (end - begin) - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return begin + i + 1;
                }
            }
            end = begin;
        }
        return 0;
    }
}
