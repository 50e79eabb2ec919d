package io.llmrouter.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void prefersMillisecondsOverSeconds() {
        assertThat(RetryAfter.parse("174", "1", null, NOW)).contains(Duration.ofMillis(174));
    }

    @ParameterizedTest
    @CsvSource({"1, PT1S", "1.5, PT1.5S", "0, PT0S", "20.25, PT20.25S"})
    void readsDecimalSeconds(String header, Duration expected) {
        assertThat(RetryAfter.parse(null, header, null, NOW)).contains(expected);
    }

    @Test
    void readsFractionalMilliseconds() {
        assertThat(RetryAfter.parse("0.5", null, null, NOW)).contains(Duration.ofNanos(500_000));
    }

    @Test
    void readsHttpDateRelativeToTheDateHeader() {
        assertThat(RetryAfter.parse(null, "Wed, 01 Jan 2025 10:00:30 GMT", "Wed, 01 Jan 2025 10:00:00 GMT", NOW))
                .contains(Duration.ofSeconds(30));
    }

    @Test
    void readsHttpDateRelativeToNowWithoutDateHeader() {
        assertThat(RetryAfter.parse(null, "Wed, 01 Jan 2025 00:01:00 GMT", null, NOW)).contains(Duration.ofMinutes(1));
    }

    @Test
    void pastHttpDateMeansNoWait() {
        assertThat(RetryAfter.parse(null, "Tue, 31 Dec 2024 23:59:00 GMT", null, NOW)).contains(Duration.ZERO);
    }

    @Test
    void fallsBackToRetryAfterWhenMillisecondsAreUnusable() {
        assertThat(RetryAfter.parse("soon", "2", null, NOW)).contains(Duration.ofSeconds(2));
        assertThat(RetryAfter.parse("-5", "2", null, NOW)).contains(Duration.ofSeconds(2));
    }

    @Test
    void ignoresMissingNegativeAndGarbageValues() {
        assertThat(RetryAfter.parse(null, null, null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("", " ", null, NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, "-1", null, NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, "tomorrow", null, NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, "1e400", null, NOW)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"1s, PT1S", "6m0s, PT6M", "2m59.56s, PT2M59.56S", "20ms, PT0.02S", "1h2m, PT1H2M", "1.5us, PT0.0000015S"})
    void readsGoStyleDurations(String header, Duration expected) {
        assertThat(RetryAfter.goDuration(header)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({"''", "abc", "5", "5x", "s", "-1s"})
    void rejectsMalformedGoDurations(String header) {
        assertThat(RetryAfter.goDuration(header)).isEmpty();
    }

    @Test
    void givenExhaustedLimits_whenNoRetryAfter_thenTheLongerResetIsTheWait() {
        assertThat(RetryAfter.fromRateLimitReset("0", "1s", "0", "6m0s")).contains(Duration.ofMinutes(6));
        assertThat(RetryAfter.fromRateLimitReset("0", "1s", "149984", "6m0s")).contains(Duration.ofSeconds(1));
        assertThat(RetryAfter.fromRateLimitReset("59", "1s", "0", "20ms")).contains(Duration.ofMillis(20));
        assertThat(RetryAfter.fromRateLimitReset("59", "1s", "149984", "6m0s")).isEmpty();
        assertThat(RetryAfter.fromRateLimitReset(null, null, null, null)).isEmpty();
    }
}
