package io.llmrouter;

import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RateLimitException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a model group is retried: how many times (by default, per kind of failure, per model group),
 * and how long to wait between tries (LiteLLM's {@code num_retries} and {@code RetryPolicy}).
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .numRetries(3)                            // every retryable failure
 *     .retries(FailureKind.RATE_LIMIT, 5)       // rate limits: 5
 *     .numRetries("gpt-4o-mini", 1)             // this group: 1
 *     .backoff(Duration.ofMillis(200), Duration.ofSeconds(4))
 *     .build();
 * Router.builder().retryPolicy(policy);
 * }</pre>
 *
 * <p><b>Which count applies</b> (the one precedence rule): for a failure of kind {@code K} in group
 * {@code G}, the first of these that is set decides:
 * <ol>
 *   <li>the count for the kind: when group {@code G} has per-kind counts of its own
 *       ({@link Builder#retries(String, FailureKind, int) retries(G, K, n)}, LiteLLM's
 *       {@code model_group_retry_policy}), its count for {@code K}, and the router-wide per-kind
 *       counts do not apply to {@code G}; else {@link Builder#retries(FailureKind, int) retries(K, n)}.
 *       It applies whether or not the failure is retryable;</li>
 *   <li>the count for the group, {@link Builder#numRetries(String, int) numRetries(G, n)}, then
 *       {@link Builder#numRetries(int) numRetries(n)} (default {@value #DEFAULT_NUM_RETRIES}):
 *       these apply to failures whose exception {@code isRetryable()} (rate limits, timeouts,
 *       connection and server errors, malformed answers); any other failure gets none.</li>
 * </ol>
 * A rate limit that waiting cannot cure (a quota or billing limit, whose exception is not
 * retryable) is never retried. An authentication failure (401) with no count of its own is, while
 * the router runs, retried like a retryable one as long as another deployment of the group is
 * healthy (not cooling down, not yet failed by this request), and raised at once when none is
 * (LiteLLM's rule: one bad key must not break a group); {@link #retries(LlmRouterException, String)}
 * answers 0 for it, not knowing the group's health. Each kind is counted on its own within a group,
 * and a group never makes more than {@code 1 + }{@link #maxRetries(String)} calls for one request.
 *
 * <p><b>A request's policy</b> ({@link RequestOptions.Builder#retryPolicy(RetryPolicy)}) is laid
 * over the router's by {@link #overriddenBy(RetryPolicy)}: what the request's policy sets replaces
 * the router's (per kind and per group entry by entry, backoff and retry-after cap one by one); a
 * request's policy that sets {@code numRetries} replaces the router's counts as a whole, so
 * {@code numRetries(0)} on a request means no retries for it, whatever the router's per-kind or
 * per-group counts.
 *
 * <p><b>Waits</b> (LiteLLM's): none when another healthy deployment of the group has not failed
 * this request (each retry runs the selection again, so it goes there); else the provider's
 * retry-after when it is positive and at most {@link #maxRetryAfter()} (default 60 s; a longer one
 * is ignored); else backoff from {@link #initialBackoff()} (default 500 ms) doubling up to
 * {@link #maxBackoff()} (default 8 s), plus up to 25 % random jitter (so a wait is never shorter
 * than the backoff).
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe. Two policies are equal when they
 * set the same properties to the same values.
 *
 * @since 0.1.0
 */
public final class RetryPolicy {

    /** Default retries per model group after the first attempt: {@value}. */
    public static final int DEFAULT_NUM_RETRIES = 2;
    /** Default backoff before the first retry: 500 ms. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    /** Default longest backoff: 8 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(8);
    /**
     * Default longest provider retry-after that is waited (a longer one is ignored in favour of the
     * backoff, as LiteLLM does) and longest cooldown a retry-after sets: 60 s.
     */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private static final RetryPolicy DEFAULTS = new Builder().build();

    private final int numRetries;
    private final boolean numRetriesSet;
    private final Map<FailureKind, Integer> byKind;
    private final Map<String, Integer> byGroup;
    private final Map<String, Map<FailureKind, Integer>> byGroupKind;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final boolean backoffSet;
    private final Duration maxRetryAfter;
    private final boolean maxRetryAfterSet;
    private final int maxOfKinds;

    private RetryPolicy(Builder b) {
        this.numRetries = b.numRetries;
        this.numRetriesSet = b.numRetriesSet;
        this.byKind = Collections.unmodifiableMap(new EnumMap<>(b.byKind));
        this.byGroup = Collections.unmodifiableMap(new LinkedHashMap<>(b.byGroup));
        Map<String, Map<FailureKind, Integer>> groupKinds = new LinkedHashMap<>();
        b.byGroupKind.forEach((g, kinds) -> groupKinds.put(g, Collections.unmodifiableMap(new EnumMap<>(kinds))));
        this.byGroupKind = Collections.unmodifiableMap(groupKinds);
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.backoffSet = b.backoffSet;
        this.maxRetryAfter = b.maxRetryAfter;
        this.maxRetryAfterSet = b.maxRetryAfterSet;
        int m = 0;
        for (int r : byKind.values()) {
            m = Math.max(m, r);
        }
        this.maxOfKinds = m;
    }

    /** The policy that sets nothing: every property has its default. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A new builder, every property at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Retries for retryable failures that no per-kind or per-group count covers; default {@value #DEFAULT_NUM_RETRIES}. */
    public int numRetries() {
        return numRetries;
    }

    /**
     * Retries for retryable failures in {@code modelGroup} that no per-kind count covers: the
     * group's own count, else {@link #numRetries()}.
     */
    public int numRetries(String modelGroup) {
        Integer own = byGroup.get(Objects.requireNonNull(modelGroup, "modelGroup"));
        return own != null ? own : numRetries;
    }

    /** The groups with their own count, in the order they were set. */
    public Map<String, Integer> numRetriesByGroup() {
        return byGroup;
    }

    /** The count set for failures of {@code kind}, when the policy sets one. */
    public OptionalInt retries(FailureKind kind) {
        Integer r = byKind.get(Objects.requireNonNull(kind, "kind"));
        return r == null ? OptionalInt.empty() : OptionalInt.of(r);
    }

    /** The kinds with their own count. */
    public Map<FailureKind, Integer> retriesByKind() {
        return byKind;
    }

    /**
     * The count for failures of {@code kind} in {@code modelGroup}: the group's own per-kind count
     * when the group has any (then only those), else {@link #retries(FailureKind)}.
     *
     * @since 0.1.0
     */
    public OptionalInt retries(String modelGroup, FailureKind kind) {
        Objects.requireNonNull(kind, "kind");
        Map<FailureKind, Integer> own = byGroupKind.get(Objects.requireNonNull(modelGroup, "modelGroup"));
        if (own == null) {
            return retries(kind);
        }
        Integer r = own.get(kind);
        return r == null ? OptionalInt.empty() : OptionalInt.of(r);
    }

    /**
     * The groups with per-kind counts of their own (LiteLLM's {@code model_group_retry_policy}),
     * in the order they were set.
     *
     * @since 0.1.0
     */
    public Map<String, Map<FailureKind, Integer>> retriesByGroupAndKind() {
        return byGroupKind;
    }

    /** The largest per-kind count the policy sets (0 when it sets none). */
    public int maxRetries() {
        return maxOfKinds;
    }

    /**
     * The most retries one request makes in {@code modelGroup}: the larger of
     * {@link #numRetries(String)} and the largest per-kind count that applies to the group.
     */
    public int maxRetries(String modelGroup) {
        Map<FailureKind, Integer> own = byGroupKind.get(Objects.requireNonNull(modelGroup, "modelGroup"));
        if (own == null) {
            return Math.max(numRetries(modelGroup), maxOfKinds);
        }
        int m = numRetries(modelGroup);
        for (int r : own.values()) {
            m = Math.max(m, r);
        }
        return m;
    }

    /**
     * How many retries a failure like {@code failure} gets in {@code modelGroup}, by the
     * precedence rule in the class description.
     *
     * @param failure the failure
     * @param modelGroup the group that failed
     * @return 0 or more
     */
    public int retries(LlmRouterException failure, String modelGroup) {
        Objects.requireNonNull(failure, "failure");
        if (failure instanceof RateLimitException && !failure.isRetryable()) {
            return 0; // quota and billing limits: waiting does not cure them
        }
        OptionalInt own = retries(modelGroup, FailureKind.of(failure));
        if (own.isPresent()) {
            return own.getAsInt();
        }
        return failure.isRetryable() ? numRetries(modelGroup) : 0;
    }

    /** The backoff before the first retry; default 500 ms ({@link #DEFAULT_INITIAL_BACKOFF}). */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** The longest backoff; default 8 s ({@link #DEFAULT_MAX_BACKOFF}). */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * The longest provider retry-after that is waited before a retry (a longer one is ignored: the
     * backoff applies) and the longest cooldown a retry-after sets; default 60 s
     * ({@link #DEFAULT_MAX_RETRY_AFTER}).
     */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * This policy with {@code override} laid over it, as a request's policy is laid over the
     * router's: each backoff or retry-after cap and each per-kind or per-group count that
     * {@code override} sets replaces this policy's; if {@code override} sets {@code numRetries},
     * its counts replace all of this policy's counts (this policy's per-kind and per-group counts
     * are dropped).
     *
     * @param override the policy whose settings win
     * @return the combined policy
     */
    public RetryPolicy overriddenBy(RetryPolicy override) {
        Objects.requireNonNull(override, "override");
        if (override == DEFAULTS || override.equals(DEFAULTS)) {
            return this;
        }
        Builder b = toBuilder();
        if (override.numRetriesSet) {
            b.numRetries = override.numRetries;
            b.numRetriesSet = true;
            b.byKind.clear();
            b.byGroup.clear();
            b.byGroupKind.clear();
        }
        b.byKind.putAll(override.byKind);
        b.byGroup.putAll(override.byGroup);
        override.byGroupKind.forEach((g, kinds) -> b.byGroupKind.put(g, new EnumMap<>(kinds)));
        if (override.backoffSet) {
            b.initialBackoff = override.initialBackoff;
            b.maxBackoff = override.maxBackoff;
            b.backoffSet = true;
        }
        if (override.maxRetryAfterSet) {
            b.maxRetryAfter = override.maxRetryAfter;
            b.maxRetryAfterSet = true;
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p && numRetries == p.numRetries && numRetriesSet == p.numRetriesSet
                && byKind.equals(p.byKind) && byGroup.equals(p.byGroup) && byGroupKind.equals(p.byGroupKind)
                && initialBackoff.equals(p.initialBackoff)
                && maxBackoff.equals(p.maxBackoff) && backoffSet == p.backoffSet
                && maxRetryAfter.equals(p.maxRetryAfter) && maxRetryAfterSet == p.maxRetryAfterSet;
    }

    @Override
    public int hashCode() {
        return Objects.hash(numRetries, numRetriesSet, byKind, byGroup, byGroupKind, initialBackoff, maxBackoff, backoffSet,
                maxRetryAfter, maxRetryAfterSet);
    }

    @Override
    public String toString() {
        return "RetryPolicy[numRetries=" + numRetries + ", retriesByKind=" + byKind + ", numRetriesByGroup="
                + byGroup + ", retriesByGroupAndKind=" + byGroupKind + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", maxRetryAfter="
                + maxRetryAfter + "]";
    }

    /** Builds a {@link RetryPolicy}; not thread-safe. */
    public static final class Builder {
        private int numRetries = DEFAULT_NUM_RETRIES;
        private boolean numRetriesSet;
        private final EnumMap<FailureKind, Integer> byKind = new EnumMap<>(FailureKind.class);
        private final Map<String, Integer> byGroup = new LinkedHashMap<>();
        private final Map<String, EnumMap<FailureKind, Integer>> byGroupKind = new LinkedHashMap<>();
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private boolean backoffSet;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        private boolean maxRetryAfterSet;

        private Builder() {
        }

        private Builder(RetryPolicy p) {
            numRetries = p.numRetries;
            numRetriesSet = p.numRetriesSet;
            byKind.putAll(p.byKind);
            byGroup.putAll(p.byGroup);
            p.byGroupKind.forEach((g, kinds) -> byGroupKind.put(g, new EnumMap<>(kinds)));
            initialBackoff = p.initialBackoff;
            maxBackoff = p.maxBackoff;
            backoffSet = p.backoffSet;
            maxRetryAfter = p.maxRetryAfter;
            maxRetryAfterSet = p.maxRetryAfterSet;
        }

        /**
         * Retries per model group after the first attempt, for retryable failures; default
         * {@value RetryPolicy#DEFAULT_NUM_RETRIES}.
         *
         * @throws IllegalArgumentException if {@code numRetries} is negative
         */
        public Builder numRetries(int numRetries) {
            this.numRetries = notNegative(numRetries, "numRetries");
            this.numRetriesSet = true;
            return this;
        }

        /**
         * Retries for {@code modelGroup}, in place of {@link #numRetries(int)} for it. The router
         * checks that the group exists when it is built.
         *
         * @throws IllegalArgumentException if {@code numRetries} is negative
         */
        public Builder numRetries(String modelGroup, int numRetries) {
            Objects.requireNonNull(modelGroup, "modelGroup");
            byGroup.put(modelGroup, notNegative(numRetries, "numRetries of '" + modelGroup + "'"));
            return this;
        }

        /**
         * Retries for failures of {@code kind}, 0 or more, in place of the default rule for that
         * kind (in both directions: a kind that is not retryable can be given retries).
         *
         * @throws IllegalArgumentException if {@code count} is negative
         */
        public Builder retries(FailureKind kind, int count) {
            Objects.requireNonNull(kind, "kind");
            byKind.put(kind, notNegative(count, "retries for " + kind));
            return this;
        }

        /**
         * Retries for failures of {@code kind} in {@code modelGroup}, 0 or more (LiteLLM's
         * {@code model_group_retry_policy}). A group given any such count uses only its own
         * per-kind counts: the router-wide {@link #retries(FailureKind, int)} counts do not apply
         * to it (a kind it does not set follows {@link #numRetries(String, int)}, else
         * {@link #numRetries(int)}). The router checks that the group exists when it is built.
         *
         * @throws IllegalArgumentException if {@code count} is negative
         * @since 0.1.0
         */
        public Builder retries(String modelGroup, FailureKind kind, int count) {
            Objects.requireNonNull(modelGroup, "modelGroup");
            Objects.requireNonNull(kind, "kind");
            byGroupKind.computeIfAbsent(modelGroup, g -> new EnumMap<>(FailureKind.class))
                    .put(kind, notNegative(count, "retries for " + kind + " in '" + modelGroup + "'"));
            return this;
        }

        /**
         * Exponential backoff between retries when no other deployment of the group is healthy:
         * {@code initial}, doubling, at most {@code max}, plus up to 25 % random jitter; defaults
         * 500 ms and 8 s.
         *
         * @throws IllegalArgumentException if either is negative or {@code max} is shorter than {@code initial}
         */
        public Builder backoff(Duration initial, Duration max) {
            notNegative(initial, "initialBackoff");
            notNegative(max, "maxBackoff");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("maxBackoff " + max + " is shorter than initialBackoff " + initial);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            this.backoffSet = true;
            return this;
        }

        /**
         * The longest retry-after from a provider that is waited before a retry (a longer one is
         * ignored in favour of the backoff) and the longest cooldown a retry-after sets; default
         * 60 s.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = notNegative(maxRetryAfter, "maxRetryAfter");
            this.maxRetryAfterSet = true;
            return this;
        }

        /** The policy. */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }

        private static int notNegative(int n, String field) {
            if (n < 0) {
                throw new IllegalArgumentException(field + " must not be negative, was " + n);
            }
            return n;
        }

        private static Duration notNegative(Duration d, String field) {
            Objects.requireNonNull(d, field);
            if (d.isNegative()) {
                throw new IllegalArgumentException(field + " must not be negative, was " + d);
            }
            return d;
        }
    }
}
