package dev.dpo4j.core.hub;

import dev.dpo4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The on-disk layout of the Hub cache, identical to Python's {@code huggingface_hub}:
 *
 * <pre>
 * {cache}/models--{org}--{name}/blobs/{etag}                 file contents, named by ETag
 * {cache}/models--{org}--{name}/blobs/{etag}.incomplete      a download in progress
 * {cache}/models--{org}--{name}/snapshots/{commit}/{file}    relative symlink to ../../blobs/{etag}
 * {cache}/models--{org}--{name}/refs/{revision}              the commit sha a branch or tag points to
 * {cache}/.locks/models--{org}--{name}/{etag}.lock           inter-process download lock
 * </pre>
 *
 * <p>Datasets use {@code datasets--org--name}. Where symbolic links cannot be made (some
 * Windows setups, some network file systems) the blob is copied into the snapshot instead.
 * Every path built from a server-supplied name (file name, ETag, revision) is checked to
 * stay inside its folder.
 */
public final class HubCache {

    private static final Pattern ETAG = Pattern.compile("[A-Za-z0-9._-]+");

    private final Path root;

    /**
     * Creates a view of the cache at the given directory (it need not exist yet).
     *
     * @param root the cache directory, usually {@link HubSettings#hubCache()}
     */
    public HubCache(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /**
     * Returns the cache directory.
     *
     * @return the absolute cache directory
     */
    public Path root() {
        return root;
    }

    /**
     * Returns the folder of one repository.
     *
     * @param type the repository type
     * @param repoId the repository id
     * @return {@code {cache}/models--org--name}
     */
    public Path repoDir(RepoType type, String repoId) {
        return root.resolve(type.cacheFolder(repoId));
    }

    /**
     * Returns the blob file for an ETag.
     *
     * @param type the repository type
     * @param repoId the repository id
     * @param etag the normalized ETag (no quotes)
     * @return {@code .../blobs/{etag}}
     */
    public Path blobPath(RepoType type, String repoId, String etag) {
        return repoDir(type, repoId).resolve("blobs").resolve(checkEtag(etag));
    }

    /**
     * Returns the partial-download file for an ETag.
     *
     * @param type the repository type
     * @param repoId the repository id
     * @param etag the normalized ETag
     * @return {@code .../blobs/{etag}.incomplete}
     */
    public Path incompletePath(RepoType type, String repoId, String etag) {
        return repoDir(type, repoId).resolve("blobs").resolve(checkEtag(etag) + ".incomplete");
    }

    /**
     * Returns the lock file guarding the download of one blob.
     *
     * @param type the repository type
     * @param repoId the repository id
     * @param etag the normalized ETag
     * @return {@code {cache}/.locks/models--org--name/{etag}.lock}
     */
    public Path lockPath(RepoType type, String repoId, String etag) {
        return root.resolve(".locks").resolve(type.cacheFolder(repoId)).resolve(checkEtag(etag) + ".lock");
    }

    /**
     * Returns the snapshot folder of a commit.
     *
     * @param type the repository type
     * @param repoId the repository id
     * @param commit the commit sha
     * @return {@code .../snapshots/{commit}}
     */
    public Path snapshotDir(RepoType type, String repoId, String commit) {
        return inside(repoDir(type, repoId).resolve("snapshots"), commit, "commit");
    }

    /**
     * Returns a file's path in a snapshot.
     *
     * @param type the repository type
     * @param repoId the repository id
     * @param commit the commit sha
     * @param filename the file's path in the repository, such as {@code config.json}
     * @return {@code .../snapshots/{commit}/{filename}}
     */
    public Path snapshotFile(RepoType type, String repoId, String commit, String filename) {
        return inside(snapshotDir(type, repoId, commit), filename, "file name");
    }

    /**
     * Returns the file recording the commit of a branch or tag.
     *
     * @param type the repository type
     * @param repoId the repository id
     * @param revision the branch or tag
     * @return {@code .../refs/{revision}}
     */
    public Path refPath(RepoType type, String repoId, String revision) {
        return inside(repoDir(type, repoId).resolve("refs"), revision, "revision");
    }

    /**
     * Returns the commit a reference points to according to the cache alone: the content of
     * {@code refs/{revision}}, or the revision itself when it is a commit sha whose snapshot
     * folder exists.
     *
     * @param type the repository type
     * @param ref the repository and revision
     * @return the cached commit, or empty when the cache does not know the revision
     */
    public Optional<String> cachedCommit(RepoType type, ModelRef ref) {
        if (ref.isCommit() && Files.isDirectory(snapshotDir(type, ref.repoId(), ref.revision()))) {
            return Optional.of(ref.revision());
        }
        Path refFile = refPath(type, ref.repoId(), ref.revision());
        if (!Files.isRegularFile(refFile)) {
            return Optional.empty();
        }
        try {
            String commit = Files.readString(refFile, StandardCharsets.UTF_8).strip();
            return commit.isEmpty() ? Optional.empty() : Optional.of(commit);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.IO, "cannot read cache ref " + refFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns a cached file of a reference without any request.
     *
     * @param type the repository type
     * @param ref the repository and revision
     * @param filename the file's path in the repository
     * @return the snapshot file, or empty when it is not cached (a dangling link counts as absent)
     */
    public Optional<Path> cachedFile(RepoType type, ModelRef ref, String filename) {
        return cachedCommit(type, ref)
                .map(commit -> snapshotFile(type, ref.repoId(), commit, filename))
                .filter(Files::isRegularFile);
    }

    /**
     * Records that a branch or tag points to a commit; nothing is written when the revision
     * is the commit itself.
     *
     * @param type the repository type
     * @param ref the repository and revision
     * @param commit the commit sha
     */
    public void writeRef(RepoType type, ModelRef ref, String commit) {
        if (ref.revision().equals(commit)) {
            return;
        }
        Path refFile = refPath(type, ref.repoId(), ref.revision());
        try {
            AtomicFiles.writeString(refFile, commit);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.IO, "cannot write cache ref " + refFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes a snapshot file point to its blob: a relative symbolic link
     * ({@code ../../blobs/{etag}} for a top-level file), or a copy where links fail.
     *
     * @param type the repository type
     * @param repoId the repository id
     * @param commit the commit sha
     * @param filename the file's path in the repository
     * @param etag the normalized ETag of the blob, which must exist
     * @return the snapshot file
     */
    public Path linkSnapshot(RepoType type, String repoId, String commit, String filename, String etag) {
        Path blob = blobPath(type, repoId, etag);
        Path file = snapshotFile(type, repoId, commit, filename);
        try {
            Files.createDirectories(file.getParent());
            Path target = file.getParent().relativize(blob);
            if (Files.isSymbolicLink(file) && Files.readSymbolicLink(file).equals(target) && Files.exists(file)) {
                return file;
            }
            Files.deleteIfExists(file);
            try {
                Files.createSymbolicLink(file, target);
            } catch (UnsupportedOperationException | FileSystemException e) {
                Files.copy(blob, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new HubException(HubException.Kind.IO,
                    "cannot link " + file + " to blob " + blob + ": " + e.getMessage(), e);
        }
    }

    private static String checkEtag(String etag) {
        if (etag == null || !ETAG.matcher(etag).matches() || etag.contains("..")) {
            throw new HubException(HubException.Kind.HTTP, "the Hub sent an unusable ETag '" + etag + "'");
        }
        return etag;
    }

    private static Path inside(Path dir, String relative, String what) {
        boolean unsafe = relative.isEmpty() || relative.startsWith("/") || relative.contains("\\");
        for (String segment : relative.split("/", -1)) {
            unsafe |= segment.isEmpty() || segment.equals(".") || segment.equals("..");
        }
        Path resolved = dir.resolve(relative).normalize();
        if (unsafe || !resolved.startsWith(dir) || resolved.equals(dir)) {
            throw new HubException(HubException.Kind.INVALID_REFERENCE,
                    "unsafe " + what + " '" + relative + "': it must be a relative path inside " + dir);
        }
        return resolved;
    }
}
