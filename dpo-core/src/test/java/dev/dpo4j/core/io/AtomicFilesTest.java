package dev.dpo4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesCreatesTheFolderReplacesTheContentAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("a/b/report.md");
        AtomicFiles.writeString(file, "first ü\n");
        assertEquals("first ü\n", Files.readString(file, StandardCharsets.UTF_8));
        AtomicFiles.write(file, new byte[] {'x'});
        assertEquals("x", Files.readString(file));
        assertEquals(List.of("report.md"), names(file.getParent()));
    }

    @Test
    void theFileIsReadableByOthersNotPrivateLikeATemporaryFile() throws IOException {
        Path file = dir.resolve("eval.json");
        AtomicFiles.writeString(file, "{}");
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void aFailedMoveLeavesTheOldContentAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("taken");
        Files.createDirectories(target.resolve("inside")); // a non-empty folder cannot be replaced by a file
        assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "new"));
        assertEquals(List.of("taken"), names(dir));
        assertEquals(List.of("inside"), names(target));
    }
}
