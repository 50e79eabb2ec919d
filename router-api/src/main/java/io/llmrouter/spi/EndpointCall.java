package io.llmrouter.spi;

import io.llmrouter.api.RouterRequest;
import java.util.Objects;

/**
 * What a {@link Provider} needs for one call to an endpoint beyond chat and embeddings (text
 * completion, moderation, ...): the request (whose {@code model} is already the provider's model
 * name) and the deployment's {@link Endpoint}.
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows the API key.
 *
 * @param request the request, with the provider's model name
 * @param endpoint the deployment's settings
 * @param <Q> the request type
 * @since 0.1.0
 */
public record EndpointCall<Q extends RouterRequest>(Q request, Endpoint endpoint) {

    /** Checks both are present. */
    public EndpointCall {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /** The provider's model name (same as {@code request().model()}). */
    public String providerModel() {
        return request.model();
    }

    @Override
    public String toString() {
        return "EndpointCall[" + endpoint + ", " + request + "]";
    }
}
