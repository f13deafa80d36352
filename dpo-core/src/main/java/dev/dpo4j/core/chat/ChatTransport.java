package dev.dpo4j.core.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * One HTTP attempt of a chat request: sends the body to one endpoint with the API key in the
 * {@code Authorization} header and turns every outcome into a response or an
 * {@link AttemptFailedException} of the right kind. Messages name the endpoint's host, port and
 * path and the status, never a header; anything the server echoes back has the key masked.
 */
final class ChatTransport {

    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final String USER_AGENT = "dpo4j/0.1 (okhttp)";
    private static final int EXCERPT_CHARS = 200;

    private final OkHttpClient http;
    private final String apiKey;
    private final Clock clock;

    /**
     * @param http the configured HTTP client
     * @param apiKey the API key, or null to send no {@code Authorization} header
     * @param clock the clock an HTTP-date {@code Retry-After} is measured against
     */
    ChatTransport(OkHttpClient http, String apiKey, Clock clock) {
        this.http = http;
        this.apiKey = apiKey;
        this.clock = clock;
    }

    /**
     * The endpoint as messages name it: {@code host:port/path}, without user info or query.
     *
     * @param url the URL
     * @return the description
     */
    static String describe(HttpUrl url) {
        return url.host() + ":" + url.port() + url.encodedPath();
    }

    /**
     * Posts a request body and parses the answer.
     *
     * @param url the {@code …/chat/completions} URL
     * @param body the request JSON
     * @param model the model name to report when the answer names none
     * @return the answer
     * @throws AttemptFailedException when the attempt failed, with its kind, status and
     *     {@code Retry-After}
     */
    ChatResponse send(HttpUrl url, byte[] body, String model) throws AttemptFailedException {
        Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(body, JSON))
                .header("Accept", "application/json").header("User-Agent", USER_AGENT);
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        String where = "POST " + describe(url);
        try (Response response = http.newCall(request.build()).execute()) {
            if (!response.isSuccessful()) {
                throw new AttemptFailedException(ChatException.Kind.HTTP_STATUS, response.code(),
                        RetryAfterHeader.parse(response.headers(), clock),
                        where + " answered HTTP " + response.code() + ": " + errorExcerpt(response.body()), null);
            }
            String text = successBody(response, where);
            try {
                return ChatJson.parseResponse(text, model);
            } catch (ChatException e) {
                String excerpt = e.kind() == ChatException.Kind.MALFORMED_RESPONSE
                        ? ": " + ChatJson.clip(scrub(text), EXCERPT_CHARS) : "";
                throw new AttemptFailedException(e.kind(), response.code(), null,
                        where + " answered HTTP " + response.code() + " but " + scrub(e.getMessage()) + excerpt, null);
            }
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new AttemptFailedException(ChatException.Kind.REFUSED, 0, null,
                        where + " was interrupted", e);
            }
            throw new AttemptFailedException(ChatException.Kind.TIMEOUT, 0, null,
                    where + " timed out: " + scrub(String.valueOf(e.getMessage())), e);
        } catch (IOException e) {
            throw new AttemptFailedException(ChatException.Kind.CONNECTION, 0, null,
                    where + " failed: " + e.getClass().getSimpleName() + ": " + scrub(String.valueOf(e.getMessage())),
                    e);
        }
    }

    /**
     * Reads a successful answer's whole body. A connection dropped mid-body makes the body
     * malformed (truncated); a stall beyond the read timeout stays a timeout.
     */
    private String successBody(Response response, String where) throws IOException, AttemptFailedException {
        ResponseBody body = response.body();
        if (body == null) {
            return "";
        }
        try {
            return body.string();
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new AttemptFailedException(ChatException.Kind.MALFORMED_RESPONSE, response.code(), null,
                    where + " answered HTTP " + response.code() + " but the body was cut off: "
                            + e.getClass().getSimpleName() + ": " + scrub(String.valueOf(e.getMessage())), e);
        }
    }

    /** The server's error message ({@code error.message} when it is JSON), clipped and masked. */
    private String errorExcerpt(ResponseBody body) {
        if (body == null) {
            return "(empty body)";
        }
        String text;
        try {
            text = body.string();
        } catch (IOException e) {
            return "(body unreadable: " + e.getClass().getSimpleName() + ")";
        }
        String message = text;
        try {
            JsonNode root = ChatJson.MAPPER.readTree(text);
            JsonNode error = root == null ? null : root.get("error");
            if (error != null && error.isTextual()) {
                message = error.asText();
            } else if (error != null && error.path("message").isTextual()) {
                message = error.path("message").asText();
            } else if (root != null && root.path("message").isTextual()) {
                message = root.path("message").asText();
            }
        } catch (IOException e) {
            message = text;
        }
        // Mask before clipping, so that a key cut in half cannot survive in part.
        String excerpt = ChatJson.clip(scrub(message), EXCERPT_CHARS);
        return excerpt.isEmpty() ? "(empty body)" : excerpt;
    }

    /** The text with every occurrence of the API key replaced by {@code ***}. */
    String scrub(String text) {
        if (text == null || apiKey == null) {
            return text;
        }
        return text.replace(apiKey, "***");
    }
}
