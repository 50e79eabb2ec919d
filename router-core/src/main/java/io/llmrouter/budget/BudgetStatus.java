package io.llmrouter.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A budget's state now: spent in the current period, reserved by calls in flight, and when it
 * resets. From {@code router.budgetStatuses()}; immutable.
 *
 * @param budget the budget
 * @param spentUsd spent in the current period
 * @param reservedUsd reserved by calls in flight
 * @param nextReset when the period resets; {@link Instant#MAX} for a budget that never resets
 * @since 0.1.0
 */
public record BudgetStatus(Budget budget, BigDecimal spentUsd, BigDecimal reservedUsd, Instant nextReset) {

    /** Checks the components. */
    public BudgetStatus {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(spentUsd, "spentUsd");
        Objects.requireNonNull(reservedUsd, "reservedUsd");
        Objects.requireNonNull(nextReset, "nextReset");
    }

    /** What is left in this period, never negative. */
    public BigDecimal remainingUsd() {
        return budget.limitUsd().subtract(spentUsd).subtract(reservedUsd).max(BigDecimal.ZERO);
    }

    /** When the period resets, unless the budget never resets. */
    public Optional<Instant> resetsAt() {
        return nextReset.equals(Instant.MAX) ? Optional.empty() : Optional.of(nextReset);
    }
}
