package dev.dpo4j.core.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubCacheTest {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path root;

    @Test
    void pathsFollowTheHuggingFaceLayout() {
        HubCache cache = new HubCache(root);

        assertEquals(root.resolve("models--org--name"), cache.repoDir(RepoType.MODEL, "org/name"));
        assertEquals(root.resolve("datasets--org--data"), cache.repoDir(RepoType.DATASET, "org/data"));
        assertEquals(root.resolve("models--gpt2/blobs/abc"), cache.blobPath(RepoType.MODEL, "gpt2", "abc"));
        assertEquals(root.resolve("models--org--name/blobs/abc.incomplete"),
                cache.incompletePath(RepoType.MODEL, "org/name", "abc"));
        assertEquals(root.resolve("models--org--name/snapshots/" + COMMIT + "/sub/x.json"),
                cache.snapshotFile(RepoType.MODEL, "org/name", COMMIT, "sub/x.json"));
        assertEquals(root.resolve("models--org--name/refs/v1.0"), cache.refPath(RepoType.MODEL, "org/name", "v1.0"));
        assertEquals(root.resolve(".locks/models--org--name/abc.lock"), cache.lockPath(RepoType.MODEL, "org/name", "abc"));
    }

    @Test
    void refsAndLinksRoundTrip() throws Exception {
        HubCache cache = new HubCache(root);
        ModelRef ref = ModelRef.parse("org/name@v1.0");
        Path blob = cache.blobPath(RepoType.MODEL, "org/name", "e1");
        Files.createDirectories(blob.getParent());
        Files.write(blob, new byte[] {1, 2, 3});

        assertEquals(Optional.empty(), cache.cachedCommit(RepoType.MODEL, ref));
        cache.writeRef(RepoType.MODEL, ref, COMMIT);
        Path top = cache.linkSnapshot(RepoType.MODEL, "org/name", COMMIT, "w.safetensors", "e1");
        Path nested = cache.linkSnapshot(RepoType.MODEL, "org/name", COMMIT, "a/b/w.bin", "e1");

        assertEquals(Optional.of(COMMIT), cache.cachedCommit(RepoType.MODEL, ref));
        assertEquals(Path.of("../../blobs/e1"), Files.readSymbolicLink(top));
        assertEquals(Path.of("../../../../blobs/e1"), Files.readSymbolicLink(nested));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(nested));
        assertEquals(Optional.of(top), cache.cachedFile(RepoType.MODEL, ref, "w.safetensors"));
        assertEquals(Optional.of(COMMIT), cache.cachedCommit(RepoType.MODEL, new ModelRef("org/name", COMMIT)));
    }

    @Test
    void commitRevisionDoesNotWriteARef() {
        HubCache cache = new HubCache(root);
        cache.writeRef(RepoType.MODEL, new ModelRef("org/name", COMMIT), COMMIT);
        assertFalse(Files.exists(cache.refPath(RepoType.MODEL, "org/name", COMMIT)));
    }

    @Test
    void danglingSnapshotLinkCountsAsMissing() throws Exception {
        HubCache cache = new HubCache(root);
        ModelRef ref = ModelRef.parse("org/name");
        cache.writeRef(RepoType.MODEL, ref, COMMIT);
        Path file = cache.snapshotFile(RepoType.MODEL, "org/name", COMMIT, "config.json");
        Files.createDirectories(file.getParent());
        Files.createSymbolicLink(file, Path.of("../../blobs/gone"));

        assertTrue(cache.cachedFile(RepoType.MODEL, ref, "config.json").isEmpty());
    }

    @Test
    void namesEscapingTheCacheAreRejected() {
        HubCache cache = new HubCache(root);
        for (String name : new String[] {"../x", "/etc/passwd", "a/../../x", "a//b", ""}) {
            HubException e = assertThrows(HubException.class,
                    () -> cache.snapshotFile(RepoType.MODEL, "org/name", COMMIT, name), name);
            assertEquals(HubException.Kind.INVALID_REFERENCE, e.kind());
        }
        assertThrows(HubException.class, () -> cache.blobPath(RepoType.MODEL, "org/name", "../x"));
        assertTrue(cache.snapshotFile(RepoType.MODEL, "org/name", COMMIT, "a..b.json").endsWith("a..b.json"));
    }

    @Test
    void etagsAreNormalized() {
        assertEquals("abc", HubHttp.normalizeEtag("\"abc\""));
        assertEquals("abc", HubHttp.normalizeEtag("W/\"abc\""));
        assertEquals("abc", HubHttp.normalizeEtag("abc"));
    }
}
