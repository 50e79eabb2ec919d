package io.llmrouter.providers.azure;

import static io.llmrouter.providers.azure.AzureTestSupport.json;
import static io.llmrouter.providers.azure.AzureTestSupport.resource;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.testing.FakeProvider;
import java.math.BigDecimal;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Azure adapter behind a real {@link Router}, found through {@link java.util.ServiceLoader}. */
@ExtendWith(StartedServers.class)
class AzureOpenAiRouterTest {

    private final MockWebServer server = new MockWebServer();

    private Deployment.Builder azureDeployment() {
        return Deployment.builder("gpt-4o", "azure/my-prod-deployment").id("azure-eu")
                .apiBase(server.url("/").toString()).apiKey(Secret.of("azure-test-key-0123"))
                .option(AzureOpenAiProvider.API_VERSION, "2024-10-21");
    }

    @Test
    void givenAzureDeploymentWithBaseModel_whenCompletion_thenCostIsPricedAsThatModel() throws Exception {
        // given: 1000 prompt and 500 completion tokens (chat-response.json)
        server.enqueue(json(200, resource("chat-response.json")));
        try (Router router = Router.builder().deployment(azureDeployment().baseModel("gpt-4o").build())
                .retryPolicy(retry -> retry.numRetries(0).backoff(Duration.ZERO, Duration.ZERO)).build()) {
            // when
            ChatResponse response = router.completion(ChatRequest.ofUser("gpt-4o", "What is the capital of France?"));
            // then: gpt-4o at $2.50 / $10.00 per million tokens
            Cost cost = response.cost();
            assertThat(cost.isPriced()).isTrue();
            assertThat(cost.pricedBy()).contains("gpt-4o");
            assertThat(cost.inputUsd()).isEqualByComparingTo("0.0025");
            assertThat(cost.outputUsd()).isEqualByComparingTo("0.005");
            assertThat(cost.totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.0075"));
            assertThat(response.text()).isEqualTo("Paris is the capital of France.");
            assertThat(response.routing().orElseThrow().deploymentId()).isEqualTo("azure-eu");
        }
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/deployments/my-prod-deployment/chat/completions");
        assertThat(sent.getHeaders().get("api-key")).isEqualTo("azure-test-key-0123");
    }

    @Test
    void givenAzureDeploymentWithoutBaseModel_whenCompletion_thenCostIsUnpriced() {
        server.enqueue(json(200, resource("chat-response.json")));
        try (Router router = Router.builder().deployment(azureDeployment().build())
                .retryPolicy(retry -> retry.numRetries(0).backoff(Duration.ZERO, Duration.ZERO)).build()) {

            ChatResponse response = router.completion(ChatRequest.ofUser("gpt-4o", "What is the capital of France?"));

            assertThat(response.cost().isPriced()).isFalse();
            assertThat(response.cost().unpricedReason()).hasValueSatisfying(r -> assertThat(r).contains("azure/my-prod-deployment"));
        }
    }

    private static final String FILTERED = """
            {"id":"chatcmpl-azure-filtered","object":"chat.completion","created":1735689600,"model":"gpt-4o-2024-11-20",
             "choices":[{"index":0,"finish_reason":"content_filter","message":{"role":"assistant","content":null},
              "content_filter_results":{"hate":{"filtered":true,"severity":"high"}}}],
             "usage":{"prompt_tokens":12,"completion_tokens":0,"total_tokens":12}}
            """;

    @Test
    void givenContentFilteredAnswer_whenTheGroupHasAContentPolicyFallback_thenTheFallbackAnswersElseItIsReturned() {
        server.enqueue(json(200, FILTERED));
        server.enqueue(json(200, FILTERED));
        Deployment lenient = Deployment.builder("lenient", "openai/gpt-4o").id("lenient")
                .provider(FakeProvider.replying("from lenient")).build();
        try (Router withFallback = Router.builder().deployment(azureDeployment().build()).deployment(lenient)
                .fallbackPolicy(fallback -> fallback.contentPolicyFallbacks("gpt-4o", "lenient")).retryPolicy(retry -> retry.numRetries(0)).build();
                Router without = Router.builder().deployment(azureDeployment().build()).retryPolicy(retry -> retry.numRetries(0)).build()) {

            ChatResponse fallenBack = withFallback.completion(ChatRequest.ofUser("gpt-4o", "hi"));
            ChatResponse asIs = without.completion(ChatRequest.ofUser("gpt-4o", "hi"));

            assertThat(fallenBack.text()).isEqualTo("from lenient");
            assertThat(fallenBack.routing().orElseThrow().attempts()).extracting(a -> a.errorType().orElse("ok"))
                    .containsExactly("ContentPolicyViolationException", "ok");
            assertThat(asIs.finishReason()).contains(FinishReason.CONTENT_FILTER);
            assertThat(asIs.choices().get(0).rawFinishReason()).isEqualTo("content_filter");
        }
    }
}
