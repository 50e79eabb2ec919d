package io.llmrouter.providers.cohere;

import static io.llmrouter.providers.cohere.CohereTestSupport.json;
import static io.llmrouter.providers.cohere.CohereTestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.cost.PriceTable;
import io.llmrouter.providers.testsupport.StartedServers;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The adapter behind a real {@link Router}: a {@code cohere/command-a-03-2025} deployment on
 * MockWebServer, priced from the bundled table. The provider is registered on the builder, since
 * this package's factory is not yet listed in {@code META-INF/services}.
 */
@ExtendWith(StartedServers.class)
class CohereRouterTest {

    private final MockWebServer server = new MockWebServer();

    @Test
    void givenRateLimitedFirstAnswer_whenRouterCompletion_thenRetriesAndPricesFromTheBundledTable() throws Exception {
        // given
        server.enqueue(json(429, "{\"id\":\"rl-1\",\"message\":\"too many requests\"}"));
        server.enqueue(json(200, resource("chat-response-text.json")));
        Deployment command = Deployment.builder("command", "cohere/command-a-03-2025").id("cohere-primary")
                .apiBase(server.url("/").toString()).apiKey(Secret.of("co-router-key")).build();
        CohereProvider provider = CohereProvider.builder().environment(environment(Map.of())).build();
        try (Router router = Router.builder().deployment(command).provider("cohere", provider)
                .priceTable(PriceTable.bundled())
                .retryPolicy(retry -> retry.numRetries(1).backoff(Duration.ofMillis(1), Duration.ofMillis(1))).build()) {
            // when
            ChatResponse response = router.completion(ChatRequest.ofUser("command", "Tell me about Lyon"));
            // then
            assertThat(response.text()).isEqualTo(
                    "Lyon sits where the Rhône and the Saône meet, and it is known for its traboules.");
            assertThat(response.usage()).contains(Usage.of(12, 17));
            List<Attempt> attempts = response.routing().orElseThrow().attempts();
            assertThat(attempts).extracting(Attempt::deploymentId).containsExactly("cohere-primary", "cohere-primary");
            assertThat(attempts.get(0).errorType()).contains("RateLimitException");
            assertThat(attempts.get(1).isSuccess()).isTrue();
            // command-a-03-2025: $0.0000025 per input token, $0.00001 per output token
            assertThat(response.cost().isPriced()).isTrue();
            assertThat(response.cost().pricedBy()).contains("command-a-03-2025");
            assertThat(response.cost().totalUsd().orElseThrow())
                    .isEqualByComparingTo(new BigDecimal("0.0002")); // 12 * 0.0000025 + 17 * 0.00001
            assertThat(server.getRequestCount()).isEqualTo(2);
            server.takeRequest(5, SECONDS);
            RecordedRequest second = server.takeRequest(5, SECONDS);
            assertThat(second.getUrl().encodedPath()).isEqualTo("/v2/chat");
            assertThat(second.getHeaders().get("Authorization")).isEqualTo("Bearer co-router-key");
            assertThat(tree(second.getBody().utf8())).isEqualTo(tree("""
                    {"model":"command-a-03-2025","messages":[{"role":"user","content":"Tell me about Lyon"}],
                     "stream":false}"""));
        }
    }
}
