package io.llmrouter.providers.vertex;

import io.llmrouter.spi.SinglePrefixProviderFactory;

/**
 * Registers the Vertex AI adapter for the route prefix {@value #ROUTE_PREFIX}, found by
 * {@link java.util.ServiceLoader}. Each call of {@link #create()} returns a new
 * {@link VertexAiProvider} with the shared default OkHttp client.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class VertexAiProviderFactory extends SinglePrefixProviderFactory<VertexAiProvider> {

    /** The route prefix served: {@value}. */
    public static final String ROUTE_PREFIX = VertexAiProvider.NAME;

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public VertexAiProviderFactory() {
        super(ROUTE_PREFIX, VertexAiProvider::create);
    }
}
