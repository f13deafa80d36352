package dev.dpo4j.core.optim;

import java.util.Objects;

/**
 * The learning rate of each optimizer step, as a {@code torch.optim.lr_scheduler.LambdaLR} built
 * by Hugging Face {@code transformers.get_scheduler}: {@code lr(s) = baseLr · factor(s)} where
 * {@code s} is the number of optimizer steps already taken, so the first update uses
 * {@code lr(0)}.
 *
 * <p>With {@code W} warmup steps and {@code N} total steps, in double precision as Python computes:
 * <pre>
 * s &lt; W:     factor = s / max(1, W)
 * constant:  factor = 1
 * linear:    factor = max(0, (N − s) / max(1, N − W))
 * cosine:    factor = max(0, 0.5·(1 + cos(π · 0.5 · 2 · progress))),
 *            progress = (s − W) / max(1, N − W)
 * </pre>
 * As in HF, steps past {@code N} are not clamped (linear stays at 0, cosine climbs back).
 *
 * @param type the schedule shape
 * @param baseLr the peak learning rate ({@code learning_rate}), finite and &gt;= 0
 * @param warmupSteps the number of warmup steps {@code W}, &gt;= 0
 * @param totalSteps the number of optimizer steps of the run {@code N}, &gt;= 0
 */
public record LrScheduler(LrSchedulerType type, double baseLr, long warmupSteps, long totalSteps) {

    /** HF's {@code num_cycles} of the cosine schedule: half a wave, from 1 down to 0. */
    public static final double COSINE_CYCLES = 0.5;

    /**
     * Validates the settings.
     *
     * @param type the schedule shape
     * @param baseLr the peak learning rate
     * @param warmupSteps the warmup steps
     * @param totalSteps the total steps
     * @throws IllegalArgumentException naming the field that is out of range
     */
    public LrScheduler {
        Objects.requireNonNull(type, "lr_scheduler_type");
        if (!(baseLr >= 0) || Double.isInfinite(baseLr)) {
            throw new IllegalArgumentException("learning_rate must be finite and >= 0, got "
                    + baseLr);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmup_steps must be >= 0, got " + warmupSteps);
        }
        if (totalSteps < 0) {
            throw new IllegalArgumentException("total steps must be >= 0, got " + totalSteps);
        }
    }

    /**
     * Creates a schedule.
     *
     * @param type the schedule shape
     * @param baseLr the peak learning rate
     * @param warmupSteps the warmup steps, e.g. from {@link #warmupSteps(long, double, long)}
     * @param totalSteps the total optimizer steps of the run
     * @return the schedule
     */
    public static LrScheduler of(LrSchedulerType type, double baseLr, long warmupSteps,
            long totalSteps) {
        return new LrScheduler(type, baseLr, warmupSteps, totalSteps);
    }

    /**
     * Derives the warmup steps as {@code TrainingArguments.get_warmup_steps} does: the explicit
     * count when it is positive, else {@code ceil(warmupRatio · totalSteps)} in double precision
     * (so a ratio of 0.07 over 100 steps gives 8, because 0.07 · 100 = 7.000000000000001, as in
     * Python).
     *
     * @param warmupSteps {@code warmup_steps}; used when &gt; 0
     * @param warmupRatio {@code warmup_ratio}, in [0, 1]
     * @param totalSteps the total optimizer steps, &gt;= 0
     * @return the number of warmup steps
     * @throws IllegalArgumentException if the ratio or total is out of range
     */
    public static long warmupSteps(long warmupSteps, double warmupRatio, long totalSteps) {
        if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
            throw new IllegalArgumentException("warmup_ratio must be in [0, 1], got "
                    + warmupRatio);
        }
        if (totalSteps < 0) {
            throw new IllegalArgumentException("total steps must be >= 0, got " + totalSteps);
        }
        if (warmupSteps > 0) {
            return warmupSteps;
        }
        return (long) Math.ceil(totalSteps * warmupRatio);
    }

    /**
     * Returns the multiplier of the base learning rate after {@code step} optimizer steps.
     *
     * @param step the number of optimizer steps already taken, &gt;= 0
     * @return the factor, in [0, 1] for steps up to {@code totalSteps}
     * @throws IllegalArgumentException if the step is negative
     */
    public double factor(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("scheduler step must be >= 0, got " + step);
        }
        if (step < warmupSteps) {
            return (double) step / Math.max(1, warmupSteps);
        }
        double span = Math.max(1, totalSteps - warmupSteps);
        return switch (type) {
            case CONSTANT -> 1.0;
            case LINEAR -> Math.max(0.0, (totalSteps - step) / span);
            case COSINE -> {
                double progress = (step - warmupSteps) / span;
                // same operation order as HF: math.pi * float(num_cycles) * 2.0 * progress
                yield Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * COSINE_CYCLES * 2.0
                        * progress)));
            }
        };
    }

    /**
     * Returns the learning rate for the update that follows {@code step} optimizer steps.
     *
     * @param step the number of optimizer steps already taken, &gt;= 0
     * @return {@code baseLr · factor(step)}
     * @throws IllegalArgumentException if the step is negative
     */
    public double lr(long step) {
        return baseLr * factor(step);
    }
}
