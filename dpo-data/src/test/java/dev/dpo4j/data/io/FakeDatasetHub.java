package dev.dpo4j.data.io;

import dev.dpo4j.core.hub.HubClient;
import dev.dpo4j.core.hub.HubSettings;
import dev.dpo4j.core.hub.RetryPolicy;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * A loopback imitation of the Hub's dataset API on {@link MockWebServer}: the revision metadata
 * endpoint ({@code /api/datasets/{repo}/revision/{rev}}, revisions such as
 * {@code refs/convert/parquet} arriving URL-encoded) and HEAD/GET on
 * {@code /datasets/{repo}/resolve/{rev}/{path}}, every file served like an LFS file (sha256 ETag).
 */
public final class FakeDatasetHub implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();
    private final Map<String, Map<String, Revision>> repos = new HashMap<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    /** One revision: its commit and files. */
    public static final class Revision {
        final String commit;
        final Map<String, byte[]> files = new LinkedHashMap<>();

        Revision(String commit) {
            this.commit = commit;
        }

        public Revision file(String name, byte[] bytes) {
            files.put(name, bytes);
            return this;
        }
    }

    /**
     * Starts the server.
     *
     * @throws Exception if it cannot start
     */
    public FakeDatasetHub() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request.getMethod() + " " + request.getPath());
                return answer(request);
            }
        });
        server.start();
    }

    public synchronized Revision revision(String repoId, String revision, String commit) {
        Map<String, Revision> repo = repos.computeIfAbsent(repoId, k -> new HashMap<>());
        Revision rev = repo.computeIfAbsent(revision, k -> new Revision(commit));
        repo.putIfAbsent(commit, rev);
        return rev;
    }

    /**
     * The server's base URL, for {@code HF_ENDPOINT}.
     *
     * @return the URL
     */
    public String url() {
        return server.url("/").toString();
    }

    /** A client with {@code HF_HOME=home} pointed at this server; {@code offline} sets HF_HUB_OFFLINE. */
    HubClient client(java.nio.file.Path home, boolean offline) {
        Map<String, String> env = new HashMap<>();
        env.put("HF_HOME", home.toString());
        env.put("HF_ENDPOINT", server.url("/").toString());
        if (offline) {
            env.put("HF_HUB_OFFLINE", "1");
        }
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(5)).build();
        return HubClient.builder(HubSettings.fromEnvironment(env)).optHttpClient(http)
                .optRetryPolicy(new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(10)))
                .optProgress(false).build();
    }

    private synchronized MockResponse answer(RecordedRequest request) {
        List<String> segments = request.getRequestUrl().pathSegments();
        boolean head = request.getMethod().equals("HEAD");
        if (segments.size() == 6 && segments.get(0).equals("api") && segments.get(1).equals("datasets")) {
            if (!repos.containsKey(segments.get(2) + "/" + segments.get(3))) {
                return error(head, "RepoNotFound", "Repository not found");
            }
            Revision rev = find(segments.get(2) + "/" + segments.get(3), segments.get(5));
            if (rev == null) {
                return error(head, "RevisionNotFound", "Invalid rev id: " + segments.get(5));
            }
            String siblings = rev.files.keySet().stream().map(n -> "{\"rfilename\":\"" + n + "\"}")
                    .collect(Collectors.joining(","));
            return new MockResponse().setHeader("Content-Type", "application/json")
                    .setBody("{\"id\":\"x\",\"sha\":\"" + rev.commit + "\",\"siblings\":[" + siblings + "]}");
        }
        if (segments.size() < 6 || !segments.get(0).equals("datasets") || !segments.get(3).equals("resolve")) {
            return error(head, null, "no route " + request.getPath());
        }
        Revision rev = find(segments.get(1) + "/" + segments.get(2), segments.get(4));
        byte[] bytes = rev == null ? null : rev.files.get(String.join("/", segments.subList(5, segments.size())));
        if (bytes == null) {
            return error(head, "EntryNotFound", "Entry not found");
        }
        MockResponse response = head ? new MockResponse().setBody(new Buffer()).setHeader("Content-Length", bytes.length)
                : new MockResponse().setBody(new Buffer().write(bytes));
        return response.setHeader("X-Repo-Commit", rev.commit)
                .setHeader("X-Linked-Etag", "\"" + sha256(bytes) + "\"")
                .setHeader("X-Linked-Size", bytes.length)
                .setHeader("ETag", "\"pointer-" + bytes.length + "\"");
    }

    private Revision find(String repoId, String revision) {
        Map<String, Revision> repo = repos.get(repoId);
        return repo == null ? null : repo.get(revision);
    }

    private static MockResponse error(boolean head, String code, String message) {
        MockResponse response = new MockResponse().setResponseCode(404).setBody(head ? "" : message);
        return code == null ? response : response.setHeader("X-Error-Code", code).setHeader("X-Error-Message", message);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws java.io.IOException {
        server.shutdown();
    }
}
