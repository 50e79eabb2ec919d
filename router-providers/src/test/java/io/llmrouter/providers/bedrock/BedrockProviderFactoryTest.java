package io.llmrouter.providers.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BedrockProviderFactoryTest {

    @Test
    void servesTheBedrockPrefix() {
        assertThat(new BedrockProviderFactory().routePrefixes()).containsExactly("bedrock");
    }

    @Test
    void createsABedrockProviderForTheBedrockPrefix() {
        BedrockProviderFactory factory = new BedrockProviderFactory();
        assertThat(factory.create()).isInstanceOf(BedrockProvider.class);
        assertThat(factory.create("bedrock").name()).isEqualTo("bedrock");
    }
}
