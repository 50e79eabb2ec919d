package io.llmrouter.internal;

import io.llmrouter.spi.BudgetBalance;
import io.llmrouter.spi.BudgetWindow;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One budget's spend in its current window, and what calls in flight have reserved, in the
 * in-memory store. A call reserves its estimated cost (an upper bound) before it is sent and
 * settles the real cost when it ends, so spend plus reservations never pass the limit. Guarded by
 * its own lock: one budget's ledger is touched twice per call, briefly. A window with a later
 * start than the current one starts a new period (spend and reservations zero); windows only
 * move forward.
 */
final class BudgetLedger {

    private Instant start = Instant.MIN;
    private BigDecimal spent = BigDecimal.ZERO;
    private BigDecimal reserved = BigDecimal.ZERO;

    private void roll(BudgetWindow w) {
        if (w.start().isAfter(start)) {
            start = w.start();
            spent = BigDecimal.ZERO;
            reserved = BigDecimal.ZERO;
        }
    }

    /** Reserves {@code amount} in {@code w} if spend, reservations and it stay within the limit. */
    synchronized boolean tryReserve(BudgetWindow w, BigDecimal amount) {
        roll(w);
        if (spent.add(reserved).add(amount).compareTo(w.limitUsd()) > 0) {
            return false;
        }
        reserved = reserved.add(amount);
        return true;
    }

    /** Returns a reservation made in {@code w}, if {@code w} is still the current window. */
    synchronized void release(BudgetWindow w, BigDecimal amount) {
        if (w.start().equals(start)) {
            reserved = reserved.subtract(amount).max(BigDecimal.ZERO);
        }
    }

    /**
     * Releases a reservation made in {@code held} (if still current) and adds {@code actual} to
     * the current window (after moving to {@code chargeTo} if it is newer), in one step: a
     * concurrent reservation never sees the room the release opens before the cost takes it.
     */
    synchronized void settle(BudgetWindow held, BigDecimal reservedAmount, BudgetWindow chargeTo, BigDecimal actual) {
        release(held, reservedAmount);
        charge(chargeTo, actual);
    }

    /** Adds spend to the current window (after moving to {@code w} if it is newer). */
    synchronized void charge(BudgetWindow w, BigDecimal amount) {
        roll(w);
        spent = spent.add(amount);
    }

    /** The balance of {@code w}: zero unless it is the current window. */
    synchronized BudgetBalance balance(BudgetWindow w) {
        return w.start().equals(start) ? new BudgetBalance(spent, reserved) : BudgetBalance.ZERO;
    }
}
