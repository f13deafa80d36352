package dev.dpo4j.core.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of logits: argmax when greedy, otherwise temperature, top-k and
 * top-p (nucleus, Holtzman et al. 2019) filtering followed by a draw, with the semantics of
 * transformers' logits warpers (top-k keeps every token scoring at least the k-th best; top-p keeps the
 * smallest most-likely set whose probability reaches p, and always at least one token).
 */
final class Sampler {
    private Sampler() {
    }

    /** Index of the largest value; the first one on ties, as {@code torch.argmax}. */
    static int argmax(float[] logits, int offset, int length) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            float v = logits[offset + i];
            if (v > bestValue || (Float.isNaN(v) && !Float.isNaN(bestValue))) {
                best = i;
                bestValue = v;
            }
        }
        return best;
    }

    /**
     * Samples a token.
     *
     * @param logits logits of the batch, row-major
     * @param offset start of this row
     * @param length vocabulary size V
     * @param config temperature, top-k, top-p
     * @param random this row's random stream
     * @return the token id
     */
    static int sample(float[] logits, int offset, int length, GenerationConfig config, SplittableRandom random) {
        double[] scaled = new double[length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            scaled[i] = logits[offset + i] / config.temperature();
            max = Math.max(max, scaled[i]);
        }
        if (config.topK() > 0 && config.topK() < length) {
            double[] sorted = scaled.clone();
            Arrays.sort(sorted);
            double kth = sorted[length - config.topK()];
            for (int i = 0; i < length; i++) {
                if (scaled[i] < kth) {
                    scaled[i] = Double.NEGATIVE_INFINITY;
                }
            }
        }
        double[] probs = new double[length];
        double total = 0;
        for (int i = 0; i < length; i++) {
            probs[i] = Math.exp(scaled[i] - max);
            total += probs[i];
        }
        for (int i = 0; i < length; i++) {
            probs[i] /= total;
        }
        if (config.topP() < 1.0) {
            double[] sorted = probs.clone();
            Arrays.sort(sorted);
            double cumulative = 0;
            double cutoff = sorted[length - 1];
            for (int i = length - 1; i >= 0; i--) {
                cumulative += sorted[i];
                cutoff = sorted[i];
                if (cumulative >= config.topP()) {
                    break;
                }
            }
            total = 0;
            for (int i = 0; i < length; i++) {
                if (probs[i] < cutoff) {
                    probs[i] = 0;
                }
                total += probs[i];
            }
            for (int i = 0; i < length; i++) {
                probs[i] /= total;
            }
        }
        double u = random.nextDouble();
        double acc = 0;
        int last = 0;
        for (int i = 0; i < length; i++) {
            if (probs[i] > 0) {
                acc += probs[i];
                last = i;
                if (u < acc) {
                    return i;
                }
            }
        }
        return last;
    }
}
