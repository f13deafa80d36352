package dev.dpo4j.core.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Where the Hub is and where its cache lives, read from the same environment variables as
 * Python's {@code huggingface_hub}.
 *
 * <ul>
 *   <li>{@code HF_ENDPOINT}: the Hub's base URL; default {@value #DEFAULT_ENDPOINT}. A
 *       mirror such as {@code https://hf-mirror.com} works the same way.</li>
 *   <li>{@code HF_HOME}: the Hugging Face home; default {@code $XDG_CACHE_HOME/huggingface},
 *       else {@code ~/.cache/huggingface}.</li>
 *   <li>{@code HF_HUB_CACHE} (or the legacy {@code HUGGINGFACE_HUB_CACHE}): the model and
 *       dataset cache; default {@code $HF_HOME/hub}.</li>
 *   <li>{@code HF_TOKEN} (or the legacy {@code HUGGING_FACE_HUB_TOKEN}): the access token;
 *       otherwise the first line of the file {@code $HF_TOKEN_PATH}, default
 *       {@code $HF_HOME/token} (written by {@code huggingface-cli login}).</li>
 *   <li>{@code HF_HUB_OFFLINE}: {@code 1}, {@code true}, {@code yes} or {@code on} (any case)
 *       forbids every request; only the cache is used.</li>
 * </ul>
 *
 * <p>{@link #toString()} masks the token.
 *
 * @param endpoint the Hub base URL without a trailing slash
 * @param home the Hugging Face home directory
 * @param hubCache the cache directory holding {@code models--org--name} folders
 * @param token the access token, or {@code null} for anonymous access
 * @param offline {@code true} to never make a request
 */
public record HubSettings(String endpoint, Path home, Path hubCache, String token, boolean offline) {

    /** The public Hugging Face Hub. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    private static final Set<String> TRUE_VALUES = Set.of("1", "true", "yes", "on");

    /**
     * Validates the settings, strips a trailing slash from the endpoint and turns a blank token into none.
     *
     * @param endpoint the Hub base URL
     * @param home the Hugging Face home directory
     * @param hubCache the cache directory
     * @param token the access token, or {@code null}
     * @param offline {@code true} to never make a request
     * @throws IllegalArgumentException when the endpoint is not an http(s) URL
     */
    public HubSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(hubCache, "hubCache");
        while (endpoint.endsWith("/")) {
            endpoint = endpoint.substring(0, endpoint.length() - 1);
        }
        if (HttpUrl.parse(endpoint) == null) {
            throw new IllegalArgumentException(
                    "HF_ENDPOINT '" + endpoint + "' is not an http:// or https:// URL");
        }
        if (token != null) {
            token = token.strip();
            if (token.isEmpty()) {
                token = null;
            }
        }
    }

    /**
     * Reads the settings from the process environment.
     *
     * @return the settings
     */
    public static HubSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Reads the settings from the given environment (tests pass a map; production passes
     * {@code System.getenv()}).
     *
     * @param env the environment variables
     * @return the settings
     * @throws IllegalArgumentException when {@code HF_ENDPOINT} is not a URL
     */
    public static HubSettings fromEnvironment(Map<String, String> env) {
        String endpoint = nonBlank(env.get("HF_ENDPOINT"), DEFAULT_ENDPOINT);
        Path home;
        if (nonBlank(env.get("HF_HOME"), null) != null) {
            home = expandHome(env.get("HF_HOME"));
        } else if (nonBlank(env.get("XDG_CACHE_HOME"), null) != null) {
            home = expandHome(env.get("XDG_CACHE_HOME")).resolve("huggingface");
        } else {
            home = Path.of(System.getProperty("user.home"), ".cache", "huggingface");
        }
        String cache = nonBlank(env.get("HF_HUB_CACHE"), nonBlank(env.get("HUGGINGFACE_HUB_CACHE"), null));
        Path hubCache = cache != null ? expandHome(cache) : home.resolve("hub");
        String token = nonBlank(env.get("HF_TOKEN"), nonBlank(env.get("HUGGING_FACE_HUB_TOKEN"), null));
        if (token == null) {
            String tokenPath = nonBlank(env.get("HF_TOKEN_PATH"), null);
            token = readTokenFile(tokenPath != null ? expandHome(tokenPath) : home.resolve("token"));
        }
        String offlineValue = env.get("HF_HUB_OFFLINE");
        boolean offline = offlineValue != null
                && TRUE_VALUES.contains(offlineValue.strip().toLowerCase(Locale.ROOT));
        return new HubSettings(endpoint, home, hubCache, token, offline);
    }

    /**
     * Returns whether a token is set.
     *
     * @return {@code true} when requests carry an {@code Authorization} header
     */
    public boolean hasToken() {
        return token != null;
    }

    /**
     * Returns a copy with offline mode switched on or off.
     *
     * @param value the new offline flag
     * @return the new settings
     */
    public HubSettings withOffline(boolean value) {
        return new HubSettings(endpoint, home, hubCache, token, value);
    }

    /**
     * Returns the settings with the token masked.
     *
     * @return a description safe to log
     */
    @Override
    public String toString() {
        return "HubSettings[endpoint=" + endpoint + ", home=" + home + ", hubCache=" + hubCache
                + ", token=" + (token == null ? "<none>" : "<set, hidden>") + ", offline=" + offline + "]";
    }

    private static String readTokenFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    return line.strip();
                }
            }
            return null;
        } catch (IOException e) {
            // An unreadable token file means anonymous access, as in huggingface_hub.
            return null;
        }
    }

    private static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path);
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
