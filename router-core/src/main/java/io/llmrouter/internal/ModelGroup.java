package io.llmrouter.internal;

import io.github.resilience4j.retry.Retry;
import io.llmrouter.cost.ModelCapability;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One model group: its deployments (definition order) and the Resilience4j retries that run
 * attempts over them (one per attempt bound, made on first use).
 */
final class ModelGroup {

    private final String name;
    private final List<DeploymentState> deployments;
    private static final int SMALL_BOUNDS = 32;
    /** The retries for small attempt bounds, by bound; larger ones in {@link #largeRetries}. */
    private final AtomicReferenceArray<Retry> retries = new AtomicReferenceArray<>(SMALL_BOUNDS);
    private final Map<Integer, Retry> largeRetries = new ConcurrentHashMap<>();
    /** The retry of a request that sets no retry count of its own (the router's settings bound it), once known. */
    private volatile Retry usualRetry;
    /** Bumped whenever a deployment's availability changes; invalidates {@link #available}. */
    private final AtomicInteger healthVersion = new AtomicInteger();
    private volatile Available available;
    private final boolean hasLimits;
    private final boolean anyDefaultTag;
    /** The smallest known context window of the group's deployments, 0 when none is known. */
    private final int minKnownWindow;
    /** The capabilities every deployment has; one whose capabilities are unknown counts as having all. */
    private final Set<ModelCapability> sharedCapabilities;
    private final boolean parallelLimits;
    /** Requests waiting for capacity, or null when no deployment limits its parallel requests or rpm/tpm. */
    private final WaitQueue waiters;
    /** Set when a live change replaced or removed this group: requests in it select from its successor. */
    private volatile boolean retired;

    /** The cached available list: valid while the version is current and until the first cooldown ends. */
    private record Available(int version, long validUntilMillis, CandidateList list) {
    }

    /**
     * @param wakeExecutor where a request waiting for capacity goes on (the router's scheduler);
     *     needed when a deployment limits its parallel requests or rpm/tpm
     */
    ModelGroup(String name, List<DeploymentState> deployments, Executor wakeExecutor) {
        this.name = name;
        this.deployments = List.copyOf(deployments);
        boolean limits = false;
        boolean parallelLimits = false;
        boolean defaultTag = false;
        int minWindow = 0;
        EnumSet<ModelCapability> shared = EnumSet.allOf(ModelCapability.class);
        for (DeploymentState d : this.deployments) {
            if (d.knownCapabilities() != null) {
                shared.retainAll(d.knownCapabilities());
            }
            limits |= d.rpmLimit() > 0 || d.tpmLimit() > 0;
            parallelLimits |= d.deployment().maxParallelRequests().isPresent();
            defaultTag |= d.tags().contains(RequestFilters.DEFAULT_TAG);
            int w = d.contextWindow();
            if (w > 0) {
                minWindow = minWindow == 0 ? w : Math.min(minWindow, w);
            }
            d.group(this);
        }
        this.hasLimits = limits;
        this.parallelLimits = parallelLimits;
        this.waiters = parallelLimits || limits ? new WaitQueue(wakeExecutor) : null;
        this.anyDefaultTag = defaultTag;
        this.minKnownWindow = minWindow;
        this.sharedCapabilities = shared;
    }

    /**
     * Whether every deployment has all of {@code needed}, so the capability filter would keep them all
     * (and the request keeps the group's own list, with its cached candidates).
     */
    boolean allHave(Set<ModelCapability> needed) {
        return sharedCapabilities.containsAll(needed);
    }

    boolean hasLimits() {
        return hasLimits;
    }

    boolean anyDefaultTag() {
        return anyDefaultTag;
    }

    int minKnownWindow() {
        return minKnownWindow;
    }

    /** Whether a deployment of the group limits its parallel requests (then requests may wait for a slot). */
    boolean limitsParallel() {
        return parallelLimits;
    }

    /** The requests waiting for capacity, or null when no deployment has a parallel or rpm/tpm limit. */
    WaitQueue waiters() {
        return waiters;
    }

    /** A call of the group ended: the request whose turn it is, if any, goes on. */
    void slotFreed() {
        waiters.capacityReturned();
    }

    /** Whether a live change replaced or removed this group ({@link RouterEngine#group(String)}: its successor). */
    boolean isRetired() {
        return retired;
    }

    /**
     * Marks the group replaced or removed by a live change and wakes every request waiting in it
     * for a call slot, so each selects again in the current topology instead of waiting for a slot
     * this group will never be told of.
     */
    void retire() {
        retired = true;
        if (waiters != null) {
            waiters.wakeAll();
        }
    }

    void healthChanged() {
        healthVersion.incrementAndGet();
    }

    /**
     * The deployments not cooling down at {@code nowMillis}, of the lowest order among them, with
     * cumulative weights: rebuilt only when health changed or a cooldown ended.
     */
    CandidateList available(long nowMillis) {
        Available a = available;
        int version = healthVersion.get();
        if (a != null && a.version() == version && nowMillis < a.validUntilMillis()) {
            return a.list();
        }
        List<DeploymentState> list = new ArrayList<>(deployments.size());
        int bestOrder = Integer.MAX_VALUE;
        long validUntil = Long.MAX_VALUE;
        for (DeploymentState d : deployments) {
            long until = d.coolingUntilMillis(nowMillis);
            if (until > 0) {
                validUntil = Math.min(validUntil, until);
                continue;
            }
            if (d.order() < bestOrder) {
                list.clear();
                bestOrder = d.order();
            }
            if (d.order() == bestOrder) {
                list.add(d);
            }
        }
        CandidateList result = new CandidateList(list);
        available = new Available(version, validUntil, result);
        return result;
    }

    String name() {
        return name;
    }

    List<DeploymentState> deployments() {
        return deployments;
    }

    Retry usualRetry() {
        return usualRetry;
    }

    void usualRetry(Retry retry) {
        this.usualRetry = retry;
    }

    /** The group's retry for at most {@code maxAttempts} attempts (made once per bound; no allocation after). */
    Retry retry(int maxAttempts) {
        if (maxAttempts < SMALL_BOUNDS) {
            Retry r = retries.get(maxAttempts);
            if (r == null) {
                retries.compareAndSet(maxAttempts, null, RetryLoop.newRetry(name, maxAttempts));
                r = retries.get(maxAttempts);
            }
            return r;
        }
        return largeRetries.computeIfAbsent(maxAttempts, n -> RetryLoop.newRetry(name, n));
    }
}
