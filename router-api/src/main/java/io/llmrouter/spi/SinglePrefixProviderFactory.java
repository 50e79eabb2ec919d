package io.llmrouter.spi;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A {@link ProviderFactory} for an adapter that serves one route prefix: it names the prefix,
 * creates a new provider with the default settings per {@link #create()}, and refuses any other
 * prefix in {@link #create(String)}. Extend it with a public no-argument constructor, as
 * {@link java.util.ServiceLoader} needs:
 *
 * <pre>{@code
 * public final class AcmeProviderFactory extends SinglePrefixProviderFactory<AcmeProvider> {
 *     public AcmeProviderFactory() {
 *         super("acme", AcmeProvider::new);
 *     }
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe when the supplier is.
 *
 * @param <P> the provider type created
 * @since 0.2.0
 */
public abstract class SinglePrefixProviderFactory<P extends Provider> implements ProviderFactory {

    private final String routePrefix;
    private final Set<String> routePrefixes;
    private final Supplier<? extends P> provider;

    /**
     * The factory.
     *
     * @param routePrefix the one prefix served, e.g. {@code acme} for {@code acme/acme-large}; lower case
     * @param provider a new provider with the default settings per call, never null
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code routePrefix} is blank or not in lower case
     */
    protected SinglePrefixProviderFactory(String routePrefix, Supplier<? extends P> provider) {
        Objects.requireNonNull(routePrefix, "routePrefix");
        if (routePrefix.isBlank() || !routePrefix.equals(routePrefix.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("routePrefix must be non-blank lower case, was '" + routePrefix + "'");
        }
        this.routePrefix = routePrefix;
        this.routePrefixes = Set.of(routePrefix);
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    /**
     * The one prefix this factory serves.
     *
     * @return a set of one lower-case prefix
     */
    @Override
    public final Set<String> routePrefixes() {
        return routePrefixes;
    }

    /**
     * A new provider with the default settings.
     *
     * @return a new provider
     */
    @Override
    public final P create() {
        return Objects.requireNonNull(provider.get(), "the provider supplier returned null");
    }

    /**
     * A new provider with the default settings, for the one prefix served.
     *
     * @param routePrefix the prefix served (case-insensitive)
     * @return a new provider
     * @throws NullPointerException if {@code routePrefix} is null
     * @throws IllegalArgumentException if it is another prefix
     */
    @Override
    public final P create(String routePrefix) {
        Objects.requireNonNull(routePrefix, "routePrefix");
        if (!this.routePrefix.equals(routePrefix.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("routePrefix '" + routePrefix + "' is not served by "
                    + getClass().getSimpleName() + "; known: [" + this.routePrefix + "]");
        }
        return create();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + routePrefix + "]";
    }
}
