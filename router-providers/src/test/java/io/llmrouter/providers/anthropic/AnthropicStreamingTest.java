package io.llmrouter.providers.anthropic;

import static io.llmrouter.providers.anthropic.AnthropicTestSupport.CLOCK;
import static io.llmrouter.providers.anthropic.AnthropicTestSupport.json;
import static io.llmrouter.providers.anthropic.AnthropicTestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.JSON;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolCallDelta;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.providers.testsupport.PullDriver;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.StreamHandle;
import io.llmrouter.testing.RecordingSink;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link AnthropicProvider#streamAsync} against MockWebServer, with event streams shaped as Anthropic's streaming guide. */
@ExtendWith(StartedServers.class)
class AnthropicStreamingTest {

    private static final String KEY = "sk-ant-api03-SECRET-stream-0123456789";
    private static final String MODEL = "claude-sonnet-4-5";

    final MockWebServer server = new MockWebServer();

    // ------------------------------------------------------------------------------------ helpers

    private static AnthropicProvider provider() {
        return AnthropicProvider.builder().clock(CLOCK).build();
    }

    ProviderCall.Builder call(ChatRequest request) {
        return ProviderCall.builder(request).deploymentId("claude-primary").modelGroup("claude")
                .providerRoute("anthropic/" + MODEL).apiBase(server.url("/anthropic").toString())
                .apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5));
    }

    ProviderCall call() {
        return call(ChatRequest.builder(MODEL).addMessage(Message.user("Hello")).stream(true).build()).build();
    }

    static MockResponse sse(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream; charset=utf-8")
                .addHeader("request-id", "req_stream_0123").body(body).build();
    }

    /** Whether {@link #stream} reads through the pull-style {@code openStream} (a subclass runs every test so). */
    boolean pulled() {
        return false;
    }

    private RecordingSink stream(ProviderCall call) {
        if (pulled()) {
            return PullDriver.drain(() -> provider().openStream(call));
        }
        RecordingSink sink = new RecordingSink();
        provider().streamAsync(call, sink);
        return sink;
    }

    private RecordedRequest sent() throws InterruptedException {
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent).as("request sent").isNotNull();
        return sent;
    }

    private static ChatChunk.Builder chunk(String id) {
        return ChatChunk.builder(id, MODEL);
    }

    // ------------------------------------------------------------------------------------ request

    @Test
    void givenStreamedCall_whenStreamAsync_thenPostsTheTranslatedBodyWithStreamTrueAndAcceptsEvents() throws Exception {
        // given
        server.enqueue(sse(resource("stream-basic.sse")));
        ChatRequest request = ChatRequest.builder(MODEL).addMessage(Message.system("Be brief."))
                .addMessage(Message.user("Hello")).maxCompletionTokens(256).stream(true).build();
        // when
        RecordingSink sink = stream(call(request).build());
        sink.awaitCompletion();
        // then
        // (method and headers of a streamed call: AnthropicProviderContractTest's streaming request)
        RecordedRequest sent = sent();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/anthropic/v1/messages");
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"claude-sonnet-4-5","max_tokens":256,"system":"Be brief.",
                 "messages":[{"role":"user","content":"Hello"}],"stream":true}"""));
    }

    @Test
    void givenUntranslatableRequest_whenStreamAsync_thenFailsAtOnceWithoutTraffic() throws Exception {
        // given: temperature above Anthropic's maximum
        ChatRequest request = ChatRequest.builder(MODEL).addMessage(Message.user("Hello")).temperature(1.5).build();
        // when
        RecordingSink sink = new RecordingSink();
        StreamHandle handle = provider().streamAsync(call(request).build(), sink);
        // then
        assertThat(sink.done()).isCompletedExceptionally();
        assertThat(sink.awaitError()).isInstanceOf(BadRequestException.class).hasMessageContaining("temperature");
        assertThat(handle).isSameAs(StreamHandle.NONE);
        assertThat(server.getRequestCount()).isZero();
    }

    // ------------------------------------------------------------------------------------ chunks

    @Test
    void givenTextStream_whenStreamAsync_thenEmitsTextInOrderThenFinishThenUsage() throws Exception {
        // given
        server.enqueue(sse(resource("stream-basic.sse")));
        // when
        RecordingSink sink = stream(call());
        sink.awaitCompletion();
        // then: nothing for message_start or ping; the role rides on the first chunk
        String id = "msg_01StreamBasic000000000000";
        assertThat(sink.chunks()).containsExactly(
                chunk(id).role("assistant").text("Hello").build(),
                chunk(id).text(", how can").build(),
                chunk(id).text(" I help?").build(),
                chunk(id).finishReason(FinishReason.STOP).rawFinishReason("end_turn").build(),
                chunk(id).usage(Usage.builder().promptTokens(25).completionTokens(15).build()).build());
    }

    @Test
    void givenToolUseStream_whenStreamAsync_thenFragmentsReassembleToTheToolCallsJsonArguments() throws Exception {
        // given
        server.enqueue(sse(resource("stream-tool-use.sse")));
        // when
        RecordingSink sink = stream(call());
        sink.awaitCompletion();
        // then: one opening fragment with id and name, then one per non-empty partial_json
        List<ToolCallDelta> deltas = sink.chunks().stream().flatMap(c -> c.toolCalls().stream()).toList();
        assertThat(deltas.get(0)).isEqualTo(ToolCallDelta.of(0, "toolu_01StreamWeather0000000000", "get_weather", ""));
        assertThat(deltas).hasSize(9).allSatisfy(d -> assertThat(d.index()).isZero());
        assertThat(deltas.subList(1, deltas.size())).allSatisfy(d -> {
            assertThat(d.id()).isEmpty();
            assertThat(d.name()).isEmpty();
        });
        ChatResponse response = sink.accumulated();
        assertThat(response.id()).isEqualTo("msg_01StreamToolUse00000000000");
        assertThat(response.text()).isEqualTo("Okay, let's check the weather for San Francisco, CA:");
        assertThat(response.toolCalls()).extracting(ToolCall::id, ToolCall::name)
                .containsExactly(tuple("toolu_01StreamWeather0000000000", "get_weather"));
        assertThat(JSON.readTree(response.toolCalls().get(0).arguments()))
                .isEqualTo(tree("{\"location\":\"San Francisco, CA\",\"unit\":\"fahrenheit\"}"));
        assertThat(response.finishReason()).contains(FinishReason.TOOL_CALLS);
        assertThat(response.choices().get(0).rawFinishReason()).isEqualTo("tool_use");
        // prompt = 472 uncached + 1024 cache writes + 2048 cache reads
        assertThat(response.usage()).contains(Usage.builder().promptTokens(3544).completionTokens(89)
                .cachedTokens(2048).cacheCreationTokens(1024).serviceTier("standard").build());
    }

    @Test
    void givenThinkingThenParallelToolCalls_whenStreamAsync_thenToolIndexesCountToolCallsNotContentBlocks()
            throws Exception {
        // given: thinking block 0, text block 1, tool_use blocks 2 and 3
        server.enqueue(sse(resource("stream-thinking-parallel-tools.sse")));
        // when
        RecordingSink sink = stream(call());
        sink.awaitCompletion();
        // then
        List<ToolCallDelta> deltas = sink.chunks().stream().flatMap(c -> c.toolCalls().stream()).toList();
        assertThat(deltas).extracting(ToolCallDelta::index).containsExactly(0, 0, 0, 1, 1);
        ChatResponse response = sink.accumulated();
        assertThat(response.text()).isEqualTo("I'll look up both.");
        assertThat(response.toolCalls()).extracting(ToolCall::id, ToolCall::name, ToolCall::arguments).containsExactly(
                tuple("toolu_01StreamParallelA00000000", "get_weather",
                        "{\"location\": \"Paris, France\"}"),
                tuple("toolu_01StreamParallelB00000000", "get_time",
                        "{\"timezone\": \"Europe/Paris\"}"));
        assertThat(response.usage()).contains(Usage.of(310, 156));
    }

    @Test
    void givenToolUseBlockWithoutInputDeltas_whenStreamAsync_thenItsArgumentsAreAnEmptyObject() throws Exception {
        // given: a tool without parameters
        server.enqueue(sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_01NoArgs","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":9,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_01NoArgs","name":"get_time","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":12}}

                event: message_stop
                data: {"type":"message_stop"}

                """));
        // when
        RecordingSink sink = stream(call());
        sink.awaitCompletion();
        // then
        assertThat(sink.accumulated().toolCalls()).containsExactly(ToolCall.of("toolu_01NoArgs", "get_time", "{}"));
    }

    @Test
    void givenRefusal_whenStreamAsync_thenFinishesWithContentFilterKeepingTheRawReasonAndPartialText()
            throws Exception {
        // given
        server.enqueue(sse(resource("stream-refusal.sse")));
        // when
        RecordingSink sink = stream(call());
        sink.awaitCompletion();
        // then: a normal end, not an error
        ChatResponse response = sink.accumulated();
        assertThat(response.text()).isEqualTo("Here is how");
        assertThat(response.finishReason()).contains(FinishReason.CONTENT_FILTER);
        assertThat(response.choices().get(0).rawFinishReason()).isEqualTo("refusal");
        assertThat(response.usage()).contains(Usage.of(40, 3));
    }

    @Test
    void givenMessageDeltaUsageRepeatingInputCounts_whenStreamAsync_thenLastValueOfEachFieldWins() throws Exception {
        // given: message_delta repeats input and cache counts (newer API versions), output is cumulative
        server.enqueue(sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_01Usage","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":10,"cache_creation_input_tokens":100,"cache_read_input_tokens":0,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":5}}

                event: message_delta
                data: {"type":"message_delta","delta":{},"usage":{"input_tokens":12,"cache_read_input_tokens":50,"cache_creation_input_tokens":null,"output_tokens":7}}

                event: message_stop
                data: {"type":"message_stop"}
                """));
        // when
        RecordingSink sink = stream(call());
        sink.awaitCompletion();
        // then: 12 + 100 + 50 prompt; a single finish chunk
        ChatResponse response = sink.accumulated();
        assertThat(response.usage()).contains(Usage.builder().promptTokens(162).completionTokens(7).cachedTokens(50)
                .cacheCreationTokens(100).build());
        assertThat(response.finishReason()).contains(FinishReason.LENGTH);
        assertThat(sink.chunks().stream().filter(c -> c.finishReason().isPresent())).hasSize(1);
    }

    // ------------------------------------------------------------------------------------ failures

    @Test
    void givenStreamEndingAfterItsStopReasonWithoutMessageStop_whenStreamAsync_thenCompletesWithUsage()
            throws Exception {
        // given
        server.enqueue(sse(resource("stream-no-message-stop.sse")));
        // when
        RecordingSink sink = stream(call());
        // then: the answer was whole at message_delta's stop_reason (the one end-of-stream rule)
        sink.awaitCompletion();
        ChatResponse response = sink.accumulated();
        assertThat(response.text()).isEqualTo("Hello, how can I help?");
        assertThat(response.finishReason()).contains(FinishReason.STOP);
        assertThat(response.usage()).contains(Usage.of(25, 15));
    }

    @Test
    void givenStreamEndingBeforeItsStopReason_whenStreamAsync_thenFailsAsInvalidResponseAfterTheChunks()
            throws Exception {
        // given
        String whole = resource("stream-no-message-stop.sse");
        server.enqueue(sse(whole.substring(0, whole.indexOf("event: message_delta"))));
        // when
        RecordingSink sink = stream(call());
        // then
        assertThat(sink.awaitError()).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("the stream ended without message_stop");
        assertThat(sink.chunks()).hasSize(3); // three texts, no finish, no usage
    }

    @Test
    void givenMalformedEvent_whenStreamAsync_thenFailsAsInvalidResponseQuotingTheEvent() throws Exception {
        // given
        server.enqueue(sse(resource("stream-malformed.sse")));
        // when
        RecordingSink sink = stream(call());
        // then: the chunk before it was delivered, nothing after it
        Throwable error = sink.awaitError();
        assertThat(error).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("malformed JSON in content_block_delta event")
                .hasMessageContaining("how can");
        assertThat(((LlmRouterException) error).isRetryable()).isTrue();
        assertThat(sink.chunks()).extracting(c -> c.text().orElse(null)).containsExactly("Hello");
    }

    @Test
    void givenDeltaForABlockThatNeverStarted_whenStreamAsync_thenFailsAsInvalidResponse() throws Exception {
        // given
        server.enqueue(sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_01Bad","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":9,"output_tokens":1}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{"}}

                """));
        // when
        RecordingSink sink = stream(call());
        // then
        assertThat(sink.awaitError()).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("block 3, which never started");
        assertThat(sink.chunks()).isEmpty();
    }

    @Test
    void givenOverloadedErrorEventAfterMessageStart_whenStreamAsync_thenFailsRetryablyBeforeAnyChunk() throws Exception {
        // given
        server.enqueue(sse(resource("stream-error-overloaded.sse")));
        // when
        RecordingSink sink = stream(call());
        // then: message_start alone emits nothing, so the router may still fail over
        Throwable error = sink.awaitError();
        assertThat(error).isExactlyInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("Overloaded").hasMessageContaining("overloaded_error");
        assertThat(((LlmRouterException) error).isRetryable()).isTrue();
        assertThat(sink.chunks()).isEmpty();
    }

    @Test
    void givenErrorEventOfUnknownShape_whenStreamAsync_thenFailsAsProviderServerError() throws Exception {
        // given
        server.enqueue(sse("event: error\ndata: something broke\n\n"));
        // when
        RecordingSink sink = stream(call());
        // then
        assertThat(sink.awaitError()).isExactlyInstanceOf(ProviderServerException.class)
                .hasMessageContaining("something broke");
    }

    @Test
    void givenRateLimitBeforeTheStream_whenStreamAsync_thenFailsWithRateLimitAndRetryAfter() throws Exception {
        // given
        server.enqueue(new MockResponse.Builder(json(429, """
                {"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"},"request_id":"req_body_1"}"""))
                .addHeader("retry-after", "7").build());
        // when
        RecordingSink sink = stream(call());
        // then
        Throwable error = sink.awaitError();
        assertThat(error).isExactlyInstanceOf(RateLimitException.class).hasMessageContaining("per-minute rate limit");
        RateLimitException rate = (RateLimitException) error;
        assertThat(rate.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(rate.statusCode()).hasValue(429);
        assertThat(rate.providerRequestId()).contains("req_test_0123");
        assertThat(rate.isRetryable()).isTrue();
        assertThat(rate.getMessage()).doesNotContain(KEY);
        assertThat(sink.chunks()).isEmpty();
    }

    @Test
    void givenJsonErrorEnvelopeInsteadOfAStream_whenStreamAsync_thenFailsByItsErrorType() throws Exception {
        // given: a 200 whose body is a JSON error, not events
        server.enqueue(json(200, """
                {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));
        // when
        RecordingSink sink = stream(call());
        // then
        assertThat(sink.awaitError()).isExactlyInstanceOf(ServiceUnavailableException.class);
    }

    @Test
    void givenHtmlPageInsteadOfAStream_whenStreamAsync_thenFailsAsInvalidResponse() throws Exception {
        // given: a proxy's 200 page
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html><body>Gateway login</body></html>").build());
        // when
        RecordingSink sink = stream(call());
        // then
        assertThat(sink.awaitError()).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("expected an event stream").hasMessageContaining("Gateway login");
    }

    @Test
    void givenConnectionCutMidStream_whenStreamAsync_thenFailsWithConnectionError() throws Exception {
        // given: the socket is closed part-way through a body of announced length
        server.enqueue(new MockResponse.Builder(sse(resource("stream-basic.sse")))
                .onResponseBody(new SocketEffect.CloseSocket()).build());
        // when
        RecordingSink sink = stream(call());
        // then
        assertThat(sink.awaitError()).isExactlyInstanceOf(ProviderConnectionException.class);
        assertThat(sink.chunks()).noneMatch(c -> c.usage().isPresent());
    }

    @Test
    void givenStreamThatStallsMidway_whenTheCallTimesOut_thenFailsWithRequestTimeout() throws Exception {
        // given: the first text, then silence; the call's timeout bounds the whole stream
        String basic = resource("stream-basic.sse");
        CountDownLatch release = new CountDownLatch(1);
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .body(new StallingBody(basic.substring(0, basic.indexOf("event: ping")), release,
                        new CompletableFuture<>())).build());
        // when
        RecordingSink sink = stream(call(ChatRequest.ofUser(MODEL, "Hello")).timeout(Duration.ofMillis(300)).build());
        // then
        try {
            assertThat(sink.awaitError()).isExactlyInstanceOf(RequestTimeoutException.class)
                    .hasMessageContaining("no answer in time");
            assertThat(sink.chunks()).isEmpty(); // message_start and an empty text block emit nothing
        } finally {
            release.countDown();
        }
    }

    @Test
    void givenNothingListening_whenStreamAsync_thenFailsWithConnectionError() throws Exception {
        // given: a port with nobody listening
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProviderCall call = call(ChatRequest.ofUser(MODEL, "Hello")).apiBase("http://127.0.0.1:" + port).build();
        // when
        RecordingSink sink = stream(call);
        // then
        assertThat(sink.awaitError()).isExactlyInstanceOf(ProviderConnectionException.class);
    }

    // ------------------------------------------------------------------------------------ cancel

    /** A chunked body that writes {@code head}, waits for {@code release}, then keeps writing pings until the client is gone. */
    private static final class StallingBody implements MockResponseBody {
        private final String head;
        private final CountDownLatch release;
        private final CompletableFuture<IOException> disconnected;

        StallingBody(String head, CountDownLatch release, CompletableFuture<IOException> disconnected) {
            this.head = head;
            this.release = release;
            this.disconnected = disconnected;
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.writeUtf8(head).flush();
            try {
                if (!release.await(5, SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                for (int i = 0; i < 100_000; i++) {
                    sink.writeUtf8("event: ping\ndata: {\"type\": \"ping\"}\n\n").flush();
                }
            } catch (IOException e) {
                disconnected.complete(e);
                throw e;
            }
        }
    }

    @Test
    void givenStreamInProgress_whenCancelled_thenClosesTheConnectionAndTheSinkHearsNothingMore() throws Exception {
        // given: a stream that sends its first text, then waits
        String basic = resource("stream-basic.sse");
        String head = basic.substring(0, basic.indexOf("event: content_block_delta", basic.indexOf("Hello")));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<IOException> disconnected = new CompletableFuture<>();
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .body(new StallingBody(head, release, disconnected)).build());
        OkHttpClient client = new OkHttpClient.Builder().build();
        CompletableFuture<Void> idle = new CompletableFuture<>();
        client.dispatcher().setIdleCallback(() -> idle.complete(null));
        AnthropicProvider provider = AnthropicProvider.builder().httpClient(client).build();
        RecordingSink sink = new RecordingSink();
        StreamHandle handle = provider.streamAsync(call(), sink);
        assertThat(sink.first().get(5, SECONDS).text()).contains("Hello");
        // when
        handle.cancel();
        handle.cancel(); // idempotent
        release.countDown();
        // then: the server's writes fail (the client closed the socket), the reading thread ends, silently
        assertThat(disconnected.get(5, SECONDS)).isInstanceOf(IOException.class);
        idle.get(5, SECONDS);
        assertThat(sink.done()).isNotDone();
        assertThat(sink.terminals()).isEqualTo(0);
        assertThat(sink.chunks()).hasSize(1);
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
