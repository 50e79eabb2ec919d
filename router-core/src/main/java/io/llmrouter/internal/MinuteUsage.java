package io.llmrouter.internal;

import io.llmrouter.spi.StateStore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deployment's requests and tokens in the current clock minute, kept against its rpm/tpm
 * limits, in the in-memory state store. Reservation is lock-free (atomic add, then undo when
 * over the limit); only the minute roll-over, once a minute, takes a lock. Minutes only move
 * forward: a caller whose time is a little behind another's counts in the newer minute rather
 * than resetting the counts back.
 */
final class MinuteUsage implements StateStore.UsageCounter {

    private volatile long minute = Long.MIN_VALUE;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong tokens = new AtomicLong();

    private void roll(long nowMillis) {
        long m = Math.floorDiv(nowMillis, 60_000L);
        if (m > minute) {
            synchronized (this) {
                if (m > minute) {
                    requests.set(0);
                    tokens.set(0);
                    minute = m;
                }
            }
        }
    }

    /** Whether one more request of {@code estimatedTokens} would fit now (no reservation). */
    @Override
    public boolean fits(long nowMillis, int rpm, int tpm, long estimatedTokens) {
        roll(nowMillis);
        return (rpm <= 0 || requests.get() < rpm) && (tpm <= 0 || tokens.get() + estimatedTokens <= tpm);
    }

    /**
     * Reserves one request and {@code estimatedTokens} if both fit.
     *
     * @return the minute of the reservation (for {@link #correct}), or {@link #NO_CAPACITY} when it does not fit
     */
    @Override
    public long tryReserve(long nowMillis, int rpm, int tpm, long estimatedTokens) {
        roll(nowMillis);
        long m = minute;
        int r = requests.incrementAndGet();
        if (rpm > 0 && r > rpm) {
            requests.decrementAndGet();
            return NO_CAPACITY;
        }
        long t = tokens.addAndGet(estimatedTokens);
        if (tpm > 0 && t > tpm) {
            tokens.addAndGet(-estimatedTokens);
            requests.decrementAndGet();
            return NO_CAPACITY;
        }
        return m;
    }

    /** Replaces a reservation's estimate by the real usage, if its minute is still current. */
    @Override
    public void correct(long reservedMinute, long delta) {
        if (reservedMinute == minute && delta != 0) {
            tokens.addAndGet(delta);
        }
    }

    @Override
    public int requests(long nowMillis) {
        roll(nowMillis);
        return requests.get();
    }

    @Override
    public long tokens(long nowMillis) {
        roll(nowMillis);
        return tokens.get();
    }

    /** The start of the next minute, when capacity returns. */
    static long nextMinuteMillis(long nowMillis) {
        return (Math.floorDiv(nowMillis, 60_000L) + 1) * 60_000L;
    }
}
