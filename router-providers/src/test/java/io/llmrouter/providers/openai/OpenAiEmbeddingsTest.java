package io.llmrouter.providers.openai;

import static io.llmrouter.providers.openai.TestSupport.json;
import static io.llmrouter.providers.openai.TestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.ProviderOptions;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(StartedServers.class)
class OpenAiEmbeddingsTest {

    private static final String KEY = "sk-test-embed-0123456789";

    private final MockWebServer server = new MockWebServer();

    private OpenAiProvider openAi() {
        return OpenAiProvider.builder().defaultApiBase(server.url("/v1").toString())
                .environment(environment(Map.of())).build();
    }

    private static Endpoint.Builder endpoint(String route) {
        return Endpoint.builder().deploymentId("embed-1").modelGroup("embeddings").providerRoute(route)
                .timeout(Duration.ofSeconds(5));
    }

    private static EmbeddingCall call(EmbeddingRequest request, Endpoint endpoint) {
        return new EmbeddingCall(request, endpoint);
    }

    private static EmbeddingCall openAiCall(EmbeddingRequest request) {
        return call(request, endpoint("openai/" + request.model()).apiKey(Secret.of(KEY)).build());
    }

    @Test
    void givenEmbeddingRequest_whenEmbed_thenPostsExactBodyAndHeadersToEmbeddings() throws Exception {
        // given
        server.enqueue(json(200, resource("openai", "embeddings-base64-response.json")));
        EmbeddingRequest request = EmbeddingRequest.builder("text-embedding-3-small").addInput("hello")
                .addInput("world").dimensions(3).user("end-user-1").addTag("search")
                .putExtraBody("input_type", TextNode.valueOf("query")).build();
        EmbeddingCall call = call(request, endpoint("openai/text-embedding-3-small").apiKey(Secret.of(KEY))
                .options(ProviderOptions.empty().with(OpenAiProvider.PROJECT, "proj_1")).build());
        // when
        await(openAi().embedAsync(call));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/embeddings");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(sent.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(sent.getHeaders().get("OpenAI-Project")).isEqualTo("proj_1");
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"text-embedding-3-small","input":["hello","world"],"dimensions":3,
                 "encoding_format":"base64","user":"end-user-1","input_type":"query"}"""));
    }

    @Test
    void givenBase64Answer_whenEmbed_thenDecodesLittleEndianFloatsAndUsage() throws Exception {
        server.enqueue(json(200, resource("openai", "embeddings-base64-response.json")));

        EmbeddingResponse response = await(openAi().embedAsync(openAiCall(EmbeddingRequest.of(
                "text-embedding-3-small", "hello"))));

        assertThat(response.model()).isEqualTo("text-embedding-3-small");
        assertThat(response.data()).containsExactly(Embedding.of(0, new float[] {0.125f, -2.5f, 3.75f}));
        assertThat(response.usage()).contains(Usage.builder().promptTokens(5).completionTokens(0).totalTokens(5)
                .build());
    }

    @Test
    void givenServerIgnoringBase64_whenEmbed_thenReadsFloatArrays() throws Exception {
        // given: Ollama answers floats whatever encoding_format says
        server.enqueue(json(200, resource("ollama", "embeddings-float-response.json")));
        OpenAiProvider ollama = OpenAiProvider.builder().vendor(OpenAiCompatibleVendor.OLLAMA)
                .defaultApiBase(server.url("/v1").toString()).environment(environment(Map.of())).build();
        // when
        EmbeddingResponse response = await(ollama.embedAsync(call(EmbeddingRequest.of("all-minilm", "hi"),
                endpoint("ollama/all-minilm").build())));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/embeddings");
        assertThat(sent.getHeaders().get("Authorization")).isNull();
        assertThat(response.data().get(0).vector()).containsExactly(0.010071029f, -0.0017594862f, 0.05007221f);
        assertThat(response.usage()).contains(Usage.builder().promptTokens(2).totalTokens(2).build());
    }

    @Test
    void givenMistralEmbeddings_whenEmbed_thenCallsItsBaseWithItsKey() throws Exception {
        server.enqueue(json(200, resource("mistral", "embeddings-response.json")));
        OpenAiProvider mistral = OpenAiProvider.builder().vendor(OpenAiCompatibleVendor.MISTRAL)
                .defaultApiBase(server.url("/v1").toString())
                .environment(environment(Map.of("MISTRAL_API_KEY", "mistral-key"))).build();

        EmbeddingResponse response = await(mistral.embedAsync(call(EmbeddingRequest.of("mistral-embed", "hi"),
                endpoint("mistral/mistral-embed").build())));

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer mistral-key");
        assertThat(response.data().get(0).dimensions()).isEqualTo(3);
        assertThat(response.usage()).contains(Usage.builder().promptTokens(6).totalTokens(6).build());
    }

    @Test
    void givenRateLimit_whenEmbed_thenRetryableRateLimitWithDelay() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .addHeader("retry-after-ms", "250").body("{\"error\":{\"message\":\"Rate limit reached\","
                        + "\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}").build());

        Throwable failure = failureOf(openAi().embedAsync(openAiCall(EmbeddingRequest.of("m", "hi"))));

        assertThat(failure).isExactlyInstanceOf(RateLimitException.class);
        assertThat(((RateLimitException) failure).retryAfter()).contains(Duration.ofMillis(250));
        assertThat(((LlmRouterException) failure).deploymentId()).contains("embed-1");
    }

    @Test
    void givenTooLongInput_whenEmbed_thenContextWindowExceeded() {
        server.enqueue(json(400, "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens, "
                + "however you requested 9000 tokens.\",\"type\":\"invalid_request_error\",\"param\":null,"
                + "\"code\":null}}"));

        Throwable failure = failureOf(openAi().embedAsync(openAiCall(EmbeddingRequest.of("m", "long"))));

        assertThat(failure).isExactlyInstanceOf(ContextWindowExceededException.class);
    }

    @Test
    void givenMalformedAnswer_whenEmbed_thenInvalidResponseNamingThePath() {
        server.enqueue(json(200, "{\"model\":\"m\",\"data\":[{\"index\":0,\"embedding\":\"AAAAPgA=\"}]}"));

        Throwable failure = failureOf(openAi().embedAsync(openAiCall(EmbeddingRequest.of("m", "hi"))));

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("data[0].embedding: base64 text of 5 bytes");
        assertThat(((LlmRouterException) failure).isRetryable()).isTrue();
    }

    @Test
    void givenHtmlWith200_whenEmbed_thenInvalidResponseSayingHtml() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html>login</html>").build());

        Throwable failure = failureOf(openAi().embedAsync(openAiCall(EmbeddingRequest.of("m", "hi"))));

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("HTML page");
    }

    @Test
    void givenMissingKey_whenEmbed_thenAuthenticationBeforeAnyRequest() {
        Throwable failure = failureOf(openAi().embedAsync(call(EmbeddingRequest.of("m", "hi"),
                endpoint("openai/m").build())));

        assertThat(failure).isExactlyInstanceOf(AuthenticationException.class).hasMessageContaining("OPENAI_API_KEY");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenNoApiBaseForVllm_whenEmbed_thenBadRequestBeforeAnyRequest() {
        Throwable failure = failureOf(OpenAiProvider.of(OpenAiCompatibleVendor.VLLM).embedAsync(call(
                EmbeddingRequest.of("m", "hi"), endpoint("vllm/m").build())));

        assertThat(failure).isExactlyInstanceOf(BadRequestException.class).hasMessageContaining("no apiBase");
    }

    @Test
    void rejectsNullCallAtOnce() {
        assertThatThrownBy(() -> openAi().embedAsync(null)).isInstanceOf(NullPointerException.class);
    }
}
