package dev.dpo4j.core.model;

/** A {@code config.json} that dpo4j cannot run; the message names the file and the field. */
public final class ModelConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the file and the field
     */
    public ModelConfigException(String message) {
        super(message);
    }
}
