package dev.dpo4j.core.hub;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;

/**
 * A loopback imitation of the Hub's HTTP API on {@link MockWebServer}: the metadata endpoint,
 * HEAD/GET on {@code /resolve/}, LFS redirects to a second "CDN" server, range requests,
 * {@code X-Error-Code} headers, and injectable faults per file. Every request to either
 * server is recorded.
 */
final class FakeHub implements AutoCloseable {

    /** A fault applied to the next GET of one file. */
    enum Fault { DISCONNECT_HALFWAY, IGNORE_RANGE, CORRUPT, STATUS_503 }

    /** One repository revision: its commit and files (name to bytes). */
    static final class Revision {
        final String commit;
        final Map<String, byte[]> files = new LinkedHashMap<>();

        Revision(String commit) {
            this.commit = commit;
        }

        Revision file(String name, byte[] bytes) {
            files.put(name, bytes);
            return this;
        }
    }

    final MockWebServer hub = new MockWebServer();
    final MockWebServer cdn = new MockWebServer();
    final List<RecordedRequest> hubRequests = Collections.synchronizedList(new ArrayList<>());
    final List<RecordedRequest> cdnRequests = Collections.synchronizedList(new ArrayList<>());
    /** Consulted first; returns null to fall through to the normal behaviour. */
    volatile Function<RecordedRequest, MockResponse> override = r -> null;
    /** When true, LFS files (names ending in .safetensors) answer with a 302 to the CDN. */
    volatile boolean redirectLfs;

    private final Map<String, Map<String, Revision>> repos = new HashMap<>();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();

    FakeHub() throws Exception {
        hub.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                hubRequests.add(request);
                MockResponse custom = override.apply(request);
                return custom != null ? custom : dispatchHub(request);
            }
        });
        cdn.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                cdnRequests.add(request);
                return dispatchCdn(request);
            }
        });
        hub.start();
        cdn.start();
    }

    /** Adds a revision; {@code type} is "models" or "datasets". */
    synchronized Revision addRevision(String type, String repoId, String revision, String commit) {
        Revision rev = repos.computeIfAbsent(type + "/" + repoId, k -> new HashMap<>())
                .computeIfAbsent(revision, k -> new Revision(commit));
        repos.get(type + "/" + repoId).putIfAbsent(commit, rev);
        return rev;
    }

    synchronized void fault(String filename, Fault... sequence) {
        faults.computeIfAbsent(filename, k -> new ArrayDeque<>()).addAll(List.of(sequence));
    }

    int requestCount() {
        return hubRequests.size() + cdnRequests.size();
    }

    List<String> requestLines() {
        List<String> lines = new ArrayList<>();
        synchronized (hubRequests) {
            hubRequests.forEach(r -> lines.add(r.getMethod() + " " + r.getPath()));
        }
        synchronized (cdnRequests) {
            cdnRequests.forEach(r -> lines.add("CDN " + r.getMethod() + " " + r.getPath()));
        }
        return lines;
    }

    String endpoint() {
        return hub.url("/").toString();
    }

    /**
     * A client builder for this server with {@code HF_HOME=home}, fast retries, no progress
     * bars and short timeouts; {@code env} adds variables as name, value pairs.
     */
    HubClient.Builder client(Path home, String... env) {
        Map<String, String> vars = new HashMap<>();
        vars.put("HF_HOME", home.toString());
        vars.put("HF_ENDPOINT", endpoint());
        for (int i = 0; i + 1 < env.length; i += 2) {
            vars.put(env[i], env[i + 1]);
        }
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(5)).build();
        return HubClient.builder(HubSettings.fromEnvironment(vars)).optHttpClient(http)
                .optRetryPolicy(new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(20))).optProgress(false);
    }

    private synchronized MockResponse dispatchHub(RecordedRequest request) {
        List<String> segments = request.getRequestUrl().pathSegments();
        boolean head = request.getMethod().equals("HEAD");
        if (segments.size() >= 5 && segments.get(0).equals("api")) {
            // /api/{type}/{org}/{name}/revision/{rev}
            Map<String, Revision> repo = repos.get(segments.get(1) + "/" + segments.get(2) + "/" + segments.get(3));
            if (repo == null) {
                return error(head, 404, "RepoNotFound", "Repository not found");
            }
            Revision rev = repo.get(segments.get(5));
            if (rev == null) {
                return error(head, 404, "RevisionNotFound", "Invalid rev id: " + segments.get(5));
            }
            String siblings = rev.files.keySet().stream().map(n -> "{\"rfilename\":\"" + n + "\"}")
                    .collect(Collectors.joining(","));
            return new MockResponse().setHeader("Content-Type", "application/json")
                    .setBody("{\"id\":\"x\",\"sha\":\"" + rev.commit + "\",\"siblings\":[" + siblings + "]}");
        }
        String type = "models";
        List<String> rest = segments;
        if (!segments.isEmpty() && segments.get(0).equals("datasets")) {
            type = "datasets";
            rest = segments.subList(1, segments.size());
        }
        if (rest.size() < 5 || !rest.get(2).equals("resolve")) {
            return error(head, 404, null, "no route " + request.getPath());
        }
        Map<String, Revision> repo = repos.get(type + "/" + rest.get(0) + "/" + rest.get(1));
        if (repo == null) {
            return error(head, 404, "RepoNotFound", "Repository not found");
        }
        Revision rev = repo.get(rest.get(3));
        if (rev == null) {
            return error(head, 404, "RevisionNotFound", "Invalid rev id");
        }
        String filename = String.join("/", rest.subList(4, rest.size()));
        byte[] bytes = rev.files.get(filename);
        if (bytes == null) {
            return error(head, 404, "EntryNotFound", "Entry not found");
        }
        boolean lfs = isLfs(filename);
        MockResponse response;
        if (lfs && redirectLfs) {
            response = new MockResponse().setResponseCode(302)
                    .setHeader("Location", cdn.url("/lfs/" + sha256(bytes) + "?name=" + filename));
        } else if (head) {
            response = new MockResponse().setBody(new Buffer()).setHeader("Content-Length", bytes.length);
        } else {
            response = body(request, filename, bytes);
        }
        response.setHeader("X-Repo-Commit", rev.commit);
        if (lfs) {
            response.setHeader("X-Linked-Etag", "\"" + sha256(bytes) + "\"")
                    .setHeader("X-Linked-Size", bytes.length)
                    .setHeader("ETag", "\"lfs-pointer-" + bytes.length + "\"");
        } else {
            response.setHeader("ETag", "\"" + gitBlobSha1(bytes) + "\"");
        }
        return response;
    }

    private synchronized MockResponse dispatchCdn(RecordedRequest request) {
        String sha = request.getRequestUrl().pathSegments().get(1);
        String name = request.getRequestUrl().queryParameter("name");
        for (Map<String, Revision> repo : repos.values()) {
            for (Revision rev : repo.values()) {
                byte[] bytes = rev.files.get(name);
                if (bytes != null && sha256(bytes).equals(sha)) {
                    return body(request, name, bytes);
                }
            }
        }
        return new MockResponse().setResponseCode(404).setBody("no such object");
    }

    /** A GET answer honouring Range unless a fault says otherwise. */
    private MockResponse body(RecordedRequest request, String filename, byte[] bytes) {
        Deque<Fault> queue = faults.get(filename);
        Fault fault = queue == null ? null : queue.poll();
        if (fault == Fault.STATUS_503) {
            return new MockResponse().setResponseCode(503).setBody("busy");
        }
        byte[] served = bytes;
        if (fault == Fault.CORRUPT) {
            served = bytes.clone();
            served[served.length / 2] ^= 0x5A;
        }
        String range = request.getHeader("Range");
        MockResponse response;
        if (range != null && fault != Fault.IGNORE_RANGE) {
            int start = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
            response = new MockResponse().setResponseCode(206)
                    .setHeader("Content-Range", "bytes " + start + "-" + (served.length - 1) + "/" + served.length)
                    .setBody(new Buffer().write(served, start, served.length - start));
        } else {
            response = new MockResponse().setBody(new Buffer().write(served));
        }
        if (fault == Fault.DISCONNECT_HALFWAY) {
            response.setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY);
        }
        return response;
    }

    /** An error answer; HEAD answers carry no body so the connection stays usable. */
    static MockResponse error(boolean head, int code, String errorCode, String message) {
        MockResponse response = new MockResponse().setResponseCode(code).setBody(head ? "" : message);
        if (errorCode != null) {
            response.setHeader("X-Error-Code", errorCode).setHeader("X-Error-Message", message);
        }
        return response;
    }

    static boolean isLfs(String filename) {
        return filename.endsWith(".safetensors");
    }

    /** The cache name of a file: sha256 for LFS files, git blob sha1 otherwise. */
    static String etagOf(String filename, byte[] bytes) {
        return isLfs(filename) ? sha256(bytes) : gitBlobSha1(bytes);
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        return hex("SHA-256", bytes);
    }

    /** Git's blob id: sha1 of {@code "blob <len>\0"} followed by the content. */
    static String gitBlobSha1(byte[] bytes) {
        byte[] header = ("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[header.length + bytes.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(bytes, 0, all, header.length, bytes.length);
        return hex("SHA-1", all);
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        hub.shutdown();
        cdn.shutdown();
    }
}
