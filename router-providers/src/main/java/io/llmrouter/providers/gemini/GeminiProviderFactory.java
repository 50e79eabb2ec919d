package io.llmrouter.providers.gemini;

import io.llmrouter.spi.SinglePrefixProviderFactory;

/**
 * Registers the Gemini adapter for the route prefix {@value #ROUTE_PREFIX} (Google AI Studio),
 * found by {@link java.util.ServiceLoader}. Each call of {@link #create()} returns a new
 * {@link GeminiProvider} with the shared default OkHttp client and {@link GeminiProvider#DEFAULT_API_BASE}.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class GeminiProviderFactory extends SinglePrefixProviderFactory<GeminiProvider> {

    /** The route prefix served: {@value}. */
    public static final String ROUTE_PREFIX = GeminiProvider.NAME;

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public GeminiProviderFactory() {
        super(ROUTE_PREFIX, GeminiProvider::create);
    }
}
