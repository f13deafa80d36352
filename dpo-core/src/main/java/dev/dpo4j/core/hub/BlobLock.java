package dev.dpo4j.core.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serializes downloads of one blob: a lock within this JVM plus an OS file lock on
 * {@code {cache}/.locks/...{etag}.lock}, the same file {@code huggingface_hub} locks, so two
 * processes never write the same {@code .incomplete} file at once. Where the file system
 * cannot lock (some network mounts) only the in-JVM lock is held, with a warning.
 */
final class BlobLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlobLock.class);
    private static final ConcurrentMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock fileLock;

    private BlobLock(ReentrantLock local, FileChannel channel, FileLock fileLock) {
        this.local = local;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** Blocks until the blob guarded by {@code lockFile} is free, then holds it. */
    static BlobLock acquire(Path lockFile) {
        ReentrantLock local = LOCAL.computeIfAbsent(lockFile.toAbsolutePath(), p -> new ReentrantLock());
        local.lock();
        FileChannel channel = null;
        try {
            Files.createDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new BlobLock(local, channel, channel.lock());
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Cannot lock {} ({}); continuing with an in-process lock only", lockFile, e.getMessage());
            closeQuietly(channel);
            return new BlobLock(local, null, null);
        }
    }

    /** Releases the file lock and the in-JVM lock. */
    @Override
    public void close() {
        try {
            if (fileLock != null) {
                fileLock.release();
            }
        } catch (IOException e) {
            LOG.debug("Releasing a blob lock failed: {}", e.getMessage());
        } finally {
            closeQuietly(channel);
            local.unlock();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing a lock file failed: {}", e.getMessage());
        }
    }
}
