package dev.dpo4j.examples.workflows;

import java.nio.file.Path;

/**
 * A stage's {@code dpo4j} command ended with a non-zero status. The message names the stage, the command
 * to rerun it alone and the command's own error line.
 */
public final class WorkflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The stage that failed. */
    private final String stage;
    /** The command's exit status. */
    private final int exitCode;

    /**
     * Creates the exception.
     *
     * @param stage the stage's name
     * @param exitCode the command's exit status (1 failure, 2 usage error)
     * @param cliError the command's error line
     * @param rerun the command line that reruns the stage alone
     */
    public WorkflowException(String stage, int exitCode, String cliError, String rerun) {
        super("stage '" + stage + "' failed (exit " + exitCode + "): " + cliError + " [rerun: " + rerun + "]");
        this.stage = stage;
        this.exitCode = exitCode;
    }

    /**
     * Creates the exception for a failure around a stage rather than inside its command (e.g. a config
     * file or input slice that could not be written).
     *
     * @param stage the stage's name
     * @param problem what went wrong
     * @param file the file concerned
     * @param cause the cause
     */
    public WorkflowException(String stage, String problem, Path file, Throwable cause) {
        super("stage '" + stage + "': " + problem + ": " + file + (cause.getMessage() == null ? ""
                : " (" + cause.getMessage() + ")"), cause);
        this.stage = stage;
        this.exitCode = 1;
    }

    /** @return the failed stage's name */
    public String stage() {
        return stage;
    }

    /** @return the command's exit status */
    public int exitCode() {
        return exitCode;
    }
}
