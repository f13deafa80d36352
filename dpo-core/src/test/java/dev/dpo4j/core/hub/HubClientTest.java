package dev.dpo4j.core.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fresh downloads, the cache layout, cache hits without requests, offline mode, redirects. */
class HubClientTest {

    @TempDir
    Path home;

    private FakeHub fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeHub();
        TinyModel.install(fake);
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
    }

    private Path repoDir() {
        return home.resolve("hub").resolve("models--acme--tiny");
    }

    @Test
    void freshDownloadWritesHuggingFaceCacheLayout() throws Exception {
        Path dir = fake.client(home).build().resolveModel("acme/tiny");

        assertEquals(repoDir().resolve("snapshots").resolve(TinyModel.COMMIT), dir);
        for (String name : TinyModel.NEEDED) {
            Path file = dir.resolve(name);
            String etag = FakeHub.etagOf(name, TinyModel.bytesOf(name));
            assertTrue(Files.isSymbolicLink(file), name + " should be a symlink");
            assertEquals(Path.of("..", "..", "blobs", etag), Files.readSymbolicLink(file), name);
            assertArrayEquals(TinyModel.bytesOf(name), Files.readAllBytes(file), name);
            assertTrue(Files.isRegularFile(repoDir().resolve("blobs").resolve(etag)), name);
        }
        assertEquals(TinyModel.COMMIT, Files.readString(repoDir().resolve("refs/main"), StandardCharsets.UTF_8));
        try (Stream<Path> blobs = Files.list(repoDir().resolve("blobs"))) {
            assertEquals(5, blobs.filter(p -> !p.toString().endsWith(".incomplete")).count());
        }
        assertFalse(Files.exists(dir.resolve("pytorch_model.bin")));
        assertTrue(fake.requestLines().stream().noneMatch(l -> l.contains("pytorch_model.bin") || l.contains("README")),
                () -> "unwanted files were requested: " + fake.requestLines());
    }

    @Test
    void secondResolveMakesNoRequest() {
        Path first = fake.client(home).build().resolveModel("acme/tiny");
        int afterFirst = fake.requestCount();
        assertTrue(afterFirst > 0);

        Path again = fake.client(home).build().resolveModel("acme/tiny");
        String commit = fake.client(home).build().resolveCommit(ModelRef.parse("acme/tiny"));
        Path config = fake.client(home).build().downloadFile(ModelRef.parse("acme/tiny"), "config.json");

        assertEquals(first, again);
        assertEquals(TinyModel.COMMIT, commit);
        assertEquals(first.resolve("config.json"), config);
        assertEquals(afterFirst, fake.requestCount(), () -> "extra requests: " + fake.requestLines());
    }

    @Test
    void revisionTagWritesItsOwnRef() throws Exception {
        Path dir = fake.client(home).build().resolveModel("acme/tiny@v1.0");

        assertEquals(repoDir().resolve("snapshots").resolve(TinyModel.TAG_COMMIT), dir);
        assertEquals(TinyModel.TAG_COMMIT, Files.readString(repoDir().resolve("refs/v1.0")));
        assertFalse(Files.exists(repoDir().resolve("refs/main")));
        assertTrue(fake.requestLines().contains("GET /api/models/acme/tiny/revision/v1.0"), fake.requestLines()::toString);
        // Files are fetched pinned to the commit the tag resolved to.
        assertTrue(fake.requestLines().contains("HEAD /acme/tiny/resolve/" + TinyModel.TAG_COMMIT + "/config.json"),
                fake.requestLines()::toString);
    }

    @Test
    void offlineModeUsesTheCacheWithoutRequests() {
        Path online = fake.client(home).build().resolveModel("acme/tiny");
        int before = fake.requestCount();

        Path offline = fake.client(home, "HF_HUB_OFFLINE", "1").build().resolveModel("acme/tiny");

        assertEquals(online, offline);
        assertEquals(before, fake.requestCount());
    }

    @Test
    void offlineModeWithoutCacheFailsClearlyAndMakesNoRequest() {
        HubClient client = fake.client(home, "HF_HUB_OFFLINE", "true").build();

        HubException e = assertThrows(HubException.class, () -> client.resolveModel("acme/tiny"));
        HubException file = assertThrows(HubException.class,
                () -> client.downloadFile(ModelRef.parse("acme/tiny"), "config.json"));

        assertEquals(HubException.Kind.OFFLINE, e.kind());
        assertTrue(e.getMessage().contains("offline mode is on") && e.getMessage().contains("acme/tiny@main")
                && e.getMessage().contains("refs/main"), e.getMessage());
        assertEquals(HubException.Kind.OFFLINE, file.kind());
        assertTrue(file.getMessage().contains("config.json"), file.getMessage());
        assertEquals(0, fake.requestCount());
    }

    @Test
    void offlineModeNamesTheFilesMissingFromAPartialSnapshot() throws Exception {
        Path snapshot = repoDir().resolve("snapshots").resolve(TinyModel.COMMIT);
        Files.createDirectories(snapshot);
        Files.write(snapshot.resolve("config.json"), TinyModel.CONFIG);
        Files.write(snapshot.resolve(ModelFiles.INDEX), TinyModel.INDEX);
        Files.write(snapshot.resolve(TinyModel.SHARD1), TinyModel.SHARD1_BYTES);
        Files.createDirectories(repoDir().resolve("refs"));
        Files.writeString(repoDir().resolve("refs/main"), TinyModel.COMMIT);

        HubException e = assertThrows(HubException.class,
                () -> fake.client(home, "HF_HUB_OFFLINE", "yes").build().resolveModel("acme/tiny"));

        assertEquals(HubException.Kind.OFFLINE, e.kind());
        assertTrue(e.getMessage().contains(TinyModel.SHARD2), e.getMessage());
        assertEquals(0, fake.requestCount());
    }

    @Test
    void cacheWrittenByPythonIsUsedWithoutRequest() throws Exception {
        // The layout huggingface_hub writes: blobs named by ETag, relative links, refs/main.
        String commit = "aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd";
        Path repo = home.resolve("hub").resolve("models--org--py-model");
        Path blobs = Files.createDirectories(repo.resolve("blobs"));
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(commit));
        byte[] weights = FakeHub.randomBytes(1000, 9);
        Files.write(blobs.resolve(FakeHub.gitBlobSha1(TinyModel.CONFIG)), TinyModel.CONFIG);
        Files.write(blobs.resolve(FakeHub.sha256(weights)), weights);
        Files.createSymbolicLink(snapshot.resolve("config.json"),
                Path.of("../../blobs/" + FakeHub.gitBlobSha1(TinyModel.CONFIG)));
        Files.createSymbolicLink(snapshot.resolve("model.safetensors"),
                Path.of("../../blobs/" + FakeHub.sha256(weights)));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), commit);
        HubClient client = fake.client(home).build();

        Path byBranch = client.resolveModel("org/py-model");
        Path byCommit = client.resolveModel("org/py-model@" + commit);

        assertEquals(snapshot, byBranch);
        assertEquals(snapshot, byCommit);
        assertArrayEquals(weights, Files.readAllBytes(byBranch.resolve("model.safetensors")));
        assertEquals(0, fake.requestCount());
    }

    @Test
    void lfsRedirectToAnotherHostDropsTheToken() throws Exception {
        fake.redirectLfs = true;
        String token = "hf_redirectTestToken123";

        Path dir = fake.client(home, "HF_TOKEN", token).build().resolveModel("acme/tiny");

        assertArrayEquals(TinyModel.SHARD1_BYTES, Files.readAllBytes(dir.resolve(TinyModel.SHARD1)));
        assertArrayEquals(TinyModel.SHARD2_BYTES, Files.readAllBytes(dir.resolve(TinyModel.SHARD2)));
        assertEquals(2, fake.cdnRequests.size(), fake.requestLines()::toString);
        for (RecordedRequest request : fake.cdnRequests) {
            assertNull(request.getHeader("Authorization"), "token leaked to " + request.getRequestUrl());
        }
        for (RecordedRequest request : fake.hubRequests) {
            assertEquals("Bearer " + token, request.getHeader("Authorization"), request.getPath());
        }
    }

    @Test
    void localDirectoryIsReturnedAsIsAndAMissingOneIsReported() throws Exception {
        Path local = Files.createDirectories(home.resolve("my-model"));
        HubClient client = fake.client(home).build();

        assertEquals(local, client.resolveModel(local.toString()));
        HubException missing = assertThrows(HubException.class,
                () -> client.resolveModel(home.resolve("nope/model").toString()));
        HubException malformed = assertThrows(HubException.class, () -> client.resolveModel("acme/bad name"));

        assertEquals(HubException.Kind.LOCAL_NOT_FOUND, missing.kind());
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertEquals(HubException.Kind.INVALID_REFERENCE, malformed.kind());
        assertEquals(0, fake.requestCount());
    }

    @Test
    void singleFileDownloadAndCommitResolution() throws Exception {
        HubClient client = fake.client(home).build();
        ModelRef ref = ModelRef.parse("acme/tiny");

        Path config = client.downloadFile(ref, "config.json");

        assertEquals(repoDir().resolve("snapshots").resolve(TinyModel.COMMIT).resolve("config.json"), config);
        assertArrayEquals(TinyModel.CONFIG, Files.readAllBytes(config));
        assertEquals(TinyModel.COMMIT, client.resolveCommit(ref));
        assertEquals(List.of("HEAD /acme/tiny/resolve/main/config.json", "GET /acme/tiny/resolve/main/config.json"),
                fake.requestLines());
    }

    @Test
    void datasetFilesUseTheDatasetPrefixes() throws Exception {
        byte[] rows = FakeHub.utf8("{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}\n");
        String commit = "1111111111222222222233333333334444444444";
        fake.addRevision("datasets", "acme/prefs", "main", commit).file("data/train.jsonl", rows);
        HubClient client = fake.client(home).build();

        Path dir = client.downloadFiles(RepoType.DATASET, ModelRef.parse("acme/prefs"), List.of("data/train.jsonl"));

        Path repo = home.resolve("hub").resolve("datasets--acme--prefs");
        assertEquals(repo.resolve("snapshots").resolve(commit), dir);
        assertArrayEquals(rows, Files.readAllBytes(dir.resolve("data/train.jsonl")));
        assertEquals(Path.of("../../../blobs/" + FakeHub.gitBlobSha1(rows)),
                Files.readSymbolicLink(dir.resolve("data/train.jsonl")));
        assertEquals(commit, Files.readString(repo.resolve("refs/main")));
        assertTrue(fake.requestLines().contains("GET /api/datasets/acme/prefs/revision/main"), fake.requestLines()::toString);
        assertTrue(fake.requestLines().contains("GET /datasets/acme/prefs/resolve/" + commit + "/data/train.jsonl"),
                fake.requestLines()::toString);
    }

    @Test
    void emptyFileIsDownloaded() throws Exception {
        fake.addRevision("models", TinyModel.REPO, "main", TinyModel.COMMIT).file("added_tokens.json", new byte[0]);

        Path file = fake.client(home).build().downloadFile(ModelRef.parse(TinyModel.REPO), "added_tokens.json");

        assertEquals(0, Files.size(file));
        assertEquals(Path.of("../../blobs/" + FakeHub.gitBlobSha1(new byte[0])), Files.readSymbolicLink(file));
    }

    @Test
    void renamedRepositoryRedirectIsFollowedOnTheSameHost() throws Exception {
        // The Hub answers 307 with a relative Location for a repository that was renamed.
        fake.override = r -> r.getPath().contains("acme/old-name")
                ? new MockResponse().setResponseCode(307)
                        .setHeader("Location", r.getPath().replace("acme/old-name", TinyModel.REPO))
                : null;

        Path dir = fake.client(home, "HF_TOKEN", "hf_tok").build().resolveModel("acme/old-name");

        assertEquals(home.resolve("hub/models--acme--old-name/snapshots").resolve(TinyModel.COMMIT), dir);
        assertArrayEquals(TinyModel.SHARD2_BYTES, Files.readAllBytes(dir.resolve(TinyModel.SHARD2)));
        for (RecordedRequest request : fake.hubRequests) {
            assertEquals("Bearer hf_tok", request.getHeader("Authorization"), request.getPath());
        }
    }
}
