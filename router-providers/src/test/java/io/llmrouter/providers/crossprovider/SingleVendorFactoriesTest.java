package io.llmrouter.providers.crossprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.providers.anthropic.AnthropicProvider;
import io.llmrouter.providers.anthropic.AnthropicProviderFactory;
import io.llmrouter.providers.azure.AzureAiProvider;
import io.llmrouter.providers.azure.AzureAiProviderFactory;
import io.llmrouter.providers.azure.AzureOpenAiProvider;
import io.llmrouter.providers.azure.AzureOpenAiProviderFactory;
import io.llmrouter.providers.bedrock.BedrockProvider;
import io.llmrouter.providers.bedrock.BedrockProviderFactory;
import io.llmrouter.providers.cohere.CohereProvider;
import io.llmrouter.providers.cohere.CohereProviderFactory;
import io.llmrouter.providers.gemini.GeminiProvider;
import io.llmrouter.providers.gemini.GeminiProviderFactory;
import io.llmrouter.providers.ollama.OllamaProvider;
import io.llmrouter.providers.ollama.OllamaProviderFactory;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderFactory;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The factories of the single-vendor adapters (the OpenAI family's serves many prefixes and has
 * its own {@code OpenAiProviderFactoryTest}): each is the one service for its prefix, creates a
 * new provider with its vendor's defaults for that prefix in any case, and refuses another prefix.
 */
class SingleVendorFactoriesTest {

    static Stream<Arguments> factories() {
        return Stream.of(
                Arguments.of(new AnthropicProviderFactory(), "anthropic", AnthropicProvider.class,
                        List.of("https://api.anthropic.com", "4096")),
                Arguments.of(new AzureOpenAiProviderFactory(), "azure", AzureOpenAiProvider.class, List.of()),
                Arguments.of(new AzureAiProviderFactory(), "azure_ai", AzureAiProvider.class, List.of()),
                Arguments.of(new BedrockProviderFactory(), "bedrock", BedrockProvider.class, List.of()),
                Arguments.of(new CohereProviderFactory(), "cohere", CohereProvider.class, List.of()),
                Arguments.of(new OllamaProviderFactory(), "ollama_chat", OllamaProvider.class,
                        List.of("OllamaProvider[defaultApiBase=http://localhost:11434]")),
                Arguments.of(new GeminiProviderFactory(), "gemini", GeminiProvider.class,
                        List.of("GeminiProvider[defaultApiBase=https://generativelanguage.googleapis.com/v1beta]")));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("factories")
    void isTheOneServiceLoadedFactoryForItsOnePrefix(ProviderFactory factory, String prefix) {
        assertThat(factory.routePrefixes()).containsExactly(prefix);
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(f -> f.routePrefixes().contains(prefix))
                .singleElement()
                .isInstanceOf(factory.getClass());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("factories")
    void givenItsPrefixInAnyCase_whenCreate_thenNewProviderWithTheVendorDefaults(ProviderFactory factory,
            String prefix, Class<? extends Provider> type, List<String> defaultsShown) {
        Provider provider = factory.create(prefix.toUpperCase(Locale.ROOT));

        assertThat(provider).isInstanceOf(type);
        assertThat(provider.name()).isEqualTo(prefix);
        defaultsShown.forEach(shown -> assertThat(provider.toString()).contains(shown));
        assertThat(factory.create()).isInstanceOf(type).isNotSameAs(provider);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("factories")
    void rejectsAnotherPrefixNamingIt(ProviderFactory factory) {
        assertThatThrownBy(() -> factory.create("openai")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'openai'");
    }
}
