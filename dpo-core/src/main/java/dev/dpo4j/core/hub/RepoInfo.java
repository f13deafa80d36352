package dev.dpo4j.core.hub;

import java.util.List;
import java.util.Objects;

/**
 * What the Hub's metadata endpoint ({@code /api/models/{repo}/revision/{revision}}) says
 * about one revision of a repository.
 *
 * @param commit the commit sha the revision points to (the JSON field {@code sha})
 * @param files the file paths in the repository (the {@code rfilename} of each entry of
 *     {@code siblings})
 */
public record RepoInfo(String commit, List<String> files) {

    /**
     * Validates and copies the fields.
     *
     * @param commit the commit sha
     * @param files the file paths
     */
    public RepoInfo {
        Objects.requireNonNull(commit, "commit");
        files = List.copyOf(files);
    }
}
