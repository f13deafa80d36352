package dev.dpo4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The check every command that writes a folder makes before it loads or sends anything. */
final class OutputFolder {

    private OutputFolder() {
    }

    /**
     * Refuses an {@code --output} that exists as a file, in words, before any model loads.
     *
     * @param dir the output folder (may not exist yet), or null when not given
     * @throws IllegalArgumentException naming the path
     */
    static void require(Path dir) {
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--output " + dir + " is a file; give a folder (new, or one this command"
                    + " wrote before)");
        }
    }
}
