package dev.dpo4j.core.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import okhttp3.Headers;

/**
 * Reads how long a server asks the client to wait: {@code retry-after-ms} (milliseconds, as
 * OpenAI sends it) first, then {@code Retry-After} in seconds or as an HTTP-date (RFC 9110
 * section 10.2.3).
 */
final class RetryAfterHeader {

    private RetryAfterHeader() {
    }

    /**
     * The requested wait.
     *
     * @param headers the response headers
     * @param clock the clock an HTTP-date is measured against
     * @return the wait (zero when the date has passed), or null when no header is present or
     *     none parses
     */
    static Duration parse(Headers headers, Clock clock) {
        Duration millis = number(headers.get("retry-after-ms"), 1);
        if (millis != null) {
            return millis;
        }
        String value = headers.get("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        Duration seconds = number(value, 1000);
        if (seconds != null) {
            return seconds;
        }
        try {
            ZonedDateTime date = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), date.toInstant());
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A non-negative decimal number times {@code millisPerUnit}, or null when it does not parse. */
    private static Duration number(String value, long millisPerUnit) {
        if (value == null) {
            return null;
        }
        try {
            double amount = Double.parseDouble(value.strip());
            if (!(amount >= 0) || Double.isInfinite(amount)) {
                return null;
            }
            return Duration.ofMillis((long) Math.ceil(Math.min(amount * millisPerUnit, Long.MAX_VALUE / 2.0)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
