/**
 * The HTTP provider adapters (OpenAI and OpenAI-compatible vendors, Azure OpenAI, Azure AI Foundry, Anthropic,
 * Gemini, Cohere, Ollama native, Bedrock, Vertex AI), each registered as a {@link io.llmrouter.spi.ProviderFactory}
 * service.
 * Only the adapters' public packages are exported; their {@code internal} packages are not.
 *
 * @since 0.1.0
 */
module io.llmrouter.providers {
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    // Optional: Google credentials for Vertex AI (service accounts, ADC); see VertexCredentials.
    requires static com.google.auth;
    requires static com.google.auth.oauth2;
    requires transitive io.llmrouter.api;
    // Transitive: the adapters' builders accept an OkHttpClient (httpClient(...)).
    requires transitive okhttp3;
    requires okio;
    requires org.slf4j;

    exports io.llmrouter.providers.anthropic;
    exports io.llmrouter.providers.azure;
    exports io.llmrouter.providers.bedrock;
    exports io.llmrouter.providers.cohere;
    exports io.llmrouter.providers.gemini;
    exports io.llmrouter.providers.ollama;
    exports io.llmrouter.providers.openai;
    exports io.llmrouter.providers.vertex;

    provides io.llmrouter.spi.ProviderFactory with
            io.llmrouter.providers.openai.OpenAiProviderFactory,
            io.llmrouter.providers.azure.AzureOpenAiProviderFactory,
            io.llmrouter.providers.azure.AzureAiProviderFactory,
            io.llmrouter.providers.anthropic.AnthropicProviderFactory,
            io.llmrouter.providers.gemini.GeminiProviderFactory,
            io.llmrouter.providers.cohere.CohereProviderFactory,
            io.llmrouter.providers.ollama.OllamaProviderFactory,
            io.llmrouter.providers.bedrock.BedrockProviderFactory,
            io.llmrouter.providers.vertex.VertexAiProviderFactory;
}
