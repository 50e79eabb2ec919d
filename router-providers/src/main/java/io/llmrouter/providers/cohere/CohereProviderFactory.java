package io.llmrouter.providers.cohere;

import io.llmrouter.providers.internal.RoutePrefixes;
import io.llmrouter.spi.ProviderFactory;
import java.util.Set;

/**
 * Registers the Cohere v2 adapter for the route prefix {@value #ROUTE_PREFIX}, found by
 * {@link java.util.ServiceLoader} (list it in {@code META-INF/services/io.llmrouter.spi.ProviderFactory}).
 * Each provider uses the shared default OkHttp client.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class CohereProviderFactory implements ProviderFactory {

    /** The route prefix served: {@value}. */
    public static final String ROUTE_PREFIX = CohereProvider.NAME;

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public CohereProviderFactory() {
    }

    /** {@code [cohere]}. */
    @Override
    public Set<String> routePrefixes() {
        return Set.of(ROUTE_PREFIX);
    }

    /**
     * A provider with the default settings ({@link CohereProvider#create()}).
     *
     * @return a new provider
     */
    @Override
    public CohereProvider create() {
        return CohereProvider.create();
    }

    /**
     * The provider for {@value #ROUTE_PREFIX}.
     *
     * @param routePrefix {@value #ROUTE_PREFIX} (case-insensitive)
     * @return a new provider
     * @throws IllegalArgumentException if the prefix is another one
     */
    @Override
    public CohereProvider create(String routePrefix) {
        RoutePrefixes.requireServed(routePrefix, routePrefixes(), "the Cohere adapter");
        return create();
    }
}
