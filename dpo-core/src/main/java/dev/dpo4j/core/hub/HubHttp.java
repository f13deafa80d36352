package dev.dpo4j.core.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the Hub client: URL building, the {@code Authorization} header (sent to
 * the Hub's own origin only, never to a host a file is redirected to), manual redirect
 * handling, bounded retries of idempotent requests, and the mapping of error answers to
 * {@link HubException}s.
 */
final class HubHttp {

    private static final Logger LOG = LoggerFactory.getLogger(HubHttp.class);
    private static final int MAX_REDIRECTS = 10;
    private static final int EXCERPT_CHARS = 200;
    private static final String USER_AGENT = "dpo4j/0.1 (okhttp)";

    private final HubSettings settings;
    private final HttpUrl endpoint;
    private final OkHttpClient client;
    private final RetryPolicy retry;
    private final ObjectMapper json = new ObjectMapper();

    HubHttp(HubSettings settings, OkHttpClient client, RetryPolicy retry) {
        this.settings = settings;
        this.endpoint = HttpUrl.get(settings.endpoint());
        // Redirects are followed by hand so that the token never leaves the Hub's origin.
        this.client = client.newBuilder().followRedirects(false).followSslRedirects(false).build();
        this.retry = retry;
    }

    /** {@code {endpoint}/[datasets/]{repo}/resolve/{revision}/{filename}}. */
    HttpUrl resolveUrl(RepoType type, ModelRef ref, String filename) {
        HttpUrl.Builder url = endpoint.newBuilder();
        if (!type.resolvePrefix().isEmpty()) {
            url.addPathSegments(type.resolvePrefix().replace("/", ""));
        }
        return url.addPathSegments(ref.repoId()).addPathSegment("resolve")
                .addPathSegment(ref.revision()).addPathSegments(filename).build();
    }

    /** {@code {endpoint}/api/{models|datasets}/{repo}/revision/{revision}}. */
    HttpUrl apiUrl(RepoType type, ModelRef ref) {
        return endpoint.newBuilder().addPathSegment("api").addPathSegment(type.apiSegment())
                .addPathSegments(ref.repoId()).addPathSegment("revision").addPathSegment(ref.revision()).build();
    }

    /** Fetches the commit and the file list of a revision. */
    RepoInfo fetchRepoInfo(RepoType type, ModelRef ref) {
        HttpUrl url = apiUrl(type, ref);
        try (Response response = getFollowingRedirects(url, "metadata of " + ref)) {
            if (!response.isSuccessful()) {
                throw error(response, type, ref, null);
            }
            JsonNode root = json.readTree(response.body().byteStream());
            String sha = root.path("sha").asText(null);
            if (sha == null || sha.isBlank()) {
                throw new HubException(HubException.Kind.HTTP, "the Hub's answer for " + url + " has no 'sha' field");
            }
            List<String> files = new ArrayList<>();
            for (JsonNode sibling : root.path("siblings")) {
                String name = sibling.path("rfilename").asText(null);
                if (name != null) {
                    files.add(name);
                }
            }
            return new RepoInfo(sha, files);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.HTTP,
                    "cannot read the Hub's metadata answer for " + ref + " from " + url + ": " + e.getMessage(), e);
        }
    }

    /** A GET that follows redirects (a renamed repository), sending the token to the Hub's origin only. */
    private Response getFollowingRedirects(HttpUrl url, String what) {
        HttpUrl current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Response response = executeWithRetry(request(current).get().build(), what);
            HttpUrl location = redirectTarget(response);
            if (location == null) {
                return response;
            }
            response.close();
            current = location;
        }
        throw new HubException(HubException.Kind.HTTP, "too many redirects for " + what + " from " + url);
    }

    /**
     * Reads a file's commit, ETag and size with a HEAD request, following redirects within
     * the Hub's origin and stopping at the first redirect to another host (an LFS file's
     * storage), whose location becomes the download URL.
     */
    FileMetadata fetchFileMetadata(RepoType type, ModelRef ref, String filename) {
        HttpUrl url = resolveUrl(type, ref, filename);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Request head = request(url).head().header("Accept-Encoding", "identity").build();
            try (Response response = executeWithRetry(head, filename + " of " + ref)) {
                HttpUrl location = redirectTarget(response);
                if (location != null && sameOrigin(location)) {
                    url = location;
                    continue;
                }
                if (location == null && !response.isSuccessful()) {
                    throw error(response, type, ref, filename);
                }
                return metadata(response, ref, filename, location != null ? location : url);
            }
        }
        throw new HubException(HubException.Kind.HTTP, "too many redirects for " + filename + " of " + ref);
    }

    /**
     * Starts a GET of a file's bytes from {@code offset} on, following redirects by hand and
     * sending the token to the Hub's origin only. The caller closes the response.
     *
     * @throws IOException when the connection fails
     */
    Response openDownload(HttpUrl url, long offset) throws IOException {
        HttpUrl current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Request.Builder get = request(current).get().header("Accept-Encoding", "identity");
            if (offset > 0) {
                get.header("Range", "bytes=" + offset + "-");
            }
            Response response = client.newCall(get.build()).execute();
            HttpUrl location = redirectTarget(response);
            if (location == null) {
                return response;
            }
            response.close();
            LOG.debug("Following redirect from {} to host {}", current.host(), location.host());
            current = location;
        }
        throw new HubException(HubException.Kind.HTTP, "too many redirects downloading " + url);
    }

    /** Maps an error answer to a {@link HubException} naming what was not found or refused. */
    HubException error(Response response, RepoType type, ModelRef ref, String filename) {
        int code = response.code();
        String errorCode = response.header("X-Error-Code", "");
        String what = filename == null ? ref.toString() : "'" + filename + "' of " + ref;
        String status = " (HTTP " + code + " from " + response.request().method() + " " + response.request().url() + ")";
        String privateHint = settings.hasToken()
                ? "; if it is private, check that the token in HF_TOKEN can read it"
                : "; if it is private, set HF_TOKEN";
        HubException.Kind kind;
        String message;
        if (errorCode.equals("RepoNotFound")) {
            kind = HubException.Kind.REPO_NOT_FOUND;
            message = "repository " + ref.repoId() + " not found on " + settings.endpoint() + privateHint;
        } else if (errorCode.equals("RevisionNotFound")) {
            kind = HubException.Kind.REVISION_NOT_FOUND;
            message = "revision '" + ref.revision() + "' not found in repository " + ref.repoId();
        } else if (errorCode.equals("EntryNotFound")) {
            kind = HubException.Kind.FILE_NOT_FOUND;
            message = "file '" + filename + "' not found in repository " + ref;
        } else if (errorCode.equals("GatedRepo") || code == 403) {
            kind = HubException.Kind.GATED;
            message = "access to " + ref.repoId() + " is gated/forbidden: accept the licence on the Hub page "
                    + settings.endpoint() + "/" + type.resolvePrefix() + ref.repoId() + " and set HF_TOKEN"
                    + (settings.hasToken() ? " to a token of the account that accepted it" : "");
        } else if (code == 401) {
            kind = HubException.Kind.AUTH_REQUIRED;
            message = "authentication required: set HF_TOKEN"
                    + (settings.hasToken() ? " (the token that is set was rejected)" : "") + " to read " + what;
        } else if (code == 404 && filename != null) {
            kind = HubException.Kind.FILE_NOT_FOUND;
            message = "file '" + filename + "' not found in repository " + ref;
        } else if (code == 404) {
            kind = HubException.Kind.REPO_NOT_FOUND;
            message = ref.revision().equals(ModelRef.DEFAULT_REVISION)
                    ? "repository " + ref.repoId() + " not found on " + settings.endpoint() + privateHint
                    : "repository " + ref.repoId() + " or its revision '" + ref.revision() + "' not found on "
                            + settings.endpoint() + privateHint;
        } else {
            kind = HubException.Kind.HTTP;
            message = "the Hub answered HTTP " + code + " for " + what + ": " + excerpt(response);
        }
        return new HubException(kind, HubException.scrub(message + status, settings.token()));
    }

    /** Returns whether a URL is on the Hub's own scheme, host and port. */
    boolean sameOrigin(HttpUrl url) {
        return url.scheme().equals(endpoint.scheme()) && url.host().equals(endpoint.host())
                && url.port() == endpoint.port();
    }

    RetryPolicy retry() {
        return retry;
    }

    private Request.Builder request(HttpUrl url) {
        Request.Builder builder = new Request.Builder().url(url).header("User-Agent", USER_AGENT);
        if (settings.hasToken() && sameOrigin(url)) {
            builder.header("Authorization", "Bearer " + settings.token());
        }
        return builder;
    }

    private Response executeWithRetry(Request request, String what) {
        IOException lastFailure = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            try {
                Response response = client.newCall(request).execute();
                boolean transientStatus = response.code() >= 500 || response.code() == 429;
                if (!transientStatus || attempt == retry.maxAttempts()) {
                    return response;
                }
                LOG.warn("Hub answered HTTP {} for {}; retrying ({}/{})", response.code(), what, attempt, retry.maxAttempts());
                response.close();
            } catch (UnknownHostException e) {
                // a name that does not resolve now will not resolve in a second: no network, or a wrong HF_ENDPOINT
                throw new HubException(HubException.Kind.NETWORK, HubException.scrub("cannot reach " + settings.endpoint()
                        + " for " + what + ": its host name does not resolve (" + e.getMessage() + "); no network, or"
                        + " a wrong HF_ENDPOINT? (set HF_HUB_OFFLINE=1 to use only the local cache)", settings.token()), e);
            } catch (IOException e) {
                lastFailure = e;
                LOG.warn("Request for {} failed: {}; retrying ({}/{})", what, e.getMessage(), attempt, retry.maxAttempts());
            }
            if (attempt < retry.maxAttempts()) {
                retry.sleep(attempt);
            }
        }
        throw new HubException(HubException.Kind.NETWORK, HubException.scrub("cannot reach " + settings.endpoint()
                + " for " + what + " after " + retry.maxAttempts() + " attempts: "
                + (lastFailure == null ? "no answer" : lastFailure.getMessage())
                + " (set HF_HUB_OFFLINE=1 to use only the local cache)", settings.token()), lastFailure);
    }

    private FileMetadata metadata(Response response, ModelRef ref, String filename, HttpUrl downloadUrl) {
        String commit = response.header("X-Repo-Commit");
        if (commit == null && ref.isCommit()) {
            commit = ref.revision();
        }
        String etag = response.header("X-Linked-Etag", response.header("ETag"));
        if (commit == null || etag == null) {
            throw new HubException(HubException.Kind.HTTP, "the Hub's answer for '" + filename + "' of " + ref
                    + " lacks the " + (commit == null ? "X-Repo-Commit" : "ETag") + " header; is HF_ENDPOINT ("
                    + settings.endpoint() + ") a Hugging Face Hub?");
        }
        // A redirect's Content-Length is that of the redirect page, not of the file.
        String size = response.header("X-Linked-Size", response.isRedirect() ? null : response.header("Content-Length"));
        long bytes = -1;
        if (size != null) {
            try {
                bytes = Long.parseLong(size.strip());
            } catch (NumberFormatException e) {
                bytes = -1;
            }
        }
        return new FileMetadata(commit.strip(), normalizeEtag(etag), bytes, downloadUrl);
    }

    /** Strips a weak-validator prefix and quotes: {@code W/"abc"} becomes {@code abc}. */
    static String normalizeEtag(String etag) {
        String value = etag.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        return value.replace("\"", "");
    }

    private static HttpUrl redirectTarget(Response response) {
        if (!response.isRedirect()) {
            return null;
        }
        String location = response.header("Location");
        return location == null ? null : response.request().url().resolve(location);
    }

    private String excerpt(Response response) {
        ResponseBody body = response.body();
        if (body == null) {
            return "(empty body)";
        }
        try {
            BufferedSource source = body.source();
            source.request(EXCERPT_CHARS * 4L);
            long available = Math.min(source.getBuffer().size(), EXCERPT_CHARS * 4L);
            // Scrub before cutting, so that a token near the cut cannot survive in part.
            String text = HubException.scrub(source.getBuffer().readUtf8(available), settings.token());
            text = text.replaceAll("\\s+", " ").strip();
            if (text.length() > EXCERPT_CHARS) {
                text = text.substring(0, EXCERPT_CHARS) + "...";
            }
            return text.isEmpty() ? "(empty body)" : text;
        } catch (IOException e) {
            return "(body unreadable: " + e.getMessage() + ")";
        }
    }
}
