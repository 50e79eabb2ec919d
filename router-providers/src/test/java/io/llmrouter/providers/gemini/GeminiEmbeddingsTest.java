package io.llmrouter.providers.gemini;

import static io.llmrouter.providers.gemini.GeminiTestSupport.KEY;
import static io.llmrouter.providers.gemini.GeminiTestSupport.json;
import static io.llmrouter.providers.gemini.GeminiTestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(StartedServers.class)
class GeminiEmbeddingsTest {

    private final MockWebServer server = new MockWebServer();

    private GeminiProvider provider() {
        return GeminiTestSupport.provider(server);
    }

    private static EmbeddingCall call(EmbeddingRequest request) {
        return new EmbeddingCall(request, Endpoint.builder().deploymentId("embed").modelGroup("embeddings")
                .providerRoute("gemini/" + request.model()).apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5))
                .build());
    }

    @Test
    void givenTwoInputs_whenEmbed_thenPostsOneBatchRequestPerInputAndReturnsVectorsInOrder() throws Exception {
        // given
        server.enqueue(json(200, resource("embeddings-response.json")));
        EmbeddingRequest request = EmbeddingRequest.builder("gemini-embedding-001").addInput("hello")
                .addInput("world").dimensions(3).user("end-user-1")
                .putExtraBody("taskType", TextNode.valueOf("RETRIEVAL_QUERY")).build();
        // when
        EmbeddingResponse response = await(provider().embedAsync(call(request)));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
        assertThat(sent.getUrl().query()).isNull();
        assertThat(sent.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"requests":[
                  {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"hello"}]},
                   "outputDimensionality":3,"taskType":"RETRIEVAL_QUERY"},
                  {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"world"}]},
                   "outputDimensionality":3,"taskType":"RETRIEVAL_QUERY"}]}"""));
        assertThat(response.model()).isEqualTo("gemini-embedding-001");
        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(0).index()).isZero();
        assertThat(response.data().get(0).vector()).containsExactly(0.0123f, -0.0456f, 0.0789f);
        assertThat(response.data().get(1).vector()).containsExactly(-0.5f, 0.25f, 0.125f);
        assertThat(response.usage()).as("AI Studio reports no embedding usage").isEmpty();
    }

    @Test
    void givenUsageMetadata_whenEmbed_thenPromptTokensReported() throws Exception {
        server.enqueue(json(200, """
                {"embeddings":[{"values":[1,2]}],"usageMetadata":{"promptTokenCount":4,"totalTokenCount":4}}"""));

        EmbeddingResponse response = await(provider().embedAsync(call(EmbeddingRequest.of("models/text-embedding-004",
                "hi"))));

        assertThat(response.usage()).contains(Usage.builder().promptTokens(4).totalTokens(4).build());
        assertThat(server.takeRequest(5, SECONDS).getUrl().encodedPath())
                .isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
    }

    @Test
    void givenFewerEmbeddingsThanInputs_whenEmbed_thenInvalidProviderResponse() {
        server.enqueue(json(200, "{\"embeddings\":[{\"values\":[0.1]}]}"));

        Throwable failure = failureOf(provider().embedAsync(call(EmbeddingRequest.of("gemini-embedding-001", "a", "b"))));

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("embeddings: expected 2 embeddings (one per input), got 1");
    }

    @Test
    void givenRateLimit_whenEmbed_thenRateLimitWithRetryInfoDelay() {
        server.enqueue(json(429, resource("error-429-retry-info.json")));

        Throwable failure = failureOf(provider().embedAsync(call(EmbeddingRequest.of("gemini-embedding-001", "a"))));

        assertThat(failure).isExactlyInstanceOf(RateLimitException.class);
        assertThat(((RateLimitException) failure).retryAfter()).contains(Duration.ofMillis(12_500));
    }

    @Test
    void givenNoInputOrNoKey_whenEmbed_thenFailsBeforeAnyRequest() {
        EmbeddingCall keyless = new EmbeddingCall(EmbeddingRequest.of("gemini-embedding-001", "a"), Endpoint.builder()
                .deploymentId("embed").modelGroup("embeddings").providerRoute("gemini/gemini-embedding-001").build());

        assertThat(failureOf(provider().embedAsync(call(EmbeddingRequest.builder("gemini-embedding-001").build()))))
                .isExactlyInstanceOf(BadRequestException.class).hasMessageContaining("input: no text to embed");
        assertThat(failureOf(provider().embedAsync(keyless))).isExactlyInstanceOf(AuthenticationException.class);
        assertThat(server.getRequestCount()).isZero();
    }
}
