package io.llmrouter.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.providers.internal.DefaultHttpClient;
import org.junit.jupiter.api.Test;

class AnthropicProviderFactoryTest {

    private final AnthropicProviderFactory factory = new AnthropicProviderFactory();

    @Test
    void servesTheAnthropicPrefixOnly() {
        assertThat(factory.routePrefixes()).containsExactly("anthropic");
    }

    @Test
    void givenAnthropicPrefixInAnyCase_whenCreate_thenProviderWithDefaultsAndSharedClient() {
        AnthropicProvider provider = factory.create("Anthropic");

        assertThat(provider.name()).isEqualTo("anthropic");
        assertThat(provider.httpClient()).isSameAs(DefaultHttpClient.shared());
        assertThat(provider.toString()).contains("https://api.anthropic.com").contains("4096");
        assertThat(factory.create().name()).isEqualTo("anthropic");
    }

    @Test
    void rejectsAnotherPrefix() {
        assertThatThrownBy(() -> factory.create("openai")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'openai'");
    }
}
