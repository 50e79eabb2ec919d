package io.llmrouter.redis;

import io.llmrouter.spi.StateStore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deployment's requests and tokens in the current clock minute, across the fleet: this router's
 * own counts (decided locally, lock-free, as in the in-memory store) plus the other routers' counts
 * as last seen in Redis. A reservation only adds to this router's counts and to its unsent deltas
 * (two atomic adds, no allocation); the store's flush sends the summed deltas of the minute in one
 * increment per flush interval, whose reply carries the fleet's totals and this router's own (as
 * written), whose difference is the others' share. The window is the fixed clock minute, the same
 * as the in-memory store's, so limits mean the same thing with or without Redis.
 */
final class RedisUsage implements StateStore.UsageCounter {

    private final RedisStateStore store;
    private final String deploymentId;
    private volatile long minute = Long.MIN_VALUE;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong tokens = new AtomicLong();
    /** The other routers' counts in {@link #minute}, as last seen. */
    private final AtomicLong othersRequests = new AtomicLong();
    private final AtomicLong othersTokens = new AtomicLong();
    /** This router's increments of {@link #minute} not yet handed to a flush. */
    private final AtomicLong unsentRequests = new AtomicLong();
    private final AtomicLong unsentTokens = new AtomicLong();

    RedisUsage(RedisStateStore store, String deploymentId) {
        this.store = store;
        this.deploymentId = deploymentId;
    }

    private void roll(long nowMillis) {
        long m = Math.floorDiv(nowMillis, 60_000L);
        if (m > minute) {
            synchronized (this) {
                if (m > minute) {
                    // The ended minute's unsent increments go out with the next flush (dropped by it
                    // when Redis is down: no limit reads a past minute).
                    store.retired(this, minute, unsentRequests.getAndSet(0), unsentTokens.getAndSet(0));
                    requests.set(0);
                    tokens.set(0);
                    othersRequests.set(0);
                    othersTokens.set(0);
                    minute = m;
                }
            }
        }
    }

    long currentMinute() {
        return minute;
    }

    String deploymentId() {
        return deploymentId;
    }

    @Override
    public boolean fits(long nowMillis, int rpm, int tpm, long estimatedTokens) {
        roll(nowMillis);
        return (rpm <= 0 || requests.get() + othersRequests.get() < rpm)
                && (tpm <= 0 || tokens.get() + othersTokens.get() + estimatedTokens <= tpm);
    }

    @Override
    public long tryReserve(long nowMillis, int rpm, int tpm, long estimatedTokens) {
        roll(nowMillis);
        long m = minute;
        int r = requests.incrementAndGet();
        if (rpm > 0 && r + othersRequests.get() > rpm) {
            requests.decrementAndGet();
            return NO_CAPACITY;
        }
        long t = tokens.addAndGet(estimatedTokens);
        if (tpm > 0 && t + othersTokens.get() > tpm) {
            tokens.addAndGet(-estimatedTokens);
            requests.decrementAndGet();
            return NO_CAPACITY;
        }
        unsentRequests.incrementAndGet();
        unsentTokens.addAndGet(estimatedTokens);
        return m;
    }

    @Override
    public void correct(long reservedMinute, long delta) {
        if (reservedMinute == minute && delta != 0) {
            tokens.addAndGet(delta);
            unsentTokens.addAndGet(delta);
        }
    }

    /**
     * Takes the current minute's unsent increments for a flush (on the flusher's thread; the lock is
     * the minute roll's, which the callers take only when a minute ends).
     *
     * @return {@code {minute, requests, tokens}}, or null when there is nothing to send
     */
    synchronized long[] drain() {
        long r = unsentRequests.getAndSet(0);
        long t = unsentTokens.getAndSet(0);
        return r == 0 && t == 0 ? null : new long[] {minute, r, t};
    }

    /**
     * Gives back increments of minute {@code m} whose write failed, so the next flush sends them
     * again (dropped when the minute has ended: no limit reads it any more).
     */
    synchronized void undrain(long m, long r, long t) {
        if (m == minute) {
            unsentRequests.addAndGet(r);
            unsentTokens.addAndGet(t);
        }
    }

    /**
     * Redis reported the minute {@code m}'s counts: the fleet's and this router's own (from one
     * atomic read, so their difference is the other routers' share). Replies may be handled out of
     * order, and the others' counts only grow within a minute, so the larger value is kept.
     */
    void observed(long m, long fleetRequests, long fleetTokens, long ownRequests, long ownTokens) {
        if (m != minute) {
            return;
        }
        long r = Math.max(0, fleetRequests - ownRequests);
        long t = Math.max(0, fleetTokens - ownTokens);
        othersRequests.accumulateAndGet(r, Math::max);
        othersTokens.accumulateAndGet(t, Math::max);
    }

    @Override
    public int requests(long nowMillis) {
        roll(nowMillis);
        return (int) Math.min(Integer.MAX_VALUE, requests.get() + othersRequests.get());
    }

    @Override
    public long tokens(long nowMillis) {
        roll(nowMillis);
        return tokens.get() + othersTokens.get();
    }
}
