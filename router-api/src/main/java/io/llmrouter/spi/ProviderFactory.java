package io.llmrouter.spi;

import java.util.Set;

/**
 * Creates a {@link Provider} for one or more route prefixes. Found through
 * {@link java.util.ServiceLoader}: list implementations in
 * {@code META-INF/services/io.llmrouter.spi.ProviderFactory}.
 *
 * <p>The router calls {@link #create(String)} at most once per router and prefix, when a
 * deployment first needs the prefix, and shares the provider across all deployments with that
 * prefix.
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

    /**
     * Creates the provider for one of {@link #routePrefixes()}, for factories that serve several
     * vendors with one adapter configured per prefix. The default ignores the prefix.
     *
     * @param routePrefix one of {@link #routePrefixes()}, lower case
     * @return a new, thread-safe provider
     */
    default Provider create(String routePrefix) {
        return create();
    }
}
