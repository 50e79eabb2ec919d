package io.llmrouter.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter behind a real {@link Router}, found through {@link java.util.ServiceLoader}. */
class OpenAiRouterTest {

    private static final String ANSWER = """
            {"id":"chatcmpl-backup","object":"chat.completion","created":1735689600,"model":"gpt-4o",
             "choices":[{"index":0,"message":{"role":"assistant","content":"hi from backup"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""";

    private MockWebServer failing;
    private MockWebServer healthy;

    @BeforeEach
    void startServers() throws IOException {
        failing = new MockWebServer();
        failing.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(500).addHeader("Content-Type", "application/json")
                        .body("{\"error\":{\"message\":\"The server had an error while processing your request.\","
                                + "\"type\":\"server_error\",\"param\":null,\"code\":null}}")
                        .build();
            }
        });
        failing.start();
        healthy = new MockWebServer();
        healthy.start();
    }

    @AfterEach
    void stopServers() {
        failing.close();
        healthy.close();
    }

    @Test
    void givenPrimaryGroupAnswering500_whenCompletion_thenFallbackGroupAnswersAndAttemptsListEveryCall() {
        // given
        healthy.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(ANSWER).build());
        Deployment primary = Deployment.builder("gpt-4o", "openai/gpt-4o").id("primary")
                .apiBase(failing.url("/v1").toString()).apiKey(Secret.of("sk-test")).build();
        Deployment backup = Deployment.builder("gpt-4o-mini", "openai/gpt-4o-mini").id("backup")
                .apiBase(healthy.url("/v1").toString()).apiKey(Secret.of("sk-test")).build();
        try (Router router = Router.builder().deployment(primary).deployment(backup)
                .fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", "gpt-4o-mini"))
                .retryPolicy(retry -> retry.numRetries(1).backoff(Duration.ofMillis(1), Duration.ofMillis(1))).build()) {
            // when
            ChatResponse response = router.completion(ChatRequest.ofUser("gpt-4o", "hello"));
            // then
            assertThat(response.text()).isEqualTo("hi from backup");
            List<Attempt> attempts = response.routing().orElseThrow().attempts();
            assertThat(attempts).extracting(Attempt::deploymentId).containsExactly("primary", "primary", "backup");
            assertThat(attempts.subList(0, 2)).allSatisfy(a -> {
                assertThat(a.errorType()).contains("ProviderServerException");
                assertThat(a.statusCode()).hasValue(500);
            });
            assertThat(attempts.get(2).isSuccess()).isTrue();
            assertThat(response.routing().orElseThrow().modelGroup()).isEqualTo("gpt-4o-mini");
            assertThat(response.cost().isPriced()).isTrue();
            assertThat(failing.getRequestCount()).isEqualTo(2);
            assertThat(healthy.getRequestCount()).isEqualTo(1);
        }
    }
}
