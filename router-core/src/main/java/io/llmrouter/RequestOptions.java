package io.llmrouter;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Per-request overrides of the router's policies (LiteLLM's per-call {@code num_retries},
 * {@code fallbacks}, {@code timeout} and {@code cooldown_time}), with the same policy types as the
 * router's.
 *
 * <pre>{@code
 * RequestOptions options = RequestOptions.builder()
 *     .timeouts(t -> t.deadline(Duration.ofSeconds(20)))   // the whole call, across retries and fallbacks
 *     .retryPolicy(r -> r.numRetries(0))
 *     .fallbackPolicy(f -> f.defaultFallbacks("gpt-4o-mini"))
 *     .build();
 * router.completion(request, options);
 * }</pre>
 *
 * <p>The response-cache controls ({@link Builder#noCache()}, {@link Builder#noStore()},
 * {@link Builder#cacheTtl(Duration)}, {@link Builder#sMaxAge(Duration)},
 * {@link Builder#cacheNamespace(String)}) have LiteLLM's meanings and apply only to a group the
 * router's {@link CachePolicy} covers.
 *
 * <p>An override is partial: only what its policy sets replaces the router's, as
 * {@link RetryPolicy#overriddenBy(RetryPolicy)}, {@link FallbackPolicy#overriddenBy(FallbackPolicy)}
 * and {@link Timeouts#overriddenBy(Timeouts)} describe. A request's timeouts also win over a
 * deployment's own; a request cannot set {@link Timeouts#callTimeout()} (a deployment's HTTP time
 * limit: bound the request with a deadline instead).
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class RequestOptions {

    /** The highest priority a request may have: {@value}. */
    public static final int HIGHEST_PRIORITY = 0;

    /** The lowest priority a request may have: {@value}. */
    public static final int LOWEST_PRIORITY = 255;

    /**
     * The priority of a request that sets none, when it waits for a call slot: {@value} (LiteLLM's
     * {@code DefaultPriorities.Medium}).
     */
    public static final int DEFAULT_PRIORITY = 128;

    private static final RequestOptions NONE = new Builder().build();

    private final RetryPolicy retryPolicy;
    private final FallbackPolicy fallbackPolicy;
    private final Timeouts timeouts;
    private final Duration cooldownTime;
    private final boolean noCache;
    private final boolean noStore;
    private final Duration cacheTtl;
    private final Duration sMaxAge;
    private final String cacheNamespace;
    private final String deployment;
    private final String apiKeyId;
    /** The priority, or -1 when unset. */
    private final int priority;

    private RequestOptions(Builder b) {
        this.retryPolicy = b.retryPolicy;
        this.fallbackPolicy = b.fallbackPolicy;
        this.timeouts = b.timeouts;
        this.cooldownTime = b.cooldownTime;
        this.noCache = b.noCache;
        this.noStore = b.noStore;
        this.cacheTtl = b.cacheTtl;
        this.sMaxAge = b.sMaxAge;
        this.cacheNamespace = b.cacheNamespace;
        this.deployment = b.deployment;
        this.apiKeyId = b.apiKeyId;
        this.priority = b.priority;
    }

    /** Options that override nothing. */
    public static RequestOptions none() {
        return NONE;
    }

    /** A new builder that overrides nothing. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.retryPolicy = retryPolicy;
        b.fallbackPolicy = fallbackPolicy;
        b.timeouts = timeouts;
        b.cooldownTime = cooldownTime;
        b.noCache = noCache;
        b.noStore = noStore;
        b.cacheTtl = cacheTtl;
        b.sMaxAge = sMaxAge;
        b.cacheNamespace = cacheNamespace;
        b.deployment = deployment;
        b.apiKeyId = apiKeyId;
        b.priority = priority;
        return b;
    }

    /** The request's retry policy, laid over the router's, when it has one. */
    public Optional<RetryPolicy> retryPolicy() {
        return Optional.ofNullable(retryPolicy);
    }

    /** The request's fallback policy, laid over the router's, when it has one. */
    public Optional<FallbackPolicy> fallbackPolicy() {
        return Optional.ofNullable(fallbackPolicy);
    }

    /** The request's timeouts, winning over the deployment's and the router's, when it has them. */
    public Optional<Timeouts> timeouts() {
        return Optional.ofNullable(timeouts);
    }

    /**
     * How long a deployment that this request's failure cools stays out of rotation, when set: it
     * wins over the deployment's {@link Deployment#cooldownTime()}, the failure's retry-after and the
     * router's {@link CooldownPolicy#cooldownTime()}; zero means this request's failures cool no
     * deployment.
     */
    public Optional<Duration> cooldownTime() {
        return Optional.ofNullable(cooldownTime);
    }

    /**
     * Whether the response cache must not be read for this request (LiteLLM's {@code no-cache});
     * its answer is still stored unless {@link #isNoStore()}.
     *
     * @since 0.1.0
     */
    public boolean isNoCache() {
        return noCache;
    }

    /**
     * Whether this request's answer must not be stored in the response cache (LiteLLM's {@code no-store}).
     *
     * @since 0.1.0
     */
    public boolean isNoStore() {
        return noStore;
    }

    /**
     * How long this request's answer lives in the response cache, in place of
     * {@link CachePolicy#ttl()} (LiteLLM's {@code ttl}), when set.
     *
     * @since 0.1.0
     */
    public Optional<Duration> cacheTtl() {
        return Optional.ofNullable(cacheTtl);
    }

    /**
     * The oldest cached answer this request accepts (LiteLLM's {@code s-maxage}), when set: an
     * older one is a miss (and is replaced when this request's answer is stored).
     *
     * @since 0.1.0
     */
    public Optional<Duration> sMaxAge() {
        return Optional.ofNullable(sMaxAge);
    }

    /**
     * The response-cache namespace of this request, in place of {@link CachePolicy#namespace()}, when set.
     *
     * @since 0.1.0
     */
    public Optional<String> cacheNamespace() {
        return Optional.ofNullable(cacheNamespace);
    }

    /**
     * The id of the deployment this request must be sent to, when set (LiteLLM's call by
     * deployment id): selection is skipped, and the request's model group is that deployment's.
     * Retries stay on that deployment; its failures count toward its cooldown, and its answers
     * are priced and counted toward budgets as usual. No fallback to another group follows: the
     * caller chose the deployment. A deployment that is cooling down is called anyway (the
     * caller's explicit choice wins over the router's health view); a success does not end its
     * cooldown early. An id the router does not have fails with a {@code BadRequestException}
     * before any network call.
     *
     * @since 0.1.0
     */
    public Optional<String> deployment() {
        return Optional.ofNullable(deployment);
    }

    /**
     * The id of the API key the request was made with, when set: the request counts toward that
     * key's {@link io.llmrouter.budget.Budget#forApiKey(String) API-key budgets} (strict
     * reservation, shared through the router's state store like every budget). The id is not the
     * secret (a gateway passes a hash or a database id).
     *
     * @since 0.1.0
     */
    public Optional<String> apiKeyId() {
        return Optional.ofNullable(apiKeyId);
    }

    /**
     * The request's priority when capacity is short, when set: lower numbers go first
     * ({@value #HIGHEST_PRIORITY} highest, {@value #LOWEST_PRIORITY} lowest), as LiteLLM's
     * {@code priority}. A request with a priority and a deadline that finds every deployment it
     * may use over its rpm/tpm limit waits in its model group's queue (until the minute rolls over
     * or its deadline passes) instead of failing at once with a {@code RateLimitException}; one
     * that finds them all at their max parallel requests waits with or without a priority (without:
     * as {@value #DEFAULT_PRIORITY}). See {@code src-docs/request-control.md}.
     *
     * @since 0.1.0
     */
    public OptionalInt priority() {
        return priority < 0 ? OptionalInt.empty() : OptionalInt.of(priority);
    }

    /** Whether the options override anything. */
    public boolean isEmpty() {
        return retryPolicy == null && fallbackPolicy == null && timeouts == null && cooldownTime == null && !noCache
                && !noStore && cacheTtl == null && sMaxAge == null && cacheNamespace == null
                && deployment == null && apiKeyId == null && priority < 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestOptions r && Objects.equals(retryPolicy, r.retryPolicy)
                && Objects.equals(fallbackPolicy, r.fallbackPolicy) && Objects.equals(timeouts, r.timeouts)
                && Objects.equals(cooldownTime, r.cooldownTime) && noCache == r.noCache && noStore == r.noStore
                && Objects.equals(cacheTtl, r.cacheTtl) && Objects.equals(sMaxAge, r.sMaxAge)
                && Objects.equals(cacheNamespace, r.cacheNamespace) && Objects.equals(deployment, r.deployment)
                && Objects.equals(apiKeyId, r.apiKeyId) && priority == r.priority;
    }

    @Override
    public int hashCode() {
        return Objects.hash(retryPolicy, fallbackPolicy, timeouts, cooldownTime, noCache, noStore, cacheTtl, sMaxAge,
                cacheNamespace, deployment, apiKeyId, priority);
    }

    @Override
    public String toString() {
        return "RequestOptions[retryPolicy=" + (retryPolicy == null ? "router's" : retryPolicy) + ", fallbackPolicy="
                + (fallbackPolicy == null ? "router's" : fallbackPolicy) + ", timeouts="
                + (timeouts == null ? "router's" : timeouts) + ", cooldownTime="
                + (cooldownTime == null ? "router's" : cooldownTime) + (noCache ? ", noCache" : "")
                + (noStore ? ", noStore" : "") + (cacheTtl == null ? "" : ", cacheTtl=" + cacheTtl)
                + (sMaxAge == null ? "" : ", sMaxAge=" + sMaxAge)
                + (cacheNamespace == null ? "" : ", cacheNamespace=" + cacheNamespace)
                + (deployment == null ? "" : ", deployment=" + deployment)
                + (apiKeyId == null ? "" : ", apiKeyId=" + apiKeyId)
                + (priority < 0 ? "" : ", priority=" + priority) + "]";
    }

    /** Builds {@link RequestOptions}; not thread-safe. */
    public static final class Builder {
        private RetryPolicy retryPolicy;
        private FallbackPolicy fallbackPolicy;
        private Timeouts timeouts;
        private Duration cooldownTime;
        private boolean noCache;
        private boolean noStore;
        private Duration cacheTtl;
        private Duration sMaxAge;
        private String cacheNamespace;
        private String deployment;
        private String apiKeyId;
        private int priority = -1;

        private Builder() {
        }

        /**
         * Do not read the response cache for this request (LiteLLM's {@code no-cache}).
         *
         * @return this builder
         * @since 0.1.0
         */
        public Builder noCache() {
            this.noCache = true;
            return this;
        }

        /**
         * Do not store this request's answer in the response cache (LiteLLM's {@code no-store}).
         *
         * @return this builder
         * @since 0.1.0
         */
        public Builder noStore() {
            this.noStore = true;
            return this;
        }

        /**
         * How long this request's answer lives in the response cache (LiteLLM's {@code ttl}).
         *
         * @param ttl positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         * @since 0.1.0
         */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = positive(ttl, "cacheTtl");
            return this;
        }

        /**
         * The oldest cached answer this request accepts (LiteLLM's {@code s-maxage}).
         *
         * @param maxAge at least zero (zero: only an answer stored this instant)
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @since 0.1.0
         */
        public Builder sMaxAge(Duration maxAge) {
            Objects.requireNonNull(maxAge, "sMaxAge");
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("sMaxAge must not be negative, was " + maxAge);
            }
            this.sMaxAge = maxAge;
            return this;
        }

        /**
         * The response-cache namespace of this request (LiteLLM's {@code namespace}).
         *
         * @param namespace 1-64 letters, digits, {@code - _ .}
         * @return this builder
         * @throws IllegalArgumentException if it has other characters or is too long
         * @since 0.1.0
         */
        public Builder cacheNamespace(String namespace) {
            this.cacheNamespace = CachePolicy.checkNamespace(namespace);
            return this;
        }

        private static Duration positive(Duration d, String field) {
            Objects.requireNonNull(d, field);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, was " + d);
            }
            return d;
        }

        /** The request's retry policy: what it sets replaces the router's for this request. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** Adjusts the request's retry policy (starting from one that sets nothing), e.g. {@code r -> r.numRetries(0)}. */
        public Builder retryPolicy(Consumer<RetryPolicy.Builder> adjust) {
            Objects.requireNonNull(adjust, "adjust");
            RetryPolicy.Builder b = retryPolicy == null ? RetryPolicy.builder() : retryPolicy.toBuilder();
            adjust.accept(b);
            return retryPolicy(b.build());
        }

        /** The request's fallback policy: what it sets replaces the router's for this request. */
        public Builder fallbackPolicy(FallbackPolicy fallbackPolicy) {
            this.fallbackPolicy = Objects.requireNonNull(fallbackPolicy, "fallbackPolicy");
            return this;
        }

        /** Adjusts the request's fallback policy (starting from one that sets nothing), e.g. {@code f -> f.defaultFallbacks("b")}. */
        public Builder fallbackPolicy(Consumer<FallbackPolicy.Builder> adjust) {
            Objects.requireNonNull(adjust, "adjust");
            FallbackPolicy.Builder b = fallbackPolicy == null ? FallbackPolicy.builder() : fallbackPolicy.toBuilder();
            adjust.accept(b);
            return fallbackPolicy(b.build());
        }

        /**
         * The request's timeouts: what they set wins over the deployment's and the router's.
         *
         * @throws IllegalArgumentException if they set {@code callTimeout}, which only a router or
         *     a deployment sets
         */
        public Builder timeouts(Timeouts timeouts) {
            Objects.requireNonNull(timeouts, "timeouts");
            if (timeouts.callTimeout().isPresent()) {
                throw new IllegalArgumentException("timeouts.callTimeout cannot be set per request (was "
                        + timeouts.callTimeout().get() + "): set a deadline to bound the request");
            }
            this.timeouts = timeouts;
            return this;
        }

        /** Adjusts the request's timeouts (starting from none), e.g. {@code t -> t.deadline(Duration.ofSeconds(20))}. */
        public Builder timeouts(Consumer<Timeouts.Builder> adjust) {
            Objects.requireNonNull(adjust, "adjust");
            Timeouts.Builder b = timeouts == null ? Timeouts.builder() : timeouts.toBuilder();
            adjust.accept(b);
            return timeouts(b.build());
        }

        /**
         * How long a deployment that this request's failure cools stays out of rotation, in place
         * of the deployment's, the retry-after and the router's; zero: this request's failures cool
         * no deployment.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder cooldownTime(Duration cooldownTime) {
            Objects.requireNonNull(cooldownTime, "cooldownTime");
            if (cooldownTime.isNegative()) {
                throw new IllegalArgumentException("cooldownTime must not be negative, was " + cooldownTime);
            }
            this.cooldownTime = cooldownTime;
            return this;
        }

        /**
         * Sends the request to the deployment with this id, skipping selection; see
         * {@link RequestOptions#deployment()}.
         *
         * @param id a deployment id, as {@code Router.deployments()} lists them
         * @throws IllegalArgumentException if blank
         */
        public Builder deployment(String id) {
            Objects.requireNonNull(id, "deployment");
            if (id.isBlank()) {
                throw new IllegalArgumentException("deployment id must not be blank");
            }
            this.deployment = id;
            return this;
        }

        /**
         * The id of the API key the request was made with; see {@link RequestOptions#apiKeyId()}.
         *
         * @param keyId the key's id (never the secret itself)
         * @return this builder
         * @throws IllegalArgumentException if blank
         * @since 0.1.0
         */
        public Builder apiKeyId(String keyId) {
            Objects.requireNonNull(keyId, "apiKeyId");
            if (keyId.isBlank()) {
                throw new IllegalArgumentException("apiKeyId must not be blank");
            }
            this.apiKeyId = keyId;
            return this;
        }

        /**
         * The request's priority when capacity is short; see {@link RequestOptions#priority()}.
         *
         * @param priority {@value RequestOptions#HIGHEST_PRIORITY} (first) to
         *     {@value RequestOptions#LOWEST_PRIORITY} (last)
         * @return this builder
         * @throws IllegalArgumentException if out of that range
         * @since 0.1.0
         */
        public Builder priority(int priority) {
            if (priority < HIGHEST_PRIORITY || priority > LOWEST_PRIORITY) {
                throw new IllegalArgumentException("priority must be between " + HIGHEST_PRIORITY + " and "
                        + LOWEST_PRIORITY + ", was " + priority);
            }
            this.priority = priority;
            return this;
        }

        /** The options. */
        public RequestOptions build() {
            return new RequestOptions(this);
        }
    }
}
