package io.llmrouter.providers.cohere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CohereProviderFactoryTest {

    private final CohereProviderFactory factory = new CohereProviderFactory();

    @Test
    void servesTheCoherePrefixOnly() {
        assertThat(factory.routePrefixes()).containsExactly("cohere");
    }

    @Test
    void createsCohereProviders() {
        assertThat(factory.create().name()).isEqualTo("cohere");
        assertThat(factory.create("cohere")).isInstanceOf(CohereProvider.class);
        assertThat(factory.create("COHERE").name()).isEqualTo("cohere");
    }

    @Test
    void rejectsAnotherPrefix() {
        assertThatThrownBy(() -> factory.create("openai")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'openai'");
    }

    @Test
    void rejectsDefaultApiBaseThatIsNotAUrl() {
        assertThatThrownBy(() -> CohereProvider.builder().defaultApiBase("api.cohere.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultApiBase");
    }
}
