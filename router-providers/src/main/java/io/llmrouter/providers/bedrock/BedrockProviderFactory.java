package io.llmrouter.providers.bedrock;

import io.llmrouter.spi.Provider;
import io.llmrouter.spi.SinglePrefixProviderFactory;

/**
 * Registers the Bedrock adapter for the route prefix {@value #ROUTE_PREFIX}, found by
 * {@link java.util.ServiceLoader}: every {@code bedrock/<model id>} deployment is served by one
 * {@link BedrockProvider} with the shared default OkHttp client.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class BedrockProviderFactory extends SinglePrefixProviderFactory<Provider> {

    /** The route prefix: {@value}. */
    public static final String ROUTE_PREFIX = BedrockProvider.NAME;

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public BedrockProviderFactory() {
        super(ROUTE_PREFIX, BedrockProvider::create);
    }
}
