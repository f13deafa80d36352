package dev.dpo4j.core.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * The optimizers by the names of TRL's and llmforge's {@code optimizer} key, each with its factory, as
 * {@link dev.dpo4j.core.loss.LossType} is for losses: an unknown name is refused listing the choices, and
 * the CLI's help lists {@link #names()}.
 */
public enum OptimizerType {
    /** Decoupled weight decay Adam (torch's AdamW defaults). */
    ADAMW(AdamW.NAME, weightDecay -> AdamW.builder().optWeightDecay(weightDecay).build()),
    /** Plain SGD (torch's defaults: no momentum). */
    SGD(Sgd.NAME, weightDecay -> Sgd.builder().optWeightDecay(weightDecay).build());

    private final String configName;
    private final DoubleFunction<Optimizer> factory;

    OptimizerType(String configName, DoubleFunction<Optimizer> factory) {
        this.configName = configName;
        this.factory = factory;
    }

    /** @return the name in configs and on the command line, e.g. {@code adamw} */
    public String configName() {
        return configName;
    }

    /**
     * A new optimizer of this type.
     *
     * @param weightDecay the decoupled weight decay
     * @return the optimizer; the caller closes it
     */
    public Optimizer create(double weightDecay) {
        return factory.apply(weightDecay);
    }

    /**
     * The type of a name, ignoring case and surrounding blanks.
     *
     * @param name e.g. {@code adamw}
     * @return the type
     * @throws IllegalArgumentException listing the valid names when the name is unknown or null
     */
    public static OptimizerType of(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (OptimizerType t : values()) {
            if (t.configName.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + name + "'; valid names: " + String.join(", ", names()));
    }

    /** @return every valid name, in declaration order */
    public static List<String> names() {
        return Arrays.stream(values()).map(OptimizerType::configName).toList();
    }
}
