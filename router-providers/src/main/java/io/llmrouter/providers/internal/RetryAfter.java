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

    /**
     * The delay the {@code retry-after-ms} and {@code retry-after} headers of {@code exchange} ask
     * for, as {@link #parse} reads them; the answer's {@code Date} header is the reference for an
     * HTTP date. Every adapter reads a 429's and a 503's delay this way.
     *
     * @param exchange the answer
     * @param now the current time, used when the answer has no usable {@code Date}
     * @return the delay, never negative; empty when no header gives a usable value
     */
    public static Optional<Duration> fromHeaders(HttpExchange exchange, Instant now) {
        return parse(exchange.header("retry-after-ms").orElse(null), exchange.header("retry-after").orElse(null),
                exchange.header("Date").orElse(null), now);
    }

    /**
     * The wait implied by OpenAI-style rate-limit headers when a 429 carries no retry-after: the
     * reset time ({@code x-ratelimit-reset-requests} / {@code -tokens}, Go-style durations such as
     * {@code 1s}, {@code 6m0s}, {@code 2m59.56s}, {@code 20ms}) of each limit whose remaining count
     * is 0; the longer one when both are exhausted.
     *
     * @param remainingRequests {@code x-ratelimit-remaining-requests}, or null
     * @param resetRequests {@code x-ratelimit-reset-requests}, or null
     * @param remainingTokens {@code x-ratelimit-remaining-tokens}, or null
     * @param resetTokens {@code x-ratelimit-reset-tokens}, or null
     * @return the wait, when an exhausted limit says when it resets
     */
    public static Optional<Duration> fromRateLimitReset(String remainingRequests, String resetRequests,
            String remainingTokens, String resetTokens) {
        Duration wait = null;
        if (isZero(remainingRequests)) {
            wait = goDuration(resetRequests).orElse(null);
        }
        if (isZero(remainingTokens)) {
            Duration tokens = goDuration(resetTokens).orElse(null);
            if (tokens != null && (wait == null || tokens.compareTo(wait) > 0)) {
                wait = tokens;
            }
        }
        return Optional.ofNullable(wait);
    }

    private static boolean isZero(String value) {
        return value != null && value.strip().equals("0");
    }

    /**
     * Parses a Go-style duration: a sequence of decimal numbers with units {@code h}, {@code m},
     * {@code s}, {@code ms}, {@code us}, {@code ns}, e.g. {@code 6m0s} or {@code 2m59.56s}.
     *
     * @param value the text, or null
     * @return the duration, when the text is one
     */
    public static Optional<Duration> goDuration(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String s = value.strip();
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                return Optional.empty();
            }
            BigDecimal number;
            try {
                number = new BigDecimal(s.substring(start, i));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            long factor = switch (s.substring(unitStart, i)) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                case "us", "µs" -> 1_000L;
                case "ns" -> 1L;
                default -> -1L;
            };
            if (factor < 0) {
                return Optional.empty();
            }
            nanos = nanos.add(number.multiply(BigDecimal.valueOf(factor)));
            if (nanos.compareTo(BigDecimal.valueOf(1_000_000_000L).multiply(BigDecimal.valueOf(1_000_000_000L))) > 0) {
                return Optional.empty();
            }
        }
        return Optional.of(nanos(nanos));
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
