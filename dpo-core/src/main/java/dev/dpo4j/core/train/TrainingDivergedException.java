package dev.dpo4j.core.train;

/**
 * A NaN or infinite loss or gradient: training stops before the optimizer applies it, so no adapter
 * with NaN weights is ever written. The message names the step and the micro-batch (or the tensor).
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what diverged, where
     */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
