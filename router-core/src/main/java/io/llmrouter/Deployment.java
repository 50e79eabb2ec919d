package io.llmrouter;

import io.llmrouter.api.Secret;
import io.llmrouter.api.internal.UrlRedaction;
import io.llmrouter.cost.ModelCapability;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderOption;
import io.llmrouter.spi.ProviderOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One concrete way to serve a model group: a provider route, its credentials and connection
 * settings, and how much traffic it should get.
 *
 * <pre>{@code
 * Deployment primary = Deployment.builder("gpt-4o", "openai/gpt-4o")
 *     .apiKey(Secret.fromEnv("OPENAI_API_KEY"))
 *     .rpm(500)
 *     .build();
 * }</pre>
 *
 * <p>The <em>model group</em> is the alias callers put in {@code request.model()}; several
 * deployments may serve one group (several keys, regions or vendors). The <em>provider route</em>
 * is {@code <prefix>/<provider model>}: the prefix chooses the provider adapter ({@code openai},
 * {@code anthropic}, ...), the rest is the model name sent to it.
 *
 * <p>Defaults: {@link #DEFAULT_WEIGHT}, {@link #DEFAULT_ORDER}; the id defaults to the provider
 * route; when a router has several deployments of one route without ids that differ in api base,
 * region (a provider option named {@code *region} or {@code *location}) or rpm/tpm limits, it
 * appends {@code @} and 8 hex digits of a SHA-256 of those settings (never of the key; the same in
 * every run), and {@code #2}, {@code #3}, ... to repeats with the same settings; the timeout
 * defaults to the router's; the size limits to {@link Endpoint#DEFAULT_MAX_RESPONSE_BYTES} and
 * {@link Endpoint#DEFAULT_MAX_STREAM_EVENT_BYTES}. {@link #toString()} never shows the API key, nor the
 * user-info or a credential-like query parameter ({@code key}, {@code token}, {@code sig}, ...) of the api base.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class Deployment {

    /** Default relative weight: {@value}. */
    public static final int DEFAULT_WEIGHT = 1;
    /** Default priority order: {@value} (lower orders are used first). */
    public static final int DEFAULT_ORDER = 0;
    /** The default {@link #maxParallelRequests()}: {@value}, unlimited. */
    public static final int DEFAULT_MAX_PARALLEL_REQUESTS = 0;

    private final String modelGroup;
    private final String providerRoute;
    private final String id;
    private final boolean explicitId;
    private final Secret apiKey;
    private final String apiBase;
    private final int weight;
    private final int order;
    private final Set<String> tags;
    private final Duration timeout;
    private final int rpm;
    private final int tpm;
    private final int maxParallelRequests;
    private final ModelPrice price;
    private final String baseModel;
    private final Map<String, String> headers;
    private final Provider provider;
    private final ProviderOptions options;
    private final Set<ModelCapability> capabilities;
    private final boolean explicitCapabilities;
    private final int contextWindow;
    private final boolean explicitWeight;
    private final Duration firstTokenTimeout;
    private final Duration streamIdleTimeout;
    private final int maxResponseBytes;
    private final int maxStreamEventBytes;
    private final Duration cooldownTime;

    private Deployment(Builder b) {
        this.modelGroup = b.modelGroup;
        this.providerRoute = b.providerRoute;
        this.explicitId = b.id != null;
        this.id = explicitId ? b.id : b.providerRoute;
        this.apiKey = b.apiKey;
        this.apiBase = b.apiBase;
        this.weight = b.weight;
        this.order = b.order;
        this.tags = Set.copyOf(b.tags);
        this.timeout = b.timeout;
        this.rpm = b.rpm;
        this.tpm = b.tpm;
        this.maxParallelRequests = b.maxParallelRequests;
        this.price = b.price;
        this.baseModel = b.baseModel;
        this.headers = Map.copyOf(b.headers);
        this.provider = b.provider;
        this.options = b.options;
        this.capabilities = b.capabilities == null ? Set.of() : Set.copyOf(b.capabilities);
        this.explicitCapabilities = b.capabilities != null;
        this.contextWindow = b.contextWindow;
        this.explicitWeight = b.explicitWeight;
        this.firstTokenTimeout = b.firstTokenTimeout;
        this.streamIdleTimeout = b.streamIdleTimeout;
        this.maxResponseBytes = b.maxResponseBytes;
        this.maxStreamEventBytes = b.maxStreamEventBytes;
        this.cooldownTime = b.cooldownTime;
    }

    /**
     * A builder for a deployment of {@code modelGroup} served through {@code providerRoute}.
     *
     * @param modelGroup the alias callers use, e.g. {@code gpt-4o}
     * @param providerRoute {@code <prefix>/<model>}, e.g. {@code openai/gpt-4o}
     * @return the builder
     * @throws IllegalArgumentException if the route has no prefix or no model
     */
    public static Builder builder(String modelGroup, String providerRoute) {
        return new Builder(modelGroup, providerRoute);
    }

    /** A builder holding this deployment's values. */
    public Builder toBuilder() {
        return toBuilder(modelGroup, providerRoute);
    }

    /**
     * A builder holding this deployment's values for another model group and provider route (as
     * the router makes the deployment that serves one model name of a wildcard route).
     *
     * @param modelGroup the alias callers use
     * @param providerRoute {@code <prefix>/<model>}
     * @return the builder; its id is this deployment's when it was set
     * @throws IllegalArgumentException if either is blank or the route has no prefix
     * @since 0.1.0
     */
    public Builder toBuilder(String modelGroup, String providerRoute) {
        Builder b = new Builder(modelGroup, providerRoute);
        b.id = explicitId ? id : null;
        b.apiKey = apiKey;
        b.apiBase = apiBase;
        b.weight = weight;
        b.order = order;
        b.tags.addAll(tags);
        b.timeout = timeout;
        b.rpm = rpm;
        b.tpm = tpm;
        b.maxParallelRequests = maxParallelRequests;
        b.price = price;
        b.baseModel = baseModel;
        b.headers.putAll(headers);
        b.provider = provider;
        b.options = options;
        b.capabilities = explicitCapabilities ? new LinkedHashSet<>(capabilities) : null;
        b.contextWindow = contextWindow;
        b.explicitWeight = explicitWeight;
        b.firstTokenTimeout = firstTokenTimeout;
        b.streamIdleTimeout = streamIdleTimeout;
        b.maxResponseBytes = maxResponseBytes;
        b.maxStreamEventBytes = maxStreamEventBytes;
        b.cooldownTime = cooldownTime;
        return b;
    }

    /** The model group (alias) this deployment serves. */
    public String modelGroup() {
        return modelGroup;
    }

    /** The provider route, e.g. {@code openai/gpt-4o}. */
    public String providerRoute() {
        return providerRoute;
    }

    /** The route prefix that selects the provider adapter, e.g. {@code openai}. */
    public String providerPrefix() {
        return providerRoute.substring(0, providerRoute.indexOf('/'));
    }

    /** The model name sent to the provider, e.g. {@code gpt-4o}. */
    public String providerModel() {
        return providerRoute.substring(providerRoute.indexOf('/') + 1);
    }

    /**
     * The deployment's id: the one set, or the provider route (the router may add a settings hash
     * or a number to tell default ids apart; {@code Router.deployments()} shows the final ids).
     */
    public String id() {
        return id;
    }

    /** Whether the id was set explicitly (the router only renumbers default ids). */
    public boolean hasExplicitId() {
        return explicitId;
    }

    /** The credential. */
    public Optional<Secret> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    /** The base URL overriding the provider's default. */
    public Optional<String> apiBase() {
        return Optional.ofNullable(apiBase);
    }

    /** The relative weight for weighted strategies. */
    public int weight() {
        return weight;
    }

    /** The priority order; lower is used first. */
    public int order() {
        return order;
    }

    /** The tags. */
    public Set<String> tags() {
        return tags;
    }

    /** The per-call timeout, when set (otherwise the router's). */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** Requests-per-minute limit, when set. */
    public OptionalInt rpm() {
        return rpm > 0 ? OptionalInt.of(rpm) : OptionalInt.empty();
    }

    /**
     * The most calls in flight to this deployment at once (LiteLLM's {@code max_parallel_requests}),
     * when set; {@value #DEFAULT_MAX_PARALLEL_REQUESTS} (the default) means unlimited. A deployment
     * at its limit is skipped by selection; when every deployment of the group is at its limit, a
     * request with a deadline waits (until a call ends or its deadline passes) and one without
     * fails at once with a {@code NoDeploymentAvailableException}. Never exceeded.
     *
     * @since 0.1.0
     */
    public OptionalInt maxParallelRequests() {
        return maxParallelRequests > 0 ? OptionalInt.of(maxParallelRequests) : OptionalInt.empty();
    }

    /** Tokens-per-minute limit, when set. */
    public OptionalInt tpm() {
        return tpm > 0 ? OptionalInt.of(tpm) : OptionalInt.empty();
    }

    /** Prices overriding the price table, when set. */
    public Optional<ModelPrice> price() {
        return Optional.ofNullable(price);
    }

    /**
     * The model to look up in the price table instead of the route's model (for Azure
     * deployments, whose names say nothing about the model), when set.
     */
    public Optional<String> baseModel() {
        return Optional.ofNullable(baseModel);
    }

    /** Extra HTTP headers sent with every call. */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * How long this deployment stays out of rotation when a failure cools it, when set: it takes
     * precedence over the failure's retry-after and the router's
     * {@link CooldownPolicy#cooldownTime()} (a request's own cooldown time takes precedence over
     * it); zero means its failures never cool it (LiteLLM's per-deployment {@code cooldown_time}).
     */
    public Optional<Duration> cooldownTime() {
        return Optional.ofNullable(cooldownTime);
    }

    /** How long a stream may take to send its first chunk, when set (otherwise the router's). */
    public Optional<Duration> firstTokenTimeout() {
        return Optional.ofNullable(firstTokenTimeout);
    }

    /** How long a stream may go quiet between chunks, when set (otherwise the router's). */
    public Optional<Duration> streamIdleTimeout() {
        return Optional.ofNullable(streamIdleTimeout);
    }

    /**
     * The most bytes one response body from this deployment may have, when set; otherwise
     * {@value Endpoint#DEFAULT_MAX_RESPONSE_BYTES}. A longer body fails the attempt with an
     * {@code InvalidProviderResponseException} naming the limit.
     */
    public OptionalInt maxResponseBytes() {
        return maxResponseBytes > 0 ? OptionalInt.of(maxResponseBytes) : OptionalInt.empty();
    }

    /**
     * The most bytes one streamed event from this deployment may have, when set; otherwise
     * {@value Endpoint#DEFAULT_MAX_STREAM_EVENT_BYTES}. A longer event fails the stream with an
     * {@code InvalidProviderResponseException} naming the limit.
     */
    public OptionalInt maxStreamEventBytes() {
        return maxStreamEventBytes > 0 ? OptionalInt.of(maxStreamEventBytes) : OptionalInt.empty();
    }

    /** Whether the weight was set explicitly (otherwise rpm/tpm may weigh the deployment). */
    public boolean hasExplicitWeight() {
        return explicitWeight;
    }

    /**
     * What the model can do, when set on the deployment; otherwise the price table's
     * {@code supports_*} flags decide (and a model the table does not know is assumed capable).
     */
    public Optional<Set<ModelCapability>> capabilities() {
        return explicitCapabilities ? Optional.of(capabilities) : Optional.empty();
    }

    /** The model's input window in tokens, when set; otherwise the price table's {@code max_input_tokens}. */
    public OptionalInt contextWindow() {
        return contextWindow > 0 ? OptionalInt.of(contextWindow) : OptionalInt.empty();
    }

    /** Provider-specific settings, e.g. Azure's API version (names printed, values never). */
    public ProviderOptions options() {
        return options;
    }

    /** The provider instance bound to this deployment, overriding lookup by route prefix. */
    public Optional<Provider> provider() {
        return Optional.ofNullable(provider);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Deployment d && weight == d.weight && order == d.order && rpm == d.rpm && tpm == d.tpm
                && maxParallelRequests == d.maxParallelRequests
                && explicitId == d.explicitId && modelGroup.equals(d.modelGroup)
                && providerRoute.equals(d.providerRoute) && id.equals(d.id) && Objects.equals(apiKey, d.apiKey)
                && Objects.equals(apiBase, d.apiBase) && tags.equals(d.tags) && Objects.equals(timeout, d.timeout)
                && Objects.equals(price, d.price) && Objects.equals(baseModel, d.baseModel)
                && headers.equals(d.headers) && Objects.equals(provider, d.provider) && options.equals(d.options)
                && explicitCapabilities == d.explicitCapabilities && capabilities.equals(d.capabilities)
                && contextWindow == d.contextWindow && explicitWeight == d.explicitWeight
                && Objects.equals(firstTokenTimeout, d.firstTokenTimeout)
                && Objects.equals(streamIdleTimeout, d.streamIdleTimeout)
                && maxResponseBytes == d.maxResponseBytes && maxStreamEventBytes == d.maxStreamEventBytes
                && Objects.equals(cooldownTime, d.cooldownTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelGroup, providerRoute, id, apiBase, weight, order, tags);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Deployment[id=").append(id).append(", group=").append(modelGroup)
                .append(", route=").append(providerRoute);
        if (apiBase != null) {
            sb.append(", apiBase=").append(UrlRedaction.redact(apiBase));
        }
        if (apiKey != null) {
            sb.append(", apiKey=").append(apiKey);
        }
        sb.append(", weight=").append(weight).append(", order=").append(order);
        if (!tags.isEmpty()) {
            sb.append(", tags=").append(tags);
        }
        if (timeout != null) {
            sb.append(", timeout=").append(timeout);
        }
        if (rpm > 0) {
            sb.append(", rpm=").append(rpm);
        }
        if (tpm > 0) {
            sb.append(", tpm=").append(tpm);
        }
        if (maxParallelRequests > 0) {
            sb.append(", maxParallelRequests=").append(maxParallelRequests);
        }
        if (baseModel != null) {
            sb.append(", baseModel=").append(baseModel);
        }
        if (!headers.isEmpty()) {
            sb.append(", headers=").append(headers.keySet());
        }
        if (!options.isEmpty()) {
            sb.append(", options=").append(options);
        }
        if (maxResponseBytes > 0) {
            sb.append(", maxResponseBytes=").append(maxResponseBytes);
        }
        if (maxStreamEventBytes > 0) {
            sb.append(", maxStreamEventBytes=").append(maxStreamEventBytes);
        }
        if (cooldownTime != null) {
            sb.append(", cooldownTime=").append(cooldownTime);
        }
        return sb.append(']').toString();
    }

    /** Builds a {@link Deployment}; not thread-safe. */
    public static final class Builder {
        private final String modelGroup;
        private final String providerRoute;
        private String id;
        private Secret apiKey;
        private String apiBase;
        private int weight = DEFAULT_WEIGHT;
        private int order = DEFAULT_ORDER;
        private final Set<String> tags = new LinkedHashSet<>();
        private Duration timeout;
        private int rpm;
        private int tpm;
        private int maxParallelRequests = DEFAULT_MAX_PARALLEL_REQUESTS;
        private ModelPrice price;
        private String baseModel;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Provider provider;
        private ProviderOptions options = ProviderOptions.empty();
        private Set<ModelCapability> capabilities;
        private int contextWindow;
        private boolean explicitWeight;
        private Duration firstTokenTimeout;
        private Duration streamIdleTimeout;
        private int maxResponseBytes;
        private int maxStreamEventBytes;
        private Duration cooldownTime;

        private Builder(String modelGroup, String providerRoute) {
            this.modelGroup = notBlank(modelGroup, "modelGroup");
            notBlank(providerRoute, "providerRoute");
            int slash = providerRoute.indexOf('/');
            if (slash <= 0 || slash == providerRoute.length() - 1) {
                throw new IllegalArgumentException("providerRoute must be '<prefix>/<model>', e.g. 'openai/gpt-4o', was '"
                        + providerRoute + "'");
            }
            this.providerRoute = providerRoute.substring(0, slash).toLowerCase(Locale.ROOT)
                    + providerRoute.substring(slash);
        }

        /** A unique id; defaults to the provider route (made unique by the router, see the class doc). */
        public Builder id(String id) {
            this.id = notBlank(id, "id");
            return this;
        }

        /** The credential, e.g. {@code Secret.fromEnv("OPENAI_API_KEY")}. */
        public Builder apiKey(Secret apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /**
         * The base URL overriding the provider's default, e.g. {@code http://localhost:11434/v1}.
         *
         * @throws IllegalArgumentException unless it is an absolute http(s) URL
         */
        public Builder apiBase(String apiBase) {
            notBlank(apiBase, "apiBase");
            try {
                URI uri = new URI(apiBase);
                String scheme = uri.getScheme();
                if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || uri.getHost() == null) {
                    throw new IllegalArgumentException("apiBase must be an absolute http(s) URL, was '"
                            + UrlRedaction.redact(apiBase) + "'");
                }
            } catch (URISyntaxException e) {
                // the parser's message quotes the URL: keep it out, it may hold a credential
                throw new IllegalArgumentException("apiBase is not a valid URL: '" + UrlRedaction.redact(apiBase)
                        + "' (" + e.getReason() + " at index " + e.getIndex() + ")");
            }
            this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
            return this;
        }

        /** Relative weight, at least 1; default {@value Deployment#DEFAULT_WEIGHT}. */
        public Builder weight(int weight) {
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be at least 1, was " + weight);
            }
            this.weight = weight;
            this.explicitWeight = true;
            return this;
        }

        /** Priority order, lower first, not negative; default {@value Deployment#DEFAULT_ORDER}. */
        public Builder order(int order) {
            if (order < 0) {
                throw new IllegalArgumentException("order must not be negative, was " + order);
            }
            this.order = order;
            return this;
        }

        /** Adds one tag. */
        public Builder addTag(String tag) {
            this.tags.add(notBlank(tag, "tag"));
            return this;
        }

        /** Replaces all tags. */
        public Builder tags(Collection<String> tags) {
            Objects.requireNonNull(tags, "tags");
            this.tags.clear();
            tags.forEach(this::addTag);
            return this;
        }

        /** The per-call timeout, positive; defaults to the router's. */
        public Builder timeout(Duration timeout) {
            this.timeout = Durations.positive(timeout, "timeout");
            return this;
        }

        /**
         * How long this deployment stays out of rotation when a failure cools it, in place of the
         * failure's retry-after and the router's {@link CooldownPolicy#cooldownTime()}; zero: its
         * failures never cool it. Unset by default.
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

        /** How long a stream may take to send its first chunk before it fails over; positive. */
        public Builder firstTokenTimeout(Duration timeout) {
            this.firstTokenTimeout = Durations.positive(timeout, "firstTokenTimeout");
            return this;
        }

        /** How long a stream may go quiet between chunks before it is interrupted; positive. */
        public Builder streamIdleTimeout(Duration timeout) {
            this.streamIdleTimeout = Durations.positive(timeout, "streamIdleTimeout");
            return this;
        }

        /**
         * The most bytes one response body may have (default
         * {@value Endpoint#DEFAULT_MAX_RESPONSE_BYTES}); raise it for very large answers, e.g.
         * embedding batches of thousands of long vectors.
         *
         * @param bytes the limit, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Builder maxResponseBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxResponseBytes must be positive, was " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /**
         * The most bytes one streamed event may have (default
         * {@value Endpoint#DEFAULT_MAX_STREAM_EVENT_BYTES}): a server-sent event's lines, or one AWS
         * event-stream message.
         *
         * @param bytes the limit, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Builder maxStreamEventBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxStreamEventBytes must be positive, was " + bytes);
            }
            this.maxStreamEventBytes = bytes;
            return this;
        }

        /** Requests-per-minute limit, positive. */
        public Builder rpm(int rpm) {
            if (rpm < 1) {
                throw new IllegalArgumentException("rpm must be positive, was " + rpm);
            }
            this.rpm = rpm;
            return this;
        }

        /**
         * The most calls in flight to this deployment at once, positive; see
         * {@link Deployment#maxParallelRequests()}. Default: unlimited.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxParallelRequests(int maxParallelRequests) {
            if (maxParallelRequests < 1) {
                throw new IllegalArgumentException("maxParallelRequests must be positive, was " + maxParallelRequests);
            }
            this.maxParallelRequests = maxParallelRequests;
            return this;
        }

        /** Tokens-per-minute limit, positive. */
        public Builder tpm(int tpm) {
            if (tpm < 1) {
                throw new IllegalArgumentException("tpm must be positive, was " + tpm);
            }
            this.tpm = tpm;
            return this;
        }

        /** Prices overriding the price table. */
        public Builder price(ModelPrice price) {
            this.price = Objects.requireNonNull(price, "price");
            return this;
        }

        /** The model to price this deployment as, e.g. {@code gpt-4o} for an Azure deployment. */
        public Builder baseModel(String baseModel) {
            this.baseModel = notBlank(baseModel, "baseModel");
            return this;
        }

        /** Adds an HTTP header sent with every call. */
        public Builder addHeader(String name, String value) {
            this.headers.put(notBlank(name, "header name"), Objects.requireNonNull(value, "header value"));
            return this;
        }

        /**
         * Sets a provider-specific option, e.g. {@code AzureOpenAiProvider.API_VERSION}.
         *
         * @param key the option's key, declared by the provider adapter
         * @param value its value
         * @param <T> the value type
         * @return this builder
         */
        public <T> Builder option(ProviderOption<T> key, T value) {
            this.options = options.with(key, value);
            return this;
        }

        /** What the model can do, overriding the price table's flags (e.g. a fine-tune with tools). */
        public Builder capabilities(Collection<ModelCapability> capabilities) {
            Objects.requireNonNull(capabilities, "capabilities");
            this.capabilities = new LinkedHashSet<>();
            capabilities.forEach(c -> this.capabilities.add(Objects.requireNonNull(c, "capability")));
            return this;
        }

        /** The model's input window in tokens (prompt plus max tokens must fit), overriding the price table. */
        public Builder contextWindow(int tokens) {
            if (tokens < 1) {
                throw new IllegalArgumentException("contextWindow must be positive, was " + tokens);
            }
            this.contextWindow = tokens;
            return this;
        }

        /** Binds a provider instance (e.g. a {@code FakeProvider}) instead of lookup by prefix. */
        public Builder provider(Provider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** The deployment. */
        public Deployment build() {
            return new Deployment(this);
        }

        private static String notBlank(String v, String field) {
            Objects.requireNonNull(v, field);
            if (v.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return v;
        }
    }
}
