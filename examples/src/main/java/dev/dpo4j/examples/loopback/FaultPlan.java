package dev.dpo4j.examples.loopback;

/**
 * How often the loopback server misbehaves, as probabilities per request (they are tried in the
 * order listed and must sum to at most 1).
 *
 * @param tooManyRequests answer 429 with {@code Retry-After: retryAfterSeconds}
 * @param serverError answer 500
 * @param unavailable answer 503
 * @param disconnect close the connection before answering
 * @param truncated send the headers of a complete answer, then half the body, then close
 * @param nonJson answer 200 with an HTML body
 * @param retryAfterSeconds the {@code Retry-After} value sent with 429
 */
public record FaultPlan(double tooManyRequests, double serverError, double unavailable, double disconnect,
        double truncated, double nonJson, int retryAfterSeconds) {

    /** No faults. */
    public static final FaultPlan NONE = new FaultPlan(0, 0, 0, 0, 0, 0, 0);

    /** Validates the probabilities. */
    public FaultPlan {
        double sum = 0;
        for (double p : new double[] {tooManyRequests, serverError, unavailable, disconnect, truncated, nonJson}) {
            if (p < 0 || p > 1) {
                throw new IllegalArgumentException("fault probabilities must be in [0, 1], got " + p);
            }
            sum += p;
        }
        if (sum > 1 + 1e-9) {
            throw new IllegalArgumentException("fault probabilities sum to " + sum + " > 1");
        }
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must be >= 0, got " + retryAfterSeconds);
        }
    }

    /**
     * Each of the six faults with the same probability.
     *
     * @param each the probability of each fault (total 6 × each)
     * @param retryAfterSeconds the {@code Retry-After} value sent with 429
     * @return the plan
     */
    public static FaultPlan uniform(double each, int retryAfterSeconds) {
        return new FaultPlan(each, each, each, each, each, each, retryAfterSeconds);
    }

    /** The fault to inject for one request. */
    enum Fault { NONE, TOO_MANY_REQUESTS, SERVER_ERROR, UNAVAILABLE, DISCONNECT, TRUNCATED, NON_JSON }

    /**
     * Picks the fault for a uniform draw {@code u} in [0, 1).
     *
     * @param u the draw
     * @return the fault, or {@link Fault#NONE}
     */
    Fault pick(double u) {
        double[] p = {tooManyRequests, serverError, unavailable, disconnect, truncated, nonJson};
        Fault[] f = {Fault.TOO_MANY_REQUESTS, Fault.SERVER_ERROR, Fault.UNAVAILABLE, Fault.DISCONNECT,
            Fault.TRUNCATED, Fault.NON_JSON};
        double acc = 0;
        for (int i = 0; i < p.length; i++) {
            acc += p[i];
            if (u < acc) {
                return f[i];
            }
        }
        return Fault.NONE;
    }
}
