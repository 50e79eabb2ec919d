package io.llmrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** "My primary vendor is down, my fallback answers": real adapters and HTTP, two loopback upstreams. */
class PrimaryDownFallbackAnswersTest {

    @Test
    void givenPrimaryVendorDown_whenCompletion_thenFallbackAnswers() {
        try (FaultServer openAi = FaultServer.openAi().then(Fault.status(503)).start();
                FaultServer anthropic = FaultServer.anthropic().then(Fault.ok("hi from Claude")).start();
                Router router = Router.builder()
                        .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("primary")
                                .apiBase(openAi.url()).apiKey(Secret.of("sk-test")).build())
                        .deployment(Deployment.builder("claude", "anthropic/claude-sonnet-4-5").id("fallback")
                                .apiBase(anthropic.url()).apiKey(Secret.of("sk-ant-test")).build())
                        .fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", "claude")).retryPolicy(retry -> retry.backoff(Duration.ZERO, Duration.ZERO)).build()) {

            ChatResponse response = router.completion(ChatRequest.ofUser("gpt-4o", "hello"));

            assertThat(response.text()).isEqualTo("hi from Claude");
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "primary", "primary", "fallback");
            assertThat(openAi.callCount()).isEqualTo(3);
        }
    }
}
