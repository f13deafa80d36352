package dev.dpo4j.core.hub;

/**
 * The kind of Hub repository, which decides the cache folder prefix and the URL paths.
 *
 * <p>Models: cache folder {@code models--org--name}, files at {@code /{repo}/resolve/...},
 * metadata at {@code /api/models/{repo}/revision/...}. Datasets: {@code datasets--org--name},
 * {@code /datasets/{repo}/resolve/...} and {@code /api/datasets/...}.
 */
public enum RepoType {
    /** A model repository. */
    MODEL("models", ""),
    /** A dataset repository. */
    DATASET("datasets", "datasets/");

    private final String plural;
    private final String urlPrefix;

    RepoType(String plural, String urlPrefix) {
        this.plural = plural;
        this.urlPrefix = urlPrefix;
    }

    /**
     * Returns the cache folder name of a repository, as {@code huggingface_hub} writes it.
     *
     * @param repoId the repository id, such as {@code org/name}
     * @return for example {@code models--org--name}
     */
    public String cacheFolder(String repoId) {
        return plural + "--" + repoId.replace("/", "--");
    }

    /**
     * Returns the path segments before the repository id in a file URL.
     *
     * @return {@code ""} for models, {@code "datasets/"} for datasets
     */
    public String resolvePrefix() {
        return urlPrefix;
    }

    /**
     * Returns the path segment after {@code /api/} in the metadata URL.
     *
     * @return {@code models} or {@code datasets}
     */
    public String apiSegment() {
        return plural;
    }
}
