package io.llmrouter.providers.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GeminiProviderFactoryTest {

    private final GeminiProviderFactory factory = new GeminiProviderFactory();

    @Test
    void servesTheGeminiPrefix() {
        assertThat(factory.routePrefixes()).containsExactly("gemini");
    }

    @Test
    void createsGeminiProvidersOnTheDefaultBase() {
        GeminiProvider provider = factory.create("GEMINI");

        assertThat(provider.name()).isEqualTo("gemini");
        assertThat(provider).hasToString("GeminiProvider[defaultApiBase=https://generativelanguage.googleapis.com/v1beta]");
        assertThat(factory.create()).isNotSameAs(provider);
    }

    @Test
    void rejectsAnotherPrefix() {
        assertThatThrownBy(() -> factory.create("vertex_ai")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vertex_ai");
    }
}
