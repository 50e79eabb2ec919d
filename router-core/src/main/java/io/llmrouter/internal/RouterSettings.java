package io.llmrouter.internal;

import io.llmrouter.AllowedFailsPolicy;
import io.llmrouter.Deployment;
import io.llmrouter.RetryPolicy;
import io.llmrouter.budget.Budget;
import io.llmrouter.cost.PriceTable;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.spi.RoutingStrategy;
import io.llmrouter.spi.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * The router's effective configuration, as the public builder collected and validated it.
 *
 * @param deployments the deployments, in definition order
 * @param providers explicitly registered providers by route prefix
 * @param strategy the routing strategy
 * @param numRetries retries per model group after the first attempt
 * @param numRetriesByGroup per-group overrides of {@code numRetries}
 * @param retryPolicy retries per failure kind
 * @param initialBackoff the first retry's backoff
 * @param maxBackoff the longest backoff
 * @param maxRetryAfter the cap on a provider's retry-after (for waits and cooldowns)
 * @param timeout the default per-call timeout
 * @param deadline the default whole-request deadline, or null for none
 * @param firstTokenTimeout the default time to a stream's first chunk
 * @param streamIdleTimeout the default longest quiet gap in a stream
 * @param allowedFails failures per minute before a deployment cools down
 * @param allowedFailsPolicy allowed failures per kind
 * @param cooldownTime how long a deployment stays out of rotation
 * @param fallbacks general fallback groups per group
 * @param contextWindowFallbacks fallback groups per group for context-window errors
 * @param contentPolicyFallbacks fallback groups per group for content-policy errors
 * @param defaultFallbacks fallback groups for groups without their own
 * @param tagFiltering whether requests' tags choose deployments
 * @param budgets the spend budgets
 * @param listeners the listeners
 * @param priceTable the price table
 * @param random the random source, or null for a thread-local one
 * @param clock the clock for cooldowns, deadlines and attempt times
 * @param scheduler the scheduler for backoff and timeouts, or null for an owned one
 * @param maxSpendKeys how many users, and how many tags, the spend report lists one by one
 * @param stateStore the store of shared state, or null for a private in-memory one
 */
public record RouterSettings(
        List<Deployment> deployments,
        Map<String, Provider> providers,
        RoutingStrategy strategy,
        int numRetries,
        Map<String, Integer> numRetriesByGroup,
        RetryPolicy retryPolicy,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration maxRetryAfter,
        Duration timeout,
        Duration deadline,
        Duration firstTokenTimeout,
        Duration streamIdleTimeout,
        int allowedFails,
        AllowedFailsPolicy allowedFailsPolicy,
        Duration cooldownTime,
        Map<String, List<String>> fallbacks,
        Map<String, List<String>> contextWindowFallbacks,
        Map<String, List<String>> contentPolicyFallbacks,
        List<String> defaultFallbacks,
        boolean tagFiltering,
        List<Budget> budgets,
        List<RouterListener> listeners,
        PriceTable priceTable,
        RandomGenerator random,
        Clock clock,
        ScheduledExecutorService scheduler,
        int maxSpendKeys,
        StateStore stateStore) {
}
