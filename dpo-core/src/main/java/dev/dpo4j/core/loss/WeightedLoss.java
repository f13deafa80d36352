package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import dev.dpo4j.core.util.Scalars;

/**
 * A training objective: a weighted sum of preference losses, TRL's {@code loss_type} list with
 * {@code loss_weights} (e.g. MPO's sigmoid 0.8 + bco_pair 0.2 + sft 1.0).
 *
 * <pre>
 *   loss = Σ_k w_k · reduce_k(perSequence_k)
 * </pre>
 * Each part keeps its own batch reduction (the mean, or sft's token-weighted mean).
 *
 * @param terms the losses and their weights, at least one
 */
public record WeightedLoss(List<Term> terms) {

    /**
     * One part of the sum.
     *
     * @param loss the loss
     * @param weight its weight, finite
     */
    public record Term(PreferenceLoss loss, double weight) {

        /** Validates the term. */
        public Term {
            Objects.requireNonNull(loss, "loss");
            if (!Double.isFinite(weight)) {
                throw new IllegalArgumentException("loss weight for '" + loss.name() + "' must be finite, got "
                        + weight);
            }
        }
    }

    /** Validates and copies the terms. */
    public WeightedLoss {
        if (terms == null || terms.isEmpty()) {
            throw new IllegalArgumentException("a WeightedLoss needs at least one loss");
        }
        terms = List.copyOf(terms);
    }

    /**
     * A single loss with weight 1.
     *
     * @param loss the loss
     * @return the objective
     */
    public static WeightedLoss of(PreferenceLoss loss) {
        return of(loss, 1.0);
    }

    /**
     * A single weighted loss.
     *
     * @param loss the loss
     * @param weight its weight
     * @return the objective
     */
    public static WeightedLoss of(PreferenceLoss loss, double weight) {
        return new WeightedLoss(List.of(new Term(loss, weight)));
    }

    /**
     * From TRL's {@code loss_type} and {@code loss_weights} lists.
     *
     * @param lossTypes one or more names
     * @param lossWeights one weight per name, or null for 1.0 each
     * @return the objective
     */
    public static WeightedLoss of(List<String> lossTypes, List<Double> lossWeights) {
        if (lossTypes == null || lossTypes.isEmpty()) {
            throw new IllegalArgumentException("loss_type must name at least one loss; valid names: "
                    + String.join(", ", LossType.names()));
        }
        if (lossWeights != null && lossWeights.size() != lossTypes.size()) {
            throw new IllegalArgumentException("loss_weights has " + lossWeights.size() + " entries but loss_type has "
                    + lossTypes.size() + " " + lossTypes + "; give one weight per loss type");
        }
        List<Term> terms = new ArrayList<>();
        for (int i = 0; i < lossTypes.size(); i++) {
            Double w = lossWeights == null ? Double.valueOf(1.0) : lossWeights.get(i);
            if (w == null) {
                throw new IllegalArgumentException("loss_weights[" + i + "] is null");
            }
            terms.add(new Term(PreferenceLosses.of(lossTypes.get(i)), w));
        }
        return new WeightedLoss(terms);
    }

    /**
     * This objective plus one more term.
     *
     * @param loss the loss to add
     * @param weight its weight
     * @return a new objective
     */
    public WeightedLoss and(PreferenceLoss loss, double weight) {
        List<Term> more = new ArrayList<>(terms);
        more.add(new Term(loss, weight));
        return new WeightedLoss(more);
    }

    /** @return the loss names in order, e.g. [sigmoid, sft] */
    public List<String> names() {
        return terms.stream().map(t -> t.loss().name()).toList();
    }

    /**
     * The batch loss Σ_k w_k · reduce_k.
     *
     * @param in the batch's log-probs
     * @param settings beta, label smoothing, DiscoPOP tau
     * @return () float64 scalar, differentiable w.r.t. the policy log-probs
     */
    public NDArray loss(PreferenceLogps in, LossSettings settings) {
        NDArray total = null;
        for (Term t : terms) {
            NDArray part = Scalars.mul(t.loss().loss(in, settings), t.weight());
            total = total == null ? part : total.add(part);
        }
        return total;
    }

    /**
     * The batch loss with rewards and metrics.
     *
     * @param in the batch's log-probs
     * @param settings beta, label smoothing, DiscoPOP tau
     * @return the result
     */
    public LossResult compute(PreferenceLogps in, LossSettings settings) {
        return LossResult.of(loss(in, settings), in, settings);
    }
}
