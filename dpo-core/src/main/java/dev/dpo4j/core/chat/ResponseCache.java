package dev.dpo4j.core.chat;

import dev.dpo4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An on-disk cache of chat answers, so that a rerun asks the server nothing twice. The key is
 * the SHA-256 of the request body as sent (with the resolved model name, without the base URL
 * or API key); each answer is one file {@code dir/<first two hex digits>/<sha256>.json} in the
 * chat-completions response shape. Files are written to a temporary file and renamed into place
 * atomically, so concurrent threads and processes see either no file or a complete one. A file
 * that cannot be read or parsed counts as a miss (with a warning) and is overwritten by the next
 * answer. Only successful answers are stored.
 */
public final class ResponseCache {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);

    private final Path dir;

    /**
     * A cache in the given directory, created on first write.
     *
     * @param dir the cache directory
     */
    public ResponseCache(Path dir) {
        this.dir = Objects.requireNonNull(dir, "ResponseCache.dir").toAbsolutePath();
    }

    /**
     * The cache directory.
     *
     * @return the absolute directory
     */
    public Path dir() {
        return dir;
    }

    /**
     * The key of a request body.
     *
     * @param requestBody the exact bytes sent to the server
     * @return 64 lowercase hex digits
     */
    public static String key(byte[] requestBody) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(requestBody));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * The file that holds, or would hold, the answer for a key.
     *
     * @param key a key from {@link #key(byte[])}
     * @return {@code dir/<first two hex digits>/<key>.json}
     */
    public Path path(String key) {
        if (!key.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 hex key: '" + key + "'");
        }
        return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
    }

    /**
     * The cached answer for a key.
     *
     * @param key the request's key
     * @return the answer marked {@link ChatResponse#fromCache()}, or empty when absent or
     *     unreadable
     */
    public Optional<ChatResponse> get(String key) {
        Path file = path(key);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable chat cache file {}: {}", file, e.toString());
            return Optional.empty();
        }
        try {
            return Optional.of(ChatJson.parseResponse(text, "").asCached());
        } catch (ChatException | IllegalArgumentException e) {
            LOG.warn("Ignoring corrupt chat cache file {} ({}); it will be overwritten", file, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Stores an answer, replacing any file already there. A failure to write is logged and
     * otherwise ignored: the answer is still returned to the caller, only not cached.
     *
     * @param key the request's key
     * @param response the answer
     */
    public void put(String key, ChatResponse response) {
        Path file = path(key);
        try {
            AtomicFiles.write(file, ChatJson.bytes(ChatJson.responseJson(response)));
        } catch (IOException e) {
            LOG.warn("Cannot write chat cache file {}: {}", file, e.toString());
        }
    }

    @Override
    public String toString() {
        return "ResponseCache[" + dir + "]";
    }
}
