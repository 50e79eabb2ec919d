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

    /**
     * The default cap on one response body: {@value} bytes (32 MiB). A body announced or read past
     * it fails the call with an {@code InvalidProviderResponseException} naming the limit.
     */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

    /**
     * The default cap on one streamed event: {@value} bytes (8 MiB), for a server-sent event (its
     * lines) or an AWS event-stream message. A longer one fails the stream with an
     * {@code InvalidProviderResponseException} naming the limit.
     */
    public static final int DEFAULT_MAX_STREAM_EVENT_BYTES = 8 * 1024 * 1024;

    private final String deploymentId;
    private final String modelGroup;
    private final String providerRoute;
    private final String apiBase;
    private final Secret apiKey;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final ProviderOptions options;
    private final int maxResponseBytes;
    private final int maxStreamEventBytes;

    private Endpoint(Builder b) {
        this.deploymentId = Objects.requireNonNull(b.deploymentId, "deploymentId");
        this.modelGroup = Objects.requireNonNull(b.modelGroup, "modelGroup");
        this.providerRoute = Objects.requireNonNull(b.providerRoute, "providerRoute");
        this.apiBase = b.apiBase;
        this.apiKey = b.apiKey;
        this.timeout = b.timeout;
        this.headers = Map.copyOf(b.headers);
        this.options = b.options;
        this.maxResponseBytes = b.maxResponseBytes;
        this.maxStreamEventBytes = b.maxStreamEventBytes;
    }

    /** A new builder; deployment id, model group and provider route are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this endpoint's values. */
    public Builder toBuilder() {
        Builder b = new Builder().deploymentId(deploymentId).modelGroup(modelGroup).providerRoute(providerRoute)
                .timeout(timeout).headers(headers).options(options).maxResponseBytes(maxResponseBytes)
                .maxStreamEventBytes(maxStreamEventBytes);
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

    /**
     * The most bytes one response body may have; a longer one is not read further.
     *
     * @return the limit, positive; default {@value #DEFAULT_MAX_RESPONSE_BYTES}
     */
    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    /**
     * The most bytes one streamed event (a server-sent event's lines, an AWS event-stream message)
     * may have; a longer one is not read further.
     *
     * @return the limit, positive; default {@value #DEFAULT_MAX_STREAM_EVENT_BYTES}
     */
    public int maxStreamEventBytes() {
        return maxStreamEventBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && deploymentId.equals(e.deploymentId) && modelGroup.equals(e.modelGroup)
                && providerRoute.equals(e.providerRoute) && Objects.equals(apiBase, e.apiBase)
                && Objects.equals(apiKey, e.apiKey) && timeout.equals(e.timeout) && headers.equals(e.headers)
                && options.equals(e.options) && maxResponseBytes == e.maxResponseBytes
                && maxStreamEventBytes == e.maxStreamEventBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(deploymentId, providerRoute, apiBase);
    }

    @Override
    public String toString() {
        return "Endpoint[deployment=" + deploymentId + ", route=" + providerRoute + ", apiBase=" + apiBase
                + ", apiKey=" + apiKey + ", timeout=" + timeout + ", headers=" + headers.keySet() + ", options="
                + options + ", maxResponseBytes=" + maxResponseBytes + ", maxStreamEventBytes=" + maxStreamEventBytes
                + "]";
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
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private int maxStreamEventBytes = DEFAULT_MAX_STREAM_EVENT_BYTES;

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

        /**
         * The most bytes one response body may have; default {@value Endpoint#DEFAULT_MAX_RESPONSE_BYTES}.
         *
         * @param v the limit, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is not positive
         */
        public Builder maxResponseBytes(int v) {
            this.maxResponseBytes = positive(v, "maxResponseBytes");
            return this;
        }

        /**
         * The most bytes one streamed event may have; default {@value Endpoint#DEFAULT_MAX_STREAM_EVENT_BYTES}.
         *
         * @param v the limit, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is not positive
         */
        public Builder maxStreamEventBytes(int v) {
            this.maxStreamEventBytes = positive(v, "maxStreamEventBytes");
            return this;
        }

        private static int positive(int v, String field) {
            if (v < 1) {
                throw new IllegalArgumentException(field + " must be positive, was " + v);
            }
            return v;
        }

        /** The endpoint. */
        public Endpoint build() {
            return new Endpoint(this);
        }
    }
}
