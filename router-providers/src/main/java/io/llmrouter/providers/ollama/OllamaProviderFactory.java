package io.llmrouter.providers.ollama;

import io.llmrouter.spi.SinglePrefixProviderFactory;

/**
 * Registers the native Ollama adapter for the route prefix {@value #ROUTE_PREFIX}, found by
 * {@link java.util.ServiceLoader} (list it in {@code META-INF/services/io.llmrouter.spi.ProviderFactory}).
 * Each provider uses the shared default OkHttp client.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class OllamaProviderFactory extends SinglePrefixProviderFactory<OllamaProvider> {

    /** The route prefix served: {@value}. */
    public static final String ROUTE_PREFIX = OllamaProvider.NAME;

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public OllamaProviderFactory() {
        super(ROUTE_PREFIX, OllamaProvider::create);
    }
}
