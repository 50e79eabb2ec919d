package io.llmrouter.internal;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.cost.CostCalculator;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The budget part of the select step: the request's estimated cost reserved on every budget that
 * applies to it at the chosen deployment, and settled by the real cost (zero when the call failed)
 * when the call ends. One instance is one call's reservations.
 */
final class BudgetReservation {

    /** Output tokens assumed for budget reservations when neither the request nor the model says: {@value}. */
    static final int DEFAULT_BUDGET_OUTPUT_TOKENS = 4096;

    /** No reservation (no budget applies). */
    static final BudgetReservation NONE = new BudgetReservation(BigDecimal.ZERO);

    private final BigDecimal amount;
    private final List<BudgetLedger> ledgers = new ArrayList<>(2);
    private final List<Instant> periods = new ArrayList<>(2);

    private BudgetReservation(BigDecimal amount) {
        this.amount = amount;
    }

    private boolean add(BudgetLedger ledger, Instant now) {
        Instant period = ledger.tryReserve(amount, now);
        if (period == null) {
            return false;
        }
        ledgers.add(ledger);
        periods.add(period);
        return true;
    }

    /** Replaces the reservations by the real cost (zero when the call failed). Idempotent per call. */
    void settle(BigDecimal actual, Instant now) {
        for (int i = 0; i < ledgers.size(); i++) {
            ledgers.get(i).settle(amount, periods.get(i), actual, now);
        }
        ledgers.clear();
        periods.clear();
    }

    /**
     * The most this request can cost at {@code d}: an upper bound of its input tokens (UTF-8
     * bytes) and its max output tokens (the request's, else the model's, else
     * {@value #DEFAULT_BUDGET_OUTPUT_TOKENS}); null when the deployment has no price.
     */
    static BigDecimal estimate(RouterRequest request, DeploymentState d) {
        if (d.price().isEmpty()) {
            return null;
        }
        int in = TokenEstimator.upperBound(request);
        int out = request instanceof EmbeddingRequest ? 0 : RequestFilters.maxOutputTokens(request)
                .orElse(d.price().get().maxOutputTokens().orElse(DEFAULT_BUDGET_OUTPUT_TOKENS));
        Cost c = CostCalculator.cost(d.price().get(), Usage.of(in, out), d.pricedBy());
        return c.totalUsd().orElse(null);
    }

    /** Whether {@code d}'s own and its provider's budgets can afford the request (no reservation). */
    static boolean affordable(RequestExecution<?, ?> x, DeploymentState d) {
        List<BudgetLedger> ledgers = x.engine.budgets().forDeployment(d);
        if (ledgers.isEmpty()) {
            return true;
        }
        BigDecimal estimate = estimate(x.request(), d);
        if (estimate == null) {
            return false; // a budget cannot be enforced on an unpriced deployment
        }
        Instant now = x.clock.instant();
        for (BudgetLedger l : ledgers) {
            if (!l.fits(estimate, now)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reserves the request's estimated cost on every budget that applies to it at {@code d}.
     *
     * @return the reservation; null when a deployment or provider budget cannot afford it (the
     *     deployment is skipped)
     * @throws BudgetExceededException when a user, tag, group or global budget cannot afford it
     */
    static BudgetReservation reserve(RequestExecution<?, ?> x, ModelGroup group, DeploymentState d) {
        RouterRequest request = x.request();
        Budgets budgets = x.engine.budgets();
        List<BudgetLedger> own = budgets.forDeployment(d);
        List<BudgetLedger> guards = budgets.forRequest(request, group.name());
        if (own.isEmpty() && guards.isEmpty()) {
            return NONE;
        }
        BigDecimal estimate = estimate(request, d);
        Instant now = x.clock.instant();
        if (estimate == null) {
            if (!own.isEmpty()) {
                return null;
            }
            BudgetLedger first = guards.get(0);
            throw new BudgetExceededException("cannot enforce " + first.budget().name() + ": deployment '" + d.id()
                    + "' has no price (set Deployment.price(..) or baseModel(..))",
                    ErrorContext.builder().model(request.model()).deploymentId(d.id()).build(),
                    first.budget().name(), first.budget().limitUsd(), first.spentAndReserved(now), first.nextReset(now));
        }
        BudgetReservation r = new BudgetReservation(estimate);
        for (BudgetLedger l : own) {
            if (!r.add(l, now)) {
                r.settle(BigDecimal.ZERO, now);
                return null;
            }
        }
        for (BudgetLedger l : guards) {
            if (!r.add(l, now)) {
                r.settle(BigDecimal.ZERO, now);
                BigDecimal spent = l.spentAndReserved(now);
                Instant reset = l.nextReset(now);
                throw new BudgetExceededException(l.budget().name() + " would be exceeded: limit $"
                        + l.budget().limitUsd().toPlainString() + ", spent and reserved $" + spent.toPlainString()
                        + ", this request up to $" + estimate.toPlainString()
                        + (reset.equals(Instant.MAX) ? "" : "; resets at " + reset),
                        ErrorContext.builder().model(request.model()).build(), l.budget().name(),
                        l.budget().limitUsd(), spent, reset.equals(Instant.MAX) ? null : reset);
            }
        }
        return r;
    }
}
