package dev.dpo4j.core.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes that a kill cannot leave half done: the content goes to a temporary file or folder beside the
 * target (same file system), which is then moved over it, so readers see the old content or the new,
 * never part of it. The one place of dpo4j that does temp-then-move: small files in one go
 * ({@link #write}), streamed files and whole folders through a {@link Staged} handle (datasets, safetensors,
 * adapters, checkpoints, merged models, Hub cache entries), and {@link #move} for a file completed
 * elsewhere (a verified download).
 *
 * <pre>{@code
 * try (AtomicFiles.Staged out = AtomicFiles.stage(target)) {
 *     write(out.path());        // any way: streams, channels, other writers
 *     out.commit();             // moved over target; without commit, close deletes the temporary
 * }
 * }</pre>
 */
public final class AtomicFiles {

    private static final int NAME_ATTEMPTS = 10;

    private AtomicFiles() {
    }

    /**
     * Replaces a file's content, creating its folder if needed.
     *
     * @param target the file
     * @param bytes the new content
     * @throws IOException when writing or moving fails; the target is then unchanged
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        try (Staged out = stage(target)) {
            Files.write(out.path(), bytes);
            out.commit();
        }
    }

    /**
     * Replaces a file's content with UTF-8 text, creating its folder if needed.
     *
     * @param target the file
     * @param text the new content
     * @throws IOException when writing or moving fails; the target is then unchanged
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An empty temporary file beside {@code target}, readable by others as a new file would be, with a
     * unique name so two writers of one target never share it.
     *
     * @param target the file it will replace
     * @return the handle; write to {@link Staged#path()}, then {@link Staged#commit()}
     * @throws IOException if the folder or the file cannot be created
     */
    public static Staged stage(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
        // createTempFile makes the file private (rw-------); these files are meant to be read by others
        if (Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return new Staged(temp, absolute, false);
    }

    /**
     * An empty temporary folder beside {@code target}, with the permissions a new folder gets (not
     * {@code Files.createTempDirectory}'s owner-only ones, which would stick to the result). Its commit
     * replaces {@code target} whole: an existing folder there is deleted first.
     *
     * @param target the folder it will become
     * @return the handle; fill {@link Staged#path()}, then {@link Staged#commit()}
     * @throws IOException if the parent or the folder cannot be created
     */
    public static Staged stageDirectory(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        for (int attempt = 0; ; attempt++) {
            Path temp = parent.resolve("." + absolute.getFileName() + ".tmp-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                return new Staged(Files.createDirectory(temp), absolute, true);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= NAME_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Moves a complete file over another in one step where the file system can (a rename), replacing it.
     *
     * @param from the complete file, on the target's file system
     * @param to the file it replaces or becomes
     * @throws IOException if the move fails; {@code to} is then unchanged
     */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes a folder and everything under it, or a file, if it exists.
     *
     * @param path the folder or file
     * @throws IOException if something cannot be deleted
     */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A temporary file or folder that becomes its target on {@link #commit()}, and is deleted on
     * {@link #close()} otherwise (an exception on the way, say), so no half-written target ever appears.
     */
    public static final class Staged implements AutoCloseable {
        private final Path path;
        private final Path target;
        private final boolean directory;
        private boolean committed;

        private Staged(Path path, Path target, boolean directory) {
            this.path = path;
            this.target = target;
            this.directory = directory;
        }

        /** @return the temporary file or folder to write */
        public Path path() {
            return path;
        }

        /** @return the absolute target */
        public Path target() {
            return target;
        }

        /**
         * Moves the temporary over the target: a file replaces the target file in one rename; a folder
         * replaces the target folder (deleted first if it exists) in one rename.
         *
         * @throws IOException if the move fails
         */
        public void commit() throws IOException {
            if (committed) {
                throw new IllegalStateException(target + ": already committed");
            }
            if (directory) {
                deleteTree(target);
                try {
                    Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(path, target);
                }
            } else {
                move(path, target);
            }
            committed = true;
        }

        /**
         * Deletes the temporary unless it was committed.
         *
         * @throws IOException if it cannot be deleted
         */
        @Override
        public void close() throws IOException {
            if (!committed) {
                deleteTree(path);
            }
        }
    }
}
