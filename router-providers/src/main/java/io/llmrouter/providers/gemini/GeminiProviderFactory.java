package io.llmrouter.providers.gemini;

import io.llmrouter.providers.internal.RoutePrefixes;
import io.llmrouter.spi.ProviderFactory;
import java.util.Set;

/**
 * Registers the Gemini adapter for the route prefix {@value #ROUTE_PREFIX} (Google AI Studio),
 * found by {@link java.util.ServiceLoader}. Each call of {@link #create()} returns a new
 * {@link GeminiProvider} with the shared default OkHttp client and {@link GeminiProvider#DEFAULT_API_BASE}.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class GeminiProviderFactory implements ProviderFactory {

    /** The route prefix served: {@value}. */
    public static final String ROUTE_PREFIX = GeminiProvider.NAME;

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public GeminiProviderFactory() {
    }

    /** {@code [gemini]}. */
    @Override
    public Set<String> routePrefixes() {
        return Set.of(ROUTE_PREFIX);
    }

    /**
     * A new provider with the default settings.
     *
     * @return the provider
     */
    @Override
    public GeminiProvider create() {
        return GeminiProvider.create();
    }

    /**
     * A new provider for {@code routePrefix}, which must be {@value #ROUTE_PREFIX}.
     *
     * @param routePrefix the prefix (case-insensitive)
     * @return the provider
     * @throws IllegalArgumentException if the prefix is not {@value #ROUTE_PREFIX}
     */
    @Override
    public GeminiProvider create(String routePrefix) {
        RoutePrefixes.requireServed(routePrefix, routePrefixes(), "the Gemini adapter");
        return create();
    }
}
