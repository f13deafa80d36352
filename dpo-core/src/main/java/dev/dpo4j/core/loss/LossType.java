package dev.dpo4j.core.loss;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** The registry of preference losses by TRL {@code loss_type} name; each constant makes a new loss. */
public enum LossType {
    /** {@link SigmoidLoss}. */
    SIGMOID("sigmoid", SigmoidLoss::new),
    /** {@link HingeLoss}. */
    HINGE("hinge", HingeLoss::new),
    /** {@link IpoLoss}. */
    IPO("ipo", IpoLoss::new),
    /** {@link ExoPairLoss}. */
    EXO_PAIR("exo_pair", ExoPairLoss::new),
    /** {@link NcaPairLoss}. */
    NCA_PAIR("nca_pair", NcaPairLoss::new),
    /** {@link RobustLoss}. */
    ROBUST("robust", RobustLoss::new),
    /** {@link BcoPairLoss} with Δ = 0 (current TRL). */
    BCO_PAIR("bco_pair", BcoPairLoss::new),
    /** {@link SppoHardLoss}. */
    SPPO_HARD("sppo_hard", SppoHardLoss::new),
    /** {@link ApoZeroLoss}. */
    APO_ZERO("apo_zero", ApoZeroLoss::new),
    /** {@link ApoDownLoss}. */
    APO_DOWN("apo_down", ApoDownLoss::new),
    /** {@link DiscoPopLoss}. */
    DISCOPOP("discopop", DiscoPopLoss::new),
    /** {@link SigmoidNormLoss}. */
    SIGMOID_NORM("sigmoid_norm", SigmoidNormLoss::new),
    /** {@link SftLoss}. */
    SFT("sft", SftLoss::new),
    /** {@link ConservativeSigmoidLoss} (not a current TRL name: TRL's old sigmoid with label smoothing). */
    CDPO("cdpo", ConservativeSigmoidLoss::new);

    private final String trlName;
    private final Supplier<PreferenceLoss> factory;

    LossType(String trlName, Supplier<PreferenceLoss> factory) {
        this.trlName = trlName;
        this.factory = factory;
    }

    /** @return the {@code loss_type} name, e.g. {@code "exo_pair"} */
    public String trlName() {
        return trlName;
    }

    /** @return a new instance of the loss */
    public PreferenceLoss create() {
        return factory.get();
    }

    /**
     * Looks a loss up by name (trimmed, case-insensitive).
     *
     * @param name a {@code loss_type} name
     * @return its constant
     * @throws IllegalArgumentException naming the valid names when it is unknown
     */
    public static LossType of(String name) {
        if (name == null) {
            throw new IllegalArgumentException("loss_type must not be null; valid names: " + String.join(", ", names()));
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (LossType t : values()) {
            if (t.trlName.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown loss_type '" + name + "'; valid names: "
                + String.join(", ", names()));
    }

    /** @return every valid name, in declaration order */
    public static List<String> names() {
        return Arrays.stream(values()).map(LossType::trlName).toList();
    }
}
