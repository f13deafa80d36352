package dev.dpo4j.core.hub;

import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * The headers of a file on the Hub, read before downloading it.
 *
 * @param commit the commit sha ({@code X-Repo-Commit})
 * @param etag the normalized ETag ({@code X-Linked-Etag} or {@code ETag} without quotes):
 *     the sha256 of an LFS file, the git blob sha1 of a small file
 * @param size the size in bytes ({@code X-Linked-Size} or {@code Content-Length}), or
 *     {@code -1} when unknown
 * @param downloadUrl where the bytes are fetched from: the resolve URL, or the host an
 *     LFS file is redirected to
 */
record FileMetadata(String commit, String etag, long size, HttpUrl downloadUrl) {

    FileMetadata {
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(downloadUrl, "downloadUrl");
    }

    /**
     * Returns whether the ETag is a 64-hex sha256 that the bytes can be checked against.
     *
     * @return {@code true} for an LFS (sha256) ETag
     */
    boolean isSha256() {
        return etag.matches("[0-9a-f]{64}");
    }
}
