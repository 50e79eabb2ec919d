package io.llmrouter.internal;

import io.llmrouter.budget.Budget;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One budget's spend in its current period, and what calls in flight have reserved. A call
 * reserves its estimated cost (an upper bound) before it is sent and settles the real cost when it
 * ends, so spend plus reservations never pass the limit. Guarded by its own lock: one budget's
 * ledger is touched twice per call, briefly.
 */
final class BudgetLedger {

    private final Budget budget;
    private Instant periodStart;
    private Instant nextReset;
    private BigDecimal spent = BigDecimal.ZERO;
    private BigDecimal reserved = BigDecimal.ZERO;

    BudgetLedger(Budget budget) {
        this.budget = budget;
    }

    Budget budget() {
        return budget;
    }

    private void roll(Instant now) {
        if (periodStart == null || !now.isBefore(nextReset)) {
            periodStart = budget.period().start(now);
            nextReset = budget.period().nextReset(now);
            spent = BigDecimal.ZERO;
            reserved = BigDecimal.ZERO;
        }
    }

    /** Whether {@code amount} more fits now (no reservation). */
    synchronized boolean fits(BigDecimal amount, Instant now) {
        roll(now);
        return spent.add(reserved).add(amount).compareTo(budget.limitUsd()) <= 0;
    }

    /**
     * Reserves {@code amount} if it fits.
     *
     * @return the period start of the reservation, or null when it does not fit
     */
    synchronized Instant tryReserve(BigDecimal amount, Instant now) {
        roll(now);
        if (spent.add(reserved).add(amount).compareTo(budget.limitUsd()) > 0) {
            return null;
        }
        reserved = reserved.add(amount);
        return periodStart;
    }

    /** Replaces a reservation made in {@code reservedPeriod} by the real cost ({@code actual}, may be zero). */
    synchronized void settle(BigDecimal reservedAmount, Instant reservedPeriod, BigDecimal actual, Instant now) {
        roll(now);
        if (reservedPeriod.equals(periodStart)) {
            reserved = reserved.subtract(reservedAmount).max(BigDecimal.ZERO);
        }
        spent = spent.add(actual);
    }

    synchronized BigDecimal spentAndReserved(Instant now) {
        roll(now);
        return spent.add(reserved);
    }

    synchronized BigDecimal spent(Instant now) {
        roll(now);
        return spent;
    }

    synchronized BigDecimal reserved(Instant now) {
        roll(now);
        return reserved;
    }

    synchronized Instant nextReset(Instant now) {
        roll(now);
        return nextReset;
    }
}
