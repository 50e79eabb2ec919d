package io.llmrouter.providers.openai;

import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderFactory;
import java.util.Set;

/**
 * Registers {@link OpenAiProvider} for the route prefix {@value #ROUTE_PREFIX} (e.g.
 * {@code openai/gpt-4o}), found by {@link java.util.ServiceLoader}.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class OpenAiProviderFactory implements ProviderFactory {

    /** The route prefix served. */
    public static final String ROUTE_PREFIX = OpenAiProvider.NAME;

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public OpenAiProviderFactory() {
    }

    @Override
    public Set<String> routePrefixes() {
        return Set.of(ROUTE_PREFIX);
    }

    /**
     * A provider with default settings ({@link OpenAiProvider#create()}).
     *
     * @return a new provider
     */
    @Override
    public Provider create() {
        return OpenAiProvider.create();
    }
}
