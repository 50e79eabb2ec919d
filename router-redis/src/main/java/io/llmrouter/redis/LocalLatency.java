package io.llmrouter.redis;

import io.llmrouter.spi.LatencyStats;
import io.llmrouter.spi.StateStore;
import java.time.Duration;
import java.util.Arrays;

/**
 * The last {@link LatencyStats#WINDOW} latencies of one deployment, kept by each router for itself:
 * latency is cheap to relearn and differs by instance, so the Redis store does not share it.
 */
final class LocalLatency implements StateStore.LatencyRecorder {

    private final long[] nanos = new long[LatencyStats.WINDOW];
    private final long[] perTokenNanos = new long[LatencyStats.WINDOW];
    private final long[] ttft = new long[LatencyStats.WINDOW];
    private int next;
    private int size;
    private int ttftNext;
    private int ttftSize;
    private volatile LatencyStats stats = LatencyStats.EMPTY;
    private volatile boolean stale;

    @Override
    public synchronized void record(long latencyNanos, int outputTokens) {
        nanos[next] = latencyNanos;
        perTokenNanos[next] = outputTokens > 0 ? latencyNanos / outputTokens : latencyNanos;
        next = (next + 1) % nanos.length;
        size = Math.min(size + 1, nanos.length);
        stale = true;
    }

    @Override
    public synchronized void recordFirstToken(long firstTokenNanos) {
        ttft[ttftNext] = firstTokenNanos;
        ttftNext = (ttftNext + 1) % ttft.length;
        ttftSize = Math.min(ttftSize + 1, ttft.length);
        stale = true;
    }

    @Override
    public LatencyStats stats() {
        if (!stale) {
            return stats;
        }
        synchronized (this) {
            if (stale) {
                stats = compute();
                stale = false;
            }
            return stats;
        }
    }

    private LatencyStats compute() {
        long ttftSum = 0;
        for (int i = 0; i < ttftSize; i++) {
            ttftSum += ttft[i];
        }
        Duration meanTtft = Duration.ofNanos(ttftSize == 0 ? 0 : ttftSum / ttftSize);
        if (size == 0) {
            return new LatencyStats(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, ttftSize, meanTtft);
        }
        long sum = 0;
        long sumPerToken = 0;
        for (int i = 0; i < size; i++) {
            sum += nanos[i];
            sumPerToken += perTokenNanos[i];
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int p90 = Math.max(0, Math.min(size - 1, (int) Math.ceil(size * 0.9) - 1));
        return new LatencyStats(size, Duration.ofNanos(sum / size), Duration.ofNanos(sorted[p90]),
                Duration.ofNanos(sumPerToken / size), ttftSize, meanTtft);
    }
}
