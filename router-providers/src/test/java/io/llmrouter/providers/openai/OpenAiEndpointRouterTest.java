package io.llmrouter.providers.openai;

import static io.llmrouter.providers.openai.TestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.completion.TextCompletionResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.moderation.ModerationRequest;
import io.llmrouter.api.moderation.ModerationResponse;
import io.llmrouter.providers.testsupport.StartedServers;
import java.math.BigDecimal;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Text completion and moderation through a real {@link Router}: fallbacks, cost, refusals. */
@ExtendWith(StartedServers.class)
class OpenAiEndpointRouterTest {

    private final MockWebServer failing = new MockWebServer();
    private final MockWebServer healthy = new MockWebServer();

    private static MockResponse serverError() {
        return json(500, "{\"error\":{\"message\":\"The server had an error while processing your request.\","
                + "\"type\":\"server_error\",\"param\":null,\"code\":null}}");
    }

    private Deployment deployment(String group, String route, String id, MockWebServer server) {
        return Deployment.builder(group, route).id(id).apiBase(server.url("/v1").toString())
                .apiKey(Secret.of("sk-test-router-key")).build();
    }

    @Test
    void givenPrimaryAnswering500_whenTextCompletion_thenFallbackAnswersPricedByTokens() {
        // given
        failing.enqueue(serverError());
        healthy.enqueue(json(200, OpenAiTextCompletionAndModerationTest.COMPLETION_ANSWER));
        try (Router router = Router.builder()
                .deployment(deployment("instruct", "openai/gpt-3.5-turbo-instruct", "primary", failing))
                .deployment(deployment("instruct-backup", "openai/gpt-3.5-turbo-instruct", "backup", healthy))
                .fallbackPolicy(f -> f.fallbacks("instruct", "instruct-backup"))
                .retryPolicy(r -> r.numRetries(0)).build()) {
            // when
            TextCompletionResponse response = router.textCompletion(
                    TextCompletionRequest.builder("instruct").addPrompt("Say this is a test").maxTokens(7).build());
            // then
            assertThat(response.text()).isEqualTo("\n\nThis is indeed a test");
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "backup");
            // 5 prompt tokens at $0.0000015 + 7 completion tokens at $0.000002 = $0.0000075 + $0.000014
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.0000215"));
            assertThat(failing.getRequestCount()).isEqualTo(1);
            assertThat(healthy.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void givenModerationDeployment_whenModeration_thenAnswersWithZeroCostFromThePriceTable() {
        // given
        healthy.enqueue(json(200, OpenAiTextCompletionAndModerationTest.MODERATION_ANSWER));
        try (Router router = Router.builder()
                .deployment(deployment("moderation", "openai/omni-moderation-latest", "mod", healthy)).build()) {
            // when
            ModerationResponse response = router.moderation(ModerationRequest.of("moderation", "I want to hurt them."));
            // then
            assertThat(response.isFlagged()).isTrue();
            assertThat(response.results().get(0).categoryScores()).containsEntry("harassment", 0.8189693396524255);
            assertThat(response.cost().isPriced()).isTrue();
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(response.routing().orElseThrow().deploymentId()).isEqualTo("mod");
        }
    }

    @Test
    void givenAlias_whenModeration_thenRoutedToItsGroup() {
        healthy.enqueue(json(200, OpenAiTextCompletionAndModerationTest.MODERATION_ANSWER));
        try (Router router = Router.builder()
                .deployment(deployment("moderation", "openai/omni-moderation-latest", "mod", healthy))
                .alias("safety", "moderation", false).build()) {
            ModerationResponse response = router.moderation(ModerationRequest.of("safety", "hello"));

            assertThat(response.routing().orElseThrow().modelGroup()).isEqualTo("moderation");
            assertThat(healthy.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void givenPromptWithALoneSurrogate_whenTextCompletion_thenBadRequestNamingTheFieldBeforeAnyNetworkCall() {
        try (Router router = Router.builder()
                .deployment(deployment("instruct", "openai/gpt-3.5-turbo-instruct", "primary", healthy)).build()) {
            assertThatThrownBy(() -> router.textCompletion(TextCompletionRequest.builder("instruct")
                    .addPrompt("ok").addPrompt("broken \uD800 text").build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("prompts[1]");
            assertThat(healthy.getRequestCount()).isZero();
        }
    }

    @Test
    void givenAdapterWithoutTextCompletions_whenTextCompletion_thenBadRequestBeforeAnyNetworkCall() {
        try (Router router = Router.builder()
                .deployment(deployment("claude", "anthropic/claude-3-5-haiku-20241022", "claude-1", healthy))
                .build()) {
            assertThatThrownBy(() -> router.textCompletion(TextCompletionRequest.of("claude", "hi")))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("does not support text completions")
                    .extracting(e -> ((LlmRouterException) e).deploymentId()).isEqualTo(java.util.Optional.of("claude-1"));
            assertThatThrownBy(() -> router.moderationAsync(ModerationRequest.of("claude", "hi")).join())
                    .hasCauseInstanceOf(BadRequestException.class);
            assertThat(healthy.getRequestCount()).isZero();
        }
    }
}
