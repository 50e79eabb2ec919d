package io.llmrouter.providers.openai;

import static io.llmrouter.providers.openai.TestSupport.json;
import static io.llmrouter.providers.openai.TestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.providers.testsupport.StartedServers;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Embeddings through a real {@link Router}, with the adapters found through {@link java.util.ServiceLoader}. */
@ExtendWith(StartedServers.class)
class OpenAiEmbeddingRouterTest {

    private final MockWebServer server = new MockWebServer();

    @Test
    void givenRateLimitedFirstAnswer_whenRouterEmbedding_thenRetriesAndReturnsDecodedVectors() throws Exception {
        // given
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .addHeader("retry-after-ms", "1").body("{\"error\":{\"message\":\"Rate limit reached\","
                        + "\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}").build());
        server.enqueue(json(200, resource("mistral", "embeddings-response.json")));
        Deployment embed = Deployment.builder("embeddings", "mistral/mistral-embed").id("mistral-embed")
                .apiBase(server.url("/v1").toString()).apiKey(Secret.of("mistral-test-key")).build();
        try (Router router = Router.builder().deployment(embed).retryPolicy(retry -> retry.numRetries(1)
                        .backoff(Duration.ofMillis(1), Duration.ofMillis(1))).build()) {
            // when
            EmbeddingResponse response = router.embedding(EmbeddingRequest.of("embeddings", "hello"));
            // then
            assertThat(response.data()).hasSize(1);
            assertThat(response.data().get(0).vector()).containsExactly(-0.016632080078125f, 0.0701904296875f,
                    0.03143310546875f);
            assertThat(response.usage().orElseThrow().promptTokens()).isEqualTo(6);
            assertThat(response.routing().orElseThrow().attempts()).hasSize(2);
            assertThat(server.getRequestCount()).isEqualTo(2);
            server.takeRequest(5, SECONDS);
            RecordedRequest second = server.takeRequest(5, SECONDS);
            assertThat(second.getUrl().encodedPath()).isEqualTo("/v1/embeddings");
            assertThat(second.getHeaders().get("Authorization")).isEqualTo("Bearer mistral-test-key");
            assertThat(tree(second.getBody().utf8())).isEqualTo(tree("""
                    {"model":"mistral-embed","input":["hello"],"encoding_format":"base64"}"""));
        }
    }
}
