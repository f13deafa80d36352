package dev.dpo4j.core.loss;

import java.util.List;

/** Entry points for building losses from their TRL names (config files, command-line flags). */
public final class PreferenceLosses {

    private PreferenceLosses() {
    }

    /**
     * A new loss by {@code loss_type} name.
     *
     * @param name e.g. {@code "sigmoid"}, {@code "ipo"}
     * @return the loss
     * @throws IllegalArgumentException listing the valid names when the name is unknown
     */
    public static PreferenceLoss of(String name) {
        return LossType.of(name).create();
    }

    /** @return every valid {@code loss_type} name */
    public static List<String> names() {
        return LossType.names();
    }

    /**
     * The training objective of TRL's {@code loss_type} list and {@code loss_weights}.
     *
     * @param lossTypes one or more names
     * @param lossWeights one weight per name, or null for 1.0 each (TRL's default)
     * @return the weighted sum
     */
    public static WeightedLoss objective(List<String> lossTypes, List<Double> lossWeights) {
        return WeightedLoss.of(lossTypes, lossWeights);
    }
}
