package dev.dpo4j.data.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;

/** Helpers shared by the readers: opening files (gzip included) and turning iterators into streams. */
final class RowStreams {

    private static final int BUFFER_BYTES = 1 << 16;

    private RowStreams() {
    }

    /**
     * Opens a file for reading, decompressing it when its name ends in {@code .gz}.
     *
     * @param file the file
     * @return the (decompressed) bytes, buffered
     * @throws DatasetException naming the file when it is missing or cannot be opened
     */
    static InputStream open(Path file) {
        String source = file.toString();
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DatasetException(source, "file not found", e);
        } catch (IOException e) {
            throw new DatasetException(source, "cannot open: " + e, e);
        }
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
            return new BufferedInputStream(raw, BUFFER_BYTES);
        }
        try {
            return new BufferedInputStream(new GZIPInputStream(raw, BUFFER_BYTES), BUFFER_BYTES);
        } catch (IOException e) {
            closeQuietly(raw, e);
            throw new DatasetException(source, "not a gzip file: " + e.getMessage(), e);
        }
    }

    /**
     * A lazy sequential stream over an iterator that closes a resource when the stream is closed.
     *
     * @param rows the rows
     * @param resource closed by {@link Stream#close()}
     * @param source the name for a failure to close
     * @return the stream
     */
    static Stream<DataRow> stream(Iterator<DataRow> rows, AutoCloseable resource, String source) {
        Spliterator<DataRow> split = Spliterators.spliteratorUnknownSize(
                rows, Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(split, false).onClose(() -> close(resource, source));
    }

    /**
     * Closes a resource, turning a failure into an unchecked exception naming the source.
     *
     * @param resource the resource
     * @param source the name for the message
     */
    static void close(AutoCloseable resource, String source) {
        try {
            resource.close();
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot close: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new DatasetException(source, "cannot close: " + e, e);
        }
    }

    /**
     * Closes a resource after a failure, attaching any new failure to the first.
     *
     * @param resource the resource
     * @param failure the failure being thrown
     */
    static void closeQuietly(AutoCloseable resource, Throwable failure) {
        try {
            resource.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
