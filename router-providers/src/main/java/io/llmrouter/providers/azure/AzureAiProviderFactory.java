package io.llmrouter.providers.azure;

import io.llmrouter.spi.SinglePrefixProviderFactory;

/**
 * Registers the Azure AI Foundry adapter for the route prefix {@value #ROUTE_PREFIX}, found by
 * {@link java.util.ServiceLoader} (list it in {@code META-INF/services/io.llmrouter.spi.ProviderFactory}).
 * Each provider uses the shared default OkHttp client.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class AzureAiProviderFactory extends SinglePrefixProviderFactory<AzureAiProvider> {

    /** The route prefix served: {@value}. */
    public static final String ROUTE_PREFIX = AzureAiProvider.NAME;

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public AzureAiProviderFactory() {
        super(ROUTE_PREFIX, AzureAiProvider::create);
    }
}
