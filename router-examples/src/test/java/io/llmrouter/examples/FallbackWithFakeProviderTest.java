package io.llmrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.testing.FakeProvider;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How a user tests "primary fails with 429, fallback answers" in their own code, without network. */
class FallbackWithFakeProviderTest {

    @Test
    void givenPrimaryRateLimited_whenCompletion_thenFallbackAnswers() {
        FakeProvider primary = FakeProvider.failingWith(429);
        FakeProvider fallback = FakeProvider.replying("hi from the fallback");
        try (Router router = Router.builder()
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("primary").provider(primary).build())
                .deployment(Deployment.builder("claude", "anthropic/claude-sonnet-4-5").id("fallback").provider(fallback).build())
                .fallbackPolicy(fallbackP -> fallbackP.fallbacks("gpt-4o", "claude"))
                .retryPolicy(retry -> retry.backoff(Duration.ZERO, Duration.ZERO))
                .build()) {

            ChatResponse response = router.completion(ChatRequest.ofUser("gpt-4o", "hello"));

            assertThat(response.text()).isEqualTo("hi from the fallback");
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "primary", "primary", "fallback");
            assertThat(fallback.requests()).singleElement()
                    .satisfies(request -> assertThat(request.model()).isEqualTo("claude-sonnet-4-5"));
        }
    }
}
