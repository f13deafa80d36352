package dev.dpo4j.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelRefTest {

    @Test
    void parsesIdsWithAndWithoutRevision() {
        assertEquals(new ModelRef("Qwen/Qwen2.5-0.5B-Instruct", "main"), ModelRef.parse("Qwen/Qwen2.5-0.5B-Instruct"));
        assertEquals(new ModelRef("org/name", "v1.0"), ModelRef.parse("org/name@v1.0"));
        assertEquals(new ModelRef("gpt2", "main"), ModelRef.parse("gpt2"));
        assertEquals(new ModelRef("org/name", "refs/pr/1"), ModelRef.parse("org/name@refs/pr/1"));
        assertEquals("org/name@v1.0", ModelRef.parse("org/name@v1.0").toString());
    }

    @Test
    void recognisesCommitShas() {
        assertTrue(ModelRef.parse("a/b@0123456789abcdef0123456789abcdef01234567").isCommit());
        assertFalse(ModelRef.parse("a/b@main").isCommit());
        assertFalse(ModelRef.isCommitHash("0123456789ABCDEF0123456789abcdef01234567"));
    }

    @Test
    void malformedIdsAreRejectedClearly() {
        for (String bad : new String[] {"", "a/b/c", "a//b", "-org/name", "org/name-", "org/na me", "org/a--b",
            "org/name@", "org/name@../x", "org/na$me"}) {
            HubException e = assertThrows(HubException.class, () -> ModelRef.parse(bad), bad);
            assertEquals(HubException.Kind.INVALID_REFERENCE, e.kind());
            assertTrue(e.getMessage().contains("invalid model reference"), e.getMessage());
            assertTrue(e.getMessage().contains("expected org/name"), e.getMessage());
        }
    }
}
