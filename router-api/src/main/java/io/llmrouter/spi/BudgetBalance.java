package io.llmrouter.spi;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A budget window's spend and open reservations, in USD. Immutable.
 *
 * @param spentUsd what settled calls cost in the window
 * @param reservedUsd what calls in flight have reserved in the window
 * @since 0.1.0
 */
public record BudgetBalance(BigDecimal spentUsd, BigDecimal reservedUsd) {

    /** Nothing spent or reserved. */
    public static final BudgetBalance ZERO = new BudgetBalance(BigDecimal.ZERO, BigDecimal.ZERO);

    /** Checks the amounts are given. */
    public BudgetBalance {
        Objects.requireNonNull(spentUsd, "spentUsd");
        Objects.requireNonNull(reservedUsd, "reservedUsd");
    }

    /** Spend plus reservations: what the window's limit is compared with. */
    public BigDecimal committedUsd() {
        return spentUsd.add(reservedUsd);
    }
}
