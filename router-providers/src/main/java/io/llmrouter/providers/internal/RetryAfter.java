package io.llmrouter.providers.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the server-directed delay of a rate-limit or overload answer from the {@code retry-after-ms}
 * and {@code retry-after} headers, as OpenAI's SDK does: milliseconds first, then seconds (a
 * decimal number), then an HTTP date. Values are not capped here; the router caps them.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * The delay the headers ask for.
     *
     * @param retryAfterMs the {@code retry-after-ms} value, or null
     * @param retryAfter the {@code retry-after} value (seconds or HTTP date), or null
     * @param date the response's {@code Date} header (the reference for an HTTP date), or null
     * @param now the current time, used when {@code date} is absent or unreadable
     * @return the delay, never negative; empty when no header gives a usable value
     */
    public static Optional<Duration> parse(String retryAfterMs, String retryAfter, String date, Instant now) {
        Optional<Duration> millis = decimal(retryAfterMs).map(ms -> ms.movePointRight(6)).map(RetryAfter::nanos);
        if (millis.isPresent()) {
            return millis;
        }
        if (retryAfter == null || retryAfter.isBlank()) {
            return Optional.empty();
        }
        Optional<Duration> seconds = decimal(retryAfter).map(s -> s.movePointRight(9)).map(RetryAfter::nanos);
        if (seconds.isPresent()) {
            return seconds;
        }
        return httpDate(retryAfter).map(until -> {
            Instant reference = httpDate(date).orElse(now);
            Duration d = Duration.between(reference, until);
            return d.isNegative() ? Duration.ZERO : d;
        });
    }

    private static Optional<BigDecimal> decimal(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            BigDecimal d = new BigDecimal(value.strip());
            // Negative delays are nonsense, and absurdly large ones would overflow a Duration.
            return d.signum() < 0 || d.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0 ? Optional.empty() : Optional.of(d);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Duration nanos(BigDecimal nanos) {
        return Duration.ofNanos(nanos.longValue());
    }

    private static Optional<Instant> httpDate(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
