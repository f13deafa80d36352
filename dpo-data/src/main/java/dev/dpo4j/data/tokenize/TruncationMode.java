package dev.dpo4j.data.tokenize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which end of an over-long prompt {@link Truncation} keeps, as TRL's {@code truncation_mode}.
 */
public enum TruncationMode {
    /** Keep the prompt's last tokens (TRL's default {@code keep_end}): the question nearest the answer survives. */
    KEEP_END("keep_end"),
    /** Keep the prompt's first tokens ({@code keep_start}): a leading system prompt or instruction survives. */
    KEEP_START("keep_start");

    private final String trlName;

    TruncationMode(String trlName) {
        this.trlName = trlName;
    }

    /**
     * The name TRL and the YAML configs use.
     *
     * @return {@code keep_end} or {@code keep_start}
     */
    @JsonValue
    public String trlName() {
        return trlName;
    }

    /**
     * Parses a TRL name; the Java constant names ({@code KEEP_END}) are accepted too.
     *
     * @param name {@code keep_end} or {@code keep_start}, any case
     * @return the mode
     * @throws IllegalArgumentException naming the accepted values when {@code name} is none of them
     */
    @JsonCreator
    public static TruncationMode fromName(String name) {
        for (TruncationMode mode : values()) {
            if (mode.trlName.equalsIgnoreCase(name) || mode.name().equalsIgnoreCase(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("truncation_mode must be one of "
                + Arrays.stream(values()).map(TruncationMode::trlName).collect(Collectors.joining(", "))
                + ", got '" + name + "'");
    }

    /**
     * The TRL name.
     *
     * @return {@link #trlName()}
     */
    @Override
    public String toString() {
        return trlName;
    }
}
