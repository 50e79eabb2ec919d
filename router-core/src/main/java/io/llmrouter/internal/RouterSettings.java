package io.llmrouter.internal;

import io.llmrouter.CooldownPolicy;
import io.llmrouter.Deployment;
import io.llmrouter.FallbackPolicy;
import io.llmrouter.RateLimitMode;
import io.llmrouter.RequestOptions;
import io.llmrouter.RetryPolicy;
import io.llmrouter.Timeouts;
import io.llmrouter.budget.Budget;
import io.llmrouter.cost.PriceTable;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.spi.RoutingStrategy;
import io.llmrouter.spi.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * The router's effective configuration, as the public builder collected it: the policies plus the
 * settings that are not policies. The methods named after the old flat settings
 * ({@link #numRetries()}, {@link #timeout()}, {@link #fallbacks()}, ...) read through the policies.
 *
 * @param deployments the deployments, in definition order
 * @param providers explicitly registered providers by route prefix
 * @param strategy the routing strategy
 * @param retryPolicy retries and waits
 * @param cooldownPolicy when and for how long failing deployments leave rotation
 * @param fallbackPolicy fallback groups
 * @param timeouts the router's timeouts (unset values: the defaults)
 * @param tagFiltering whether requests' tags choose deployments
 * @param budgets the spend budgets
 * @param listeners the listeners
 * @param priceTable the price table
 * @param random the random source, or null for a thread-local one
 * @param clock the clock for cooldowns, deadlines and attempt times
 * @param scheduler the scheduler for backoff and timeouts, or null for an owned one
 * @param maxSpendKeys how many users, and how many tags, the spend report lists one by one
 * @param stateStore the store of shared state, or null for a private in-memory one
 * @param rateLimits whether deployments' rpm/tpm are enforced or only weigh selection
 */
public record RouterSettings(
        List<Deployment> deployments,
        Map<String, Provider> providers,
        RoutingStrategy strategy,
        RetryPolicy retryPolicy,
        CooldownPolicy cooldownPolicy,
        FallbackPolicy fallbackPolicy,
        Timeouts timeouts,
        boolean tagFiltering,
        List<Budget> budgets,
        List<RouterListener> listeners,
        PriceTable priceTable,
        RandomGenerator random,
        Clock clock,
        ScheduledExecutorService scheduler,
        int maxSpendKeys,
        StateStore stateStore,
        RateLimitMode rateLimits) {

    /**
     * Checks the settings as a whole (the builders checked each value).
     *
     * @return these settings
     * @throws IllegalStateException if there are no deployments, or a policy names an unknown
     *     model group, or a fallback list names its own group
     */
    public RouterSettings validated() {
        if (deployments.isEmpty()) {
            throw new IllegalStateException("a router needs at least one deployment");
        }
        Set<String> groups = new LinkedHashSet<>();
        deployments.forEach(d -> groups.add(d.modelGroup()));
        checkFallbacks(groups, fallbackPolicy.fallbacks(), "fallback");
        checkFallbacks(groups, fallbackPolicy.contextWindowFallbacks(), "context-window fallback");
        checkFallbacks(groups, fallbackPolicy.contentPolicyFallbacks(), "content-policy fallback");
        fallbackPolicy.defaultFallbacks().forEach(f -> checkGroup(groups, f, "default fallback"));
        retryPolicy.numRetriesByGroup().keySet().forEach(g -> checkGroup(groups, g, "numRetries"));
        retryPolicy.retriesByGroupAndKind().keySet().forEach(g -> checkGroup(groups, g, "per-group retries"));
        return this;
    }

    private static void checkFallbacks(Set<String> groups, Map<String, List<String>> lists, String what) {
        lists.forEach((group, list) -> {
            checkGroup(groups, group, what + " source");
            list.forEach(f -> checkGroup(groups, f, what + " of '" + group + "'"));
        });
    }

    private static void checkGroup(Set<String> groups, String group, String what) {
        if (!groups.contains(group)) {
            throw new IllegalStateException(what + " names unknown model group '" + group + "'; known: " + groups);
        }
    }

    /**
     * These settings with a live change's deployments and fallback policy (not validated).
     *
     * @param newDeployments the deployments, in definition order
     * @param newFallbackPolicy the fallback policy
     * @return the new settings
     */
    public RouterSettings withTopology(List<Deployment> newDeployments, FallbackPolicy newFallbackPolicy) {
        return new RouterSettings(List.copyOf(newDeployments), providers, strategy, retryPolicy, cooldownPolicy,
                newFallbackPolicy, timeouts, tagFiltering, budgets, listeners, priceTable, random, clock, scheduler,
                maxSpendKeys, stateStore, rateLimits);
    }

    /**
     * The settings one request runs under: these, with the request's policies laid over them;
     * these same settings (no copy) when the request overrides no retry or fallback policy and
     * no deadline.
     */
    public RouterSettings forRequest(RequestOptions options) {
        if (options.isEmpty()) {
            return this;
        }
        RetryPolicy retry = options.retryPolicy().map(retryPolicy::overriddenBy).orElse(retryPolicy);
        FallbackPolicy fallback = options.fallbackPolicy().map(fallbackPolicy::overriddenBy).orElse(fallbackPolicy);
        Timeouts t = options.timeouts().map(timeouts::overriddenBy).orElse(timeouts);
        if (retry == retryPolicy && fallback == fallbackPolicy && t == timeouts) {
            return this;
        }
        return new RouterSettings(deployments, providers, strategy, retry, cooldownPolicy, fallback, t, tagFiltering,
                budgets, listeners, priceTable, random, clock, scheduler, maxSpendKeys, stateStore, rateLimits);
    }

    /** The request's deadline, else the router's; null for none. */
    public Duration deadline(RequestOptions options) {
        return options.timeouts().flatMap(Timeouts::deadline).orElse(deadline());
    }

    /** Retries per model group after the first attempt. */
    public int numRetries() {
        return retryPolicy.numRetries();
    }

    /** Per-group overrides of {@link #numRetries()}. */
    public Map<String, Integer> numRetriesByGroup() {
        return retryPolicy.numRetriesByGroup();
    }

    /** The first retry's backoff. */
    public Duration initialBackoff() {
        return retryPolicy.initialBackoff();
    }

    /** The longest backoff. */
    public Duration maxBackoff() {
        return retryPolicy.maxBackoff();
    }

    /** The cap on a provider's retry-after (for waits and cooldowns). */
    public Duration maxRetryAfter() {
        return retryPolicy.maxRetryAfter();
    }

    /** The default per-call timeout. */
    public Duration timeout() {
        return timeouts.callTimeout().orElse(Timeouts.DEFAULT_CALL_TIMEOUT);
    }

    /** The default whole-request deadline, or null for none. */
    public Duration deadline() {
        return timeouts.deadline().orElse(null);
    }

    /** The default time to a stream's first chunk. */
    public Duration firstTokenTimeout() {
        return timeouts.firstTokenTimeout().orElse(Timeouts.DEFAULT_FIRST_TOKEN_TIMEOUT);
    }

    /** The default longest quiet gap in a stream. */
    public Duration streamIdleTimeout() {
        return timeouts.streamIdleTimeout().orElse(Timeouts.DEFAULT_STREAM_IDLE_TIMEOUT);
    }

    /** Allowed failures per kind (the cooldown policy, which answers {@code allowedFails(kind)}). */
    public CooldownPolicy allowedFailsPolicy() {
        return cooldownPolicy;
    }

    /** How long a deployment stays out of rotation. */
    public Duration cooldownTime() {
        return cooldownPolicy.cooldownTime();
    }

    /** The failure rate, in percent, that the default cooldown rule must exceed. */
    public int failureRateThreshold() {
        return cooldownPolicy.failureRateThreshold();
    }

    /** Calls in the window, all failed, that cool the only deployment of a group. */
    public int singleDeploymentFailureThreshold() {
        return cooldownPolicy.singleDeploymentFailureThreshold();
    }

    /** General fallback groups per group. */
    public Map<String, List<String>> fallbacks() {
        return fallbackPolicy.fallbacks();
    }

    /** Fallback groups per group for context-window errors. */
    public Map<String, List<String>> contextWindowFallbacks() {
        return fallbackPolicy.contextWindowFallbacks();
    }

    /** Fallback groups per group for content-policy errors. */
    public Map<String, List<String>> contentPolicyFallbacks() {
        return fallbackPolicy.contentPolicyFallbacks();
    }

    /** Fallback groups for groups without their own. */
    public List<String> defaultFallbacks() {
        return fallbackPolicy.defaultFallbacks();
    }

    /** The most fallback groups one request tries. */
    public int maxFallbackDepth() {
        return fallbackPolicy.maxDepth();
    }
}
