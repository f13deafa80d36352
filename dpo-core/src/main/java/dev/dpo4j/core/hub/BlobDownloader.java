package dev.dpo4j.core.hub;

import dev.dpo4j.core.io.AtomicFiles;
import dev.dpo4j.core.util.ProgressBar;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one blob into the cache: writes {@code blobs/{etag}.incomplete}, resumes it with
 * {@code Range: bytes=N-} after a dropped connection (restarting when the server answers
 * 200 instead of 206), retries transient failures with backoff, checks free space before
 * writing, checks the size and, for LFS files, the sha256 against the ETag, and finally
 * renames the file to {@code blobs/{etag}}. A corrupt download is deleted; an interrupted
 * one is kept so that the next run resumes it.
 */
final class BlobDownloader {

    private static final Logger LOG = LoggerFactory.getLogger(BlobDownloader.class);
    private static final int BUFFER_BYTES = 64 * 1024;

    private final HubHttp http;
    private final HubCache cache;
    private final SpaceCheck space;
    private final Supplier<PrintStream> progressOut;

    /**
     * @param progressOut where progress bars go; a supplier returning {@code null} disables them
     */
    BlobDownloader(HubHttp http, HubCache cache, SpaceCheck space, Supplier<PrintStream> progressOut) {
        this.http = http;
        this.cache = cache;
        this.space = space;
        this.progressOut = progressOut;
    }

    /** Makes sure the blob of {@code meta} is in the cache and returns its path. */
    Path ensureBlob(RepoType type, ModelRef ref, String filename, FileMetadata meta) {
        Path blob = cache.blobPath(type, ref.repoId(), meta.etag());
        if (isComplete(blob, meta)) {
            return blob;
        }
        BlobLock lock = BlobLock.acquire(cache.lockPath(type, ref.repoId(), meta.etag()));
        try {
            if (!isComplete(blob, meta)) {
                Files.createDirectories(blob.getParent());
                download(type, ref, filename, meta, blob);
            }
            return blob;
        } catch (IOException e) {
            throw new HubException(HubException.Kind.IO, "cannot write the cache at " + blob.getParent() + ": "
                    + e.getMessage(), e);
        } finally {
            lock.close();
        }
    }

    private void download(RepoType type, ModelRef ref, String filename, FileMetadata meta, Path blob)
            throws IOException {
        Path partial = cache.incompletePath(type, ref.repoId(), meta.etag());
        RetryPolicy retry = http.retry();
        String lastFailure = "no attempt made";
        PrintStream out = progressOut.get();
        ProgressBar progress = out == null ? null : new ProgressBar(filename, meta.size(), ProgressBar.BYTES, out);
        try {
            if (progress != null) {
                progress.step(size(partial));
            }
            for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
                long offset = Files.isRegularFile(partial) ? Files.size(partial) : 0;
                if (meta.size() >= 0 && offset > meta.size()) {
                    Files.delete(partial);
                    offset = 0;
                }
                if (meta.size() < 0 || offset < meta.size() || !Files.exists(partial)) {
                    checkSpace(partial, filename, meta.size() < 0 ? 0 : meta.size() - offset);
                    String failure = fetchInto(partial, offset, meta, type, ref, filename, progress);
                    if (failure != null) {
                        lastFailure = failure;
                        LOG.warn("Download of {} of {} interrupted ({}); {} of {} bytes kept, retrying ({}/{})",
                                filename, ref.repoId(), failure, size(partial), meta.size(), attempt, retry.maxAttempts());
                        if (attempt < retry.maxAttempts()) {
                            retry.sleep(attempt);
                        }
                        continue;
                    }
                }
                long got = Files.size(partial);
                if (meta.size() < 0 || got == meta.size()) {
                    verifyAndCommit(partial, blob, meta, ref, filename);
                    return;
                }
                lastFailure = "connection closed after " + got + " of " + meta.size() + " bytes";
                if (attempt < retry.maxAttempts()) {
                    retry.sleep(attempt);
                }
            }
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        throw new HubException(HubException.Kind.NETWORK, "download of '" + filename + "' of " + ref
                + " failed after " + retry.maxAttempts() + " attempts: " + lastFailure + "; the partial file "
                + partial + " is kept and the next run resumes it");
    }

    /**
     * One GET from {@code offset}; returns {@code null} when the body was read to its end, or
     * a short description of a transient failure to retry.
     */
    private String fetchInto(Path partial, long offset, FileMetadata meta, RepoType type, ModelRef ref,
            String filename, ProgressBar progress) {
        try (Response response = http.openDownload(meta.downloadUrl(), offset)) {
            int code = response.code();
            boolean append;
            if (code == 206 && offset > 0) {
                long start = rangeStart(response.header("Content-Range"));
                if (start != offset && start >= 0) {
                    Files.deleteIfExists(partial);
                    return "server resumed at byte " + start + " instead of " + offset + "; restarting";
                }
                append = true;
            } else if (code == 200 || code == 206) {
                if (offset > 0) {
                    LOG.info("Server ignored the range request for {}; restarting from byte 0", filename);
                }
                append = false;
            } else if (code == 416 && offset > 0) {
                Files.deleteIfExists(partial);
                return "server rejected the resume range (HTTP 416); restarting";
            } else if (code >= 500 || code == 429) {
                return "HTTP " + code;
            } else {
                throw http.error(response, type, ref, filename);
            }
            copy(response.body().byteStream(), partial, append, filename, meta.size(), progress);
            return null;
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /**
     * Copies the body to the partial file. Read failures are thrown as {@link IOException}
     * (transient, retried); write failures become {@link HubException}s (not retried).
     */
    private void copy(InputStream in, Path partial, boolean append, String filename, long expected,
            ProgressBar progress) throws IOException {
        OutputStream fileOut;
        try {
            fileOut = append
                    ? Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                    : Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw writeFailure(e, partial, filename, expected);
        }
        byte[] buffer = new byte[BUFFER_BYTES];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                try {
                    fileOut.write(buffer, 0, n);
                } catch (IOException e) {
                    throw writeFailure(e, partial, filename, expected);
                }
                if (progress != null) {
                    progress.step(n);
                }
            }
        } finally {
            try {
                fileOut.close();
            } catch (IOException e) {
                throw writeFailure(e, partial, filename, expected);
            }
        }
    }

    private void checkSpace(Path partial, String filename, long needed) {
        long usable;
        try {
            usable = space.usableBytes(partial.getParent());
        } catch (IOException e) {
            LOG.debug("Cannot query free space of {}: {}", partial.getParent(), e.getMessage());
            return;
        }
        if (usable < needed) {
            throw new HubException(HubException.Kind.DISK_FULL, "not enough disk space to download '" + filename
                    + "' into " + partial.getParent() + ": " + needed + " bytes (" + ProgressBar.formatBytes(needed)
                    + ") needed, " + usable + " bytes (" + ProgressBar.formatBytes(usable)
                    + ") usable; free space or point HF_HUB_CACHE at a larger disk");
        }
    }

    private static HubException writeFailure(IOException e, Path partial, String filename, long expected) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
            return new HubException(HubException.Kind.DISK_FULL, "disk full while writing " + partial + " for '"
                    + filename + "': " + (expected < 0 ? "an unknown number of" : String.valueOf(expected))
                    + " bytes needed in all, " + size(partial) + " written; free space and run again to resume", e);
        }
        return new HubException(HubException.Kind.IO, "cannot write " + partial + " for '" + filename + "': "
                + message, e);
    }

    private static void verifyAndCommit(Path partial, Path blob, FileMetadata meta, ModelRef ref, String filename)
            throws IOException {
        if (meta.isSha256()) {
            String actual = sha256(partial);
            if (!actual.equals(meta.etag())) {
                Files.deleteIfExists(partial);
                throw new HubException(HubException.Kind.CHECKSUM_MISMATCH, "sha256 mismatch for '" + filename
                        + "' of " + ref.repoId() + "@" + meta.commit() + ": the Hub announced " + meta.etag()
                        + " but the downloaded bytes hash to " + actual + "; the corrupt file was deleted, run again");
            }
        }
        AtomicFiles.move(partial, blob);
    }

    /** Returns the lower-case hex sha256 of a file. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static boolean isComplete(Path blob, FileMetadata meta) {
        return Files.isRegularFile(blob) && (meta.size() < 0 || size(blob) == meta.size());
    }

    private static long size(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Parses the first byte of {@code Content-Range: bytes 100-999/1000}; -1 when absent. */
    private static long rangeStart(String contentRange) {
        if (contentRange == null || !contentRange.startsWith("bytes ")) {
            return -1;
        }
        int dash = contentRange.indexOf('-');
        try {
            return Long.parseLong(contentRange.substring(6, dash).strip());
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
