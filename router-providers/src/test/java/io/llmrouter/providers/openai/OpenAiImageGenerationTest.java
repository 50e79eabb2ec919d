package io.llmrouter.providers.openai;

import static io.llmrouter.providers.openai.TestSupport.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.image.GeneratedImage;
import io.llmrouter.api.image.ImageFormat;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Image generation on OpenAI, bodies from their API references, directly and through a {@link Router}. */
@ExtendWith(StartedServers.class)
class OpenAiImageGenerationTest {

    private static final String KEY = "sk-test-images-0123456789";

    private static final String URL_ANSWER = """
            {"created":1713833628,"data":[{"revised_prompt":"A cute baby sea otter floating on its back.",
              "url":"https://oaidalleapiprodscus.blob.core.windows.net/private/img-1.png"}]}""";

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();

    private Endpoint endpoint(String route) {
        return Endpoint.builder().deploymentId("images-1").modelGroup("images").providerRoute(route)
                .apiBase(server.url("/v1").toString()).apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5)).build();
    }

    private static OpenAiProvider openAi() {
        return OpenAiProvider.builder().environment(environment(Map.of())).build();
    }

    @Test
    void givenImageRequest_whenGenerated_thenPostsExactBodyAndReadsUrlAndRevisedPrompt() throws Exception {
        // given
        server.enqueue(json(200, URL_ANSWER));
        ImageRequest request = ImageRequest.builder("dall-e-3", "A cute baby sea otter").n(1).size("1024x1024")
                .quality("hd").responseFormat(ImageFormat.URL).user("end-user-1").build();
        // when
        ImageResponse response = await(openAi().generateImageAsync(new EndpointCall<>(request,
                endpoint("openai/dall-e-3"))));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/images/generations");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"dall-e-3","prompt":"A cute baby sea otter","n":1,"size":"1024x1024","quality":"hd",
                 "response_format":"url","user":"end-user-1"}"""));
        assertThat(response).isEqualTo(ImageResponse.builder().model("dall-e-3").created(1713833628)
                .addImage(GeneratedImage.of("https://oaidalleapiprodscus.blob.core.windows.net/private/img-1.png",
                        null, "A cute baby sea otter floating on its back."))
                .build());
    }

    @Test
    void givenBase64Answer_whenGenerated_thenReadsTheBytesText() throws Exception {
        server.enqueue(json(200, "{\"created\":1,\"data\":[{\"b64_json\":\"iVBORw0KGgo=\"}]}"));

        ImageResponse response = await(openAi().generateImageAsync(new EndpointCall<>(
                ImageRequest.builder("dall-e-2", "cat").responseFormat(ImageFormat.B64_JSON).build(),
                endpoint("openai/dall-e-2"))));

        assertThat(response.data()).containsExactly(GeneratedImage.of(null, "iVBORw0KGgo=", null));
    }

    @Test
    void givenImageWithNeitherUrlNorBytes_whenGenerated_thenInvalidProviderResponse() {
        server.enqueue(json(200, "{\"created\":1,\"data\":[{\"revised_prompt\":\"x\"}]}"));

        Throwable failure = failureOf(openAi().generateImageAsync(new EndpointCall<>(
                ImageRequest.builder("dall-e-3", "cat").build(), endpoint("openai/dall-e-3"))));

        assertThat(failure).isInstanceOf(InvalidProviderResponseException.class).hasMessageContaining("$.data[0]");
        assertThat(failure.getMessage()).doesNotContain(KEY);
    }

    @Test
    void givenPrimaryAnswering500_whenRouterImageGeneration_thenBackupAnswersPricedByQualityAndSize() {
        // given
        server.enqueue(json(500, "{\"error\":{\"message\":\"server error\",\"type\":\"server_error\"}}"));
        backup.enqueue(json(200, "{\"created\":1,\"data\":[{\"url\":\"https://x/1.png\"},{\"url\":\"https://x/2.png\"}]}"));
        try (Router router = Router.builder()
                .deployment(Deployment.builder("images", "openai/dall-e-3").id("primary")
                        .apiBase(server.url("/v1").toString()).apiKey(Secret.of(KEY)).build())
                .deployment(Deployment.builder("images-backup", "openai/dall-e-3").id("backup")
                        .apiBase(backup.url("/v1").toString()).apiKey(Secret.of(KEY)).build())
                .fallbackPolicy(f -> f.fallbacks("images", "images-backup"))
                .retryPolicy(r -> r.numRetries(0)).build()) {
            // when
            ImageResponse response = router.imageGeneration(ImageRequest.builder("images", "otter").n(2)
                    .size("1024x1024").quality("hd").build());
            // then
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "backup");
            // hd/1024-x-1024/dall-e-3: $0.00000007629 per pixel x 1,048,576 pixels x 2 images
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.15999172608"));
            assertThat(response.cost().pricedBy()).contains("hd/1024-x-1024/dall-e-3");
        }
    }

    @Test
    void givenNoQualityOrSize_whenRouterImageGeneration_thenPricedAsStandard1024() {
        server.enqueue(json(200, URL_ANSWER));
        try (Router router = Router.builder().deployment(Deployment.builder("images", "openai/dall-e-3")
                .apiBase(server.url("/v1").toString()).apiKey(Secret.of(KEY)).build()).build()) {

            ImageResponse response = router.imageGeneration(ImageRequest.builder("images", "otter").build());

            // standard/1024-x-1024/dall-e-3: $0.0000000381469 per pixel x 1,048,576 pixels
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.0399999238144"));
        }
    }

    @Test
    void givenAdapterWithoutImages_whenRouterImageGeneration_thenBadRequestBeforeAnyNetworkCall() {
        try (Router router = Router.builder().deployment(Deployment.builder("images", "cohere/command-r")
                .apiBase(server.url("/").toString()).apiKey(Secret.of(KEY)).build()).build()) {
            assertThatThrownBy(() -> router.imageGeneration(ImageRequest.builder("images", "otter").build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("does not support image generation");
            assertThat(server.getRequestCount()).isZero();
        }
    }
}
