package dev.dpo4j.core.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which failures are retried, and how long the waits are. */
class ChatRetryPolicyTest {

    private final ChatRetryPolicy policy = ChatRetryPolicy.DEFAULT;

    @ParameterizedTest
    @ValueSource(ints = {408, 409, 429, 500, 502, 503, 504, 599})
    void transientStatusesAreRetried(int status) {
        assertTrue(policy.isRetryable(ChatException.Kind.HTTP_STATUS, status));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 413, 422})
    void otherClientErrorsAreNot(int status) {
        assertFalse(policy.isRetryable(ChatException.Kind.HTTP_STATUS, status));
    }

    @Test
    void transportFaultsAreRetriedAndUnusableOutputIsNot() {
        assertTrue(policy.isRetryable(ChatException.Kind.TIMEOUT, 0));
        assertTrue(policy.isRetryable(ChatException.Kind.CONNECTION, 0));
        assertTrue(policy.isRetryable(ChatException.Kind.MALFORMED_RESPONSE, 200));
        assertFalse(policy.isRetryable(ChatException.Kind.UNPARSEABLE_OUTPUT, 200));
        assertFalse(policy.isRetryable(ChatException.Kind.REFUSED, 0));
    }

    @Test
    void backoffCeilingDoublesUpToTheMaximum() {
        // 500 ms * 2^(k-1): 500, 1000, 2000, ..., 16000, then capped at 30000.
        long[] expected = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
        for (int k = 1; k <= expected.length; k++) {
            assertEquals(Duration.ofMillis(expected[k - 1]), policy.backoffCeiling(k), "after " + k + " failures");
        }
        assertEquals(Duration.ofSeconds(30), policy.backoffCeiling(1000), "no overflow for huge counts");
    }

    @Test
    void fullJitterScalesTheCeilingAndRetryAfterOverridesItUpToTheCap() {
        assertEquals(Duration.ZERO, policy.delay(3, null, 0.0));
        assertEquals(Duration.ofMillis(500), policy.delay(3, null, 0.25)); // 0.25 * 2000 ms
        assertEquals(Duration.ofMillis(1999), policy.delay(3, null, 0.9995)); // floor(0.9995 * 2000)
        assertEquals(Duration.ofSeconds(7), policy.delay(3, Duration.ofSeconds(7), 0.25));
        assertEquals(Duration.ofSeconds(120), policy.delay(3, Duration.ofHours(1), 0.25));
        assertEquals(Duration.ZERO, policy.delay(1, Duration.ofSeconds(-5), 0.5));
    }

    @Test
    void invalidPoliciesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> policy.withMaxAttempts(0));
        assertThrows(IllegalArgumentException.class,
                () -> new ChatRetryPolicy(3, Duration.ofMillis(-1), Duration.ZERO, Duration.ZERO));
        assertEquals(1, ChatRetryPolicy.NONE.maxAttempts());
    }
}
