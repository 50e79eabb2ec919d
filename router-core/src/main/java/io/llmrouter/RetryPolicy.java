package io.llmrouter;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How many times to retry a model group per kind of failure (LiteLLM's {@code RetryPolicy}).
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .retries(FailureKind.RATE_LIMIT, 4)
 *     .retries(FailureKind.TIMEOUT, 1)
 *     .build();
 * Router.builder().retryPolicy(policy);
 * }</pre>
 *
 * <p>A kind the policy does not name uses the default rule: a failure whose exception says it
 * is retryable ({@code isRetryable()}: rate limits, timeouts, connection and server errors,
 * malformed answers) gets the group's {@code numRetries}; any other gets none. Naming a kind
 * overrides that, in both directions; a quota or billing rate limit (whose exception is not
 * retryable) is never retried. Each kind is counted on its own within a group, and a group never
 * makes more than {@code 1 + max(numRetries, largest count in the policy)} calls.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class RetryPolicy {

    private static final RetryPolicy DEFAULTS = new RetryPolicy(new EnumMap<>(FailureKind.class));

    private final Map<FailureKind, Integer> retries;
    private final int max;

    private RetryPolicy(EnumMap<FailureKind, Integer> retries) {
        this.retries = retries;
        int m = 0;
        for (int r : retries.values()) {
            m = Math.max(m, r);
        }
        this.max = m;
    }

    /** The policy that names no kind: every failure follows the default rule. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The retries set for {@code kind}, when the policy names it. */
    public OptionalInt retries(FailureKind kind) {
        Integer r = retries.get(Objects.requireNonNull(kind, "kind"));
        return r == null ? OptionalInt.empty() : OptionalInt.of(r);
    }

    /** The largest count the policy sets (0 when it names none). */
    public int maxRetries() {
        return max;
    }

    /** The kinds the policy names, with their counts. */
    public Map<FailureKind, Integer> asMap() {
        return Map.copyOf(retries);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p && retries.equals(p.retries);
    }

    @Override
    public int hashCode() {
        return retries.hashCode();
    }

    @Override
    public String toString() {
        return "RetryPolicy" + retries;
    }

    /** Builds a {@link RetryPolicy}; not thread-safe. */
    public static final class Builder {
        private final EnumMap<FailureKind, Integer> retries = new EnumMap<>(FailureKind.class);

        private Builder() {
        }

        /**
         * Retries for failures of {@code kind}, 0 or more.
         *
         * @throws IllegalArgumentException if {@code count} is negative
         */
        public Builder retries(FailureKind kind, int count) {
            Objects.requireNonNull(kind, "kind");
            if (count < 0) {
                throw new IllegalArgumentException("retries for " + kind + " must not be negative, was " + count);
            }
            retries.put(kind, count);
            return this;
        }

        /** The policy. */
        public RetryPolicy build() {
            return new RetryPolicy(new EnumMap<>(retries));
        }
    }
}
