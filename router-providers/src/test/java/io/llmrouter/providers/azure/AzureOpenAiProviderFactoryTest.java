package io.llmrouter.providers.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.spi.ProviderFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class AzureOpenAiProviderFactoryTest {

    @Test
    void isFoundByServiceLoaderForTheAzurePrefix() {
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(f -> f instanceof AzureOpenAiProviderFactory)
                .singleElement()
                .satisfies(f -> assertThat(f.routePrefixes()).containsExactly("azure"));
    }

    @Test
    void givenAzurePrefix_whenCreate_thenNewAzureProviderOnTheSharedHttpClient() {
        AzureOpenAiProviderFactory factory = new AzureOpenAiProviderFactory();

        AzureOpenAiProvider provider = factory.create("azure");

        assertThat(provider.name()).isEqualTo("azure");
        assertThat(provider.httpClient()).isSameAs(DefaultHttpClient.shared());
        assertThat(factory.create()).isNotSameAs(provider);
    }

    @Test
    void noOtherFactoryClaimsTheAzurePrefix() {
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(f -> f.routePrefixes().contains("azure"))
                .singleElement()
                .isInstanceOf(AzureOpenAiProviderFactory.class);
    }
}
