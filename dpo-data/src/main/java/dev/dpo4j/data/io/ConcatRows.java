package dev.dpo4j.data.io;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/**
 * Reads several files one after another, holding only one open at a time. Written as an
 * iterator rather than {@code flatMap} because a {@code flatMap} stream consumed through its
 * iterator buffers a whole inner stream, which would load a whole file into memory.
 */
final class ConcatRows implements Iterator<DataRow>, AutoCloseable {

    private final List<Path> files;
    private int nextFile;
    private Stream<DataRow> current;
    private Iterator<DataRow> currentRows;

    private ConcatRows(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /**
     * Streams the rows of the files in order, each read in the format of its extension.
     *
     * @param files the files
     * @param name the name for messages about closing
     * @return a lazy stream; closing it closes the open file
     */
    static Stream<DataRow> read(List<Path> files, String name) {
        if (files.size() == 1) {
            return Datasets.formatOf(files.get(0)).read(files.get(0));
        }
        ConcatRows rows = new ConcatRows(files);
        return RowStreams.stream(rows, rows, name);
    }

    @Override
    public boolean hasNext() {
        while (currentRows == null || !currentRows.hasNext()) {
            closeCurrent();
            if (nextFile >= files.size()) {
                return false;
            }
            Path file = files.get(nextFile++);
            current = Datasets.formatOf(file).read(file);
            currentRows = current.iterator();
        }
        return true;
    }

    @Override
    public DataRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows after " + files.get(files.size() - 1));
        }
        return currentRows.next();
    }

    @Override
    public void close() {
        closeCurrent();
        nextFile = files.size();
    }

    private void closeCurrent() {
        if (current != null) {
            Stream<DataRow> open = current;
            current = null;
            currentRows = null;
            open.close();
        }
    }
}
