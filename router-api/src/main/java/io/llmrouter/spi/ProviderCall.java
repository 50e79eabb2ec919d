package io.llmrouter.spi;

import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Provider} needs for one chat call: the request (whose {@code model} is already the
 * provider's model name, e.g. {@code gpt-4o} for the route {@code openai/gpt-4o}) and the
 * deployment's {@link Endpoint}. The endpoint's accessors are repeated here for convenience.
 *
 * <p>{@link #toString()} never shows the API key. Immutable and thread-safe; the builder is not
 * thread-safe.
 *
 * @since 0.1.0
 */
public final class ProviderCall {

    private final ChatRequest request;
    private final Endpoint endpoint;
    private final CallCancellation cancellation;

    private ProviderCall(ChatRequest request, Endpoint endpoint, CallCancellation cancellation) {
        this.request = Objects.requireNonNull(request, "request");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
    }

    /**
     * A call of {@code request} to {@code endpoint}.
     *
     * @param request the request, with the provider's model name
     * @param endpoint the deployment's settings
     * @return the call
     */
    public static ProviderCall of(ChatRequest request, Endpoint endpoint) {
        return new ProviderCall(request, endpoint, CallCancellation.never());
    }

    /**
     * A call of {@code request} to {@code endpoint} that the router may cancel from another thread
     * while a synchronous {@link Provider#complete} runs.
     *
     * @param request the request, with the provider's model name
     * @param endpoint the deployment's settings
     * @param cancellation the signal the adapter registers its cancel action with
     * @return the call
     * @since 0.1.0
     */
    public static ProviderCall of(ChatRequest request, Endpoint endpoint, CallCancellation cancellation) {
        return new ProviderCall(request, endpoint, cancellation);
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

    /** The deployment's settings. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** The provider's model name (same as {@code request().model()}). */
    public String providerModel() {
        return request.model();
    }

    /** The deployment being called, for error contexts and logs. */
    public String deploymentId() {
        return endpoint.deploymentId();
    }

    /** The model group the deployment serves. */
    public String modelGroup() {
        return endpoint.modelGroup();
    }

    /** The deployment's full route, e.g. {@code openai/gpt-4o}. */
    public String providerRoute() {
        return endpoint.providerRoute();
    }

    /** The base URL to call instead of the provider's default. */
    public Optional<String> apiBase() {
        return endpoint.apiBase();
    }

    /** The credential, when the deployment has one. */
    public Optional<Secret> apiKey() {
        return endpoint.apiKey();
    }

    /** The whole call's time limit. */
    public Duration timeout() {
        return endpoint.timeout();
    }

    /** Extra HTTP headers to send. */
    public Map<String, String> headers() {
        return endpoint.headers();
    }

    /** The deployment's provider-specific settings. */
    public ProviderOptions options() {
        return endpoint.options();
    }

    /**
     * The signal with which the router cancels a synchronous {@link Provider#complete} from
     * another thread (deadline, close, interrupt); {@link CallCancellation#never()} unless set. Not
     * part of {@link #equals}: it identifies one call in flight, not the call's content.
     */
    public CallCancellation cancellation() {
        return cancellation;
    }

    /** A builder holding this call's values. */
    public Builder toBuilder() {
        Builder b = new Builder(request);
        b.endpoint = endpoint.toBuilder();
        b.cancellation = cancellation;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderCall c && request.equals(c.request) && endpoint.equals(c.endpoint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(request, endpoint);
    }

    @Override
    public String toString() {
        return "ProviderCall[" + endpoint + "]";
    }

    /** Builds a {@link ProviderCall}; not thread-safe. */
    public static final class Builder {
        private ChatRequest request;
        private Endpoint.Builder endpoint = Endpoint.builder();
        private CallCancellation cancellation = CallCancellation.never();

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
            endpoint.deploymentId(v);
            return this;
        }

        /** The model group (required). */
        public Builder modelGroup(String v) {
            endpoint.modelGroup(v);
            return this;
        }

        /** The provider route (required). */
        public Builder providerRoute(String v) {
            endpoint.providerRoute(v);
            return this;
        }

        /** The base URL. */
        public Builder apiBase(String v) {
            endpoint.apiBase(v);
            return this;
        }

        /** The credential. */
        public Builder apiKey(Secret v) {
            endpoint.apiKey(v);
            return this;
        }

        /** The call's time limit; default 600 s. */
        public Builder timeout(Duration v) {
            endpoint.timeout(v);
            return this;
        }

        /** Replaces the extra headers. */
        public Builder headers(Map<String, String> v) {
            endpoint.headers(v);
            return this;
        }

        /** Adds one extra header. */
        public Builder addHeader(String name, String value) {
            endpoint.addHeader(name, value);
            return this;
        }

        /** The deployment's provider-specific settings. */
        public Builder options(ProviderOptions options) {
            endpoint.options(options);
            return this;
        }

        /** The cancellation signal; default {@link CallCancellation#never()}. */
        public Builder cancellation(CallCancellation cancellation) {
            this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
            return this;
        }

        /** The call. */
        public ProviderCall build() {
            return new ProviderCall(request, endpoint.build(), cancellation);
        }
    }
}
