package dev.dpo4j.core.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Whole-file writes that a kill cannot leave half done: the content goes to a temporary file beside
 * the target, which is then moved over it, so readers see the old content or the new, never part of
 * it. For small files written in one go (manifests, reports, stage configs, done-stamps).
 */
public final class AtomicFiles {

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
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // a unique name, so two writers of one target never share a temporary file
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            // createTempFile makes the file private (rw-------); these files are meant to be read by others
            if (Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
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
}
