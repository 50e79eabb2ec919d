package io.llmrouter.internal;

import io.llmrouter.spi.LatencyStats;
import java.time.Duration;
import java.util.Arrays;

/**
 * The last {@link LatencyStats#WINDOW} successful calls' latencies of one deployment. Recording
 * takes this deployment's own lock (a striped lock: no contention across deployments) and publishes
 * an immutable snapshot that strategies read without locking.
 */
final class LatencyWindow {

    private final long[] nanos = new long[LatencyStats.WINDOW];
    private final long[] perTokenNanos = new long[LatencyStats.WINDOW];
    private int next;
    private int size;
    private volatile LatencyStats stats = LatencyStats.EMPTY;

    void record(long latencyNanos, int outputTokens) {
        long perToken = outputTokens > 0 ? latencyNanos / outputTokens : latencyNanos;
        LatencyStats s;
        synchronized (this) {
            nanos[next] = latencyNanos;
            perTokenNanos[next] = perToken;
            next = (next + 1) % nanos.length;
            size = Math.min(size + 1, nanos.length);
            long sum = 0;
            long sumPerToken = 0;
            for (int i = 0; i < size; i++) {
                sum += nanos[i];
                sumPerToken += perTokenNanos[i];
            }
            long[] sorted = Arrays.copyOf(nanos, size);
            Arrays.sort(sorted);
            int p90Index = Math.min(size - 1, (int) Math.ceil(size * 0.9) - 1);
            s = new LatencyStats(size, Duration.ofNanos(sum / size), Duration.ofNanos(sorted[Math.max(0, p90Index)]),
                    Duration.ofNanos(sumPerToken / size));
        }
        stats = s;
    }

    LatencyStats stats() {
        return stats;
    }
}
