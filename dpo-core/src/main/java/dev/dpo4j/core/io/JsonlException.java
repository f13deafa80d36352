package dev.dpo4j.core.io;

/**
 * A JSON Lines row that cannot be read or does not have the expected shape.
 *
 * <p>The message reads {@code "{source}:{line}: {problem}"}, for example
 * {@code "in.jsonl:3: malformed JSON: Unexpected character ('}' (code 125)) (column 9)"}, so
 * a user can open the file at the reported line. The parts are also available separately.
 */
public final class JsonlException extends RuntimeException {

    private final String source;
    private final int line;
    private final String problem;

    /**
     * Creates an exception for a problem at one line.
     *
     * @param source the file as the user named it, or {@code <stdin>}
     * @param line the 1-based line number in the file
     * @param problem what is wrong with the line, without the location
     */
    public JsonlException(String source, int line, String problem) {
        this(source, line, problem, null);
    }

    /**
     * Creates an exception for a problem at one line, caused by another exception.
     *
     * @param source the file as the user named it, or {@code <stdin>}
     * @param line the 1-based line number in the file
     * @param problem what is wrong with the line, without the location
     * @param cause the underlying parser or I/O exception, or {@code null}
     */
    public JsonlException(String source, int line, String problem, Throwable cause) {
        super(source + ":" + line + ": " + problem, cause);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    /**
     * Returns the file the row came from.
     *
     * @return the file as the user named it, or {@code <stdin>}
     */
    public String source() {
        return source;
    }

    /**
     * Returns the line of the bad row.
     *
     * @return the 1-based line number
     */
    public int line() {
        return line;
    }

    /**
     * Returns the problem without its location.
     *
     * @return what is wrong with the row
     */
    public String problem() {
        return problem;
    }
}
