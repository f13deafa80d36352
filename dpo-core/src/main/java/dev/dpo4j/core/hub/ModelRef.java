package dev.dpo4j.core.hub;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Hub repository id with a revision: {@code org/name} (revision {@code main}) or
 * {@code org/name@revision}, where the revision is a branch, a tag or a commit sha.
 * Legacy single-segment ids such as {@code gpt2} are accepted too.
 *
 * <p>Id rules follow the Hub: each segment starts and ends with a letter or digit, holds
 * only letters, digits, {@code -}, {@code _} and {@code .}, and contains neither
 * {@code --} nor {@code ..}; the whole id is at most 96 characters.
 *
 * @param repoId the repository id, such as {@code Qwen/Qwen2.5-0.5B-Instruct}
 * @param revision the branch, tag or commit, such as {@code main} or {@code v1.0}
 */
public record ModelRef(String repoId, String revision) {

    /** The revision used when none is given. */
    public static final String DEFAULT_REVISION = "main";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final int MAX_ID_LENGTH = 96;

    /**
     * Validates the id and revision.
     *
     * @param repoId the repository id
     * @param revision the branch, tag or commit
     * @throws HubException of kind {@code INVALID_REFERENCE} when either is malformed
     */
    public ModelRef {
        Objects.requireNonNull(repoId, "repoId");
        Objects.requireNonNull(revision, "revision");
        String problem = idProblem(repoId);
        if (problem != null) {
            throw invalid(repoId, problem);
        }
        if (revision.isBlank() || revision.chars().anyMatch(Character::isWhitespace)
                || revision.contains("..") || revision.startsWith("/") || revision.endsWith("/")) {
            throw invalid(repoId + "@" + revision, "the revision must be a branch, tag or commit sha");
        }
    }

    /**
     * Creates a reference to the {@value #DEFAULT_REVISION} revision.
     *
     * @param repoId the repository id
     * @return the reference
     */
    public static ModelRef of(String repoId) {
        return new ModelRef(repoId, DEFAULT_REVISION);
    }

    /**
     * Parses {@code org/name} or {@code org/name@revision}.
     *
     * @param text the reference
     * @return the reference
     * @throws HubException of kind {@code INVALID_REFERENCE} when the text is malformed
     */
    public static ModelRef parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        int at = trimmed.indexOf('@');
        if (at < 0) {
            return new ModelRef(trimmed, DEFAULT_REVISION);
        }
        if (at == trimmed.length() - 1) {
            throw invalid(trimmed, "nothing follows '@'; write org/name@revision");
        }
        return new ModelRef(trimmed.substring(0, at), trimmed.substring(at + 1));
    }

    /**
     * Returns whether the revision is a full 40-hex commit sha.
     *
     * @return {@code true} for a commit, {@code false} for a branch or tag
     */
    public boolean isCommit() {
        return isCommitHash(revision);
    }

    /**
     * Returns whether a text is a full 40-hex commit sha.
     *
     * @param text the text
     * @return {@code true} when it is a commit sha
     */
    public static boolean isCommitHash(String text) {
        return text != null && COMMIT.matcher(text).matches();
    }

    /**
     * Returns the reference as {@code org/name@revision}.
     *
     * @return the text form
     */
    @Override
    public String toString() {
        return repoId + "@" + revision;
    }

    private static String idProblem(String id) {
        if (id.isEmpty()) {
            return "the id is empty";
        }
        if (id.length() > MAX_ID_LENGTH) {
            return "ids are at most " + MAX_ID_LENGTH + " characters";
        }
        String[] segments = id.split("/", -1);
        if (segments.length > 2) {
            return "an id has at most one '/' (org/name)";
        }
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches() || segment.contains("--") || segment.contains("..")) {
                return "'" + segment + "' is not a valid name: use letters, digits, '-', '_' and '.', "
                        + "starting and ending with a letter or digit";
            }
        }
        return null;
    }

    private static HubException invalid(String text, String why) {
        return new HubException(HubException.Kind.INVALID_REFERENCE,
                "invalid model reference '" + text + "': " + why
                        + " (expected org/name, org/name@revision, or an existing local directory)");
    }
}
