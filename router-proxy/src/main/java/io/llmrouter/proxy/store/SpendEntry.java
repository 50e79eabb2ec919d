package io.llmrouter.proxy.store;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * One call in the spend log: who made it (key, user, team), what it called (model group,
 * deployment, provider), what it used (tokens, cost, latency) and how it ended.
 *
 * <pre>{@code
 * spendLog.record(SpendEntry.builder(requestId, startTime, "gpt-4o")
 *     .tokenHash(key.tokenHash()).deploymentId("azure-eu").provider("azure")
 *     .promptTokens(120).completionTokens(30).cost(new BigDecimal("0.00061")).latency(Duration.ofMillis(840))
 *     .build());
 * }</pre>
 *
 * <p>The start time is kept to the microsecond. Immutable and thread-safe; builders are not
 * thread-safe.
 *
 * @since 0.1.0
 */
public final class SpendEntry {

    /** The default {@link #callType()}. */
    public static final String DEFAULT_CALL_TYPE = "chat";

    private final String requestId;
    private final Instant startTime;
    private final String tokenHash;
    private final String userId;
    private final String teamId;
    private final String modelGroup;
    private final String deploymentId;
    private final String provider;
    private final long promptTokens;
    private final long completionTokens;
    private final long totalTokens;
    private final BigDecimal cost;
    private final Duration latency;
    private final SpendStatus status;
    private final boolean cached;
    private final String callType;

    private SpendEntry(Builder b) {
        this.requestId = b.requestId;
        this.startTime = b.startTime;
        this.tokenHash = b.tokenHash;
        this.userId = b.userId;
        this.teamId = b.teamId;
        this.modelGroup = b.modelGroup;
        this.deploymentId = b.deploymentId;
        this.provider = b.provider;
        this.promptTokens = b.promptTokens;
        this.completionTokens = b.completionTokens;
        this.totalTokens = b.totalTokens >= 0 ? b.totalTokens : b.promptTokens + b.completionTokens;
        this.cost = b.cost;
        this.latency = b.latency;
        this.status = b.status;
        this.cached = b.cached;
        this.callType = b.callType;
    }

    /**
     * A builder.
     *
     * @param requestId the proxy's id of the call, not blank
     * @param startTime when the call started
     * @param modelGroup the model group (or alias) the caller asked for, not blank
     * @return the builder
     */
    public static Builder builder(String requestId, Instant startTime, String modelGroup) {
        return new Builder(requestId, startTime, modelGroup);
    }

    /** A builder with this entry's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The proxy's id of the call. */
    public String requestId() {
        return requestId;
    }

    /** When the call started (to the microsecond). */
    public Instant startTime() {
        return startTime;
    }

    /** The hash of the virtual key the call was made with; empty for the master key. */
    public Optional<String> tokenHash() {
        return Optional.ofNullable(tokenHash);
    }

    /** The user the call is billed to. */
    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    /** The team the call is billed to. */
    public Optional<String> teamId() {
        return Optional.ofNullable(teamId);
    }

    /** The model group the caller asked for. */
    public String modelGroup() {
        return modelGroup;
    }

    /** The deployment that answered (or last failed). */
    public Optional<String> deploymentId() {
        return Optional.ofNullable(deploymentId);
    }

    /** The provider of that deployment, e.g. {@code openai}. */
    public Optional<String> provider() {
        return Optional.ofNullable(provider);
    }

    /** Prompt tokens. */
    public long promptTokens() {
        return promptTokens;
    }

    /** Completion tokens. */
    public long completionTokens() {
        return completionTokens;
    }

    /** Total tokens; by default prompt plus completion tokens. */
    public long totalTokens() {
        return totalTokens;
    }

    /** The cost in USD. */
    public BigDecimal cost() {
        return cost;
    }

    /** How long the call took. */
    public Duration latency() {
        return latency;
    }

    /** Whether the call succeeded. */
    public SpendStatus status() {
        return status;
    }

    /** Whether the answer came from the response cache. */
    public boolean cached() {
        return cached;
    }

    /** The kind of call: {@code chat}, {@code embedding}, ... */
    public String callType() {
        return callType;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof SpendEntry e && requestId.equals(e.requestId) && startTime.equals(e.startTime)
                && Objects.equals(tokenHash, e.tokenHash) && Objects.equals(userId, e.userId)
                && Objects.equals(teamId, e.teamId) && modelGroup.equals(e.modelGroup)
                && Objects.equals(deploymentId, e.deploymentId) && Objects.equals(provider, e.provider)
                && promptTokens == e.promptTokens && completionTokens == e.completionTokens
                && totalTokens == e.totalTokens && cost.compareTo(e.cost) == 0 && latency.equals(e.latency)
                && status == e.status && cached == e.cached && callType.equals(e.callType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, startTime, tokenHash, userId, teamId, modelGroup, deploymentId, provider,
                promptTokens, completionTokens, totalTokens, cost.stripTrailingZeros(), latency, status, cached, callType);
    }

    /** The entry, with the key hash cut to its first 8 characters. */
    @Override
    public String toString() {
        return "SpendEntry[" + requestId + ", " + startTime + ", key=" + (tokenHash == null ? "-" : tokenHash.substring(0, 8) + "...")
                + ", " + modelGroup + ", deployment=" + (deploymentId == null ? "-" : deploymentId)
                + ", tokens=" + promptTokens + "+" + completionTokens + ", cost=" + cost.toPlainString()
                + ", " + latency.toMillis() + " ms, " + status + (cached ? ", cached" : "") + ", " + callType + "]";
    }

    /**
     * Builds a {@link SpendEntry}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final String requestId;
        private final Instant startTime;
        private final String modelGroup;
        private String tokenHash;
        private String userId;
        private String teamId;
        private String deploymentId;
        private String provider;
        private long promptTokens;
        private long completionTokens;
        private long totalTokens = -1;
        private BigDecimal cost = BigDecimal.ZERO;
        private Duration latency = Duration.ZERO;
        private SpendStatus status = SpendStatus.SUCCESS;
        private boolean cached;
        private String callType = DEFAULT_CALL_TYPE;

        private Builder(String requestId, Instant startTime, String modelGroup) {
            this.requestId = nonBlank(requestId, "requestId");
            this.startTime = Objects.requireNonNull(startTime, "startTime").truncatedTo(ChronoUnit.MICROS);
            this.modelGroup = nonBlank(modelGroup, "modelGroup");
        }

        private Builder(SpendEntry e) {
            this.requestId = e.requestId;
            this.startTime = e.startTime;
            this.modelGroup = e.modelGroup;
            this.tokenHash = e.tokenHash;
            this.userId = e.userId;
            this.teamId = e.teamId;
            this.deploymentId = e.deploymentId;
            this.provider = e.provider;
            this.promptTokens = e.promptTokens;
            this.completionTokens = e.completionTokens;
            this.totalTokens = e.totalTokens;
            this.cost = e.cost;
            this.latency = e.latency;
            this.status = e.status;
            this.cached = e.cached;
            this.callType = e.callType;
        }

        /** The hash of the virtual key ({@link VirtualKey#tokenHash()}); its spend grows by the cost. */
        public Builder tokenHash(String tokenHash) {
            Objects.requireNonNull(tokenHash, "tokenHash");
            if (!tokenHash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("tokenHash must be 64 lower-case hex characters (ApiKeys.hash)");
            }
            this.tokenHash = tokenHash;
            return this;
        }

        /** The user billed. */
        public Builder userId(String userId) {
            this.userId = nonBlank(userId, "userId");
            return this;
        }

        /** The team billed. */
        public Builder teamId(String teamId) {
            this.teamId = nonBlank(teamId, "teamId");
            return this;
        }

        /** The deployment that answered. */
        public Builder deploymentId(String deploymentId) {
            this.deploymentId = nonBlank(deploymentId, "deploymentId");
            return this;
        }

        /** The provider of that deployment. */
        public Builder provider(String provider) {
            this.provider = nonBlank(provider, "provider");
            return this;
        }

        /** Prompt tokens, not negative; default 0. */
        public Builder promptTokens(long promptTokens) {
            this.promptTokens = nonNegative(promptTokens, "promptTokens");
            return this;
        }

        /** Completion tokens, not negative; default 0. */
        public Builder completionTokens(long completionTokens) {
            this.completionTokens = nonNegative(completionTokens, "completionTokens");
            return this;
        }

        /** Total tokens, not negative; default prompt plus completion tokens. */
        public Builder totalTokens(long totalTokens) {
            this.totalTokens = nonNegative(totalTokens, "totalTokens");
            return this;
        }

        /** The cost in USD, not negative; default zero. */
        public Builder cost(BigDecimal cost) {
            Objects.requireNonNull(cost, "cost");
            if (cost.signum() < 0) {
                throw new IllegalArgumentException("cost must not be negative: " + cost.toPlainString());
            }
            this.cost = cost;
            return this;
        }

        /** How long the call took, not negative, kept to the millisecond; default zero. */
        public Builder latency(Duration latency) {
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative: " + latency);
            }
            this.latency = latency.truncatedTo(ChronoUnit.MILLIS);
            return this;
        }

        /** How the call ended; default {@link SpendStatus#SUCCESS}. */
        public Builder status(SpendStatus status) {
            this.status = Objects.requireNonNull(status, "status");
            return this;
        }

        /** Whether the answer came from the cache; default false. */
        public Builder cached(boolean cached) {
            this.cached = cached;
            return this;
        }

        /** The kind of call; default {@value SpendEntry#DEFAULT_CALL_TYPE}. */
        public Builder callType(String callType) {
            this.callType = nonBlank(callType, "callType");
            return this;
        }

        /**
         * The entry.
         *
         * @return the entry
         */
        public SpendEntry build() {
            return new SpendEntry(this);
        }

        private static String nonBlank(String value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return value;
        }

        private static long nonNegative(long value, String field) {
            if (value < 0) {
                throw new IllegalArgumentException(field + " must not be negative: " + value);
            }
            return value;
        }
    }
}
