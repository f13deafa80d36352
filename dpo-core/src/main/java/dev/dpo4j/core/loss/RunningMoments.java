package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * Running mean and variance of a stream of batches, as TRL's {@code RunningMoments} (used by the
 * baseline of {@link BcoPairLoss#withRunningBaseline()}); checkpointable through {@link #state()} and
 * {@link #restore(double[])}.
 *
 * <p>Batches are merged with the parallel-variance rule (Chan, Golub and LeVeque 1979): for the current
 * (mean m, population variance v, count n) and a batch (m_b, v_b, n_b), with d = m_b − m and N = n + n_b,
 * <pre>
 *   m' = m + d·n_b/N
 *   v' = (v·n + d²·n·n_b/N + v_b·n_b) / N
 * </pre>
 * so after any sequence of batches the state equals the mean and population variance of all values seen.
 * As in TRL the initial state is m = 0, v = 1 and n = 1e-24 (a prior of negligible weight).
 */
public final class RunningMoments {

    private static final double INITIAL_COUNT = 1e-24;

    private double mean;
    private double var = 1.0;
    private double count = INITIAL_COUNT;

    /** Creates the initial state: mean 0, variance 1, count 1e-24. */
    public RunningMoments() {
    }

    /**
     * Merges a batch of values into the moments.
     *
     * @param values the batch, at least one finite value
     */
    public synchronized void update(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("RunningMoments.update needs at least one value");
        }
        double batchMean = 0;
        for (double x : values) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("RunningMoments.update got a non-finite value " + x
                        + " in " + Arrays.toString(values));
            }
            batchMean += x;
        }
        batchMean /= values.length;
        double batchVar = 0;
        for (double x : values) {
            batchVar += (x - batchMean) * (x - batchMean);
        }
        batchVar /= values.length; // population variance, as torch.var_mean(unbiased=False)
        double n = values.length;
        double delta = batchMean - mean;
        double total = count + n;
        double oldSum = var * count + delta * delta * count * n / total;
        double newSum = batchVar * n;
        mean += delta * n / total;
        var = (oldSum + newSum) / total;
        count = total;
    }

    /**
     * Merges the values of an array (read detached, as float64).
     *
     * @param values any shape, at least one element
     */
    public void update(NDArray values) {
        update(values.stopGradient().toType(DataType.FLOAT64, false).toDoubleArray());
    }

    /** @return the running mean of all values seen (0 before any) */
    public synchronized double mean() {
        return mean;
    }

    /** @return the running population variance (1 before any value) */
    public synchronized double var() {
        return var;
    }

    /** @return the number of values seen (plus the initial 1e-24) */
    public synchronized double count() {
        return count;
    }

    /** @return the unbiased standard deviation sqrt(var·n/(n − 1)), NaN while n ≤ 1 */
    public synchronized double std() {
        return count > 1 ? Math.sqrt(var * count / (count - 1)) : Double.NaN;
    }

    /** @return {mean, var, count}, for a checkpoint */
    public synchronized double[] state() {
        return new double[] {mean, var, count};
    }

    /**
     * Restores a state saved by {@link #state()}.
     *
     * @param state {mean, var, count}
     */
    public synchronized void restore(double[] state) {
        if (state == null || state.length != 3) {
            throw new IllegalArgumentException("RunningMoments state must be {mean, var, count}, got "
                    + Arrays.toString(state));
        }
        if (!Double.isFinite(state[0]) || !(state[1] >= 0) || !(state[2] > 0)
                || Double.isInfinite(state[1]) || Double.isInfinite(state[2])) {
            throw new IllegalArgumentException("RunningMoments state needs a finite mean, var >= 0 and count > 0,"
                    + " got " + Arrays.toString(state));
        }
        mean = state[0];
        var = state[1];
        count = state[2];
    }

    @Override
    public synchronized String toString() {
        return "RunningMoments[mean=" + mean + ", var=" + var + ", count=" + count + "]";
    }
}
