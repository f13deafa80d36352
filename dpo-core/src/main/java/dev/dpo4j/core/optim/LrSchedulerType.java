package dev.dpo4j.core.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The learning-rate schedule shapes of Hugging Face {@code transformers.get_scheduler}
 * ({@code lr_scheduler_type} in {@code TrainingArguments} and TRL configs) that dpo4j supports.
 * Each has an optional linear warmup from 0; see {@link LrScheduler} for the formulas.
 */
public enum LrSchedulerType {
    /**
     * Constant after warmup: HF's {@code constant_with_warmup} when there are warmup steps, its
     * plain {@code constant} otherwise. Note that HF's {@code "constant"} ignores any warmup; here
     * {@code "constant"} honours it (set no warmup to get HF's behaviour).
     */
    CONSTANT("constant"),
    /** Linear decay to 0 at the last step ({@code linear}, the HF default). */
    LINEAR("linear"),
    /** Half a cosine wave down to 0 at the last step ({@code cosine}, {@code num_cycles} 0.5). */
    COSINE("cosine");

    private final String hfName;

    LrSchedulerType(String hfName) {
        this.hfName = hfName;
    }

    /**
     * Returns the Hugging Face name of this type.
     *
     * @return e.g. {@code "cosine"}
     */
    public String hfName() {
        return hfName;
    }

    /**
     * Parses a Hugging Face scheduler name, ignoring case and surrounding blanks.
     * {@code constant_with_warmup} is accepted as {@link #CONSTANT}.
     *
     * @param name e.g. {@code "linear"}
     * @return the matching type
     * @throws IllegalArgumentException if the name is not supported, listing the valid names
     */
    public static LrSchedulerType fromName(String name) {
        if (name != null) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            if (key.equals("constant_with_warmup")) {
                return CONSTANT;
            }
            for (LrSchedulerType type : values()) {
                if (type.hfName.equals(key)) {
                    return type;
                }
            }
        }
        throw new IllegalArgumentException("lr_scheduler_type: unsupported value '" + name
                + "'; valid: " + String.join(", ", names()));
    }

    /**
     * Every name {@link #fromName} takes, transformers' {@code constant_with_warmup} included (the same
     * schedule as {@code constant} here, since warmup is its own setting).
     *
     * @return the names
     */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (LrSchedulerType type : values()) {
            names.add(type.hfName);
        }
        names.add(1, "constant_with_warmup");
        return List.copyOf(names);
    }
}
