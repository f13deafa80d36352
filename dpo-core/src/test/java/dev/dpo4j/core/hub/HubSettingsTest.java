package dev.dpo4j.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubSettingsTest {

    @TempDir
    Path home;

    @Test
    void defaultsFollowHuggingFaceHub() {
        HubSettings settings = HubSettings.fromEnvironment(Map.of());

        assertEquals("https://huggingface.co", settings.endpoint());
        assertEquals(Path.of(System.getProperty("user.home"), ".cache", "huggingface"), settings.home());
        assertEquals(settings.home().resolve("hub"), settings.hubCache());
        assertFalse(settings.offline());
    }

    @Test
    void variablesOverrideDefaults() {
        HubSettings settings = HubSettings.fromEnvironment(Map.of("HF_HOME", home.toString(),
                "HF_ENDPOINT", "https://hf-mirror.example/", "HF_HUB_CACHE", home.resolve("c").toString(),
                "HF_TOKEN", "hf_abc", "HF_HUB_OFFLINE", "1"));

        assertEquals("https://hf-mirror.example", settings.endpoint());
        assertEquals(home, settings.home());
        assertEquals(home.resolve("c"), settings.hubCache());
        assertEquals("hf_abc", settings.token());
        assertTrue(settings.offline());
    }

    @Test
    void hubCacheDefaultsToHomeAndHonoursTheLegacyName() {
        assertEquals(home.resolve("hub"),
                HubSettings.fromEnvironment(Map.of("HF_HOME", home.toString())).hubCache());
        assertEquals(home.resolve("legacy"), HubSettings.fromEnvironment(Map.of("HF_HOME", home.toString(),
                "HUGGINGFACE_HUB_CACHE", home.resolve("legacy").toString())).hubCache());
        assertEquals(home.resolve("xdg/huggingface"),
                HubSettings.fromEnvironment(Map.of("XDG_CACHE_HOME", home.resolve("xdg").toString())).home());
    }

    @Test
    void tokenIsReadFromTheTokenFileWhenNotInTheEnvironment() throws Exception {
        Files.writeString(home.resolve("token"), "hf_fromFile\n");

        assertEquals("hf_fromFile", HubSettings.fromEnvironment(Map.of("HF_HOME", home.toString())).token());
        assertEquals("hf_env", HubSettings.fromEnvironment(Map.of("HF_HOME", home.toString(),
                "HF_TOKEN", "hf_env")).token());
        assertNull(HubSettings.fromEnvironment(Map.of("HF_HOME", home.resolve("none").toString())).token());
    }

    @Test
    void offlineAcceptsTheUsualTrueValues() {
        for (String value : new String[] {"1", "true", "TRUE", "yes", "on"}) {
            assertTrue(HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", value)).offline(), value);
        }
        for (String value : new String[] {"0", "false", "no", ""}) {
            assertFalse(HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", value)).offline(), value);
        }
    }

    @Test
    void toStringMasksTheToken() {
        HubSettings settings = HubSettings.fromEnvironment(Map.of("HF_TOKEN", "hf_verySecret42"));

        assertFalse(settings.toString().contains("hf_verySecret42"), settings.toString());
        assertTrue(settings.toString().contains("token=<set, hidden>"), settings.toString());
    }

    @Test
    void malformedEndpointIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", "huggingface.co")));
        assertTrue(e.getMessage().contains("HF_ENDPOINT"), e.getMessage());
    }
}
