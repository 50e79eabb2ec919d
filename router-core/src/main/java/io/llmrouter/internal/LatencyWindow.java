package io.llmrouter.internal;

import io.llmrouter.spi.LatencyStats;
import io.llmrouter.spi.StateStore;
import java.time.Duration;
import java.util.Arrays;

/**
 * The last {@link LatencyStats#WINDOW} successful calls' latencies of one deployment. Recording
 * takes this deployment's own lock (a striped lock: no contention across deployments) and publishes
 * an immutable snapshot that strategies read without locking.
 */
final class LatencyWindow implements StateStore.LatencyRecorder {

    private final long[] nanos = new long[LatencyStats.WINDOW];
    private final long[] perTokenNanos = new long[LatencyStats.WINDOW];
    /** Sorting space for the p90 (guarded by this), so recording allocates only the new stats. */
    private final long[] sorted = new long[LatencyStats.WINDOW];
    private int next;
    private int size;
    private final long[] ttft = new long[LatencyStats.WINDOW];
    private int ttftNext;
    private int ttftSize;
    private volatile LatencyStats stats = LatencyStats.EMPTY;
    /** Whether samples changed since {@link #stats} was computed (written under the lock). */
    private volatile boolean stale;

    @Override
    public void record(long latencyNanos, int outputTokens) {
        long perToken = outputTokens > 0 ? latencyNanos / outputTokens : latencyNanos;
        synchronized (this) {
            nanos[next] = latencyNanos;
            perTokenNanos[next] = perToken;
            next = (next + 1) % nanos.length;
            size = Math.min(size + 1, nanos.length);
            stale = true;
        }
    }

    @Override
    public void recordFirstToken(long nanos) {
        synchronized (this) {
            ttft[ttftNext] = nanos;
            ttftNext = (ttftNext + 1) % ttft.length;
            ttftSize = Math.min(ttftSize + 1, ttft.length);
            stale = true;
        }
    }

    /** Rebuilds the published statistics from the samples; called under the lock. */
    private LatencyStats compute() {
        if (size == 0) {
            return new LatencyStats(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, ttftSize,
                    Duration.ofNanos(ttftMean()));
        }
        long sum = 0;
        long sumPerToken = 0;
        for (int i = 0; i < size; i++) {
            sum += nanos[i];
            sumPerToken += perTokenNanos[i];
        }
        System.arraycopy(nanos, 0, sorted, 0, size);
        Arrays.sort(sorted, 0, size);
        int p90Index = Math.min(size - 1, (int) Math.ceil(size * 0.9) - 1);
        return new LatencyStats(size, Duration.ofNanos(sum / size), Duration.ofNanos(sorted[Math.max(0, p90Index)]),
                Duration.ofNanos(sumPerToken / size), ttftSize, Duration.ofNanos(ttftMean()));
    }

    private long ttftMean() {
        if (ttftSize == 0) {
            return 0;
        }
        long sum = 0;
        for (int i = 0; i < ttftSize; i++) {
            sum += ttft[i];
        }
        return sum / ttftSize;
    }

    /**
     * The statistics over the current samples. Computed when read after a change, not on every
     * call's completion: most routers never read them (only the latency- and cost-based strategies
     * and status reports do), and recording then costs no allocation.
     */
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
}
