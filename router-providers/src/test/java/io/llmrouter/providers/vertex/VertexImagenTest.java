package io.llmrouter.providers.vertex;

import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.image.GeneratedImage;
import io.llmrouter.api.image.ImageFormat;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import io.llmrouter.spi.ProviderOptions;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Imagen on Vertex AI ({@code :predict}), bodies from Google's Imagen API reference, directly and through a router. */
@ExtendWith(StartedServers.class)
class VertexImagenTest {

    private static final String TOKEN = "ya29.c.test-access-token-0123456789";
    private static final String MODEL = "imagen-3.0-generate-002";
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final String ANSWER = """
            {"predictions":[
              {"mimeType":"image/png","bytesBase64Encoded":"iVBORw0KGgoAAAANSUhEUgAAAAE="},
              {"mimeType":"image/png","bytesBase64Encoded":"iVBORw0KGgoAAAANSUhEUgAAAAI=","prompt":"A watercolor fox, detailed"}]}""";

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();
    private final VertexAiProvider provider = VertexAiProvider.builder().environment(v -> null)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    private static MockResponse json(int status, String body) {
        return ProviderTestKit.json(status, body, Map.of());
    }

    private Endpoint endpoint(String model) {
        return Endpoint.builder().deploymentId("imagen").modelGroup("images").providerRoute("vertex_ai/" + model)
                .apiBase(server.url("/").toString()).apiKey(Secret.of(TOKEN))
                .options(ProviderOptions.empty().with(VertexAiProvider.PROJECT, "my-project")
                        .with(VertexAiProvider.LOCATION, "us-central1"))
                .build();
    }

    private static ImageRequest.Builder fox(String model) {
        return ImageRequest.builder(model, "A watercolor fox");
    }

    @Test
    void givenImageRequest_whenSent_thenPredictsWithSampleCountAndAspectRatioAndReadsBase64Images() throws Exception {
        // given
        server.enqueue(json(200, ANSWER));
        // when
        ImageResponse response = await(provider.generateImageAsync(new EndpointCall<>(
                fox(MODEL).n(2).size("1408x768").build(), endpoint(MODEL))));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo(
                "/v1/projects/my-project/locations/us-central1/publishers/google/models/" + MODEL + ":predict");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"instances":[{"prompt":"A watercolor fox"}],"parameters":{"sampleCount":2,"aspectRatio":"16:9"}}"""));
        assertThat(response).isEqualTo(ImageResponse.builder().model(MODEL).created(NOW.getEpochSecond())
                .addImage(GeneratedImage.of(null, "iVBORw0KGgoAAAANSUhEUgAAAAE=", null))
                .addImage(GeneratedImage.of(null, "iVBORw0KGgoAAAANSUhEUgAAAAI=", "A watercolor fox, detailed"))
                .build());
    }

    @ParameterizedTest
    @CsvSource({"1024x1024, 1:1", "1920x1080, 16:9", "768x1408, 9:16", "1280x896, 4:3", "768x1024, 3:4"})
    void mapsOpenAiSizesToImagenAspectRatios(String size, String ratio) throws Exception {
        server.enqueue(json(200, ANSWER));

        await(provider.generateImageAsync(new EndpointCall<>(fox(MODEL).size(size).build(), endpoint(MODEL))));

        assertThat(tree(server.takeRequest(5, SECONDS).getBody().utf8()).at("/parameters")).isEqualTo(tree(
                "{\"sampleCount\":1,\"aspectRatio\":\"" + ratio + "\"}"));
    }

    @Test
    void givenSizeThatIsNotAnImagenAspectRatio_whenGenerate_thenBadRequestBeforeAnyCall() {
        Throwable failure = failureOf(provider.generateImageAsync(new EndpointCall<>(fox(MODEL).size("1792x1024")
                .build(), endpoint(MODEL))));

        assertThat(failure).isInstanceOf(BadRequestException.class).hasMessageContaining("1792x1024")
                .hasMessageContaining("aspect ratio");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenUrlFormatOrANonImagenModel_whenGenerate_thenBadRequestBeforeAnyCall() {
        Throwable url = failureOf(provider.generateImageAsync(new EndpointCall<>(fox(MODEL)
                .responseFormat(ImageFormat.URL).build(), endpoint(MODEL))));
        Throwable gemini = failureOf(provider.generateImageAsync(new EndpointCall<>(fox("gemini-2.5-flash").build(),
                endpoint("gemini-2.5-flash"))));

        assertThat(url).isInstanceOf(BadRequestException.class).hasMessageContaining("base64");
        assertThat(gemini).isInstanceOf(BadRequestException.class).hasMessageContaining("not an Imagen model");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenEveryImageFiltered_whenGenerate_thenContentPolicyViolation() {
        server.enqueue(json(200, "{}"));
        server.enqueue(json(200, """
                {"predictions":[{"raiFilteredReason":"56562880: the prompt violated the usage guidelines"}]}"""));

        Throwable empty = failureOf(provider.generateImageAsync(new EndpointCall<>(fox(MODEL).build(),
                endpoint(MODEL))));
        Throwable withReason = failureOf(provider.generateImageAsync(new EndpointCall<>(fox(MODEL).build(),
                endpoint(MODEL))));

        assertThat(empty).isInstanceOf(ContentPolicyViolationException.class).hasMessageContaining("filtered");
        assertThat(withReason).isInstanceOf(ContentPolicyViolationException.class)
                .hasMessageContaining("56562880: the prompt violated the usage guidelines");
    }

    @Test
    void givenMalformedOrHtmlAnswers_whenGenerate_thenInvalidProviderResponse() {
        server.enqueue(json(200, "{\"predictions\":[{\"bytesBase64Encoded\":42}]}"));
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html><body>Sign in</body></html>").build());

        Throwable malformed = failureOf(provider.generateImageAsync(new EndpointCall<>(fox(MODEL).build(),
                endpoint(MODEL))));
        Throwable html = failureOf(provider.generateImageAsync(new EndpointCall<>(fox(MODEL).build(),
                endpoint(MODEL))));

        assertThat(malformed).isInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("$.predictions[0].bytesBase64Encoded");
        assertThat(html).isInstanceOf(InvalidProviderResponseException.class);
    }

    @Test
    void givenResourceExhausted_whenGenerate_thenRateLimitWithoutTheToken() {
        server.enqueue(json(429, """
                {"error":{"code":429,"message":"Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model",
                 "status":"RESOURCE_EXHAUSTED"}}"""));

        Throwable failure = failureOf(provider.generateImageAsync(new EndpointCall<>(fox(MODEL).build(),
                endpoint(MODEL))));

        assertThat(failure).isInstanceOf(RateLimitException.class);
        assertThat(failure.getMessage()).doesNotContain(TOKEN);
    }

    @Test
    void givenPrimaryAnswering503_whenRouterImageGeneration_thenBackupAnswersPricedPerImageFromTheTable() {
        // given
        server.enqueue(json(503, "{\"error\":{\"code\":503,\"message\":\"unavailable\",\"status\":\"UNAVAILABLE\"}}"));
        backup.enqueue(json(200, ANSWER));
        try (Router router = Router.builder()
                .deployment(deployment("images", "primary", server))
                .deployment(deployment("images-backup", "backup", backup))
                .fallbackPolicy(f -> f.fallbacks("images", "images-backup"))
                .retryPolicy(r -> r.numRetries(0)).build()) {
            // when
            ImageResponse response = router.imageGeneration(fox("images").n(2).build());
            // then
            assertThat(response.data()).hasSize(2);
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "backup");
            // 2 images at vertex_ai/imagen-3.0-generate-002's $0.04 per image
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.08"));
        }
    }

    private Deployment deployment(String group, String id, MockWebServer at) {
        return Deployment.builder(group, "vertex_ai/" + MODEL).id(id).provider(provider)
                .apiBase(at.url("/").toString()).apiKey(Secret.of(TOKEN))
                .option(VertexAiProvider.PROJECT, "my-project").option(VertexAiProvider.LOCATION, "us-central1")
                .build();
    }
}
