package dev.dpo4j.core.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.dpo4j.core.chat.ChatTestSupport.FakeClock;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

/** Retry-After in seconds or as an HTTP-date, and retry-after-ms. */
class RetryAfterHeaderTest {

    // Wed, 01 May 2024 12:00:00 GMT
    private final FakeClock clock = new FakeClock(Instant.parse("2024-05-01T12:00:00Z"));

    private Duration parse(String... namesAndValues) {
        return RetryAfterHeader.parse(Headers.of(namesAndValues), clock);
    }

    @Test
    void secondsAndFractions() {
        assertEquals(Duration.ofSeconds(2), parse("Retry-After", "2"));
        assertEquals(Duration.ofMillis(1500), parse("Retry-After", " 1.5 "));
        assertEquals(Duration.ZERO, parse("Retry-After", "0"));
    }

    @Test
    void httpDateIsMeasuredAgainstTheClock() {
        assertEquals(Duration.ofSeconds(45), parse("Retry-After", "Wed, 01 May 2024 12:00:45 GMT"));
        assertEquals(Duration.ZERO, parse("Retry-After", "Wed, 01 May 2024 11:00:00 GMT"), "a past date means now");
    }

    @Test
    void millisecondsHeaderWins() {
        assertEquals(Duration.ofMillis(250), parse("retry-after-ms", "250", "Retry-After", "10"));
        assertEquals(Duration.ofSeconds(10), parse("retry-after-ms", "soon", "Retry-After", "10"));
    }

    @Test
    void absentOrUnparseableIsNull() {
        assertNull(parse());
        assertNull(parse("Retry-After", "later"));
        assertNull(parse("Retry-After", "-3"));
        assertNull(parse("Retry-After", "NaN"));
    }
}
