package io.llmrouter.internal;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.cost.CostCalculator;
import java.math.BigDecimal;

/**
 * The budget part of the select step: the request's estimated cost reserved, through
 * {@link Budgets} and the router's state store, on every budget that applies to it at the chosen
 * deployment; the {@link BudgetHold} it returns is settled by the real cost (zero when the call
 * failed) when the call ends.
 */
final class BudgetStep {

    /** Output tokens assumed for budget reservations when neither the request nor the model says: {@value}. */
    static final int DEFAULT_BUDGET_OUTPUT_TOKENS = 4096;

    private BudgetStep() {
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
        int out = !RequestFilters.generatesText(request) ? 0 : RequestFilters.maxOutputTokens(request)
                .orElse(d.price().get().maxOutputTokens().orElse(DEFAULT_BUDGET_OUTPUT_TOKENS));
        Cost c = CostCalculator.cost(d.price().get(), Usage.of(in, out), d.pricedBy());
        return c.totalUsd().orElse(null);
    }

    /** Whether {@code d}'s own and its provider's budgets can afford the request (no reservation). */
    static boolean affordable(RequestExecution<?, ?> x, DeploymentState d) {
        Budgets budgets = x.engine.budgets();
        return !budgets.guards(d) || budgets.affords(d, estimate(x.request(), d), x.clock.instant());
    }

    /**
     * Reserves the request's estimated cost on every budget that applies to it at {@code d}.
     *
     * @return the hold; null when a deployment or provider budget cannot afford it (the
     *     deployment is skipped)
     * @throws BudgetExceededException when a user, tag, group or global budget cannot afford it
     */
    static BudgetHold reserve(RequestExecution<?, ?> x, ModelGroup group, DeploymentState d) {
        RouterRequest request = x.request();
        return x.engine.budgets().reserve(request, x.options().apiKeyId().orElse(null), group.name(), d,
                () -> estimate(request, d), x.clock.instant());
    }
}
