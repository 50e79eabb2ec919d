package io.llmrouter.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One period of one budget, as a {@link StateStore} keeps it: the budget's id, its limit, and the
 * period's start (inclusive) and end (exclusive). Spend and reservations belong to the window; a
 * window with a later {@code start} for the same id starts a new period. Immutable.
 *
 * @param budgetId the budget's id, the same on every router of a fleet (the router uses the budget's name, period
 *     and limit, e.g. {@code user 'alice' daily (Z) $5})
 * @param limitUsd the budget's limit in USD, zero or more
 * @param start the period's start
 * @param end the period's end ({@link Instant#MAX} for a budget that never resets)
 * @since 0.1.0
 */
public record BudgetWindow(String budgetId, BigDecimal limitUsd, Instant start, Instant end) {

    /**
     * Checks the window.
     *
     * @throws IllegalArgumentException if the limit is negative or the end is not after the start
     */
    public BudgetWindow {
        Objects.requireNonNull(budgetId, "budgetId");
        Objects.requireNonNull(limitUsd, "limitUsd");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (limitUsd.signum() < 0) {
            throw new IllegalArgumentException("limitUsd must not be negative, was " + limitUsd);
        }
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("end must be after start, was " + end + " <= " + start);
        }
    }

    /**
     * Whether {@code now} falls in this window.
     *
     * @param now the caller's time
     * @return whether {@code start <= now < end}
     */
    public boolean contains(Instant now) {
        return !now.isBefore(start) && now.isBefore(end);
    }
}
