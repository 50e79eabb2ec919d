package io.llmrouter.control;

import io.llmrouter.api.chat.ChatRequest;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * A request interceptor that refuses a request whose estimated cost on the chosen deployment
 * exceeds a limit, before it is sent. The estimate is the one budgets reserve
 * ({@link AttemptContext#estimatedCostUsd}): an upper bound of the input tokens plus the request's
 * max output tokens (else the model's, else 4,096) at the deployment's price, so setting
 * {@code max_completion_tokens} on a request lowers its estimate. A deployment without a price
 * passes, unless {@link #refusingUnpriced()} is used. Registered after other interceptors, it
 * sees the request they changed.
 *
 * <p>A refusal ends the request with a {@link io.llmrouter.api.exception.RequestRefusedException}
 * (no retry, no fallback); to prefer cheap deployments, use the
 * {@link io.llmrouter.strategy.LowestCostStrategy} as well.
 *
 * <pre>{@code
 * Router router = Router.builder().deployment(d).interceptor(MaxCostGuard.of(new BigDecimal("0.25"))).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class MaxCostGuard implements RequestInterceptor {

    private final BigDecimal maxUsd;
    private final boolean refuseUnpriced;

    private MaxCostGuard(BigDecimal maxUsd, boolean refuseUnpriced) {
        this.maxUsd = maxUsd;
        this.refuseUnpriced = refuseUnpriced;
    }

    /**
     * A guard that refuses requests estimated above {@code maxUsd}.
     *
     * @param maxUsd the most one request may cost, in USD
     * @return the guard
     * @throws IllegalArgumentException if {@code maxUsd} is negative
     */
    public static MaxCostGuard of(BigDecimal maxUsd) {
        Objects.requireNonNull(maxUsd, "maxUsd");
        if (maxUsd.signum() < 0) {
            throw new IllegalArgumentException("maxUsd must not be negative, was " + maxUsd);
        }
        return new MaxCostGuard(maxUsd, false);
    }

    /** This guard, also refusing requests to deployments without a price (their cost is unknown). */
    public MaxCostGuard refusingUnpriced() {
        return new MaxCostGuard(maxUsd, true);
    }

    /** The most one request may cost, in USD. */
    public BigDecimal maxUsd() {
        return maxUsd;
    }

    @Override
    public Interception beforeCall(AttemptContext attempt, ChatRequest request) {
        Optional<BigDecimal> estimate = attempt.estimatedCostUsd(request);
        if (estimate.isEmpty()) {
            return refuseUnpriced ? Interception.refuse("deployment '" + attempt.deploymentId()
                    + "' has no price, so the request's cost cannot be checked against the limit of $"
                    + maxUsd.toPlainString()) : Interception.proceed();
        }
        BigDecimal usd = estimate.get();
        if (usd.compareTo(maxUsd) <= 0) {
            return Interception.proceed();
        }
        String shown = usd.round(new MathContext(4, RoundingMode.HALF_UP)).stripTrailingZeros().toPlainString();
        return Interception.refuse("estimated cost $" + shown + " on deployment '"
                + attempt.deploymentId() + "' exceeds the limit of $" + maxUsd.toPlainString() + " per request");
    }

    @Override
    public String name() {
        return "max-cost";
    }

    @Override
    public String toString() {
        return "MaxCostGuard[max=$" + maxUsd.toPlainString() + (refuseUnpriced ? ", refusing unpriced" : "") + "]";
    }
}
