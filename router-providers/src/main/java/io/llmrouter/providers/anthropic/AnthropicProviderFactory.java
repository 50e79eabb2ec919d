package io.llmrouter.providers.anthropic;

import io.llmrouter.spi.SinglePrefixProviderFactory;

/**
 * Registers the Anthropic adapter for the route prefix {@value #ROUTE_PREFIX}, found by
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services/io.llmrouter.spi.ProviderFactory}).
 *
 * <p>Each call of {@link #create()} returns a new {@link AnthropicProvider} with the default
 * settings and the shared default OkHttp client. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class AnthropicProviderFactory extends SinglePrefixProviderFactory<AnthropicProvider> {

    /** The route prefix served: {@value}. */
    public static final String ROUTE_PREFIX = AnthropicProvider.NAME;

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public AnthropicProviderFactory() {
        super(ROUTE_PREFIX, AnthropicProvider::create);
    }
}
