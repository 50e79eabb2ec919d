package io.llmrouter.internal;

import io.llmrouter.spi.BudgetReservation;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The budget reservation of one call, settled once when the call ends: with its real cost when
 * it answered, with zero when it failed. {@link #NONE} when no budget applies. Not thread-safe:
 * the call's own steps settle it, and the store ignores a second settlement anyway.
 */
final class BudgetHold {

    static final BudgetHold NONE = new BudgetHold(null, null);

    private final Budgets budgets;
    private BudgetReservation reservation;

    BudgetHold(Budgets budgets, BudgetReservation reservation) {
        this.budgets = budgets;
        this.reservation = reservation;
    }

    /** Replaces the reservation by the real cost (zero when the call failed). Idempotent. */
    void settle(BigDecimal actual, Instant now) {
        BudgetReservation r = reservation;
        if (r != null) {
            reservation = null;
            budgets.settle(r, actual, now);
        }
    }
}
