package io.llmrouter.spi;

import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Provider} needs for one call: the request (whose {@code model} is already the
 * provider's model name, e.g. {@code gpt-4o} for the route {@code openai/gpt-4o}) and the
 * deployment's connection settings.
 *
 * <p>{@link #toString()} never shows the API key. Immutable and thread-safe; the builder is not
 * thread-safe.
 *
 * @since 0.1.0
 */
public final class ProviderCall {

    private final ChatRequest request;
    private final String deploymentId;
    private final String modelGroup;
    private final String providerRoute;
    private final String apiBase;
    private final Secret apiKey;
    private final Duration timeout;
    private final Map<String, String> headers;

    private ProviderCall(Builder b) {
        this.request = Objects.requireNonNull(b.request, "request");
        this.deploymentId = Objects.requireNonNull(b.deploymentId, "deploymentId");
        this.modelGroup = Objects.requireNonNull(b.modelGroup, "modelGroup");
        this.providerRoute = Objects.requireNonNull(b.providerRoute, "providerRoute");
        this.apiBase = b.apiBase;
        this.apiKey = b.apiKey;
        this.timeout = Objects.requireNonNull(b.timeout, "timeout");
        this.headers = Map.copyOf(b.headers);
    }

    /**
     * A builder for a call of {@code request}.
     *
     * @param request the request, with the provider's model name
     * @return the builder
     */
    public static Builder builder(ChatRequest request) {
        return new Builder(request);
    }

    /** The request; its {@code model} is the provider's model name. */
    public ChatRequest request() {
        return request;
    }

    /** The provider's model name (same as {@code request().model()}). */
    public String providerModel() {
        return request.model();
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

    /** The base URL to call instead of the provider's default (e.g. {@code http://localhost:8080/v1}). */
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

    /** Extra HTTP headers to send (e.g. {@code OpenAI-Organization}). */
    public Map<String, String> headers() {
        return headers;
    }

    /** A builder holding this call's values. */
    public Builder toBuilder() {
        Builder b = new Builder(request).deploymentId(deploymentId).modelGroup(modelGroup)
                .providerRoute(providerRoute).timeout(timeout).headers(headers);
        b.apiBase = apiBase;
        b.apiKey = apiKey;
        return b;
    }

    @Override
    public String toString() {
        return "ProviderCall[deployment=" + deploymentId + ", route=" + providerRoute + ", apiBase=" + apiBase
                + ", apiKey=" + apiKey + ", timeout=" + timeout + ", headers=" + headers.keySet() + "]";
    }

    /** Builds a {@link ProviderCall}; not thread-safe. */
    public static final class Builder {
        private ChatRequest request;
        private String deploymentId;
        private String modelGroup;
        private String providerRoute;
        private String apiBase;
        private Secret apiKey;
        private Duration timeout = Duration.ofSeconds(600);
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(ChatRequest request) {
            this.request = Objects.requireNonNull(request, "request");
        }

        /** Replaces the request. */
        public Builder request(ChatRequest request) {
            this.request = Objects.requireNonNull(request, "request");
            return this;
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

        /** The provider route (required). */
        public Builder providerRoute(String v) {
            this.providerRoute = Objects.requireNonNull(v, "providerRoute");
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

        /** The call's time limit; default 600 s. */
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
            this.headers.clear();
            v.forEach(this::addHeader);
            return this;
        }

        /** Adds one extra header. */
        public Builder addHeader(String name, String value) {
            this.headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The call. */
        public ProviderCall build() {
            return new ProviderCall(this);
        }
    }
}
