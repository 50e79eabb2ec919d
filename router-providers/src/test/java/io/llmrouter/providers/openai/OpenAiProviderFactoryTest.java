package io.llmrouter.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.spi.ProviderFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class OpenAiProviderFactoryTest {

    @Test
    void isFoundByServiceLoaderForTheOpenAiPrefix() {
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(f -> f.routePrefixes().contains("openai"))
                .singleElement()
                .isInstanceOf(OpenAiProviderFactory.class);
    }

    @Test
    void createsAnOpenAiProviderNamedOpenAi() {
        assertThat(new OpenAiProviderFactory().create()).isInstanceOf(OpenAiProvider.class)
                .extracting(p -> p.name()).isEqualTo("openai");
    }
}
