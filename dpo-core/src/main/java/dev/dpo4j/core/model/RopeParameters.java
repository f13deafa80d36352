package dev.dpo4j.core.model;

import java.util.Arrays;

/**
 * One set of rotary-embedding parameters: a {@code rope_parameters} dict of transformers 5 (one per
 * layer type for Gemma 3), or the legacy {@code rope_theta} + {@code rope_scaling} pair it replaces.
 *
 * <p>Types follow {@code transformers.modeling_rope_utils}, each computing inverse frequencies in
 * float32 over the rotary dimensions {@code d = int(head_dim · partial_rotary_factor)}:
 * <ul>
 *   <li>{@code default}: {@code 1 / θ^(2i/d)}.</li>
 *   <li>{@code linear} (position interpolation): every frequency divided by {@code factor}.</li>
 *   <li>{@code llama3} (Llama 3.1): wavelengths longer than {@code original / low_freq_factor} divided by
 *       {@code factor}, shorter than {@code original / high_freq_factor} kept, a smooth blend between.</li>
 *   <li>{@code yarn} (Peng et al. 2023, "YaRN"): interpolated and extrapolated frequencies blended by a
 *       linear ramp over the dimensions between the {@code beta_fast} and {@code beta_slow} correction
 *       range; cos and sin are multiplied by the attention factor {@code 0.1·ln(factor) + 1} (or the
 *       configured {@code attention_factor}, or the {@code mscale}/{@code mscale_all_dim} ratio).</li>
 *   <li>{@code longrope} (Ding et al. 2024, "LongRoPE"; Phi-3): per-dimension {@code short_factor} while
 *       the sequence is at most {@code original_max_position_embeddings} long, {@code long_factor} past it;
 *       cos and sin are multiplied by {@code sqrt(1 + ln(s) / ln(original))} with
 *       {@code s = max_position_embeddings / original}.</li>
 *   <li>{@code dynamic} (dynamic NTK): θ grows with the sequence length once it passes
 *       {@code max_position_embeddings}: {@code θ · (factor·L/max − (factor − 1))^(d/(d−2))}.</li>
 * </ul>
 * The length-dependent types ({@code longrope}, {@code dynamic}) take L = the largest position of a
 * forward pass plus one, as transformers' {@code dynamic_rope_update} does.
 *
 * @param type the {@code rope_type}
 * @param theta {@code rope_theta}
 * @param partialRotaryFactor {@code partial_rotary_factor}: the rotated share of each head (1 = all)
 * @param factor the scaling factor; for {@code longrope} and a {@code yarn} without one,
 *     {@code max_position_embeddings / original_max_position_embeddings}
 * @param lowFreqFactor llama3 {@code low_freq_factor}
 * @param highFreqFactor llama3 {@code high_freq_factor}
 * @param originalMaxPositionEmbeddings llama3/yarn/longrope: the pre-extension context length
 * @param attentionFactor yarn/longrope: the cos/sin multiplier, NaN when derived
 * @param betaFast yarn {@code beta_fast} (default 32)
 * @param betaSlow yarn {@code beta_slow} (default 1)
 * @param mscale yarn {@code mscale}, 0 when absent
 * @param mscaleAllDim yarn {@code mscale_all_dim}, 0 when absent
 * @param truncate yarn {@code truncate}: floor/ceil the correction range (default true)
 * @param shortFactor longrope {@code short_factor} (d/2 values), else empty
 * @param longFactor longrope {@code long_factor} (d/2 values), else empty
 */
public record RopeParameters(String type, double theta, double partialRotaryFactor, double factor,
                             double lowFreqFactor, double highFreqFactor, double originalMaxPositionEmbeddings,
                             double attentionFactor, double betaFast, double betaSlow, double mscale,
                             double mscaleAllDim, boolean truncate, double[] shortFactor, double[] longFactor) {

    /** The rope types dpo4j computes, for error messages. */
    public static final String SUPPORTED = "default, linear, llama3, yarn, longrope, dynamic";

    /**
     * Unscaled RoPE.
     *
     * @param theta {@code rope_theta}
     * @param partialRotaryFactor the rotated share of each head
     * @return the parameters
     */
    public static RopeParameters plain(double theta, double partialRotaryFactor) {
        return new RopeParameters("default", theta, partialRotaryFactor, 1, 1, 4, 0, Double.NaN, 32, 1, 0, 0, true,
                new double[0], new double[0]);
    }

    /** The same parameters with another type and factor (tests and builders). */
    RopeParameters withType(String newType, double newFactor) {
        return new RopeParameters(newType, theta, partialRotaryFactor, newFactor, lowFreqFactor, highFreqFactor,
                originalMaxPositionEmbeddings, attentionFactor, betaFast, betaSlow, mscale, mscaleAllDim, truncate,
                shortFactor, longFactor);
    }

    /** Whether the frequencies depend on the sequence length ({@code longrope}, {@code dynamic}). */
    public boolean lengthDependent() {
        return type.equals("longrope") || type.equals("dynamic");
    }

    /**
     * The rotary dimensions of a head: {@code int(head_dim · partial_rotary_factor)}.
     *
     * @param headDim D
     * @return d ≤ D, even
     */
    public int rotaryDim(int headDim) {
        return (int) (headDim * partialRotaryFactor);
    }

    /**
     * Which frequency table a sequence of length L uses: equal regimes give identical tables, so a KV
     * cache filled in one regime stays valid in it. {@code longrope}: 0 (short factors) or 1 (long);
     * {@code dynamic}: L itself past {@code max_position_embeddings}; otherwise 0.
     *
     * @param length L, the largest position plus one
     * @param maxPositionEmbeddings {@code max_position_embeddings}
     * @return the regime
     */
    public long regime(long length, int maxPositionEmbeddings) {
        return switch (type) {
            case "longrope" -> length > originalMaxPositionEmbeddings ? 1 : 0;
            case "dynamic" -> Math.max(length, maxPositionEmbeddings);
            default -> 0;
        };
    }

    /**
     * The inverse frequencies and the cos/sin multiplier for a sequence length.
     *
     * @param headDim D
     * @param maxPositionEmbeddings {@code max_position_embeddings}
     * @param length L, the largest position of the pass plus one (only length-dependent types read it)
     * @return d/2 inverse frequencies (float32, as transformers computes them) and the attention scaling
     */
    public Frequencies frequencies(int headDim, int maxPositionEmbeddings, long length) {
        int dim = rotaryDim(headDim);
        int half = dim / 2;
        float[] inv = new float[half];
        switch (type) {
            case "default", "linear" -> {
                float divisor = type.equals("linear") ? (float) factor : 1f;
                for (int i = 0; i < half; i++) {
                    inv[i] = base(theta, i, dim) / divisor;
                }
                return new Frequencies(inv, 1f);
            }
            case "llama3" -> {
                return new Frequencies(llama3(dim), 1f);
            }
            case "yarn" -> {
                return yarn(dim);
            }
            case "longrope" -> {
                double[] ext = length > originalMaxPositionEmbeddings ? longFactor : shortFactor;
                for (int i = 0; i < half; i++) {
                    float pow = (float) Math.pow(theta, (float) (2 * i) / dim);
                    inv[i] = 1f / ((float) ext[i] * pow);
                }
                float scaling;
                if (!Double.isNaN(attentionFactor)) {
                    scaling = (float) attentionFactor;
                } else {
                    scaling = factor <= 1 ? 1f
                            : (float) Math.sqrt(1 + Math.log(factor) / Math.log(originalMaxPositionEmbeddings));
                }
                return new Frequencies(inv, scaling);
            }
            case "dynamic" -> {
                double len = Math.max(length, maxPositionEmbeddings);
                double base = theta * Math.pow(factor * len / maxPositionEmbeddings - (factor - 1),
                        (double) dim / (dim - 2));
                for (int i = 0; i < half; i++) {
                    inv[i] = base(base, i, dim);
                }
                return new Frequencies(inv, 1f);
            }
            default -> throw new IllegalStateException("unsupported rope type " + type);
        }
    }

    /** {@code 1 / θ^(2i/d)} with a float32 exponent and result. */
    private static float base(double theta, int i, int dim) {
        return 1.0f / (float) Math.pow(theta, (float) (2 * i) / dim);
    }

    private float[] llama3(int dim) {
        float[] out = new float[dim / 2];
        double lowWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
        double highWavelen = originalMaxPositionEmbeddings / highFreqFactor;
        for (int i = 0; i < out.length; i++) {
            float f = base(theta, i, dim);
            float wavelen = (float) (2 * Math.PI / f);
            // Long wavelengths are interpolated by the factor, short ones kept.
            float scaled = wavelen > lowWavelen ? (float) (f / factor) : f;
            boolean medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
            if (medium) {
                // Smoothly blend between interpolated and original frequency.
                float smooth = (float) ((originalMaxPositionEmbeddings / wavelen - lowFreqFactor)
                        / (highFreqFactor - lowFreqFactor));
                scaled = (float) ((1 - smooth) * scaled / factor + smooth * scaled);
            }
            out[i] = scaled;
        }
        return out;
    }

    private Frequencies yarn(int dim) {
        int half = dim / 2;
        float scaling;
        if (!Double.isNaN(attentionFactor)) {
            scaling = (float) attentionFactor;
        } else if (mscale != 0 && mscaleAllDim != 0) {
            scaling = (float) (mscale(factor, mscale) / mscale(factor, mscaleAllDim));
        } else {
            scaling = (float) mscale(factor, 1);
        }
        // The dimensions rotating fewer than beta_slow times over the original context are interpolated,
        // those rotating more than beta_fast times extrapolated (kept), with a linear ramp between.
        double low = correctionDim(betaFast, dim);
        double high = correctionDim(betaSlow, dim);
        if (truncate) {
            low = Math.floor(low);
            high = Math.ceil(high);
        }
        low = Math.max(low, 0);
        high = Math.min(high, dim - 1);
        if (low == high) {
            high += 0.001; // transformers' guard against a zero-width ramp
        }
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            float pos = (float) Math.pow(theta, (float) (2 * i) / dim);
            float extrapolation = 1f / pos;
            float interpolation = 1f / ((float) factor * pos);
            float ramp = (float) ((i - (float) low) / (float) (high - low));
            ramp = Math.min(1f, Math.max(0f, ramp));
            float keep = 1 - ramp; // share of the extrapolated (unscaled) frequency
            inv[i] = interpolation * (1 - keep) + extrapolation * keep;
        }
        return new Frequencies(inv, scaling);
    }

    /** The dimension whose wavelength fits {@code rotations} times into the original context. */
    private double correctionDim(double rotations, int dim) {
        return dim * Math.log(originalMaxPositionEmbeddings / (rotations * 2 * Math.PI)) / (2 * Math.log(theta));
    }

    private static double mscale(double scale, double m) {
        return scale <= 1 ? 1.0 : 0.1 * m * Math.log(scale) + 1.0;
    }

    /**
     * Inverse frequencies and the cos/sin multiplier of one table.
     *
     * @param inverse d/2 inverse frequencies
     * @param scaling multiplies cos and sin (yarn/longrope attention factor; 1 otherwise)
     */
    public record Frequencies(float[] inverse, float scaling) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RopeParameters r && type.equals(r.type) && theta == r.theta
                && partialRotaryFactor == r.partialRotaryFactor && factor == r.factor
                && lowFreqFactor == r.lowFreqFactor && highFreqFactor == r.highFreqFactor
                && originalMaxPositionEmbeddings == r.originalMaxPositionEmbeddings
                && Double.compare(attentionFactor, r.attentionFactor) == 0 && betaFast == r.betaFast
                && betaSlow == r.betaSlow && mscale == r.mscale && mscaleAllDim == r.mscaleAllDim
                && truncate == r.truncate && Arrays.equals(shortFactor, r.shortFactor)
                && Arrays.equals(longFactor, r.longFactor);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Double.hashCode(theta) + 17 * Arrays.hashCode(longFactor);
    }

    @Override
    public String toString() {
        return "RopeParameters[" + type + ", theta " + theta + (factor != 1 ? ", factor " + factor : "")
                + (partialRotaryFactor != 1 ? ", partial " + partialRotaryFactor : "") + "]";
    }
}
