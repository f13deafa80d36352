package dev.dpo4j.core.hub;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves Hugging Face model references to local folders, downloading into the
 * {@code huggingface_hub}-compatible cache ({@link HubCache}) when needed.
 *
 * <p>The cache is asked first and a hit makes no request: if {@code refs/{revision}} exists
 * (or the revision is a commit with a snapshot folder) and the snapshot holds the needed
 * files, it is returned as is, so models downloaded earlier, or by Python, are used
 * offline. A cached branch is therefore not checked for newer commits; ask for a commit or
 * delete the ref to refresh. With {@code HF_HUB_OFFLINE} no request is ever made.
 *
 * <p>Otherwise the revision's metadata gives its commit and file list, the files dpo4j needs
 * ({@link ModelFiles}) are fetched pinned to that commit, and {@code refs/{revision}} is
 * written last. Each file is fetched by {@code HEAD} (commit, ETag, size, redirect target)
 * then {@code GET}, resumable and checked ({@link BlobDownloader}). The methods taking a
 * {@link RepoType} serve datasets the same way.
 *
 * <pre>{@code
 * HubClient hub = new HubClient(HubSettings.fromEnvironment());
 * Path dir = hub.resolveModel("Qwen/Qwen2.5-0.5B-Instruct");   // or "org/name@v1.0", or "./my-model"
 * }</pre>
 */
public final class HubClient {

    private static final Logger LOG = LoggerFactory.getLogger(HubClient.class);

    private final HubSettings settings;
    private final HubCache cache;
    private final HubHttp http;
    private final BlobDownloader downloader;

    /**
     * Creates a client with a default HTTP client, free-space check, retry policy and
     * progress bars on {@code System.err}.
     *
     * @param settings the Hub settings, usually {@link HubSettings#fromEnvironment()}
     */
    public HubClient(HubSettings settings) {
        this(builder(settings));
    }

    /**
     * Creates a client with the given HTTP client (tests pass one with short timeouts).
     *
     * @param settings the Hub settings
     * @param httpClient the OkHttp client; redirects are handled by this class whatever its setting
     */
    public HubClient(HubSettings settings, OkHttpClient httpClient) {
        this(builder(settings).optHttpClient(httpClient));
    }

    private HubClient(Builder builder) {
        this.settings = builder.settings;
        this.cache = new HubCache(settings.hubCache());
        OkHttpClient client = builder.httpClient != null ? builder.httpClient
                : new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(30))
                        .readTimeout(Duration.ofSeconds(60)).build();
        this.http = new HubHttp(settings, client, builder.retryPolicy);
        PrintStream fixedOut = builder.progressOut;
        boolean progress = builder.progress;
        this.downloader = new BlobDownloader(http, cache, builder.spaceCheck,
                () -> progress ? (fixedOut != null ? fixedOut : System.err) : null);
    }

    /**
     * Starts a builder for a client with custom parts.
     *
     * @param settings the Hub settings
     * @return the builder
     */
    public static Builder builder(HubSettings settings) {
        return new Builder(settings);
    }

    /**
     * Returns the settings.
     *
     * @return the settings this client was built with
     */
    public HubSettings settings() {
        return settings;
    }

    /**
     * Returns the cache layout.
     *
     * @return the cache at {@link HubSettings#hubCache()}
     */
    public HubCache cache() {
        return cache;
    }

    /**
     * Resolves a model reference or a local directory to a local directory holding the
     * model files. An existing directory always wins over a Hub id of the same spelling.
     *
     * @param refOrDirectory {@code org/name}, {@code org/name@revision}, or a directory path
     * @return the directory: the given one, or a cache snapshot
     * @throws HubException when the reference is malformed, a path does not exist, or the
     *     model cannot be found in the cache or fetched
     */
    public Path resolveModel(String refOrDirectory) {
        Objects.requireNonNull(refOrDirectory, "refOrDirectory");
        String text = refOrDirectory.strip();
        Optional<Path> path = asPath(text);
        if (path.isPresent() && Files.isDirectory(path.get())) {
            return path.get().toAbsolutePath().normalize();
        }
        if (path.isPresent() && (looksLikePath(text) || Files.exists(path.get()))) {
            throw new HubException(HubException.Kind.LOCAL_NOT_FOUND, "local model directory '" + text + "' "
                    + (Files.exists(path.get()) ? "is not a directory" : "does not exist")
                    + " (resolved to " + path.get().toAbsolutePath().normalize() + ")");
        }
        if (path.isEmpty() || !text.contains("/")) {
            return resolveModel(ModelRef.parse(text));
        }
        // "models/llama-tiny" reads as a relative folder and as a Hub id: when neither works, say both
        try {
            return resolveModel(ModelRef.parse(text));
        } catch (HubException e) {
            if (!LOOKED_UP_AS_ID.contains(e.kind())) {
                throw e; // the Hub knows the id (an auth or gating answer, a full disk): a folder was not meant
            }
            throw new HubException(e.kind(), "no local directory " + text + " (" + path.get().toAbsolutePath().normalize()
                    + " does not exist); as a Hub id: " + e.getMessage(), e);
        }
    }

    /**
     * Resolves a Hub model to a cache snapshot holding its configuration, tokenizer and
     * safetensors weights, downloading what is missing.
     *
     * @param ref the model and revision
     * @return the snapshot directory {@code .../snapshots/{commit}}
     * @throws HubException when the model is not cached in offline mode, or cannot be fetched
     */
    public Path resolveModel(ModelRef ref) {
        Optional<String> cached = cache.cachedCommit(RepoType.MODEL, ref);
        if (cached.isPresent()) {
            Path snapshot = cache.snapshotDir(RepoType.MODEL, ref.repoId(), cached.get());
            List<String> missing = ModelFiles.missing(snapshot);
            if (missing.isEmpty()) {
                LOG.debug("Using cached {} at {}", ref, snapshot);
                return snapshot;
            }
            requireOnline(ref + ": the cached snapshot " + snapshot + " lacks " + String.join(", ", missing));
        }
        requireOnline(ref + ": the cache " + cache.repoDir(RepoType.MODEL, ref.repoId())
                + " has no refs/" + ref.revision() + " and no snapshot for it");
        RepoInfo info = http.fetchRepoInfo(RepoType.MODEL, ref);
        ModelRef pinned = new ModelRef(ref.repoId(), info.commit());
        List<String> files = new ArrayList<>(ModelFiles.metadataFiles(info.files()));
        if (!files.contains("config.json") && !files.contains("adapter_config.json")) {
            throw new HubException(HubException.Kind.FILE_NOT_FOUND, "repository " + ref + " has no config.json;"
                    + " is it a transformers model repository?");
        }
        boolean sharded = files.contains(ModelFiles.INDEX);
        // Without an index the weights are known from the listing: fail before downloading anything.
        List<String> weights = sharded ? List.of() : ModelFiles.unindexedWeights(ref, info.files());
        LOG.info("Fetching {} (commit {}) into {}", ref, info.commit(), cache.repoDir(RepoType.MODEL, ref.repoId()));
        downloadAll(RepoType.MODEL, pinned, files);
        if (sharded) {
            weights = ModelFiles.shardsFromIndex(
                    cache.snapshotFile(RepoType.MODEL, ref.repoId(), info.commit(), ModelFiles.INDEX));
        }
        for (String shard : weights) {
            if (!info.files().contains(shard)) {
                throw new HubException(HubException.Kind.FILE_NOT_FOUND, ModelFiles.INDEX + " of " + ref
                        + " names shard '" + shard + "', which the repository does not hold");
            }
        }
        downloadAll(RepoType.MODEL, pinned, weights);
        cache.writeRef(RepoType.MODEL, ref, info.commit());
        return cache.snapshotDir(RepoType.MODEL, ref.repoId(), info.commit());
    }

    /**
     * Downloads one file of a model, or returns it from the cache without a request.
     *
     * @param ref the model and revision
     * @param filename the file's path in the repository
     * @return the file in the cache snapshot
     * @throws HubException when it is not cached in offline mode, or cannot be fetched
     */
    public Path downloadFile(ModelRef ref, String filename) {
        return downloadFile(RepoType.MODEL, ref, filename);
    }

    /**
     * Downloads one file of a model or dataset repository, or returns it from the cache
     * without a request.
     *
     * @param type the repository type
     * @param ref the repository and revision
     * @param filename the file's path in the repository
     * @return the file in the cache snapshot
     * @throws HubException when it is not cached in offline mode, or cannot be fetched
     */
    public Path downloadFile(RepoType type, ModelRef ref, String filename) {
        Optional<Path> cached = cache.cachedFile(type, ref, filename);
        if (cached.isPresent()) {
            return cached.get();
        }
        requireOnline("'" + filename + "' of " + ref + " is not in the cache " + cache.repoDir(type, ref.repoId()));
        FileMetadata meta = http.fetchFileMetadata(type, ref, filename);
        downloader.ensureBlob(type, ref, filename, meta);
        Path file = cache.linkSnapshot(type, ref.repoId(), meta.commit(), filename, meta.etag());
        cache.writeRef(type, ref, meta.commit());
        return file;
    }

    /**
     * Downloads several files of one revision, pinned to its commit, and returns the
     * snapshot folder holding them (datasets use this with their own file lists).
     *
     * @param type the repository type
     * @param ref the repository and revision
     * @param filenames the files' paths in the repository
     * @return the snapshot directory
     * @throws HubException when a file is not cached in offline mode, or cannot be fetched
     */
    public Path downloadFiles(RepoType type, ModelRef ref, Collection<String> filenames) {
        String commit = resolveCommit(type, ref);
        downloadAll(type, new ModelRef(ref.repoId(), commit), filenames);
        cache.writeRef(type, ref, commit);
        return cache.snapshotDir(type, ref.repoId(), commit);
    }

    /**
     * Returns the commit sha a model revision points to, from the cache when it knows it.
     *
     * @param ref the model and revision
     * @return the 40-hex commit sha
     * @throws HubException when it is not cached in offline mode, or cannot be fetched
     */
    public String resolveCommit(ModelRef ref) {
        return resolveCommit(RepoType.MODEL, ref);
    }

    /**
     * Returns the commit sha a revision of any repository type points to, from the cache
     * when it knows it, else from the metadata endpoint (recording it in {@code refs/}).
     *
     * @param type the repository type
     * @param ref the repository and revision
     * @return the 40-hex commit sha
     * @throws HubException when it is not cached in offline mode, or cannot be fetched
     */
    public String resolveCommit(RepoType type, ModelRef ref) {
        Optional<String> cached = cache.cachedCommit(type, ref);
        if (cached.isPresent()) {
            return cached.get();
        }
        requireOnline("the commit of " + ref + " is not in the cache " + cache.repoDir(type, ref.repoId()));
        String commit = http.fetchRepoInfo(type, ref).commit();
        cache.writeRef(type, ref, commit);
        return commit;
    }

    /**
     * Asks the Hub for a revision's commit and file list (always a request).
     *
     * @param type the repository type
     * @param ref the repository and revision
     * @return the commit and files
     * @throws HubException in offline mode, or when the Hub refuses or cannot be reached
     */
    public RepoInfo repoInfo(RepoType type, ModelRef ref) {
        requireOnline("listing the files of " + ref + " needs the Hub");
        return http.fetchRepoInfo(type, ref);
    }

    private void downloadAll(RepoType type, ModelRef pinned, Collection<String> filenames) {
        for (String filename : filenames) {
            downloadFile(type, pinned, filename);
        }
    }

    private void requireOnline(String whatIsMissing) {
        if (settings.offline()) {
            throw new HubException(HubException.Kind.OFFLINE, "offline mode is on (HF_HUB_OFFLINE) and "
                    + whatIsMissing + "; run once with network access or unset HF_HUB_OFFLINE");
        }
    }

    private static Optional<Path> asPath(String text) {
        try {
            if (text.equals("~") || text.startsWith("~/")) {
                return Optional.of(Path.of(System.getProperty("user.home") + text.substring(1)));
            }
            return text.isEmpty() ? Optional.empty() : Optional.of(Path.of(text));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** Hub failures after which a text that also reads as a relative folder was perhaps meant as one. */
    private static final java.util.Set<HubException.Kind> LOOKED_UP_AS_ID = java.util.EnumSet.of(
            HubException.Kind.NETWORK, HubException.Kind.REPO_NOT_FOUND, HubException.Kind.OFFLINE,
            HubException.Kind.INVALID_REFERENCE);

    private static boolean looksLikePath(String text) {
        String beforeRevision = text.contains("@") ? text.substring(0, text.indexOf('@')) : text;
        return text.startsWith("/") || text.startsWith(".") || text.startsWith("~") || text.contains("\\")
                || beforeRevision.chars().filter(c -> c == '/').count() > 1;
    }

    /** Builds a {@link HubClient} with custom HTTP client, space check, retries or progress output. */
    public static final class Builder {

        private final HubSettings settings;
        private OkHttpClient httpClient;
        private SpaceCheck spaceCheck = SpaceCheck.fileStore();
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private PrintStream progressOut;
        private boolean progress = true;

        private Builder(HubSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /**
         * Sets the OkHttp client; default: 30 s connect and 60 s read timeouts.
         *
         * @param client the client
         * @return this builder
         */
        public Builder optHttpClient(OkHttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Sets the free-space check run before each download; default
         * {@link SpaceCheck#fileStore()}.
         *
         * @param check the check
         * @return this builder
         */
        public Builder optSpaceCheck(SpaceCheck check) {
            this.spaceCheck = Objects.requireNonNull(check, "check");
            return this;
        }

        /**
         * Sets the retry policy; default {@link RetryPolicy#DEFAULT}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder optRetryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets where download progress bars go; default {@code System.err}.
         *
         * @param out the stream
         * @return this builder
         */
        public Builder optProgressOutput(PrintStream out) {
            this.progressOut = Objects.requireNonNull(out, "out");
            return this;
        }

        /**
         * Switches download progress bars on or off; default on.
         *
         * @param enabled {@code false} for quiet downloads
         * @return this builder
         */
        public Builder optProgress(boolean enabled) {
            this.progress = enabled;
            return this;
        }

        /**
         * Builds the client.
         *
         * @return the client
         */
        public HubClient build() {
            return new HubClient(this);
        }
    }
}
