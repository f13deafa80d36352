package dev.dpo4j.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a JSON Lines file one row at a time, never holding more than one line in memory.
 *
 * <p>Each non-blank line must hold one JSON object; blank lines are skipped but still
 * counted, so reported line numbers match what an editor shows. A line that is malformed
 * JSON, is not valid UTF-8, or holds something other than an object makes the iterator's
 * {@code next()} throw a {@link JsonlException} naming the file and line. The reader is then
 * positioned after that line, so a caller that wants to count bad rows and go on can catch
 * the exception and keep iterating:
 *
 * <pre>{@code
 * try (JsonlReader reader = JsonlReader.open(Path.of("prefs.jsonl"))) {
 *     Iterator<JsonlRow> rows = reader.iterator();
 *     while (rows.hasNext()) {
 *         try {
 *             JsonlRow row = rows.next();
 *             use(row.requireText("prompt"), row.requireText("chosen"));
 *         } catch (JsonlException e) {
 *             badRows.add(e.getMessage());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>The reader can be iterated once. It is not thread-safe.
 */
public final class JsonlReader implements AutoCloseable, Iterable<JsonlRow> {

    /** The path that means standard input. */
    public static final String STDIN_PATH = "-";

    /** The source name used in messages for standard input. */
    public static final String STDIN_NAME = "<stdin>";

    private final InputStream in;
    private final boolean closeInput;
    private final String source;
    private final ByteLines lines;
    private boolean iterated;
    private boolean closed;

    private JsonlReader(InputStream in, boolean closeInput, String source) {
        this.in = in;
        this.closeInput = closeInput;
        this.source = source;
        this.lines = new ByteLines(in);
    }

    /**
     * Opens a file, or standard input when the path is {@code -}.
     *
     * @param path the file to read; its string form names it in error messages
     * @return a reader positioned at the first line
     * @throws IOException if the file cannot be opened (for example it does not exist)
     */
    public static JsonlReader open(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        if (STDIN_PATH.equals(path.toString())) {
            return new JsonlReader(System.in, false, STDIN_NAME);
        }
        return new JsonlReader(Files.newInputStream(path), true, path.toString());
    }

    /**
     * Reads from a stream of UTF-8 bytes, such as a decompressed download.
     *
     * @param in the bytes; the reader closes it when it is closed
     * @param source the name to use in error messages
     * @return a reader positioned at the first line
     */
    public static JsonlReader of(InputStream in, String source) {
        return new JsonlReader(Objects.requireNonNull(in, "in"), true, Objects.requireNonNull(source, "source"));
    }

    /**
     * Returns the name used for this input in error messages.
     *
     * @return the path as given, or {@value #STDIN_NAME}
     */
    public String source() {
        return source;
    }

    /**
     * Returns the rows in file order. May be called once.
     *
     * @return an iterator whose {@code next()} throws {@link JsonlException} for a bad line
     *     and whose {@code hasNext()} throws it, with the cause, if reading fails
     * @throws IllegalStateException if called a second time or after {@link #close()}
     */
    @Override
    public Iterator<JsonlRow> iterator() {
        if (closed) {
            throw new IllegalStateException(source + ": reader is closed");
        }
        if (iterated) {
            throw new IllegalStateException(source + ": a JsonlReader can be iterated only once");
        }
        iterated = true;
        return new RowIterator();
    }

    /**
     * Returns the rows as a sequential stream; a bad line ends the stream with a
     * {@link JsonlException}. May be called once, instead of {@link #iterator()}.
     *
     * @return the rows in file order
     */
    public Stream<JsonlRow> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * Closes the underlying file; standard input is left open.
     *
     * @throws UncheckedIOException if closing the file fails
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (closeInput) {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(source + ": cannot close: " + e.getMessage(), e);
            }
        }
    }

    /** Walks the lines, finding the next non-blank one in hasNext and parsing it in next. */
    private final class RowIterator implements Iterator<JsonlRow> {

        private boolean pending;

        @Override
        public boolean hasNext() {
            if (pending) {
                return true;
            }
            if (closed) {
                return false;
            }
            try {
                while (lines.next()) {
                    if (!lines.isBlank()) {
                        pending = true;
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                throw new JsonlException(source, lines.lineNumber() + 1, "cannot read: " + e, e);
            }
        }

        @Override
        public JsonlRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException(source + ": no more rows");
            }
            pending = false;
            int line = lines.lineNumber();
            return new JsonlRow(source, line, JsonlCodec.parseObject(lines.bytes(), lines.length(), source, line));
        }
    }
}
