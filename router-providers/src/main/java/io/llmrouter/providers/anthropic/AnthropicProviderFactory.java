package io.llmrouter.providers.anthropic;

import io.llmrouter.providers.internal.RoutePrefixes;
import io.llmrouter.spi.ProviderFactory;
import java.util.Set;

/**
 * Registers the Anthropic adapter for the route prefix {@value #ROUTE_PREFIX}, found by
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services/io.llmrouter.spi.ProviderFactory}).
 *
 * <p>Each call of {@link #create()} returns a new {@link AnthropicProvider} with the default
 * settings and the shared default OkHttp client. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class AnthropicProviderFactory implements ProviderFactory {

    /** The route prefix served: {@value}. */
    public static final String ROUTE_PREFIX = AnthropicProvider.NAME;

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public AnthropicProviderFactory() {
    }

    /** The one prefix, {@value #ROUTE_PREFIX}. */
    @Override
    public Set<String> routePrefixes() {
        return Set.of(ROUTE_PREFIX);
    }

    /**
     * A provider with the default settings.
     *
     * @return a new provider
     */
    @Override
    public AnthropicProvider create() {
        return AnthropicProvider.create();
    }

    /**
     * A provider with the default settings for {@value #ROUTE_PREFIX}.
     *
     * @param routePrefix {@value #ROUTE_PREFIX} (case-insensitive)
     * @return a new provider
     * @throws NullPointerException if {@code routePrefix} is null
     * @throws IllegalArgumentException if it is another prefix
     */
    @Override
    public AnthropicProvider create(String routePrefix) {
        RoutePrefixes.requireServed(routePrefix, routePrefixes(), "the Anthropic adapter");
        return create();
    }
}
