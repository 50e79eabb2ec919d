package io.llmrouter.spi;

import java.util.Set;

/**
 * Creates a {@link Provider} for one or more route prefixes. Found through
 * {@link java.util.ServiceLoader}: list implementations in
 * {@code META-INF/services/io.llmrouter.spi.ProviderFactory}.
 *
 * <p>The router calls {@link #create()} at most once per router, when a deployment first needs
 * a prefix, and shares the provider across all deployments with that prefix.
 *
 * @since 0.1.0
 */
public interface ProviderFactory {

    /**
     * The route prefixes this factory serves, e.g. {@code openai} for {@code openai/gpt-4o}.
     *
     * @return the prefixes, lower case
     */
    Set<String> routePrefixes();

    /**
     * Creates the provider.
     *
     * @return a new, thread-safe provider
     */
    Provider create();
}
