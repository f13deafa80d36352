package dev.dpo4j.core.tokenizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the public tokenizer files under {@code fixtures/real} (read in place, never copied into
 * the repository). A missing directory makes the calling test report a skip.
 */
final class RealTokenizerFixtures {

    private RealTokenizerFixtures() {
    }

    /** The fixtures root, from the {@code dpo4j.fixtures} system property set by surefire. */
    static Path root() {
        return Path.of(System.getProperty("dpo4j.fixtures", "../../shared/fixtures"));
    }

    /**
     * A directory under {@code fixtures/real/tokenizers}.
     *
     * @param name the directory name, for example {@code TinyLlama-1.1B-Chat-v1.0}
     * @return the path; the test is skipped when it does not exist
     */
    static Path tokenizer(String name) {
        return require(root().resolve("real").resolve("tokenizers").resolve(name));
    }

    /**
     * A directory under {@code fixtures/real/models}.
     *
     * @param name the directory name, for example {@code stories260K}
     * @return the path; the test is skipped when it does not exist
     */
    static Path model(String name) {
        return require(root().resolve("real").resolve("models").resolve(name));
    }

    private static Path require(Path dir) {
        assumeTrue(Files.isDirectory(dir), "fixture directory missing: " + dir.toAbsolutePath());
        return dir;
    }
}
