package io.llmrouter.providers.bedrock;

import static io.llmrouter.providers.bedrock.BedrockTestSupport.CLOCK;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SONNET;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SONNET_PATH;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.json;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.resource;
import static io.llmrouter.providers.bedrock.internal.EventStreamEncoder.event;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.ChatStream;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolCallDelta;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.providers.bedrock.internal.EventStreamEncoder;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.testing.FakeProvider;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The adapter bound to deployments of a real {@link Router}, priced from the bundled price table. */
@ExtendWith(StartedServers.class)
class BedrockRouterTest {

    private final MockWebServer server = new MockWebServer();
    private final BedrockProvider provider = BedrockProvider.builder()
            .environment(ProviderTestKit.environment(Map.of())).clock(CLOCK).build();

    /** Claude in us-east-1 behind the loopback server, signed with temporary credentials. */
    private Deployment claudeInUsEast1() {
        return Deployment.builder("claude", "bedrock/" + SONNET).id("claude-us-east-1")
                .provider(provider)
                .apiBase(server.url("/").toString())
                .option(BedrockProvider.REGION, "us-east-1")
                .option(BedrockProvider.CREDENTIALS, BedrockTestSupport.temporaryCredentials())
                .build();
    }

    @Test
    void givenThrottledFirstAnswer_whenRouterCompletion_thenRetriesAndPricesTheAnswerFromTheBundledTable()
            throws Exception {
        // given
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .addHeader("x-amzn-errortype", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")
                .body("{\"message\":\"Too many requests, please wait before trying again.\"}").build());
        server.enqueue(json(200, resource("converse-response-text.json")));
        Deployment claude = claudeInUsEast1();
        try (Router router = Router.builder().deployment(claude).retryPolicy(retry -> retry.numRetries(1)
                        .backoff(Duration.ofMillis(1), Duration.ofMillis(1))).build()) {
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

    @Test
    void givenConverseStream_whenRouterStream_thenChunksArriveAndTheAccumulatedUsageIsPriced() throws Exception {
        // given: the corpus's event sequence (text, one tool call in two input fragments), framed by the test encoder
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/vnd.amazon.eventstream")
                .body(EventStreamEncoder.stream(
                        event("messageStart", "{\"role\":\"assistant\"}"),
                        event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Let me look that up.\"}}"),
                        event("contentBlockStop", "{\"contentBlockIndex\":0}"),
                        event("contentBlockStart", "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":"
                                + "{\"toolUseId\":\"tooluse_20Z9zl0BQWSXjFuLKdTJcA\",\"name\":\"top_song\"}}}"),
                        event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"sign\\\": \"}}}"),
                        event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"\\\"WZPZ\\\"}\"}}}"),
                        event("contentBlockStop", "{\"contentBlockIndex\":1}"),
                        event("messageStop", "{\"stopReason\":\"tool_use\"}"),
                        event("metadata", "{\"usage\":{\"inputTokens\":412,\"outputTokens\":58,\"totalTokens\":470},"
                                + "\"metrics\":{\"latencyMs\":1320}}")))
                .build());
        Deployment claude = claudeInUsEast1();
        try (Router router = Router.builder().deployment(claude).retryPolicy(retry -> retry.numRetries(0)).build()) {
            // when
            List<ChatChunk> chunks = new ArrayList<>();
            ChatResponse response;
            try (ChatStream stream = router.stream(ChatRequest.ofUser("claude", "What is the most popular song on WZPZ?"))) {
                for (ChatChunk chunk : stream) {
                    chunks.add(chunk);
                }
                response = stream.response();
            }
            // then
            RecordedRequest sent = server.takeRequest(5, SECONDS);
            assertThat(sent.getUrl().encodedPath()).isEqualTo(SONNET_PATH + "-stream");
            assertThat(sent.getHeaders().get("Accept")).isEqualTo("application/vnd.amazon.eventstream");
            assertThat(sent.getHeaders().get("Authorization")).contains("/us-east-1/bedrock/aws4_request");
            String id = chunks.get(0).id();
            Usage usage = Usage.builder().promptTokens(412).completionTokens(58).build();
            assertThat(chunks).containsExactly(
                    ChatChunk.builder(id, SONNET).role("assistant").text("Let me look that up.").build(),
                    ChatChunk.builder(id, SONNET).addToolCall(ToolCallDelta.of(0, "tooluse_20Z9zl0BQWSXjFuLKdTJcA",
                            "top_song", "")).build(),
                    ChatChunk.builder(id, SONNET).addToolCall(ToolCallDelta.of(0, null, null, "{\"sign\": ")).build(),
                    ChatChunk.builder(id, SONNET).addToolCall(ToolCallDelta.of(0, null, null, "\"WZPZ\"}")).build(),
                    ChatChunk.builder(id, SONNET).finishReason(FinishReason.TOOL_CALLS).rawFinishReason("tool_use")
                            .build(),
                    ChatChunk.builder(id, SONNET).usage(usage).build());
            assertThat(response.text()).isEqualTo("Let me look that up.");
            assertThat(response.toolCalls()).containsExactly(ToolCall.of("tooluse_20Z9zl0BQWSXjFuLKdTJcA", "top_song",
                    "{\"sign\": \"WZPZ\"}"));
            assertThat(response.finishReason()).contains(FinishReason.TOOL_CALLS);
            assertThat(response.usage()).contains(usage);
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("claude-us-east-1");
            // 412 input tokens at $0.000003 + 58 output tokens at $0.000015 (anthropic.claude-3-5-sonnet-20240620-v1:0)
            assertThat(response.cost().isPriced()).isTrue();
            assertThat(response.cost().inputUsd()).isEqualByComparingTo("0.001236");
            assertThat(response.cost().outputUsd()).isEqualByComparingTo("0.00087");
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.002106"));
        }
    }

    private static final String GUARDRAIL = """
            {"output":{"message":{"role":"assistant","content":[{"text":"Sorry, the model cannot answer this question."}]}},
             "stopReason":"guardrail_intervened","usage":{"inputTokens":12,"outputTokens":9,"totalTokens":21},
             "metrics":{"latencyMs":120}}
            """;

    @Test
    void givenGuardrailIntervened_whenTheGroupHasAContentPolicyFallback_thenTheFallbackAnswersElseItIsReturned() {
        server.enqueue(json(200, GUARDRAIL));
        server.enqueue(json(200, GUARDRAIL));
        Deployment claude = claudeInUsEast1();
        Deployment lenient = Deployment.builder("lenient", "openai/gpt-4o").id("lenient")
                .provider(FakeProvider.replying("from lenient")).build();
        try (Router withFallback = Router.builder().deployment(claude).deployment(lenient)
                .fallbackPolicy(fallback -> fallback.contentPolicyFallbacks("claude", "lenient")).retryPolicy(retry -> retry.numRetries(0)).build();
                Router without = Router.builder().deployment(claude).retryPolicy(retry -> retry.numRetries(0)).build()) {

            ChatResponse fallenBack = withFallback.completion(ChatRequest.ofUser("claude", "hi"));
            ChatResponse asIs = without.completion(ChatRequest.ofUser("claude", "hi"));

            assertThat(fallenBack.text()).isEqualTo("from lenient");
            assertThat(fallenBack.routing().orElseThrow().attempts()).extracting(a -> a.errorType().orElse("ok"))
                    .containsExactly("ContentPolicyViolationException", "ok");
            assertThat(asIs.finishReason()).contains(FinishReason.CONTENT_FILTER);
            assertThat(asIs.choices().get(0).rawFinishReason()).isEqualTo("guardrail_intervened");
            assertThat(asIs.text()).isEqualTo("Sorry, the model cannot answer this question.");
        }
    }
}
