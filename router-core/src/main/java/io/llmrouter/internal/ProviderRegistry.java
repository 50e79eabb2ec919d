package io.llmrouter.internal;

import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Finds the provider for a route prefix: explicitly registered providers first, then
 * {@link ProviderFactory} implementations found through {@link ServiceLoader}. Each factory is
 * asked for a provider at most once per prefix and registry. Used only while the router is built.
 */
final class ProviderRegistry {

    private final Map<String, Provider> explicit;
    private final Map<String, ProviderFactory> factories = new HashMap<>();
    private final Map<String, Provider> created = new HashMap<>();

    ProviderRegistry(Map<String, Provider> explicit, ClassLoader loader) {
        this.explicit = Map.copyOf(explicit);
        for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class, loader)) {
            for (String prefix : factory.routePrefixes()) {
                factories.putIfAbsent(prefix.toLowerCase(Locale.ROOT), factory);
            }
        }
    }

    Provider resolve(String prefix, String deploymentId) {
        Provider p = explicit.get(prefix);
        if (p != null) {
            return p;
        }
        ProviderFactory factory = factories.get(prefix);
        if (factory == null) {
            TreeSet<String> known = new TreeSet<>(explicit.keySet());
            known.addAll(factories.keySet());
            throw new IllegalStateException("no provider for route prefix '" + prefix + "' of deployment '"
                    + deploymentId + "'; known prefixes: " + known
                    + ". Add io.llmrouter:router-providers to the classpath, register one with"
                    + " Router.builder().provider(prefix, provider), or bind one with Deployment.builder(..).provider(..)");
        }
        return created.computeIfAbsent(prefix, factory::create);
    }
}
