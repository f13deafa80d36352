package dev.dpo4j.core.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reports the usable disk space of a directory, so that a download can fail early and
 * clearly instead of filling the disk. Injectable so that tests can simulate a full disk.
 */
@FunctionalInterface
public interface SpaceCheck {

    /**
     * Returns the bytes that can still be written under a directory.
     *
     * @param directory an existing directory
     * @return the usable bytes
     * @throws IOException when the file store cannot be queried
     */
    long usableBytes(Path directory) throws IOException;

    /**
     * Returns the check that asks the directory's file store.
     *
     * @return {@code dir -> Files.getFileStore(dir).getUsableSpace()}
     */
    static SpaceCheck fileStore() {
        return directory -> Files.getFileStore(directory).getUsableSpace();
    }
}
