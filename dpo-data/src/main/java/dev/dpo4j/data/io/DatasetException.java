package dev.dpo4j.data.io;

/**
 * A dataset that cannot be read or a row that cannot be used; the message starts with
 * {@code file:line:} when a row is to blame.
 */
public final class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;
    private final String problem;

    /**
     * An error in one row.
     *
     * @param source the file or dataset name
     * @param line the 1-based line or row number
     * @param problem what is wrong
     */
    public DatasetException(String source, long line, String problem) {
        this(source, line, problem, null);
    }

    /**
     * An error in one row, with its cause.
     *
     * @param source the file or dataset name
     * @param line the 1-based line or row number, or 0 when the whole source is to blame
     * @param problem what is wrong
     * @param cause the underlying exception, or null
     */
    public DatasetException(String source, long line, String problem, Throwable cause) {
        super((line > 0 ? source + ":" + line + ": " : source + ": ") + problem, cause);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    /**
     * An error in a whole source (missing file, unknown format).
     *
     * @param source the file or dataset name
     * @param problem what is wrong
     * @param cause the underlying exception, or null
     */
    public DatasetException(String source, String problem, Throwable cause) {
        this(source, 0, problem, cause);
    }

    /** @return the file or dataset name */
    public String source() {
        return source;
    }

    /** @return the 1-based line or row number, or 0 when the whole source is to blame */
    public long line() {
        return line;
    }

    /** @return what is wrong, without the location */
    public String problem() {
        return problem;
    }
}
