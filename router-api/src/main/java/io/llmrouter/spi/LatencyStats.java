package io.llmrouter.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * A deployment's recent latency, over its last {@link #WINDOW} successful calls: the mean and the
 * 90th percentile of whole-call latency, the mean latency per output token (the fair measure
 * across answers of different lengths), and, over its last {@link #WINDOW} streams, the mean time
 * to first token. Immutable; {@link #EMPTY} before the first sample.
 *
 * @since 0.1.0
 */
public final class LatencyStats {

    /** The number of recent calls the statistics cover: {@value}. */
    public static final int WINDOW = 20;

    /** No samples yet. */
    public static final LatencyStats EMPTY = new LatencyStats(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0,
            Duration.ZERO);

    private final int samples;
    private final Duration mean;
    private final Duration p90;
    private final Duration meanPerOutputToken;
    private final int streamSamples;
    private final Duration meanTimeToFirstToken;

    /**
     * @param samples how many calls the statistics cover (at most {@link #WINDOW})
     * @param mean mean whole-call latency
     * @param p90 90th-percentile whole-call latency
     * @param meanPerOutputToken mean latency divided by output tokens (whole-call latency when a call had none)
     */
    public LatencyStats(int samples, Duration mean, Duration p90, Duration meanPerOutputToken) {
        this(samples, mean, p90, meanPerOutputToken, 0, Duration.ZERO);
    }

    /**
     * @param samples how many calls the statistics cover (at most {@link #WINDOW})
     * @param mean mean whole-call latency
     * @param p90 90th-percentile whole-call latency
     * @param meanPerOutputToken mean latency divided by output tokens
     * @param streamSamples how many streams the time-to-first-token mean covers
     * @param meanTimeToFirstToken mean time to a stream's first chunk
     */
    public LatencyStats(int samples, Duration mean, Duration p90, Duration meanPerOutputToken, int streamSamples,
            Duration meanTimeToFirstToken) {
        if (samples < 0) {
            throw new IllegalArgumentException("samples must not be negative, was " + samples);
        }
        this.samples = samples;
        this.mean = Objects.requireNonNull(mean, "mean");
        this.p90 = Objects.requireNonNull(p90, "p90");
        this.meanPerOutputToken = Objects.requireNonNull(meanPerOutputToken, "meanPerOutputToken");
        this.streamSamples = streamSamples;
        this.meanTimeToFirstToken = Objects.requireNonNull(meanTimeToFirstToken, "meanTimeToFirstToken");
    }

    /** How many calls the statistics cover; 0 means the deployment has not been measured yet. */
    public int samples() {
        return samples;
    }

    /** Mean whole-call latency. */
    public Duration mean() {
        return mean;
    }

    /** 90th-percentile whole-call latency. */
    public Duration p90() {
        return p90;
    }

    /** Mean latency per output token. */
    public Duration meanPerOutputToken() {
        return meanPerOutputToken;
    }

    /** How many streams the time-to-first-token mean covers; 0 when none was measured. */
    public int streamSamples() {
        return streamSamples;
    }

    /** Mean time to a stream's first chunk over the last streams. */
    public Duration meanTimeToFirstToken() {
        return meanTimeToFirstToken;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyStats l && samples == l.samples && mean.equals(l.mean) && p90.equals(l.p90)
                && meanPerOutputToken.equals(l.meanPerOutputToken) && streamSamples == l.streamSamples
                && meanTimeToFirstToken.equals(l.meanTimeToFirstToken);
    }

    @Override
    public int hashCode() {
        return Objects.hash(samples, mean, p90, meanPerOutputToken, streamSamples, meanTimeToFirstToken);
    }

    @Override
    public String toString() {
        return "LatencyStats[samples=" + samples + ", mean=" + mean.toMillis() + "ms, p90=" + p90.toMillis()
                + "ms, perOutputToken=" + meanPerOutputToken.toNanos() / 1000 + "us, ttft=" + meanTimeToFirstToken.toMillis()
                + "ms over " + streamSamples + " stream(s)]";
    }
}
