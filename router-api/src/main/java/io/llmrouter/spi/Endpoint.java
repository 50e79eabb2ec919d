package io.llmrouter.spi;

import io.llmrouter.api.Secret;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The deployment settings a provider needs for one call: which deployment and model, where to
 * send it, with which credential, headers, provider options and time limit.
 *
 * <p>{@link #toString()} never shows the API key or option values. Immutable and thread-safe; the
 * builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class Endpoint {

    /** The default whole-call time limit: 600 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

    private final String deploymentId;
    private final String modelGroup;
    private final String providerRoute;
    private final String apiBase;
    private final Secret apiKey;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final ProviderOptions options;

    private Endpoint(Builder b) {
        this.deploymentId = Objects.requireNonNull(b.deploymentId, "deploymentId");
        this.modelGroup = Objects.requireNonNull(b.modelGroup, "modelGroup");
        this.providerRoute = Objects.requireNonNull(b.providerRoute, "providerRoute");
        this.apiBase = b.apiBase;
        this.apiKey = b.apiKey;
        this.timeout = b.timeout;
        this.headers = Map.copyOf(b.headers);
        this.options = b.options;
    }

    /** A new builder; deployment id, model group and provider route are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this endpoint's values. */
    public Builder toBuilder() {
        Builder b = new Builder().deploymentId(deploymentId).modelGroup(modelGroup).providerRoute(providerRoute)
                .timeout(timeout).headers(headers).options(options);
        b.apiBase = apiBase;
        b.apiKey = apiKey;
        return b;
    }

    /** The deployment being called, for error contexts and logs. */
    public String deploymentId() {
        return deploymentId;
    }

    /** The model group the deployment serves. */
    public String modelGroup() {
        return modelGroup;
    }

    /** The deployment's full route, e.g. {@code openai/gpt-4o}. */
    public String providerRoute() {
        return providerRoute;
    }

    /** The model name sent to the provider: the route after its prefix. */
    public String providerModel() {
        return providerRoute.substring(providerRoute.indexOf('/') + 1);
    }

    /** The base URL to call instead of the provider's default. */
    public Optional<String> apiBase() {
        return Optional.ofNullable(apiBase);
    }

    /** The credential, when the deployment has one. */
    public Optional<Secret> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    /** The whole call's time limit (connect, send, wait, read). */
    public Duration timeout() {
        return timeout;
    }

    /** Extra HTTP headers to send. */
    public Map<String, String> headers() {
        return headers;
    }

    /** Provider-specific settings. */
    public ProviderOptions options() {
        return options;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && deploymentId.equals(e.deploymentId) && modelGroup.equals(e.modelGroup)
                && providerRoute.equals(e.providerRoute) && Objects.equals(apiBase, e.apiBase)
                && Objects.equals(apiKey, e.apiKey) && timeout.equals(e.timeout) && headers.equals(e.headers)
                && options.equals(e.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deploymentId, providerRoute, apiBase);
    }

    @Override
    public String toString() {
        return "Endpoint[deployment=" + deploymentId + ", route=" + providerRoute + ", apiBase=" + apiBase
                + ", apiKey=" + apiKey + ", timeout=" + timeout + ", headers=" + headers.keySet() + ", options="
                + options + "]";
    }

    /** Builds an {@link Endpoint}; not thread-safe. */
    public static final class Builder {
        private String deploymentId;
        private String modelGroup;
        private String providerRoute;
        private String apiBase;
        private Secret apiKey;
        private Duration timeout = DEFAULT_TIMEOUT;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private ProviderOptions options = ProviderOptions.empty();

        private Builder() {
        }

        /** The deployment id (required). */
        public Builder deploymentId(String v) {
            this.deploymentId = Objects.requireNonNull(v, "deploymentId");
            return this;
        }

        /** The model group (required). */
        public Builder modelGroup(String v) {
            this.modelGroup = Objects.requireNonNull(v, "modelGroup");
            return this;
        }

        /** The provider route {@code <prefix>/<model>} (required). */
        public Builder providerRoute(String v) {
            Objects.requireNonNull(v, "providerRoute");
            if (v.indexOf('/') <= 0) {
                throw new IllegalArgumentException("providerRoute must be '<prefix>/<model>', was '" + v + "'");
            }
            this.providerRoute = v;
            return this;
        }

        /** The base URL. */
        public Builder apiBase(String v) {
            this.apiBase = Objects.requireNonNull(v, "apiBase");
            return this;
        }

        /** The credential. */
        public Builder apiKey(Secret v) {
            this.apiKey = Objects.requireNonNull(v, "apiKey");
            return this;
        }

        /** The call's time limit, positive; default 600 s. */
        public Builder timeout(Duration v) {
            Objects.requireNonNull(v, "timeout");
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + v);
            }
            this.timeout = v;
            return this;
        }

        /** Replaces the extra headers. */
        public Builder headers(Map<String, String> v) {
            Objects.requireNonNull(v, "headers");
            this.headers.clear();
            v.forEach(this::addHeader);
            return this;
        }

        /** Adds one extra header. */
        public Builder addHeader(String name, String value) {
            this.headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The provider-specific settings. */
        public Builder options(ProviderOptions v) {
            this.options = Objects.requireNonNull(v, "options");
            return this;
        }

        /** The endpoint. */
        public Endpoint build() {
            return new Endpoint(this);
        }
    }
}
