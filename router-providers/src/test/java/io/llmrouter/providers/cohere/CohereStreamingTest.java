package io.llmrouter.providers.cohere;

import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolCallDelta;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.testing.RecordingSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Cohere v2 chat streaming: events written from Cohere's API reference, and the shared recordings. */
@ExtendWith(StartedServers.class)
class CohereStreamingTest {

    private static final String KEY = "co-test-SECRET-0123456789abcdef";
    private static final String MODEL = "command-a-03-2025";
    private static final String ID = "29f14a5a-11de-4cae-9800-25e4747408ea";

    private final MockWebServer server = new MockWebServer();
    private final CohereProvider provider = CohereProvider.builder().environment(environment(Map.of())).build();

    private ProviderCall call() {
        return ProviderCall.builder(ChatRequest.ofUser(MODEL, "hello")).deploymentId("cohere-primary")
                .modelGroup("command").providerRoute("cohere/" + MODEL).apiBase(server.url("/").toString())
                .apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5)).build();
    }

    private static MockResponse sse(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build();
    }

    private static String event(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    private static String start() {
        return event("message-start", """
                {"type":"message-start","id":"%s","delta":{"message":{"role":"assistant"}}}""".formatted(ID));
    }

    private RecordingSink stream(MockResponse answer) {
        server.enqueue(answer);
        RecordingSink sink = new RecordingSink();
        provider.streamAsync(call(), sink);
        return sink;
    }

    @Test
    void givenStreamCall_whenStream_thenPostsStreamTrueAskingForEventStream() throws Exception {
        // given
        RecordingSink sink = stream(sse(start() + event("message-end", """
                {"type":"message-end","delta":{"finish_reason":"COMPLETE"}}""")));
        // when
        sink.awaitCompleted();
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        // then
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v2/chat");
        assertThat(sent.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"command-a-03-2025","messages":[{"role":"user","content":"hello"}],"stream":true}"""));
    }

    @Test
    void givenTextThinkingAndFloatUsage_whenStream_thenExactChunksWithUsageLast() throws Exception {
        // given
        RecordingSink sink = stream(sse(start()
                + event("content-start", """
                        {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"thinking","thinking":""}}}}""")
                + event("content-delta", """
                        {"type":"content-delta","index":0,"delta":{"message":{"content":{"thinking":"Short."}}}}""")
                + event("content-start", """
                        {"type":"content-start","index":1,"delta":{"message":{"content":{"type":"text","text":""}}}}""")
                + event("content-delta", """
                        {"type":"content-delta","index":1,"delta":{"message":{"content":{"text":"Hi"}}}}""")
                + event("citation-start", """
                        {"type":"citation-start","index":0,"delta":{"message":{"citations":{"start":0,"end":2}}}}""")
                + event("content-end", """
                        {"type":"content-end","index":1}""")
                + event("message-end", """
                        {"type":"message-end","delta":{"finish_reason":"MAX_TOKENS","usage":{"billed_units":{"input_tokens":18.0,"output_tokens":6.0},"tokens":{"input_tokens":1661.0,"output_tokens":19.0}}}}""")
                + "data: [DONE]\n\n"));
        // when
        sink.awaitCompleted();
        // then
        assertThat(sink.chunks()).containsExactly(
                ChatChunk.builder(ID, MODEL).role("assistant").reasoning("Short.").build(),
                ChatChunk.builder(ID, MODEL).text("Hi").build(),
                ChatChunk.builder(ID, MODEL).finishReason(FinishReason.LENGTH).rawFinishReason("MAX_TOKENS").build(),
                ChatChunk.builder(ID, MODEL).usage(Usage.builder().promptTokens(18).completionTokens(6).build())
                        .build());
        sink.assertEndedOnce();
    }

    @Test
    void givenToolPlanAndToolCalls_whenStream_thenPlanIsReasoningAndCallsAccumulate() throws Exception {
        // given
        RecordingSink sink = stream(sse(start()
                + event("tool-plan-delta", """
                        {"type":"tool-plan-delta","delta":{"message":{"tool_plan":"I will look"}}}""")
                + event("tool-plan-delta", """
                        {"type":"tool-plan-delta","delta":{"message":{"tool_plan":" it up."}}}""")
                + event("tool-call-start", """
                        {"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"id":"get_weather_6zv8","type":"function","function":{"name":"get_weather","arguments":""}}}}}""")
                + event("tool-call-delta", """
                        {"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"{\\"city\\":"}}}}}""")
                + event("tool-call-delta", """
                        {"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"\\"Paris\\"}"}}}}}""")
                + event("tool-call-end", """
                        {"type":"tool-call-end","index":0}""")
                + event("tool-call-start", """
                        {"type":"tool-call-start","index":1,"delta":{"message":{"tool_calls":{"id":"get_time_p2k1","type":"function","function":{"name":"get_time","arguments":""}}}}}""")
                + event("tool-call-end", """
                        {"type":"tool-call-end","index":1}""")
                + event("message-end", """
                        {"type":"message-end","delta":{"finish_reason":"TOOL_CALL","usage":{"billed_units":{"input_tokens":41,"output_tokens":23}}}}""")));
        // when
        ChatResponse response = sink.awaitCompletion();
        // then
        assertThat(sink.chunks().get(2).toolCalls())
                .containsExactly(ToolCallDelta.of(0, "get_weather_6zv8", "get_weather", ""));
        Message message = response.choices().get(0).message();
        assertThat(message.reasoningContent()).contains("I will look it up.");
        assertThat(message.extraFields().get(CohereProvider.TOOL_PLAN_FIELD).textValue())
                .isEqualTo("I will look it up.");
        assertThat(response.toolCalls()).containsExactly(ToolCall.of("get_weather_6zv8", "get_weather",
                "{\"city\":\"Paris\"}"), ToolCall.of("get_time_p2k1", "get_time", "{}"));
        assertThat(response.finishReason()).contains(FinishReason.TOOL_CALLS);
        assertThat(response.usage().map(Usage::totalTokens)).contains(64);
    }

    @Test
    void givenFinishReasonTimeout_whenStream_thenRetryableTimeoutNamingTheGeneration() {
        // given
        RecordingSink sink = stream(sse(start() + event("message-end", """
                {"type":"message-end","delta":{"finish_reason":"TIMEOUT"}}""")));
        // when
        Throwable failure = sink.awaitError();
        // then
        assertThat(failure).isInstanceOf(RequestTimeoutException.class);
        assertThat(((LlmRouterException) failure).isRetryable()).isTrue();
        assertThat(((LlmRouterException) failure).providerRequestId()).contains(ID);
        sink.assertEndedOnce();
    }

    @Test
    void givenMalformedEvent_whenStream_thenInvalidProviderResponseQuotingNoKey() {
        // given
        RecordingSink sink = stream(sse(start() + event("content-delta", "{\"type\":\"content-delta\",\"index\":0,"
                + KEY)));
        // when
        Throwable failure = sink.awaitError();
        // then
        assertThat(failure).isInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("malformed JSON").hasMessageNotContaining(KEY);
    }

    @Test
    void givenEventBeforeMessageStart_whenStream_thenInvalidProviderResponse() {
        // given
        RecordingSink sink = stream(sse(event("content-delta", """
                {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hi"}}}}""")));
        // when / then
        assertThat(sink.awaitError()).isInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("content-delta before message-start");
    }

    @Test
    void givenDoneBeforeMessageEnd_whenStream_thenInvalidProviderResponse() {
        // given
        RecordingSink sink = stream(sse(start() + "data: [DONE]\n\n"));
        // when / then
        assertThat(sink.awaitError()).isInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("[DONE] before message-end");
    }

    @Test
    void givenHtmlPageWithStatus200_whenStream_thenInvalidProviderResponse() {
        // given
        RecordingSink sink = stream(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html><body>Bad gateway</body></html>").build());
        // when / then
        assertThat(sink.awaitError()).isInstanceOf(InvalidProviderResponseException.class);
    }

    @Test
    void givenErrorEnvelopeWithStatus200_whenStream_thenServerFailureNamingItsId() {
        // given
        RecordingSink sink = stream(ProviderTestKit.json(200, """
                {"id":"5d1ea3f0-0001","message":"internal error"}""", Map.of()));
        // when
        Throwable failure = sink.awaitError();
        // then
        assertThat(failure).isInstanceOf(ProviderServerException.class).hasMessageContaining("internal error");
        assertThat(((LlmRouterException) failure).providerRequestId()).contains("5d1ea3f0-0001");
    }

    @Test
    void givenSharedToolStreamRecording_whenStream_thenToolPlanIsReasoningAndRawCountsAreNotUsage()
            throws Exception {
        Optional<Path> dir = ProviderTestKit.corpus("cohere");
        assumeTrue(dir.isPresent(), "shared/fixtures/providers/cohere not found; skipping");
        // given
        RecordingSink sink = stream(sse(Files.readString(dir.get().resolve("chat-stream-tools.sse"),
                StandardCharsets.UTF_8)));
        // when
        ChatResponse response = sink.awaitCompletion();
        // then
        assertThat(response.choices().get(0).message().reasoningContent()).contains("I will use the "
                + "query_daily_sales_report tool to find the sales summary for 29th September 2023. I will also use "
                + "the query_product_catalog tool to find the details of the products in the Electronics category.");
        assertThat(response.toolCalls()).extracting(ToolCall::id).containsExactly(
                "query_daily_sales_report_j3f0adww9pmr", "query_product_catalog_c66nf11r6s8g");
        assertThat(response.usage().map(u -> List.of(u.promptTokens(), u.completionTokens())))
                .contains(List.of(126, 84));
    }
}
