package io.llmrouter.api.exception;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A spend budget would be exceeded by this request; raised before any provider call. Names the
 * budget, its limit, what is already spent (including calls in flight) and when it resets. Not
 * retried, and no fallback is tried.
 *
 * @since 0.1.0
 */
public class BudgetExceededException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    private final String budget;
    private final transient BigDecimal limitUsd;
    private final transient BigDecimal spentUsd;
    private final transient Instant resetsAt;

    /**
     * @param message what happened
     * @param context where it happened
     * @param budget the budget's name, e.g. {@code user 'alice'}
     * @param limitUsd its limit
     * @param spentUsd spent plus reserved by calls in flight
     * @param resetsAt when the period resets, or null for a budget that never resets
     */
    public BudgetExceededException(String message, ErrorContext context, String budget, BigDecimal limitUsd,
            BigDecimal spentUsd, Instant resetsAt) {
        super(message, context, null);
        this.budget = Objects.requireNonNull(budget, "budget");
        this.limitUsd = Objects.requireNonNull(limitUsd, "limitUsd");
        this.spentUsd = Objects.requireNonNull(spentUsd, "spentUsd");
        this.resetsAt = resetsAt;
    }

    /**
     * A budget failure without budget details (e.g. from a custom provider).
     *
     * @param message what happened
     * @param context where it happened
     */
    public BudgetExceededException(String message, ErrorContext context) {
        super(message, context, null);
        this.budget = "unknown";
        this.limitUsd = BigDecimal.ZERO;
        this.spentUsd = BigDecimal.ZERO;
        this.resetsAt = null;
    }

    /** The budget's name, e.g. {@code user 'alice'}. */
    public String budget() {
        return budget;
    }

    /** The budget's limit in USD. */
    public BigDecimal limitUsd() {
        return limitUsd;
    }

    /** Spent in the current period, plus what calls in flight have reserved. */
    public BigDecimal spentUsd() {
        return spentUsd;
    }

    /** When the budget's period resets, unless it never does. */
    public Optional<Instant> resetsAt() {
        return Optional.ofNullable(resetsAt);
    }
}
