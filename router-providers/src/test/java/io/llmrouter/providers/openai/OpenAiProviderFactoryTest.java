package io.llmrouter.providers.openai;

import static io.llmrouter.providers.openai.TestSupport.json;
import static io.llmrouter.providers.openai.TestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderFactory;
import java.time.Duration;
import java.util.ServiceLoader;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

class OpenAiProviderFactoryTest {

    @Test
    void isFoundByServiceLoaderForEveryVendorPrefix() {
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(f -> f instanceof OpenAiProviderFactory)
                .singleElement()
                .satisfies(f -> assertThat(f.routePrefixes()).containsExactlyInAnyOrder("openai", "groq", "mistral",
                        "deepseek", "together_ai", "fireworks_ai", "openrouter", "xai", "perplexity", "cerebras",
                        "ollama", "vllm", "hosted_vllm", "lm_studio", "huggingface", "databricks", "watsonx",
                        "nvidia_nim", "sambanova", "novita", "nebius", "deepinfra", "openai_compatible"));
    }

    @Test
    void givenPrefix_whenCreate_thenOwnProviderForThatVendor() {
        OpenAiProviderFactory factory = new OpenAiProviderFactory();

        OpenAiProvider groq = factory.create("groq");
        OpenAiProvider mistral = factory.create("MISTRAL");

        assertThat(groq.vendor()).isSameAs(OpenAiCompatibleVendor.GROQ);
        assertThat(groq.name()).isEqualTo("groq");
        assertThat(mistral.vendor()).isSameAs(OpenAiCompatibleVendor.MISTRAL);
        assertThat(groq).isNotSameAs(factory.create("groq"));
    }

    @Test
    void rejectsUnknownPrefix() {
        assertThatThrownBy(() -> new OpenAiProviderFactory().create("anthropic"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'anthropic'");
    }

    @Test
    void givenTwoPrefixes_whenCreatedByTheFactory_thenEachProviderServesItsVendor() throws Exception {
        // given
        OpenAiProviderFactory factory = new OpenAiProviderFactory();
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(json(500, "{\"error\":{\"message\":\"boom\"}}"));
            server.enqueue(json(200, resource("groq", "chat-response.json")));
            // when
            Throwable failure = failureOf(factory.create("mistral")
                    .completeAsync(call(server, "mistral/mistral-small-latest")));
            String text = await(factory.create("groq").completeAsync(call(server, "groq/llama-3.3-70b-versatile")))
                    .text();
            // then: the error names the vendor that served the call
            assertThat(failure).hasMessageStartingWith("mistral: boom");
            assertThat(text).isEqualTo("Hello! How can I help you today?");
            assertThat(server.takeRequest(5, SECONDS).getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        }
        assertThat(factory.create().name()).isEqualTo("openai");
    }

    @Test
    void givenEveryVendorProvider_whenBuiltByTheFactory_thenAllShareOneHttpClient() {
        OpenAiProviderFactory factory = new OpenAiProviderFactory();

        assertThat(OpenAiCompatibleVendor.all()).extracting(v -> factory.create(v.prefix()).httpClient())
                .containsOnly(OpenAiProvider.create().httpClient());
    }

    private static ProviderCall call(MockWebServer server, String route) {
        return ProviderCall.builder(ChatRequest.ofUser(route.substring(route.indexOf('/') + 1), "hi"))
                .deploymentId("d").modelGroup("chat").providerRoute(route).apiBase(server.url("/v1").toString())
                .apiKey(Secret.of("k")).timeout(Duration.ofSeconds(5)).build();
    }
}
