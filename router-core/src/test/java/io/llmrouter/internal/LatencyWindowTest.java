package io.llmrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.spi.LatencyStats;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    private static final long MS = 1_000_000;

    @Test
    void statisticsFollowEveryRecordThoughComputedOnlyWhenRead() {
        LatencyWindow w = new LatencyWindow();
        assertThat(w.stats()).isSameAs(LatencyStats.EMPTY);

        w.record(100 * MS, 10);
        w.record(300 * MS, 30);
        LatencyStats two = w.stats();
        assertThat(two.samples()).isEqualTo(2);
        assertThat(two.mean()).isEqualTo(Duration.ofMillis(200));
        assertThat(two.meanPerOutputToken()).isEqualTo(Duration.ofMillis(10));
        assertThat(w.stats()).as("unchanged samples: the same snapshot").isSameAs(two);

        w.recordFirstToken(50 * MS);
        LatencyStats withTtft = w.stats();
        assertThat(withTtft.samples()).isEqualTo(2);
        assertThat(withTtft.streamSamples()).isEqualTo(1);
        assertThat(withTtft.meanTimeToFirstToken()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void theWindowKeepsTheLastTwentyCallsAndTheirP90() {
        LatencyWindow w = new LatencyWindow();
        for (int i = 1; i <= 30; i++) {
            w.record(i * MS, 0);
        }
        LatencyStats s = w.stats();
        assertThat(s.samples()).isEqualTo(LatencyStats.WINDOW);
        // calls 11..30: mean 20.5 ms, p90 the 18th of 20 sorted = 28 ms
        assertThat(s.mean()).isEqualTo(Duration.ofNanos(20_500_000));
        assertThat(s.p90()).isEqualTo(Duration.ofMillis(28));
    }
}
