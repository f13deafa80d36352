package dev.dpo4j.core.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.optim.GradClipping;
import dev.dpo4j.core.util.Scalars;
import java.util.Map;

/**
 * Dynamic loss scaling for float16 training, as PyTorch's {@code torch.amp.GradScaler} does it
 * (Micikevicius et al. 2018, "Mixed Precision Training"): the loss is multiplied by a scale before
 * backward so small gradients do not underflow float16; the float32 gradients of the LoRA masters are
 * divided by it again (before clipping); a step whose unscaled gradients hold an Inf or a NaN is
 * skipped — no update — and the scale halved; after {@value #DEFAULT_GROWTH_INTERVAL} consecutive clean
 * steps it doubles.
 *
 * <p>Defaults are GradScaler's: initial scale 2^16, growth factor 2, backoff factor 0.5, growth
 * interval 2000. A skipped step is normal operation early in training (the scale searches downward for
 * the largest value that does not overflow), not an error.
 */
public final class LossScaler {
    /** GradScaler's {@code init_scale}. */
    public static final double DEFAULT_INIT_SCALE = 65536.0;
    /** GradScaler's {@code growth_interval}. */
    public static final int DEFAULT_GROWTH_INTERVAL = 2000;
    private static final double GROWTH = 2.0;
    private static final double BACKOFF = 0.5;

    private final int growthInterval;
    private double scale;
    private int cleanSteps; // GradScaler's growth tracker
    private long skipped;

    /** A scaler with GradScaler's defaults. */
    public LossScaler() {
        this(DEFAULT_INIT_SCALE, DEFAULT_GROWTH_INTERVAL);
    }

    /**
     * A scaler with its own start and growth interval.
     *
     * @param initScale the first scale (&gt; 0)
     * @param growthInterval clean steps before the scale doubles (≥ 1)
     */
    public LossScaler(double initScale, int growthInterval) {
        if (!(initScale > 0) || Double.isInfinite(initScale)) {
            throw new IllegalArgumentException("loss scale must be a positive finite number, got " + initScale);
        }
        if (growthInterval < 1) {
            throw new IllegalArgumentException("growth interval must be >= 1, got " + growthInterval);
        }
        this.scale = initScale;
        this.growthInterval = growthInterval;
    }

    /** The current scale the loss is multiplied by. */
    public double scale() {
        return scale;
    }

    /** Steps skipped so far for non-finite gradients. */
    public long skippedSteps() {
        return skipped;
    }

    /**
     * The loss to back-propagate: {@code loss · scale / divisor} (divisor: the micro-batches a step's
     * gradient is averaged over).
     *
     * @param loss a scalar with a graph
     * @param divisor ≥ 1
     * @return the scaled loss, in the graph
     */
    public NDArray scaled(NDArray loss, double divisor) {
        return Scalars.mul(loss, scale / divisor);
    }

    /**
     * {@code GradScaler.unscale_} then {@code update}: divides the gradients by the scale in place (exact:
     * the scale is a power of two), checks them, and moves the scale.
     *
     * @param grads the parameters' accumulated gradients, float32
     * @return the first tensor whose unscaled gradient holds an Inf or a NaN (the step must be skipped),
     *     or {@code null} when the step may be applied
     */
    public String unscaleAndUpdate(Map<String, NDArray> grads) {
        for (NDArray g : grads.values()) {
            g.divi((float) scale);
        }
        String bad = GradClipping.allFinite(grads);
        update(bad != null);
        return bad;
    }

    /**
     * Records a step's outcome and moves the scale, as {@code GradScaler.update()} does.
     *
     * @param foundNonFinite whether the unscaled gradients held an Inf or a NaN (the step was skipped)
     */
    public void update(boolean foundNonFinite) {
        if (foundNonFinite) {
            scale *= BACKOFF;
            cleanSteps = 0;
            skipped++;
            return;
        }
        cleanSteps++;
        if (cleanSteps == growthInterval) {
            scale *= GROWTH;
            cleanSteps = 0;
        }
    }

    /**
     * Writes the state into a checkpoint's trainer state, so a resumed run scales exactly as an
     * uninterrupted one.
     *
     * @param state the trainer state object
     */
    public void save(ObjectNode state) {
        ObjectNode s = state.putObject("loss_scaler");
        s.put("scale", scale);
        s.put("growth_tracker", cleanSteps);
        s.put("skipped_steps", skipped);
    }

    /**
     * Restores the state {@link #save} wrote.
     *
     * @param state the trainer state object
     * @throws IllegalArgumentException when the state has no scaler (a checkpoint of a float32 run)
     */
    public void restore(JsonNode state) {
        JsonNode s = state.get("loss_scaler");
        if (s == null || !s.isObject()) {
            throw new IllegalArgumentException("the checkpoint holds no loss-scaler state");
        }
        scale = s.path("scale").asDouble();
        cleanSteps = s.path("growth_tracker").asInt();
        skipped = s.path("skipped_steps").asLong();
    }
}
