package dev.dpo4j.data.synth;

/**
 * The result of one request of an article: a value, a rejection, or nothing when the request was
 * not made because what it needed was rejected.
 *
 * @param value the answer, or null
 * @param reject the rejection, or null
 * @param <T> the answer type
 */
record StageResult<T>(T value, Reject reject) {

    /** A request that was not made. */
    static <T> StageResult<T> skipped() {
        return new StageResult<>(null, null);
    }

    /** @return true when there is a value */
    boolean ok() {
        return value != null;
    }

    /** @return true when the request was rejected */
    boolean rejected() {
        return reject != null;
    }
}
