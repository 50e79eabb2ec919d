package io.llmrouter.spi;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A read-only view of one deployment that a {@link RoutingStrategy} may choose: its definition
 * and its live state. Candidates that are cooling down, over their rpm/tpm for the current
 * minute, or filtered out (tags, capabilities, context window) are never shown.
 *
 * @since 0.1.0
 */
public interface DeploymentCandidate {

    /** The deployment's unique id. */
    String id();

    /** The model group (alias) it serves. */
    String modelGroup();

    /** Its provider route, e.g. {@code openai/gpt-4o}. */
    String providerRoute();

    /**
     * Its relative weight for weighted strategies: the deployment's {@code weight} when any
     * deployment of the group sets one, else its {@code rpm} when every deployment of the group
     * has one, else its {@code tpm} likewise, else 1 (LiteLLM's rule).
     */
    int weight();

    /** Its priority: lower orders are used first (default 0). */
    int order();

    /** Its tags. */
    Set<String> tags();

    /** Its requests-per-minute limit, when set. */
    OptionalInt rpm();

    /** Its tokens-per-minute limit, when set. */
    OptionalInt tpm();

    /** Calls to it in flight right now. */
    int inFlight();

    /** Requests sent to it in the current minute (including ones in flight). */
    int requestsThisMinute();

    /** Tokens used by it in the current minute: estimates for calls in flight, real usage for ended ones. */
    long tokensThisMinute();

    /** Its recent latency. */
    LatencyStats latency();

    /** Its price per input token in USD, when known. */
    Optional<BigDecimal> inputCostPerToken();

    /** Its price per output token in USD, when known. */
    Optional<BigDecimal> outputCostPerToken();

    /**
     * Its price per input token in USD as a {@code double}, for strategies that rank by price on
     * every choice: {@link #inputCostPerToken()}'s value, or {@link Double#NaN} when it is unknown.
     * The default converts {@link #inputCostPerToken()} on each call; the router's own candidates
     * return a value computed once.
     *
     * @return the price, or {@code NaN} when unknown
     * @since 0.1.0
     */
    default double inputCostPerTokenValue() {
        return inputCostPerToken().map(BigDecimal::doubleValue).orElse(Double.NaN);
    }

    /**
     * Its price per output token in USD as a {@code double}: {@link #outputCostPerToken()}'s
     * value, or {@link Double#NaN} when it is unknown (see {@link #inputCostPerTokenValue()}).
     *
     * @return the price, or {@code NaN} when unknown
     * @since 0.1.0
     */
    default double outputCostPerTokenValue() {
        return outputCostPerToken().map(BigDecimal::doubleValue).orElse(Double.NaN);
    }

    /** Failures counting against it in the last minute. */
    int recentFailures();
}
