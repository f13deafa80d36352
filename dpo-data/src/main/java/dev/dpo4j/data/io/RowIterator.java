package dev.dpo4j.data.io;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator over rows that a reader produces one at a time: {@link #read()} returns the next row
 * or null at the end. A reader that throws cannot go on past the failure, so the failure is sticky:
 * every later {@link #hasNext()} throws it again instead of ending quietly, and a caller that skips
 * bad rows ({@code PreferenceDataset}) stops at it rather than losing the rows after it unseen.
 */
abstract class RowIterator implements Iterator<DataRow> {

    private final String source;
    private DataRow pending;
    private boolean done;
    private RuntimeException failure;

    /**
     * @param source the file or dataset name, for the end-of-rows message
     */
    RowIterator(String source) {
        this.source = source;
    }

    /**
     * Reads the next row.
     *
     * @return the row, or null when there are no more
     * @throws DatasetException when the row cannot be read; the iteration ends there
     */
    abstract DataRow read();

    @Override
    public final boolean hasNext() {
        if (failure != null) {
            throw failure;
        }
        if (pending != null) {
            return true;
        }
        if (done) {
            return false;
        }
        try {
            pending = read();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
        done = pending == null;
        return !done;
    }

    @Override
    public final DataRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException(source + ": no more rows");
        }
        DataRow row = pending;
        pending = null;
        return row;
    }
}
