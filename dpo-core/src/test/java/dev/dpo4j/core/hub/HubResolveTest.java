package dev.dpo4j.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model argument that reads as a relative folder and as a Hub id ({@code models/llama-tiny}) and is
 * neither says both; a host name that does not resolve is not retried.
 */
class HubResolveTest {

    @TempDir
    Path home;

    @Test
    void aMissingRelativeFolderThatIsNoHubModelNamesBoth() throws Exception {
        try (FakeHub fake = new FakeHub()) {
            HubException e = assertThrows(HubException.class,
                    () -> fake.client(home).build().resolveModel("models/no-such-model"));
            assertTrue(e.getMessage().startsWith("no local directory models/no-such-model ("), e.getMessage());
            assertTrue(e.getMessage().contains("does not exist); as a Hub id: "), e.getMessage());
            assertTrue(e.getMessage().contains("not found"), e.getMessage());
        }
    }

    @Test
    void anUnresolvableHostIsAskedOnceNotFiveTimes() {
        AtomicInteger lookups = new AtomicInteger();
        OkHttpClient http = new OkHttpClient.Builder().dns(host -> {
            lookups.incrementAndGet();
            throw new UnknownHostException(host + ": Name or service not known");
        }).build();
        HubSettings settings = HubSettings.fromEnvironment(Map.of("HF_HOME", home.toString(),
                "HF_ENDPOINT", "https://hub.example.invalid"));
        HubClient client = HubClient.builder(settings).optHttpClient(http)
                .optRetryPolicy(new RetryPolicy(5, Duration.ofMillis(200), Duration.ofMillis(400))).optProgress(false)
                .build();
        long start = System.nanoTime();
        HubException e = assertThrows(HubException.class, () -> client.resolveModel("acme/model"));
        assertEquals(1, lookups.get(), "one lookup, no retries");
        assertTrue((System.nanoTime() - start) / 1e9 < 5, "no backoff sleeps");
        assertTrue(e.getMessage().contains("does not resolve"), e.getMessage());
    }
}
