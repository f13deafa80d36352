package dev.dpo4j.core.model;

/** A checkpoint that does not fit its config: a missing, unused or misshapen tensor. */
public final class ModelLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the checkpoint and the tensor
     */
    public ModelLoadException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is wrong
     * @param cause the underlying error
     */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
