package dev.dpo4j.data.io;

import dev.dpo4j.core.hub.ModelRef;
import java.util.Objects;

/**
 * A split of a Hugging Face Hub dataset: the repository, an optional configuration (subset), the
 * split and the revision, as in Python's {@code load_dataset(repo_id, config, split=..., revision=...)}.
 *
 * <p>Written as text, {@code org/name[:config][@revision]}: for example {@code abisee/cnn_dailymail:3.0.0},
 * {@code HuggingFaceH4/ultrafeedback_binarized@main} or {@code Anthropic/hh-rlhf:harmless-base}.
 *
 * @param repoId the dataset repository, such as {@code abisee/cnn_dailymail}; validated by the
 *     rules of {@link ModelRef}
 * @param config the configuration (subset), such as {@code 3.0.0}, or null for none (the Hub's
 *     {@value #DEFAULT_CONFIG} configuration)
 * @param split the split, such as {@code train}, {@code test} or {@code train_prefs}
 * @param revision the branch, tag or commit, {@value ModelRef#DEFAULT_REVISION} by default
 */
public record HubDatasetRef(String repoId, String config, String split, String revision) {

    /** The split used when none is given. */
    public static final String DEFAULT_SPLIT = "train";

    /** The configuration name the Hub uses for a dataset that has only one. */
    public static final String DEFAULT_CONFIG = "default";

    /** The Hub's revision holding every dataset converted to Parquet. */
    public static final String PARQUET_CONVERSION_REVISION = "refs/convert/parquet";

    /**
     * Validates the fields.
     *
     * @throws dev.dpo4j.core.hub.HubException of kind {@code INVALID_REFERENCE} for a malformed id or
     *     revision
     * @throws IllegalArgumentException for a blank split or config, or one containing {@code /}
     */
    public HubDatasetRef {
        Objects.requireNonNull(repoId, "repoId");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(revision, "revision");
        new ModelRef(repoId, revision);
        if (split.isBlank() || split.contains("/")) {
            throw new IllegalArgumentException(repoId + ": split must be a name such as 'train', got '" + split + "'");
        }
        if (config != null && (config.isBlank() || config.contains("/"))) {
            throw new IllegalArgumentException(repoId + ": config must be a name such as '3.0.0', got '" + config + "'");
        }
    }

    /**
     * The {@value #DEFAULT_SPLIT} split of a dataset at {@value ModelRef#DEFAULT_REVISION}, without a config.
     *
     * @param repoId the dataset repository
     * @return the reference
     */
    public static HubDatasetRef of(String repoId) {
        return new HubDatasetRef(repoId, null, DEFAULT_SPLIT, ModelRef.DEFAULT_REVISION);
    }

    /**
     * Parses {@code org/name[:config][@revision]}, for the {@value #DEFAULT_SPLIT} split.
     *
     * @param text the reference
     * @return the reference
     */
    public static HubDatasetRef parse(String text) {
        return parse(text, DEFAULT_SPLIT);
    }

    /**
     * Parses {@code org/name[:config][@revision]}, for the given split.
     *
     * @param text the reference
     * @param split the split
     * @return the reference
     * @throws IllegalArgumentException when the text is blank or a part after {@code :} or {@code @} is empty
     */
    public static HubDatasetRef parse(String text, String split) {
        Objects.requireNonNull(text, "text");
        String rest = text.strip();
        String revision = ModelRef.DEFAULT_REVISION;
        int at = rest.indexOf('@');
        if (at >= 0) {
            revision = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (revision.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "': nothing follows '@'; write org/name@revision");
            }
        }
        String config = null;
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            config = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (config.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "': nothing follows ':'; write org/name:config");
            }
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': no dataset id; write org/name[:config][@revision]");
        }
        return new HubDatasetRef(rest, config, split, revision);
    }

    /**
     * The same dataset with another split.
     *
     * @param newSplit the split
     * @return the reference
     */
    public HubDatasetRef withSplit(String newSplit) {
        return new HubDatasetRef(repoId, config, newSplit, revision);
    }

    /**
     * The same dataset with another configuration.
     *
     * @param newConfig the configuration, or null for none
     * @return the reference
     */
    public HubDatasetRef withConfig(String newConfig) {
        return new HubDatasetRef(repoId, newConfig, split, revision);
    }

    /**
     * The same dataset at another revision.
     *
     * @param newRevision the branch, tag or commit
     * @return the reference
     */
    public HubDatasetRef withRevision(String newRevision) {
        return new HubDatasetRef(repoId, config, split, newRevision);
    }

    /**
     * The repository and revision, as {@link dev.dpo4j.core.hub.HubClient} takes them.
     *
     * @return the reference without config and split
     */
    public ModelRef repo() {
        return new ModelRef(repoId, revision);
    }

    /**
     * The reference as text, with the split: {@code org/name[:config]@revision[split]}.
     *
     * @return for example {@code abisee/cnn_dailymail:3.0.0@main[test]}
     */
    @Override
    public String toString() {
        return repoId + (config == null ? "" : ":" + config) + "@" + revision + "[" + split + "]";
    }
}
