package io.llmrouter.providers.cohere;

import io.llmrouter.spi.SinglePrefixProviderFactory;

/**
 * Registers the Cohere v2 adapter for the route prefix {@value #ROUTE_PREFIX}, found by
 * {@link java.util.ServiceLoader} (list it in {@code META-INF/services/io.llmrouter.spi.ProviderFactory}).
 * Each provider uses the shared default OkHttp client.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class CohereProviderFactory extends SinglePrefixProviderFactory<CohereProvider> {

    /** The route prefix served: {@value}. */
    public static final String ROUTE_PREFIX = CohereProvider.NAME;

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public CohereProviderFactory() {
        super(ROUTE_PREFIX, CohereProvider::create);
    }
}
