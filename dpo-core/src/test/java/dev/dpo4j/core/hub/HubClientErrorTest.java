package dev.dpo4j.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Error answers map to clear {@link HubException}s, and the token never leaks. */
class HubClientErrorTest {

    private static final String TOKEN = "hf_SecretTokenValue0123456789";

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

    private HubClient client() {
        return fake.client(home, "HF_TOKEN", TOKEN).build();
    }

    private HubException unauthorized() {
        fake.override = r -> FakeHub.error(r.getMethod().equals("HEAD"), 401, null, "Invalid credentials");
        return assertThrows(HubException.class, () -> client().resolveModel("acme/tiny"));
    }

    private HubException gated() {
        fake.override = r -> FakeHub.error(r.getMethod().equals("HEAD"), 403, "GatedRepo",
                "Access to model acme/tiny is restricted");
        return assertThrows(HubException.class, () -> client().resolveModel("acme/tiny"));
    }

    private HubException missingRepo() {
        return assertThrows(HubException.class, () -> client().resolveModel("acme/missing"));
    }

    private HubException missingRevision() {
        return assertThrows(HubException.class, () -> client().resolveModel("acme/tiny@v9"));
    }

    private HubException missingFile() {
        return assertThrows(HubException.class, () -> client().downloadFile(ModelRef.parse("acme/tiny"), "nope.json"));
    }

    private HubException missingFileWithoutErrorCode() {
        fake.override = r -> r.getPath().endsWith("plain.json") ? FakeHub.error(true, 404, null, "") : null;
        return assertThrows(HubException.class, () -> client().downloadFile(ModelRef.parse("acme/tiny"), "plain.json"));
    }

    private HubException serverErrorEchoingTheToken() {
        fake.override = r -> new MockResponse().setResponseCode(500)
                .setBody("internal error; you sent " + r.getHeader("Authorization"));
        return assertThrows(HubException.class, () -> client().resolveModel("acme/tiny"));
    }

    private HubException noSafetensors() {
        fake.addRevision("models", "acme/old", "main", "9999999999999999999999999999999999999999")
                .file("config.json", TinyModel.CONFIG).file("pytorch_model.bin", FakeHub.randomBytes(64, 5));
        return assertThrows(HubException.class, () -> client().resolveModel("acme/old"));
    }

    private HubException diskFull() {
        HubClient client = fake.client(home, "HF_TOKEN", TOKEN).optSpaceCheck(dir -> 1000).build();
        return assertThrows(HubException.class, () -> client.resolveModel("acme/tiny"));
    }

    private HubException corrupt() {
        fake.fault(TinyModel.SHARD2, FakeHub.Fault.CORRUPT);
        return assertThrows(HubException.class, () -> client().resolveModel("acme/tiny"));
    }

    private HubException unreachable() throws Exception {
        fake.close();
        return assertThrows(HubException.class, () -> client().resolveModel("acme/tiny"));
    }

    @Test
    void status401AsksForAToken() {
        HubException e = unauthorized();
        assertEquals(HubException.Kind.AUTH_REQUIRED, e.kind());
        assertTrue(e.getMessage().startsWith("authentication required: set HF_TOKEN"), e.getMessage());
    }

    @Test
    void status403ExplainsTheGate() {
        HubException e = gated();
        assertEquals(HubException.Kind.GATED, e.kind());
        assertTrue(e.getMessage().contains("access to acme/tiny is gated/forbidden: accept the licence on the Hub page"),
                e.getMessage());
        assertTrue(e.getMessage().contains("set HF_TOKEN"), e.getMessage());
    }

    @Test
    void status404SaysWhichThingIsMissing() {
        HubException repo = missingRepo();
        HubException revision = missingRevision();
        HubException file = missingFile();
        HubException plain = missingFileWithoutErrorCode();

        assertEquals(HubException.Kind.REPO_NOT_FOUND, repo.kind());
        assertTrue(repo.getMessage().contains("repository acme/missing not found"), repo.getMessage());
        assertEquals(HubException.Kind.REVISION_NOT_FOUND, revision.kind());
        assertTrue(revision.getMessage().contains("revision 'v9' not found in repository acme/tiny"), revision.getMessage());
        assertEquals(HubException.Kind.FILE_NOT_FOUND, file.kind());
        assertTrue(file.getMessage().contains("file 'nope.json' not found in repository acme/tiny@main"), file.getMessage());
        assertEquals(HubException.Kind.FILE_NOT_FOUND, plain.kind());
        assertTrue(plain.getMessage().contains("'plain.json'"), plain.getMessage());
    }

    @Test
    void otherStatusShowsCodeAndBodyExcerptAfterRetries() {
        HubException e = serverErrorEchoingTheToken();
        assertEquals(HubException.Kind.HTTP, e.kind());
        assertTrue(e.getMessage().contains("HTTP 500") && e.getMessage().contains("internal error; you sent Bearer ***"),
                e.getMessage());
        assertEquals(4, fake.hubRequests.size(), "bounded retries of the metadata request");
    }

    @Test
    void repositoryWithoutSafetensorsIsRejected() {
        HubException e = noSafetensors();
        assertEquals(HubException.Kind.NO_WEIGHTS, e.kind());
        assertTrue(e.getMessage().contains("acme/old") && e.getMessage().contains("pytorch_model.bin"), e.getMessage());
    }

    @Test
    void insufficientDiskSpaceFailsBeforeWriting() {
        HubException e = diskFull();
        Path blobs = home.resolve("hub/models--acme--tiny/blobs");

        assertEquals(HubException.Kind.DISK_FULL, e.kind());
        // The first weight file needing more than 1000 bytes is shard 1 (150000 bytes).
        assertTrue(e.getMessage().contains(blobs.toString()) && e.getMessage().contains("150000 bytes")
                && e.getMessage().contains(TinyModel.SHARD1), e.getMessage());
        assertFalse(Files.exists(blobs.resolve(FakeHub.sha256(TinyModel.SHARD1_BYTES))));
        assertFalse(Files.exists(blobs.resolve(FakeHub.sha256(TinyModel.SHARD1_BYTES) + ".incomplete")));
    }

    @Test
    void unreachableHubIsANetworkError() throws Exception {
        HubException e = unreachable();
        assertEquals(HubException.Kind.NETWORK, e.kind());
        assertTrue(e.getMessage().contains("HF_HUB_OFFLINE"), e.getMessage());
    }

    @Test
    void tokenNeverAppearsInMessagesLogsOrFiles() throws Exception {
        List<Throwable> errors = new ArrayList<>();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // A successful download with progress bars on, so progress output is scanned too.
            fake.client(home.resolve("second-home"), "HF_TOKEN", TOKEN).optProgress(true).build()
                    .resolveModel("acme/tiny");
            errors.add(unauthorized());
            errors.add(gated());
            fake.override = r -> null;
            errors.add(missingRepo());
            errors.add(missingRevision());
            errors.add(missingFile());
            errors.add(missingFileWithoutErrorCode());
            errors.add(serverErrorEchoingTheToken());
            fake.override = r -> null;
            errors.add(noSafetensors());
            errors.add(diskFull());
            errors.add(corrupt());
            errors.add(unreachable());
        } finally {
            System.setErr(originalErr);
        }
        assertTrue(fake.hubRequests.stream().anyMatch(r -> ("Bearer " + TOKEN).equals(r.getHeader("Authorization"))),
                "the token must have been sent, or this test proves nothing");
        for (Throwable error : errors) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t).contains(TOKEN), "token in message: " + t);
            }
        }
        String logged = captured.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("retrying") && logged.contains(TinyModel.SHARD1 + " [===================="),
                "log lines and progress bars should have been captured: " + logged);
        assertFalse(logged.contains(TOKEN), "token in logged output");
        byte[] token = TOKEN.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertFalse(content.contains(new String(token, StandardCharsets.ISO_8859_1)), "token in " + file);
            }
        }
    }
}
