package io.llmrouter;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * When a failing deployment is taken out of rotation, and for how long (LiteLLM's
 * {@code allowed_fails}, {@code AllowedFailsPolicy} and {@code cooldown_time}).
 *
 * <pre>{@code
 * CooldownPolicy policy = CooldownPolicy.builder()
 *     .allowedFails(5)
 *     .allowedFails(FailureKind.TIMEOUT, 10)        // slow answers are tolerated longer
 *     .allowedFails(FailureKind.SERVER_ERROR, 1)    // 5xx take it out quickly
 *     .cooldownTime(Duration.ofSeconds(30))
 *     .build();
 * Router.builder().cooldownPolicy(policy);
 * }</pre>
 *
 * <p>A deployment cools down for {@link #cooldownTime()} (a 429: for its retry-after, capped by
 * {@link RetryPolicy#maxRetryAfter()}) when, within the last {@value #FAILURE_WINDOW_SECONDS} s:
 * <ul>
 *   <li>a call failed with 429, 401, 403 or 404 (at once);</li>
 *   <li>it failed more than {@link #allowedFails()} times (or more than the count set for that
 *       kind of failure, counted on its own), <b>and</b> at least
 *       {@link #failureRateThreshold()} % of its calls failed: at high volume a few failures a
 *       minute are normal and must not cool a deployment that mostly answers;</li>
 *   <li>it made at least {@link #minimumCalls()} calls and at least
 *       {@link #failureRateThreshold()} % of them failed (the failure-rate rule).</li>
 * </ul>
 * The only deployment of a group cools down only on 401, 403 and 404. Failures about the request
 * (bad request, context window, content policy) never count.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class CooldownPolicy {

    /** Default failures a deployment may have in the window before it cools down: {@value}. */
    public static final int DEFAULT_ALLOWED_FAILS = 3;
    /** Default cooldown: 5 s (LiteLLM's). */
    public static final Duration DEFAULT_COOLDOWN_TIME = Duration.ofSeconds(5);
    /** Default share of failed calls, in percent, that makes a deployment "failing": {@value}. */
    public static final int DEFAULT_FAILURE_RATE_THRESHOLD = 50;
    /** Default calls in the window before the failure-rate rule alone can cool a deployment: {@value}. */
    public static final int DEFAULT_MINIMUM_CALLS = 10;
    /** The window, in seconds, over which failures and calls are counted (fixed): {@value}. */
    public static final int FAILURE_WINDOW_SECONDS = 60;

    private static final CooldownPolicy DEFAULTS = new Builder().build();

    private final int allowedFails;
    private final Map<FailureKind, Integer> byKind;
    private final Duration cooldownTime;
    private final int failureRateThreshold;
    private final int minimumCalls;

    private CooldownPolicy(Builder b) {
        this.allowedFails = b.allowedFails;
        this.byKind = Collections.unmodifiableMap(new EnumMap<>(b.byKind));
        this.cooldownTime = b.cooldownTime;
        this.failureRateThreshold = b.failureRateThreshold;
        this.minimumCalls = b.minimumCalls;
    }

    /** The policy with every default. */
    public static CooldownPolicy defaults() {
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

    /** Failures in the window, over all kinds, a deployment may have; default {@value #DEFAULT_ALLOWED_FAILS}. */
    public int allowedFails() {
        return allowedFails;
    }

    /** The failures of {@code kind} allowed, when the policy sets a count for that kind. */
    public OptionalInt allowedFails(FailureKind kind) {
        Integer n = byKind.get(Objects.requireNonNull(kind, "kind"));
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** The kinds with their own allowance. */
    public Map<FailureKind, Integer> allowedFailsByKind() {
        return byKind;
    }

    /** How long a deployment stays out of rotation; default 5 s ({@link #DEFAULT_COOLDOWN_TIME}). */
    public Duration cooldownTime() {
        return cooldownTime;
    }

    /** The share of failed calls, in percent (1-100), at which a deployment is failing; default {@value #DEFAULT_FAILURE_RATE_THRESHOLD}. */
    public int failureRateThreshold() {
        return failureRateThreshold;
    }

    /** Calls in the window before the failure-rate rule alone can cool a deployment; default {@value #DEFAULT_MINIMUM_CALLS}. */
    public int minimumCalls() {
        return minimumCalls;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CooldownPolicy p && allowedFails == p.allowedFails && byKind.equals(p.byKind)
                && cooldownTime.equals(p.cooldownTime) && failureRateThreshold == p.failureRateThreshold
                && minimumCalls == p.minimumCalls;
    }

    @Override
    public int hashCode() {
        return Objects.hash(allowedFails, byKind, cooldownTime, failureRateThreshold, minimumCalls);
    }

    @Override
    public String toString() {
        return "CooldownPolicy[allowedFails=" + allowedFails + ", allowedFailsByKind=" + byKind + ", cooldownTime="
                + cooldownTime + ", failureRateThreshold=" + failureRateThreshold + "%, minimumCalls=" + minimumCalls
                + "]";
    }

    /** Builds a {@link CooldownPolicy}; not thread-safe. */
    public static final class Builder {
        private int allowedFails = DEFAULT_ALLOWED_FAILS;
        private final EnumMap<FailureKind, Integer> byKind = new EnumMap<>(FailureKind.class);
        private Duration cooldownTime = DEFAULT_COOLDOWN_TIME;
        private int failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
        private int minimumCalls = DEFAULT_MINIMUM_CALLS;

        private Builder() {
        }

        private Builder(CooldownPolicy p) {
            allowedFails = p.allowedFails;
            byKind.putAll(p.byKind);
            cooldownTime = p.cooldownTime;
            failureRateThreshold = p.failureRateThreshold;
            minimumCalls = p.minimumCalls;
        }

        /**
         * Failures in the window, over all kinds, a deployment may have before it cools down;
         * default {@value CooldownPolicy#DEFAULT_ALLOWED_FAILS}.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder allowedFails(int allowedFails) {
            if (allowedFails < 0) {
                throw new IllegalArgumentException("allowedFails must not be negative, was " + allowedFails);
            }
            this.allowedFails = allowedFails;
            return this;
        }

        /**
         * Failures of {@code kind} allowed in the window (counted on their own) before the
         * deployment cools down, in place of {@link #allowedFails(int)} for that kind.
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
            byKind.put(kind, count);
            return this;
        }

        /**
         * How long a failing deployment stays out of rotation; default 5 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder cooldownTime(Duration cooldownTime) {
            this.cooldownTime = Durations.positive(cooldownTime, "cooldownTime");
            return this;
        }

        /**
         * The share of failed calls, in percent, at which a deployment is failing (for the
         * allowance and for the failure-rate rule); default
         * {@value CooldownPolicy#DEFAULT_FAILURE_RATE_THRESHOLD}.
         *
         * @throws IllegalArgumentException if not within 1-100
         */
        public Builder failureRateThreshold(int percent) {
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("failureRateThreshold must be within 1-100, was " + percent);
            }
            this.failureRateThreshold = percent;
            return this;
        }

        /**
         * Calls in the window before the failure-rate rule alone can cool a deployment; default
         * {@value CooldownPolicy#DEFAULT_MINIMUM_CALLS}.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder minimumCalls(int minimumCalls) {
            if (minimumCalls < 1) {
                throw new IllegalArgumentException("minimumCalls must be at least 1, was " + minimumCalls);
            }
            this.minimumCalls = minimumCalls;
            return this;
        }

        /** The policy. */
        public CooldownPolicy build() {
            return new CooldownPolicy(this);
        }
    }
}
