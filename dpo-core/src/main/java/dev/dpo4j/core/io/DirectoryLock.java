package dev.dpo4j.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An operating-system lock on a file in a run's output directory, so two runs never append to the
 * same journals (the synthetic data pipeline and the evaluator hold one while they run). The
 * operating system releases it when the process dies, even by SIGKILL, so a killed run never leaves
 * a stale lock behind.
 */
public final class DirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock.
     *
     * @param file the lock file
     * @param holder what takes it, for the message when it is taken already ("synth run", "evaluation")
     * @return the held lock
     * @throws IllegalStateException when another run (in this or another process) holds it
     * @throws UncheckedIOException when the file cannot be opened
     */
    public static DirectoryLock acquire(Path file, String holder) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another " + holder + " is using " + file.getParent() + " (" + owner(file)
                        + " holds " + file + "); wait for it or use another output directory");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
            return new DirectoryLock(channel, lock);
        } catch (IOException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** Who holds a lock, from the line its holder wrote ({@code pid 1234}). */
    private static String owner(Path file) {
        try {
            String line = Files.readString(file, StandardCharsets.UTF_8).strip();
            return line.startsWith("pid ") ? "process " + line.substring(4) : "another process";
        } catch (IOException e) {
            return "another process";
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock on the run directory: " + e.getMessage(), e);
        }
    }
}
