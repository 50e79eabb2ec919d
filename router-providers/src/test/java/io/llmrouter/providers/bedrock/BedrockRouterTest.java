package io.llmrouter.providers.bedrock;

import static io.llmrouter.providers.bedrock.BedrockTestSupport.CLOCK;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SONNET;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SONNET_PATH;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.json;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.resource;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter bound to deployments of a real {@link Router}, priced from the bundled price table. */
class BedrockRouterTest {

    private MockWebServer server;
    private final BedrockProvider provider = BedrockProvider.builder()
            .environment(BedrockTestSupport.environment(Map.of())).clock(CLOCK).build();

    @BeforeEach
    void startServer() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void givenThrottledFirstAnswer_whenRouterCompletion_thenRetriesAndPricesTheAnswerFromTheBundledTable()
            throws Exception {
        // given
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .addHeader("x-amzn-errortype", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")
                .body("{\"message\":\"Too many requests, please wait before trying again.\"}").build());
        server.enqueue(json(200, resource("converse-response-text.json")));
        Deployment claude = Deployment.builder("claude", "bedrock/" + SONNET).id("claude-us-east-1")
                .provider(provider)
                .apiBase(server.url("/").toString())
                .option(BedrockProvider.REGION, "us-east-1")
                .option(BedrockProvider.CREDENTIALS, BedrockTestSupport.temporaryCredentials())
                .build();
        try (Router router = Router.builder().deployment(claude).numRetries(1)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(1)).build()) {
            // when
            ChatResponse response = router.completion(ChatRequest.ofUser("claude", "Where was this photo taken?"));
            // then
            assertThat(response.text()).isEqualTo("Lyon, France.");
            assertThat(response.model()).isEqualTo(SONNET);
            List<Attempt> attempts = response.routing().orElseThrow().attempts();
            assertThat(attempts).extracting(Attempt::deploymentId).containsExactly("claude-us-east-1",
                    "claude-us-east-1");
            assertThat(attempts.get(0).errorType()).contains("RateLimitException");
            assertThat(attempts.get(0).statusCode()).hasValue(429);
            // 1612 input tokens at $0.000003 + 4 output tokens at $0.000015 (anthropic.claude-3-5-sonnet-20240620-v1:0)
            assertThat(response.cost().isPriced()).isTrue();
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.004896"));
            server.takeRequest(5, SECONDS);
            RecordedRequest retried = server.takeRequest(5, SECONDS);
            assertThat(retried.getUrl().encodedPath()).isEqualTo(SONNET_PATH);
            assertThat(retried.getHeaders().get("Authorization")).contains("/us-east-1/bedrock/aws4_request");
        }
    }

    @Test
    void givenTitanDeployment_whenRouterEmbedding_thenReturnsVectorsPricedFromTheBundledTable() {
        // given
        server.enqueue(json(200, resource("titan-embed-response-1.json")));
        Deployment titan = Deployment.builder("embeddings", "bedrock/amazon.titan-embed-text-v2:0").id("titan")
                .provider(provider)
                .apiBase(server.url("/").toString())
                .option(BedrockProvider.REGION, "us-east-1")
                .option(BedrockProvider.CREDENTIALS, BedrockTestSupport.credentials())
                .build();
        try (Router router = Router.builder().deployment(titan).build()) {
            // when
            EmbeddingResponse response = router.embedding(EmbeddingRequest.of("embeddings", "The food was delicious."));
            // then
            assertThat(response.data()).hasSize(1);
            assertThat(response.data().get(0).vector()).containsExactly(0.125f, -0.5f, 0.75f, 0.0f);
            assertThat(response.usage().orElseThrow().promptTokens()).isEqualTo(5);
            // 5 input tokens at $0.0000002 (amazon.titan-embed-text-v2:0)
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.000001"));
        }
    }
}
