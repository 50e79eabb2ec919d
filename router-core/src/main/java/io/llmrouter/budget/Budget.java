package io.llmrouter.budget;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A spend limit in US dollars for one scope (a user, a tag, a model group, a deployment, a
 * provider, an API key, or the whole router) over a {@link BudgetPeriod}.
 *
 * <pre>{@code
 * Router.builder()
 *     .budget(Budget.forUser("alice").limitUsd("5.00").period(BudgetPeriod.DAILY).build())
 *     .budget(Budget.forProvider("openai").limitUsd("200").period(BudgetPeriod.MONTHLY).build());
 * }</pre>
 *
 * <p>User, tag, API-key, model-group and global budgets guard requests: a request that would exceed one
 * fails before any provider call with {@link io.llmrouter.api.exception.BudgetExceededException}.
 * Deployment and provider budgets guard deployments: a deployment that cannot afford the request
 * leaves rotation (the group's other deployments or its fallbacks serve it).
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class Budget {

    /** What a budget limits. */
    public enum Scope {
        /** Requests of one end user ({@code request.user()}). */
        USER,
        /** Requests carrying one tag ({@code request.tags()}). */
        TAG,
        /** Requests served by one model group. */
        MODEL_GROUP,
        /** Calls to one deployment. */
        DEPLOYMENT,
        /** Calls to one provider (route prefix, e.g. {@code openai}). */
        PROVIDER,
        /** Every call of the router. */
        GLOBAL,
        /**
         * Requests made with one API key, identified by an id that is not the secret
         * ({@link io.llmrouter.RequestOptions.Builder#apiKeyId(String)}).
         *
         * @since 0.1.0
         */
        API_KEY
    }

    /**
     * What a budget does when its shared {@link io.llmrouter.spi.StateStore} cannot be reached to
     * reserve a call's cost (Redis down, for example).
     *
     * @since 0.1.0
     */
    public enum StoreOutage {
        /** Let the call through: its cost is counted locally and added to the shared spend when the store returns. */
        FAIL_OPEN,
        /** Refuse the call, as if the budget were exhausted: no spend that could not be reserved. */
        FAIL_CLOSED
    }

    /** The default {@link StoreOutage}: {@code FAIL_OPEN}, as LiteLLM does. */
    public static final StoreOutage DEFAULT_STORE_OUTAGE = StoreOutage.FAIL_OPEN;

    private final Scope scope;
    private final String key;
    private final BigDecimal limitUsd;
    private final BudgetPeriod period;
    private final StoreOutage storeOutage;

    private Budget(Builder b) {
        this.storeOutage = b.storeOutage;
        this.scope = b.scope;
        this.key = b.key;
        this.limitUsd = b.limitUsd;
        this.period = b.period;
    }

    /** A budget for end user {@code user}. */
    public static Builder forUser(String user) {
        return new Builder(Scope.USER, user);
    }

    /** A budget for requests tagged {@code tag}. */
    public static Builder forTag(String tag) {
        return new Builder(Scope.TAG, tag);
    }

    /** A budget for model group {@code group}. */
    public static Builder forModelGroup(String group) {
        return new Builder(Scope.MODEL_GROUP, group);
    }

    /** A budget for deployment {@code deploymentId}. */
    public static Builder forDeployment(String deploymentId) {
        return new Builder(Scope.DEPLOYMENT, deploymentId);
    }

    /** A budget for provider route prefix {@code provider}, e.g. {@code openai}. */
    public static Builder forProvider(String provider) {
        return new Builder(Scope.PROVIDER, provider.toLowerCase(Locale.ROOT));
    }

    /**
     * A budget for the requests made with one API key, e.g. a gateway's virtual key. Requests name
     * their key with {@link io.llmrouter.RequestOptions.Builder#apiKeyId(String)}; the id must not
     * be the secret itself (a hash or a database id), since it appears in budget names, errors and
     * the state store.
     *
     * @param keyId the key's id, not blank
     * @return a builder
     * @since 0.1.0
     */
    public static Builder forApiKey(String keyId) {
        return new Builder(Scope.API_KEY, keyId);
    }

    /** A budget for every call of the router. */
    public static Builder global() {
        return new Builder(Scope.GLOBAL, "*");
    }

    /** The scope. */
    public Scope scope() {
        return scope;
    }

    /** The user, tag, group, deployment, provider or API key id limited; {@code *} for global. */
    public String key() {
        return key;
    }

    /** The limit per period. */
    public BigDecimal limitUsd() {
        return limitUsd;
    }

    /** The period. */
    public BudgetPeriod period() {
        return period;
    }

    /** What the budget does while its shared state store is unreachable; default {@link #DEFAULT_STORE_OUTAGE}. */
    public StoreOutage storeOutage() {
        return storeOutage;
    }

    /** A readable name, e.g. {@code user 'alice'}. */
    public String name() {
        return scope == Scope.GLOBAL ? "global budget" : scope.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + " '" + key + "'";
    }

    /** Whether this budget guards deployments (deployment and provider scopes) rather than requests. */
    public boolean guardsDeployments() {
        return scope == Scope.DEPLOYMENT || scope == Scope.PROVIDER;
    }

    /** The user this budget limits, for a user budget. */
    public Optional<String> user() {
        return scope == Scope.USER ? Optional.of(key) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Budget b && scope == b.scope && key.equals(b.key) && limitUsd.compareTo(b.limitUsd) == 0
                && period.equals(b.period) && storeOutage == b.storeOutage;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, key, limitUsd.stripTrailingZeros(), period, storeOutage);
    }

    @Override
    public String toString() {
        return "Budget[" + name() + ", $" + limitUsd.toPlainString() + " " + period
                + (storeOutage == DEFAULT_STORE_OUTAGE ? "" : ", " + storeOutage) + "]";
    }

    /** Builds a {@link Budget}; not thread-safe. */
    public static final class Builder {
        private final Scope scope;
        private final String key;
        private BigDecimal limitUsd;
        private BudgetPeriod period = BudgetPeriod.MONTHLY;
        private StoreOutage storeOutage = DEFAULT_STORE_OUTAGE;

        private Builder(Scope scope, String key) {
            Objects.requireNonNull(key, "key");
            if (key.isBlank()) {
                throw new IllegalArgumentException(scope.name().toLowerCase(Locale.ROOT) + " must not be blank");
            }
            this.scope = scope;
            this.key = key;
        }

        /** The limit in USD per period, positive, e.g. {@code "5.00"}. */
        public Builder limitUsd(String usd) {
            return limitUsd(new BigDecimal(Objects.requireNonNull(usd, "usd")));
        }

        /** The limit in USD per period, positive. */
        public Builder limitUsd(BigDecimal usd) {
            Objects.requireNonNull(usd, "usd");
            if (usd.signum() <= 0) {
                throw new IllegalArgumentException("limitUsd must be positive, was " + usd.toPlainString());
            }
            this.limitUsd = usd;
            return this;
        }

        /** The period; default {@link BudgetPeriod#MONTHLY}. */
        public Builder period(BudgetPeriod period) {
            this.period = Objects.requireNonNull(period, "period");
            return this;
        }

        /**
         * What the budget does while a shared state store cannot reserve a call's cost; default
         * {@link #DEFAULT_STORE_OUTAGE}. Only a network store (router-redis) has outages.
         *
         * @param storeOutage {@code FAIL_OPEN} or {@code FAIL_CLOSED}
         * @return this builder
         */
        public Builder storeOutage(StoreOutage storeOutage) {
            this.storeOutage = Objects.requireNonNull(storeOutage, "storeOutage");
            return this;
        }

        /**
         * The budget.
         *
         * @throws IllegalStateException if no limit was set
         */
        public Budget build() {
            if (limitUsd == null) {
                throw new IllegalStateException("limitUsd is required");
            }
            return new Budget(this);
        }
    }
}
