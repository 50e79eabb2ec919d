package io.llmrouter.providers.bedrock;

import static io.llmrouter.providers.bedrock.BedrockTestSupport.CLOCK;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SIGNING_TIME;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.image.GeneratedImage;
import io.llmrouter.api.image.ImageFormat;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import io.llmrouter.spi.ProviderOptions;
import java.math.BigDecimal;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bedrock image generation through InvokeModel, bodies from the AWS model parameter references. */
@ExtendWith(StartedServers.class)
class BedrockImagesTest {

    private static final String TITAN = "amazon.titan-image-generator-v2:0";
    private static final String NOVA = "amazon.nova-canvas-v1:0";
    private static final String SD35 = "stability.sd3-5-large-v1:0";

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();
    private final BedrockProvider provider = BedrockProvider.builder().environment(environment(Map.of()))
            .clock(CLOCK).build();

    private Endpoint endpoint(String model) {
        return Endpoint.builder().deploymentId("images").modelGroup("images").providerRoute("bedrock/" + model)
                .apiBase(server.url("/").toString()).options(ProviderOptions.empty()
                        .with(BedrockProvider.REGION, "us-east-1")
                        .with(BedrockProvider.CREDENTIALS, BedrockTestSupport.credentials()))
                .build();
    }

    private static ImageRequest.Builder lighthouse(String model) {
        return ImageRequest.builder(model, "A lighthouse at dusk");
    }

    @Test
    void givenTitanRequest_whenGenerate_thenInvokesWithTextImageTaskAndReadsBase64Images() throws Exception {
        // given
        server.enqueue(json(200, "{\"images\":[\"aW1hZ2Ux\",\"aW1hZ2Uy\"],\"error\":null}"));
        // when
        ImageResponse response = await(provider.generateImageAsync(new EndpointCall<>(
                lighthouse(TITAN).n(2).size("1024x768").quality("hd").build(), endpoint(TITAN))));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/model/amazon.titan-image-generator-v2%3A0/invoke");
        assertThat(sent.getHeaders().get("Authorization")).contains("/us-east-1/bedrock/aws4_request")
                .contains("SignedHeaders=content-type;host;x-amz-date");
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"taskType":"TEXT_IMAGE","textToImageParams":{"text":"A lighthouse at dusk"},
                 "imageGenerationConfig":{"numberOfImages":2,"width":1024,"height":768,"quality":"premium"}}"""));
        assertThat(response).isEqualTo(ImageResponse.builder().model(TITAN).created(SIGNING_TIME.getEpochSecond())
                .addImage(GeneratedImage.of(null, "aW1hZ2Ux", null)).addImage(GeneratedImage.of(null, "aW1hZ2Uy", null))
                .build());
    }

    @Test
    void givenNovaCanvasWithoutOptions_whenGenerate_thenSendsOneImageAndNoSize() throws Exception {
        server.enqueue(json(200, "{\"images\":[\"aW1hZ2Ux\"]}"));

        ImageResponse response = await(provider.generateImageAsync(new EndpointCall<>(lighthouse(NOVA).build(),
                endpoint(NOVA))));

        assertThat(tree(server.takeRequest(5, SECONDS).getBody().utf8())).isEqualTo(tree("""
                {"taskType":"TEXT_IMAGE","textToImageParams":{"text":"A lighthouse at dusk"},
                 "imageGenerationConfig":{"numberOfImages":1}}"""));
        assertThat(response.data()).hasSize(1);
    }

    @Test
    void givenStabilityRequest_whenGenerate_thenSendsPromptAndAspectRatio() throws Exception {
        server.enqueue(json(200, "{\"seeds\":[2130420379],\"finish_reasons\":[null],\"images\":[\"aW1hZ2Ux\"]}"));

        ImageResponse response = await(provider.generateImageAsync(new EndpointCall<>(
                lighthouse(SD35).size("1920x1080").build(), endpoint(SD35))));

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/model/stability.sd3-5-large-v1%3A0/invoke");
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"prompt":"A lighthouse at dusk","mode":"text-to-image","aspect_ratio":"16:9"}"""));
        assertThat(response.data()).containsExactly(GeneratedImage.of(null, "aW1hZ2Ux", null));
    }

    @Test
    void givenFilteredAnswers_whenGenerate_thenContentPolicyViolation() {
        server.enqueue(json(200, "{\"seeds\":[1],\"finish_reasons\":[\"Filter reason: prompt\"],\"images\":[]}"));
        server.enqueue(json(200, "{\"images\":[],\"error\":\"This request has been blocked by our content filters.\"}"));

        Throwable stability = failureOf(provider.generateImageAsync(new EndpointCall<>(lighthouse(SD35).build(),
                endpoint(SD35))));
        Throwable titan = failureOf(provider.generateImageAsync(new EndpointCall<>(lighthouse(TITAN).build(),
                endpoint(TITAN))));

        assertThat(stability).isInstanceOf(ContentPolicyViolationException.class)
                .hasMessageContaining("Filter reason: prompt");
        assertThat(titan).isInstanceOf(ContentPolicyViolationException.class).hasMessageContaining("content filters");
    }

    @Test
    void givenStabilityInferenceError_whenGenerate_thenRetryableProviderServerException() {
        server.enqueue(json(200, "{\"seeds\":[1],\"finish_reasons\":[\"Inference error\"],\"images\":[]}"));

        Throwable failure = failureOf(provider.generateImageAsync(new EndpointCall<>(lighthouse(SD35).build(),
                endpoint(SD35))));

        assertThat(failure).isInstanceOf(ProviderServerException.class).hasMessageContaining("Inference error");
        assertThat(((ProviderServerException) failure).isRetryable()).isTrue();
    }

    @Test
    void givenUnservableRequests_whenGenerate_thenBadRequestBeforeAnyCall() {
        assertThat(failureOf(provider.generateImageAsync(new EndpointCall<>(lighthouse(SD35).n(2).build(),
                endpoint(SD35))))).isInstanceOf(BadRequestException.class).hasMessageContaining("n must be 1");
        assertThat(failureOf(provider.generateImageAsync(new EndpointCall<>(lighthouse(SD35).size("1792x1024").build(),
                endpoint(SD35))))).isInstanceOf(BadRequestException.class).hasMessageContaining("aspect ratios");
        assertThat(failureOf(provider.generateImageAsync(new EndpointCall<>(lighthouse(TITAN)
                .responseFormat(ImageFormat.URL).build(), endpoint(TITAN))))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("base64");
        assertThat(failureOf(provider.generateImageAsync(new EndpointCall<>(lighthouse(TITAN).quality("ultra").build(),
                endpoint(TITAN))))).isInstanceOf(BadRequestException.class).hasMessageContaining("quality 'ultra'");
        assertThat(failureOf(provider.generateImageAsync(new EndpointCall<>(lighthouse("meta.llama3-8b-instruct-v1:0")
                .build(), endpoint("meta.llama3-8b-instruct-v1:0"))))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("not a supported image model");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenMalformedOrHtmlAnswers_whenGenerate_thenInvalidProviderResponse() {
        server.enqueue(json(200, "{\"images\":[42]}"));
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html>proxy</html>").build());

        Throwable malformed = failureOf(provider.generateImageAsync(new EndpointCall<>(lighthouse(TITAN).build(),
                endpoint(TITAN))));
        Throwable html = failureOf(provider.generateImageAsync(new EndpointCall<>(lighthouse(TITAN).build(),
                endpoint(TITAN))));

        assertThat(malformed).isInstanceOf(InvalidProviderResponseException.class).hasMessageContaining("$.images[0]");
        assertThat(html).isInstanceOf(InvalidProviderResponseException.class);
    }

    @Test
    void givenPrimaryThrottled_whenRouterImageGeneration_thenBackupAnswersPricedPerImageFromTheTable() {
        // given
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .addHeader("x-amzn-errortype", "ThrottlingException").body("{\"message\":\"Too many requests\"}")
                .build());
        backup.enqueue(json(200, "{\"images\":[\"aW1hZ2Ux\",\"aW1hZ2Uy\"]}"));
        try (Router router = Router.builder()
                .deployment(deployment("images", "primary", server))
                .deployment(deployment("images-backup", "backup", backup))
                .fallbackPolicy(f -> f.fallbacks("images", "images-backup"))
                .retryPolicy(r -> r.numRetries(0)).build()) {
            // when
            ImageResponse response = router.imageGeneration(lighthouse("images").n(2).build());
            // then
            assertThat(response.data()).hasSize(2);
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "backup");
            // 2 images at amazon.titan-image-generator-v2's $0.008 per image
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.016"));
        }
    }

    private Deployment deployment(String group, String id, MockWebServer at) {
        return Deployment.builder(group, "bedrock/" + TITAN).id(id).provider(provider)
                .apiBase(at.url("/").toString()).option(BedrockProvider.REGION, "us-east-1")
                .option(BedrockProvider.CREDENTIALS, BedrockTestSupport.credentials()).build();
    }
}
