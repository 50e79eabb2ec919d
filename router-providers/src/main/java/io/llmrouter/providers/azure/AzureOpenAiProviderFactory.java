package io.llmrouter.providers.azure;

import io.llmrouter.spi.SinglePrefixProviderFactory;

/**
 * Registers {@link AzureOpenAiProvider} for the route prefix {@value AzureOpenAiProvider#NAME},
 * found by {@link java.util.ServiceLoader}. The provider uses the OkHttp client shared by every
 * adapter of this module.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class AzureOpenAiProviderFactory extends SinglePrefixProviderFactory<AzureOpenAiProvider> {

    /** The route prefix served: {@value}. */
    public static final String ROUTE_PREFIX = AzureOpenAiProvider.NAME;

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public AzureOpenAiProviderFactory() {
        super(ROUTE_PREFIX, AzureOpenAiProvider::create);
    }
}
