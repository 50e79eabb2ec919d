package io.llmrouter.examples.acme;

import io.llmrouter.spi.SinglePrefixProviderFactory;

/**
 * Registers {@link AcmeProvider} for the route prefix {@value AcmeProvider#NAME}, found by
 * {@link java.util.ServiceLoader}: listed in {@code META-INF/services/io.llmrouter.spi.ProviderFactory}
 * for the class path and with {@code provides} in this module's {@code module-info} for the module path.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.2.0
 */
public final class AcmeProviderFactory extends SinglePrefixProviderFactory<AcmeProvider> {

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public AcmeProviderFactory() {
        super(AcmeProvider.NAME, AcmeProvider::new);
    }
}
