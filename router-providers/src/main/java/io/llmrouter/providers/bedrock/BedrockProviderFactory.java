package io.llmrouter.providers.bedrock;

import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderFactory;
import java.util.Set;

/**
 * Registers the Bedrock adapter for the route prefix {@value #ROUTE_PREFIX}, found by
 * {@link java.util.ServiceLoader}: every {@code bedrock/<model id>} deployment is served by one
 * {@link BedrockProvider} with the shared default OkHttp client.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class BedrockProviderFactory implements ProviderFactory {

    /** The route prefix: {@value}. */
    public static final String ROUTE_PREFIX = BedrockProvider.NAME;

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public BedrockProviderFactory() {
    }

    /** Just {@value #ROUTE_PREFIX}. */
    @Override
    public Set<String> routePrefixes() {
        return Set.of(ROUTE_PREFIX);
    }

    /**
     * A new provider with the default settings ({@link BedrockProvider#create()}).
     *
     * @return the provider
     */
    @Override
    public Provider create() {
        return BedrockProvider.create();
    }
}
