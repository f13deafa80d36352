package dev.dpo4j.core.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resumed, restarted, retried and corrupt downloads. */
class HubClientResumeTest {

    private static final ModelRef REF = ModelRef.parse(TinyModel.REPO);
    private static final String SHARD1_ETAG = FakeHub.sha256(TinyModel.SHARD1_BYTES);

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

    private Path blobs() {
        return home.resolve("hub/models--acme--tiny/blobs");
    }

    private List<RecordedRequest> shardGets() {
        synchronized (fake.hubRequests) {
            return fake.hubRequests.stream()
                    .filter(r -> r.getMethod().equals("GET") && r.getPath().endsWith(TinyModel.SHARD1)).toList();
        }
    }

    @Test
    void truncatedBodyIsResumedWithARangeRequest() throws Exception {
        fake.fault(TinyModel.SHARD1, FakeHub.Fault.DISCONNECT_HALFWAY);

        Path file = fake.client(home).build().downloadFile(REF, TinyModel.SHARD1);

        assertArrayEquals(TinyModel.SHARD1_BYTES, Files.readAllBytes(file));
        List<RecordedRequest> gets = shardGets();
        assertEquals(2, gets.size());
        assertNull(gets.get(0).getHeader("Range"));
        String range = gets.get(1).getHeader("Range");
        assertTrue(range != null && range.matches("bytes=\\d+-"), "second GET must resume: " + range);
        long resumedAt = Long.parseLong(range.substring(6, range.length() - 1));
        assertTrue(resumedAt > 0 && resumedAt < TinyModel.SHARD1_BYTES.length, range);
        assertFalse(Files.exists(blobs().resolve(SHARD1_ETAG + ".incomplete")));
    }

    @Test
    void partialFileFromAnEarlierRunIsResumed() throws Exception {
        Files.createDirectories(blobs());
        Files.write(blobs().resolve(SHARD1_ETAG + ".incomplete"), Arrays.copyOf(TinyModel.SHARD1_BYTES, 1000));

        Path file = fake.client(home).build().downloadFile(REF, TinyModel.SHARD1);

        assertArrayEquals(TinyModel.SHARD1_BYTES, Files.readAllBytes(file));
        assertEquals(1, shardGets().size());
        assertEquals("bytes=1000-", shardGets().get(0).getHeader("Range"));
    }

    @Test
    void serverIgnoringRangeRestartsFromZero() throws Exception {
        // A stale partial file with wrong bytes: appending the full body to it would fail the sha256.
        Files.createDirectories(blobs());
        Files.write(blobs().resolve(SHARD1_ETAG + ".incomplete"), FakeHub.randomBytes(5000, 42));
        fake.fault(TinyModel.SHARD1, FakeHub.Fault.IGNORE_RANGE);

        Path file = fake.client(home).build().downloadFile(REF, TinyModel.SHARD1);

        assertArrayEquals(TinyModel.SHARD1_BYTES, Files.readAllBytes(file));
        assertEquals(1, shardGets().size());
        assertEquals("bytes=5000-", shardGets().get(0).getHeader("Range"));
    }

    @Test
    void transientServerErrorIsRetried() throws Exception {
        fake.fault(TinyModel.SHARD1, FakeHub.Fault.STATUS_503, FakeHub.Fault.STATUS_503);

        Path file = fake.client(home).build().downloadFile(REF, TinyModel.SHARD1);

        assertArrayEquals(TinyModel.SHARD1_BYTES, Files.readAllBytes(file));
        assertEquals(3, shardGets().size());
    }

    @Test
    void persistentServerErrorGivesUpAfterBoundedRetries() {
        fake.fault(TinyModel.SHARD1, FakeHub.Fault.STATUS_503, FakeHub.Fault.STATUS_503,
                FakeHub.Fault.STATUS_503, FakeHub.Fault.STATUS_503, FakeHub.Fault.STATUS_503);

        HubException e = assertThrows(HubException.class,
                () -> fake.client(home).build().downloadFile(REF, TinyModel.SHARD1));

        assertEquals(HubException.Kind.NETWORK, e.kind());
        assertTrue(e.getMessage().contains("after 4 attempts") && e.getMessage().contains("HTTP 503"), e.getMessage());
        assertEquals(4, shardGets().size());
    }

    @Test
    void sha256MismatchDeletesTheDownload() throws Exception {
        fake.fault(TinyModel.SHARD1, FakeHub.Fault.CORRUPT);

        HubException e = assertThrows(HubException.class,
                () -> fake.client(home).build().downloadFile(REF, TinyModel.SHARD1));

        assertEquals(HubException.Kind.CHECKSUM_MISMATCH, e.kind());
        assertTrue(e.getMessage().contains(SHARD1_ETAG) && e.getMessage().contains(TinyModel.SHARD1), e.getMessage());
        assertFalse(Files.exists(blobs().resolve(SHARD1_ETAG)));
        assertFalse(Files.exists(blobs().resolve(SHARD1_ETAG + ".incomplete")));
        assertFalse(Files.exists(home.resolve("hub/models--acme--tiny/snapshots").resolve(TinyModel.COMMIT)
                .resolve(TinyModel.SHARD1)));
    }

    @Test
    void existingBlobIsLinkedWithoutDownloadingAgain() throws Exception {
        HubClient client = fake.client(home).build();
        client.downloadFile(REF, TinyModel.SHARD1);

        // The tag points to another commit holding the same bytes: HEAD only, no GET.
        Path tagged = client.downloadFile(ModelRef.parse(TinyModel.REPO + "@v1.0"), TinyModel.SHARD1);

        assertArrayEquals(TinyModel.SHARD1_BYTES, Files.readAllBytes(tagged));
        assertEquals(1, shardGets().size());
        assertEquals(Path.of("../../blobs/" + SHARD1_ETAG), Files.readSymbolicLink(tagged));
    }
}
