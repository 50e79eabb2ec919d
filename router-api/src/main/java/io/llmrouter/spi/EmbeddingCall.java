package io.llmrouter.spi;

import io.llmrouter.api.embedding.EmbeddingRequest;
import java.util.Objects;

/**
 * What a {@link Provider} needs for one embeddings call: the request (whose {@code model} is
 * already the provider's model name) and the deployment's {@link Endpoint}.
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows the API key.
 *
 * @param request the request, with the provider's model name
 * @param endpoint the deployment's settings
 * @since 0.1.0
 */
public record EmbeddingCall(EmbeddingRequest request, Endpoint endpoint) {

    /** Checks both are present. */
    public EmbeddingCall {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /** The provider's model name (same as {@code request().model()}). */
    public String providerModel() {
        return request.model();
    }

    @Override
    public String toString() {
        return "EmbeddingCall[" + endpoint + ", " + request + "]";
    }
}
