package io.llmrouter.providers.cohere;

import static io.llmrouter.providers.cohere.CohereTestSupport.json;
import static io.llmrouter.providers.cohere.CohereTestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.ProviderOptions;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(StartedServers.class)
class CohereEmbeddingsTest {

    private static final String KEY = "co-embed-SECRET-0123456789";

    private final MockWebServer server = new MockWebServer();

    private static CohereProvider provider() {
        return CohereProvider.builder().environment(environment(Map.of())).build();
    }

    private Endpoint.Builder endpoint() {
        return Endpoint.builder().deploymentId("cohere-embed").modelGroup("embeddings")
                .providerRoute("cohere/embed-v4.0").apiBase(server.url("/").toString()).apiKey(Secret.of(KEY));
    }

    private static EmbeddingRequest twoTexts() {
        return EmbeddingRequest.of("embed-v4.0", "hello", "goodbye");
    }

    @Test
    void givenTwoTexts_whenEmbed_thenPostsExactBodyAndReturnsFloatVectorsWithUsage() throws Exception {
        // given
        server.enqueue(json(200, resource("embed-response.json")));
        // when
        EmbeddingResponse response = await(provider().embedAsync(new EmbeddingCall(twoTexts(), endpoint().build())));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v2/embed");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"embed-v4.0","texts":["hello","goodbye"],"input_type":"search_document",
                 "embedding_types":["float"]}"""));
        assertThat(response).isEqualTo(EmbeddingResponse.builder().model("embed-v4.0")
                .addEmbedding(Embedding.of(0, new float[] {0.016296387f, -0.008354187f, 0.04699707f}))
                .addEmbedding(Embedding.of(1, new float[] {-0.0074653625f, 0.0023326874f, 0.013023376f}))
                .usage(Usage.of(2, 0))
                .build());
    }

    @Test
    void givenDimensionsInputTypeOptionAndExtraBody_whenEmbed_thenSentAsCohereFields() throws Exception {
        // given
        server.enqueue(json(200, resource("embed-response.json")));
        EmbeddingRequest request = twoTexts().toBuilder().dimensions(256).user("u-1")
                .putExtraBody("truncate", TextNode.valueOf("END")).build();
        Endpoint endpoint = endpoint()
                .options(ProviderOptions.empty().with(CohereProvider.EMBEDDING_INPUT_TYPE, "search_query")).build();
        // when
        await(provider().embedAsync(new EmbeddingCall(request, endpoint)));
        // then
        assertThat(tree(server.takeRequest(5, SECONDS).getBody().utf8())).isEqualTo(tree("""
                {"model":"embed-v4.0","texts":["hello","goodbye"],"input_type":"search_query",
                 "embedding_types":["float"],"output_dimension":256,"truncate":"END"}"""));
    }

    @Test
    void givenRequestInputType_whenEmbed_thenItWinsOverTheDeploymentOption() throws Exception {
        server.enqueue(json(200, resource("embed-response.json")));
        EmbeddingRequest request = twoTexts().toBuilder().putExtraBody("input_type", TextNode.valueOf("clustering"))
                .build();
        Endpoint endpoint = endpoint()
                .options(ProviderOptions.empty().with(CohereProvider.EMBEDDING_INPUT_TYPE, "search_query")).build();

        await(provider().embedAsync(new EmbeddingCall(request, endpoint)));

        assertThat(tree(server.takeRequest(5, SECONDS).getBody().utf8()).get("input_type").textValue())
                .isEqualTo("clustering");
    }

    @Test
    void givenNoKeyAnywhere_whenEmbed_thenAuthenticationExceptionBeforeAnyRequest() {
        Endpoint endpoint = Endpoint.builder().deploymentId("cohere-embed").modelGroup("embeddings")
                .providerRoute("cohere/embed-v4.0").apiBase(server.url("/").toString()).build();

        Throwable failure = failureOf(CohereProvider.builder().environment(environment(Map.of()))
                .defaultApiBase(server.url("/").toString()).build().embedAsync(new EmbeddingCall(twoTexts(), endpoint)));

        assertThat(failure).isExactlyInstanceOf(AuthenticationException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenFewerVectorsThanTexts_whenEmbed_thenInvalidProviderResponse() {
        server.enqueue(json(200, """
                {"id":"e-1","embeddings":{"float":[[0.5,0.25]]},"meta":{"billed_units":{"input_tokens":2}}}"""));

        Throwable failure = failureOf(provider().embedAsync(new EmbeddingCall(twoTexts(), endpoint().build())));

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("embeddings.float: expected 2 vectors (one per text), was 1");
    }

    @Test
    void givenLegacyFloatArrayShape_whenEmbed_thenVectorsRead() throws Exception {
        server.enqueue(json(200, """
                {"id":"e-2","embeddings":[[0.5,0.25],[1.0,-2.0]],"texts":["hello","goodbye"],
                 "meta":{"billed_units":{"input_tokens":2.0}},"response_type":"embeddings_floats"}"""));

        EmbeddingResponse response = await(provider().embedAsync(new EmbeddingCall(twoTexts(), endpoint().build())));

        assertThat(response.data()).extracting(Embedding::dimensions).containsExactly(2, 2);
        assertThat(response.data().get(1).vector()).containsExactly(1.0f, -2.0f);
        assertThat(response.usage()).contains(Usage.of(2, 0));
    }

    @Test
    void givenRateLimit_whenEmbed_thenRateLimitException() {
        server.enqueue(json(429, "{\"id\":\"r-1\",\"message\":\"too many requests\"}"));

        Throwable failure = failureOf(provider().embedAsync(new EmbeddingCall(twoTexts(), endpoint().build())));

        assertThat(failure).isExactlyInstanceOf(RateLimitException.class).hasMessage(
                "cohere: too many requests (HTTP 429)");
    }

    @Test
    void givenUnusableApiBase_whenEmbed_thenBadRequestBeforeAnyCall() {
        Endpoint endpoint = endpoint().apiBase("not a url").build();

        Throwable failure = failureOf(provider().embedAsync(new EmbeddingCall(twoTexts(), endpoint)));

        assertThat(failure).isExactlyInstanceOf(BadRequestException.class).hasMessageContaining("apiBase");
        assertThat(server.getRequestCount()).isZero();
    }
}
