package io.llmrouter.providers.openai;

import static io.llmrouter.providers.openai.TestSupport.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.responses.ResponsesRequest;
import io.llmrouter.api.responses.ResponsesResponse;
import io.llmrouter.providers.testsupport.StartedServers;
import java.math.BigDecimal;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OpenAI Responses API as a pass-through through a {@link Router}, bodies from OpenAI's API reference. */
@ExtendWith(StartedServers.class)
class OpenAiResponsesTest {

    private static final String KEY = "sk-test-responses-0123456789";

    private static final String ANSWER = """
            {"id":"resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b","object":"response",
             "created_at":1741476542,"status":"completed","model":"gpt-4o-2024-08-06",
             "output":[{"type":"message","id":"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b",
               "status":"completed","role":"assistant",
               "content":[{"type":"output_text","text":"In a peaceful grove beneath a silver moon...","annotations":[]}]}],
             "usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":0},"output_tokens":87,
                      "output_tokens_details":{"reasoning_tokens":0},"total_tokens":123}}""";

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();

    private static ObjectNode body() {
        return (ObjectNode) tree("""
                {"model":"ignored","input":"Tell me a three sentence bedtime story about a unicorn.",
                 "max_output_tokens":200}""");
    }

    private Router router() {
        return Router.builder()
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("primary")
                        .apiBase(server.url("/v1").toString()).apiKey(Secret.of(KEY)).build())
                .deployment(Deployment.builder("gpt-4o-backup", "openai/gpt-4o").id("backup")
                        .apiBase(backup.url("/v1").toString()).apiKey(Secret.of(KEY)).build())
                .fallbackPolicy(f -> f.fallbacks("gpt-4o", "gpt-4o-backup"))
                .retryPolicy(r -> r.numRetries(0)).build();
    }

    @Test
    void givenResponsesRequest_whenPrimaryAnswers500_thenBackupGetsTheBodyWithItsModelAndTheAnswerIsKeptWhole()
            throws Exception {
        // given
        server.enqueue(json(500, "{\"error\":{\"message\":\"server error\",\"type\":\"server_error\"}}"));
        backup.enqueue(json(200, ANSWER));
        try (Router router = router()) {
            // when
            ResponsesResponse response = router.responses(ResponsesRequest.of("gpt-4o", body()));
            // then
            RecordedRequest sent = backup.takeRequest(5, SECONDS);
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/responses");
            assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
            assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                    {"model":"gpt-4o","input":"Tell me a three sentence bedtime story about a unicorn.",
                     "max_output_tokens":200}"""));
            assertThat(response.body()).isEqualTo(tree(ANSWER));
            assertThat(response.model()).isEqualTo("gpt-4o-2024-08-06");
            assertThat(response.usage()).contains(Usage.builder().promptTokens(36).completionTokens(87)
                    .totalTokens(123).build());
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "backup");
            // 36 input tokens at $0.0000025 + 87 output tokens at $0.00001 = $0.00009 + $0.00087
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.00096"));
        }
    }

    @Test
    void givenHtmlPage_whenResponses_thenInvalidProviderResponse() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html>proxy</html>").build());
        backup.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html>proxy</html>").build());
        try (Router router = router()) {
            assertThatThrownBy(() -> router.responses(ResponsesRequest.of("gpt-4o", body())))
                    .isInstanceOf(InvalidProviderResponseException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
        }
    }

    @Test
    void givenStreamingBody_whenBuilt_thenRefused() {
        ObjectNode streaming = body().put("stream", true);

        assertThatThrownBy(() -> ResponsesRequest.of("gpt-4o", streaming)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stream");
    }

    @Test
    void givenAdapterWithoutResponses_whenRouterResponses_thenBadRequestBeforeAnyNetworkCall() {
        try (Router router = Router.builder().deployment(Deployment.builder("claude", "anthropic/claude-3-5-haiku")
                .apiBase(server.url("/").toString()).apiKey(Secret.of(KEY)).build()).build()) {
            assertThatThrownBy(() -> router.responses(ResponsesRequest.of("claude", body())))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("does not support the Responses API");
            assertThat(server.getRequestCount()).isZero();
        }
    }
}
