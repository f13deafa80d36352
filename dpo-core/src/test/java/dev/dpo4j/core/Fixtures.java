package dev.dpo4j.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates ../shared/fixtures for tests. Where it is absent the calling test is reported as skipped
 * (an assumption failure), never passed.
 */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** The fixtures root, or a skip. */
    public static Path root() {
        Path root = Path.of(System.getProperty("dpo4j.fixtures", "../../shared/fixtures"));
        assumeTrue(Files.isDirectory(root), "fixtures not found at " + root.toAbsolutePath() + ": skipped");
        return root;
    }

    /**
     * A path under the fixtures root, or a skip when it is absent.
     *
     * @param relative e.g. {@code models/llama-tiny}
     * @return the path
     */
    public static Path path(String relative) {
        Path p = root().resolve(relative);
        assumeTrue(Files.exists(p), "fixture " + p + " not found: skipped");
        return p;
    }

    /**
     * Reads a JSON fixture.
     *
     * @param relative path under the root
     * @return the tree
     */
    public static JsonNode json(String relative) {
        try {
            return JSON.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JSON array of integers as longs.
     *
     * @param node the array
     * @return the values
     */
    public static long[] longs(JsonNode node) {
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asLong();
        }
        return out;
    }
}
