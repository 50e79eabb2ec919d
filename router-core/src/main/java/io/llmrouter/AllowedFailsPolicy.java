package io.llmrouter;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How many failures of each kind a deployment may have within a minute before it cools down
 * (LiteLLM's {@code AllowedFailsPolicy}). Kinds the policy does not name use the router's
 * {@code allowedFails}, counted over all kinds together.
 *
 * <pre>{@code
 * AllowedFailsPolicy policy = AllowedFailsPolicy.builder()
 *     .allowedFails(FailureKind.TIMEOUT, 10)        // slow answers are tolerated longer
 *     .allowedFails(FailureKind.SERVER_ERROR, 1)    // 5xx take it out quickly
 *     .build();
 * }</pre>
 *
 * <p>Failures about the request (bad request, context window, content policy) never count.
 * Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class AllowedFailsPolicy {

    private static final AllowedFailsPolicy DEFAULTS = new AllowedFailsPolicy(new EnumMap<>(FailureKind.class));

    private final Map<FailureKind, Integer> allowed;

    private AllowedFailsPolicy(EnumMap<FailureKind, Integer> allowed) {
        this.allowed = allowed;
    }

    /** The policy that names no kind. */
    public static AllowedFailsPolicy defaults() {
        return DEFAULTS;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The failures allowed for {@code kind}, when the policy names it. */
    public OptionalInt allowedFails(FailureKind kind) {
        Integer n = allowed.get(Objects.requireNonNull(kind, "kind"));
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** The kinds the policy names, with their counts. */
    public Map<FailureKind, Integer> asMap() {
        return Map.copyOf(allowed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AllowedFailsPolicy p && allowed.equals(p.allowed);
    }

    @Override
    public int hashCode() {
        return allowed.hashCode();
    }

    @Override
    public String toString() {
        return "AllowedFailsPolicy" + allowed;
    }

    /** Builds an {@link AllowedFailsPolicy}; not thread-safe. */
    public static final class Builder {
        private final EnumMap<FailureKind, Integer> allowed = new EnumMap<>(FailureKind.class);

        private Builder() {
        }

        /**
         * Failures of {@code kind} allowed within a minute before the deployment cools down.
         *
         * @throws IllegalArgumentException if {@code count} is negative or the kind is about the request
         */
        public Builder allowedFails(FailureKind kind, int count) {
            Objects.requireNonNull(kind, "kind");
            if (kind.isAboutRequest()) {
                throw new IllegalArgumentException(kind + " failures are about the request and never cool a deployment");
            }
            if (count < 0) {
                throw new IllegalArgumentException("allowedFails for " + kind + " must not be negative, was " + count);
            }
            allowed.put(kind, count);
            return this;
        }

        /** The policy. */
        public AllowedFailsPolicy build() {
            return new AllowedFailsPolicy(new EnumMap<>(allowed));
        }
    }
}
