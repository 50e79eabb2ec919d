package io.llmrouter;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * When a failing deployment is taken out of rotation, and for how long (LiteLLM's
 * {@code allowed_fails}, {@code AllowedFailsPolicy} and {@code cooldown_time}, with LiteLLM's
 * default rule when neither allowance is set).
 *
 * <pre>{@code
 * CooldownPolicy policy = CooldownPolicy.builder()
 *     .cooldownTime(Duration.ofSeconds(30))
 *     .failureRateThreshold(50)                     // the default rule: cool above half failed
 *     .build();
 * Router.builder().cooldownPolicy(policy);
 * }</pre>
 *
 * <p><b>What counts:</b> failures about the deployment (5xx, connection failures, malformed
 * answers, 408 and timeouts, 429, 401, 403, 404), counted per deployment with its successes over
 * the last {@value #FAILURE_WINDOW_SECONDS} s. Failures about the request (bad request, context
 * window, content policy, budgets) never count and never cool a deployment.
 *
 * <p><b>The default rule</b> (no allowance set), checked at each failure, the failure counted:
 * <ul>
 *   <li>a 401, 403 or 404 cools the deployment at once, even the only deployment of its group
 *       (no wait cures a wrong key, a missing permission or a missing model);</li>
 *   <li>in a group of more than one deployment, a 429 cools it at once, and so does a failure
 *       rate strictly above {@link #failureRateThreshold()} (default
 *       {@value #DEFAULT_FAILURE_RATE_THRESHOLD} %) of its calls in the window, so the first 5xx of
 *       a deployment with no success in its window cools it;</li>
 *   <li>the only deployment of a group is otherwise cooled only when all of at least
 *       {@link #singleDeploymentFailureThreshold()} (default
 *       {@value #DEFAULT_SINGLE_DEPLOYMENT_FAILURE_THRESHOLD}) calls in the window failed: cooling
 *       it on a blip would fail the whole group fast, so its retries wait instead.</li>
 * </ul>
 *
 * <p><b>The allowed-fails rule</b> replaces the default rule, for every deployment (the only one of
 * a group too), as soon as {@link Builder#allowedFails(int)} or
 * {@link Builder#allowedFails(FailureKind, int)} is set: a deployment cools when its failures in the
 * window exceed the allowance: a failure of a kind with its own count compares the failures of that
 * kind in the window with it; any other failure compares all the failures in the window with
 * {@code allowedFails}, which is {@value #DEFAULT_ALLOWED_FAILS} when only per-kind counts are set,
 * as in LiteLLM.
 *
 * <p><b>How long</b> (the first that applies): the request's cooldown time
 * ({@link RequestOptions#cooldownTime()}), then the deployment's ({@link Deployment#cooldownTime()})
 * &mdash; zero in either means this failure does not cool it &mdash;; else the failure's
 * retry-after (zero: no cooldown; capped at {@link RetryPolicy#maxRetryAfter()}); else
 * {@link #cooldownTime()}. A deployment already cooling keeps its first deadline. When the
 * cooldown ends, the next call to pick the deployment is a probe, the only call let through
 * until it ends: success puts the deployment back, failure cools it again.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class CooldownPolicy {

    /**
     * The allowance for failures of kinds without their own count when only per-kind counts are
     * set: {@value} (LiteLLM's). It does not apply while no allowance is set (the default rule).
     */
    public static final int DEFAULT_ALLOWED_FAILS = 3;
    /** Default cooldown: 5 s (LiteLLM's). */
    public static final Duration DEFAULT_COOLDOWN_TIME = Duration.ofSeconds(5);
    /**
     * Default failure rate, in percent, that the default rule must exceed (strictly) to cool a
     * deployment of a group of several: {@value} (LiteLLM's).
     */
    public static final int DEFAULT_FAILURE_RATE_THRESHOLD = 50;
    /**
     * Default number of calls in the window, all failed, that cools the only deployment of a group
     * under the default rule: {@value} (LiteLLM's {@code SINGLE_DEPLOYMENT_TRAFFIC_FAILURE_THRESHOLD}).
     */
    public static final int DEFAULT_SINGLE_DEPLOYMENT_FAILURE_THRESHOLD = 1_000;
    /** The window, in seconds, over which failures and calls are counted (fixed): {@value}. */
    public static final int FAILURE_WINDOW_SECONDS = 60;

    private static final CooldownPolicy DEFAULTS = new Builder().build();
    private static final int UNSET = -1;

    private final int allowedFails;
    private final Map<FailureKind, Integer> byKind;
    private final Duration cooldownTime;
    private final int failureRateThreshold;
    private final int singleDeploymentFailureThreshold;

    private CooldownPolicy(Builder b) {
        this.allowedFails = b.allowedFails;
        this.byKind = Collections.unmodifiableMap(new EnumMap<>(b.byKind));
        this.cooldownTime = b.cooldownTime;
        this.failureRateThreshold = b.failureRateThreshold;
        this.singleDeploymentFailureThreshold = b.singleDeploymentFailureThreshold;
    }

    /** The policy with every default (the default rule, 5 s cooldowns). */
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

    /**
     * Failures in the window (all kinds counted together) a deployment may have before a failure of
     * a kind without its own count cools it, when set; empty by default (then the default rule applies unless a per-kind count
     * is set, and with a per-kind count the other kinds are allowed {@value #DEFAULT_ALLOWED_FAILS}).
     */
    public OptionalInt allowedFails() {
        return allowedFails == UNSET ? OptionalInt.empty() : OptionalInt.of(allowedFails);
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

    /**
     * Whether the allowed-fails rule replaces the default rule: {@code allowedFails} or a per-kind
     * count is set.
     */
    public boolean usesAllowedFails() {
        return allowedFails != UNSET || !byKind.isEmpty();
    }

    /** How long a deployment stays out of rotation; default 5 s ({@link #DEFAULT_COOLDOWN_TIME}). */
    public Duration cooldownTime() {
        return cooldownTime;
    }

    /**
     * The failure rate, in percent (1-100), that the default rule must exceed (strictly) to cool a
     * deployment of a group of several; default {@value #DEFAULT_FAILURE_RATE_THRESHOLD}.
     */
    public int failureRateThreshold() {
        return failureRateThreshold;
    }

    /**
     * Calls in the window, all failed, that cool the only deployment of a group under the default
     * rule; default {@value #DEFAULT_SINGLE_DEPLOYMENT_FAILURE_THRESHOLD}.
     */
    public int singleDeploymentFailureThreshold() {
        return singleDeploymentFailureThreshold;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CooldownPolicy p && allowedFails == p.allowedFails && byKind.equals(p.byKind)
                && cooldownTime.equals(p.cooldownTime) && failureRateThreshold == p.failureRateThreshold
                && singleDeploymentFailureThreshold == p.singleDeploymentFailureThreshold;
    }

    @Override
    public int hashCode() {
        return Objects.hash(allowedFails, byKind, cooldownTime, failureRateThreshold, singleDeploymentFailureThreshold);
    }

    @Override
    public String toString() {
        return "CooldownPolicy[allowedFails=" + (allowedFails == UNSET ? "unset" : allowedFails)
                + ", allowedFailsByKind=" + byKind + ", cooldownTime=" + cooldownTime + ", failureRateThreshold="
                + failureRateThreshold + "%, singleDeploymentFailureThreshold=" + singleDeploymentFailureThreshold
                + "]";
    }

    /** Builds a {@link CooldownPolicy}; not thread-safe. */
    public static final class Builder {
        private int allowedFails = UNSET;
        private final EnumMap<FailureKind, Integer> byKind = new EnumMap<>(FailureKind.class);
        private Duration cooldownTime = DEFAULT_COOLDOWN_TIME;
        private int failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
        private int singleDeploymentFailureThreshold = DEFAULT_SINGLE_DEPLOYMENT_FAILURE_THRESHOLD;

        private Builder() {
        }

        private Builder(CooldownPolicy p) {
            allowedFails = p.allowedFails;
            byKind.putAll(p.byKind);
            cooldownTime = p.cooldownTime;
            failureRateThreshold = p.failureRateThreshold;
            singleDeploymentFailureThreshold = p.singleDeploymentFailureThreshold;
        }

        /**
         * Failures in the window (all kinds counted together) a deployment may have before a
         * failure of a kind without its own count cools it; setting it replaces the default rule with the allowed-fails rule,
         * for the only deployment of a group too. Unset by default.
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
         * deployment cools down, in place of {@link #allowedFails(int)} for that kind; setting one
         * replaces the default rule with the allowed-fails rule (LiteLLM's {@code AllowedFailsPolicy}).
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
         * How long a failing deployment stays out of rotation when neither the request, the
         * deployment nor the failure's retry-after says; default 5 s. Zero disables cooldowns (as
         * LiteLLM's {@code cooldown_time: 0}): failures, retry-after included, never take a
         * deployment out of rotation, unless the request or the deployment sets its own cooldown time.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder cooldownTime(Duration cooldownTime) {
            this.cooldownTime = Durations.nonNegative(cooldownTime, "cooldownTime");
            return this;
        }

        /**
         * The failure rate, in percent, that the default rule must exceed (strictly) to cool a
         * deployment of a group of several; default
         * {@value CooldownPolicy#DEFAULT_FAILURE_RATE_THRESHOLD} (100: never by rate).
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
         * Calls in the window, all failed, that cool the only deployment of a group under the
         * default rule; default {@value CooldownPolicy#DEFAULT_SINGLE_DEPLOYMENT_FAILURE_THRESHOLD}.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder singleDeploymentFailureThreshold(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("singleDeploymentFailureThreshold must be at least 1, was " + calls);
            }
            this.singleDeploymentFailureThreshold = calls;
            return this;
        }

        /** The policy. */
        public CooldownPolicy build() {
            return new CooldownPolicy(this);
        }
    }
}
