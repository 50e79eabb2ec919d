package io.llmrouter.providers.azure;

import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.Secret;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.completion.TextCompletionResponse;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import io.llmrouter.spi.ProviderOptions;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Azure OpenAI's text completions and image generation: deployment URL, api-version, api-key header. */
@ExtendWith(StartedServers.class)
class AzureEndpointsTest {

    private static final String KEY = "azure-test-key-0123456789";

    private final MockWebServer server = new MockWebServer();

    private AzureOpenAiProvider azure() {
        return AzureOpenAiProvider.builder().environment(environment(Map.of())).build();
    }

    private Endpoint endpoint(String deployment) {
        return Endpoint.builder().deploymentId("azure-1").modelGroup("g").providerRoute("azure/" + deployment)
                .apiBase(server.url("/").toString()).apiKey(Secret.of(KEY))
                .options(ProviderOptions.empty().with(AzureOpenAiProvider.API_VERSION, "2024-02-01"))
                .timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void givenImageRequest_whenGenerated_thenPostsToTheDeploymentUrlWithApiVersionAndKeyHeader() throws Exception {
        server.enqueue(json(200, """
                {"created":1698116662,"data":[{"url":"https://dalle.blob.core.windows.net/img.png",
                  "revised_prompt":"An otter"}]}""", Map.of()));

        ImageResponse response = await(azure().generateImageAsync(new EndpointCall<>(
                ImageRequest.builder("my-dalle", "otter").size("1024x1024").build(), endpoint("my-dalle"))));

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/deployments/my-dalle/images/generations");
        assertThat(sent.getUrl().queryParameter("api-version")).isEqualTo("2024-02-01");
        assertThat(sent.getHeaders().get("api-key")).isEqualTo(KEY);
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"my-dalle","prompt":"otter","size":"1024x1024"}"""));
        assertThat(response.model()).isEqualTo("my-dalle");
        assertThat(response.data().get(0).revisedPrompt()).contains("An otter");
    }

    @Test
    void givenTextCompletion_whenSent_thenPostsToTheDeploymentsCompletionsAndNamesTheDeploymentWhenTheAnswerDoesNot()
            throws Exception {
        server.enqueue(json(200, """
                {"id":"cmpl-1","object":"text_completion","created":1,
                 "choices":[{"text":" world","index":0,"finish_reason":"stop","logprobs":null}],
                 "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""", Map.of()));

        TextCompletionResponse response = await(azure().textCompletionAsync(new EndpointCall<>(
                TextCompletionRequest.of("my-instruct", "hello"), endpoint("my-instruct"))));

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/deployments/my-instruct/completions");
        assertThat(sent.getUrl().queryParameter("api-version")).isEqualTo("2024-02-01");
        assertThat(response.model()).isEqualTo("my-instruct");
        assertThat(response.text()).isEqualTo(" world");
    }
}
