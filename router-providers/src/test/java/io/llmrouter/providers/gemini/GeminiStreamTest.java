package io.llmrouter.providers.gemini;

import static io.llmrouter.providers.gemini.GeminiTestSupport.KEY;
import static io.llmrouter.providers.gemini.GeminiTestSupport.ZERO_ID;
import static io.llmrouter.providers.gemini.GeminiTestSupport.call;
import static io.llmrouter.providers.gemini.GeminiTestSupport.json;
import static io.llmrouter.providers.gemini.GeminiTestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.StreamOptions;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolCallDelta;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NotFoundException;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link GeminiProvider#streamAsync} against MockWebServer, with SSE bodies from {@code /gemini/stream-*.sse}. */
@ExtendWith(StartedServers.class)
class GeminiStreamTest {

    private static final String MODEL = "gemini-2.0-flash";

    final MockWebServer server = new MockWebServer();

    GeminiProvider provider() {
        return GeminiTestSupport.provider(server);
    }

    /** A streamed call as the router makes it: {@code stream} set and usage asked for. */
    static ProviderCall streamCall(ChatRequest request) {
        return call(request.toBuilder().stream(true).streamOptions(StreamOptions.includeUsage(true)).build()).build();
    }

    static ProviderCall hello() {
        return streamCall(ChatRequest.ofUser(MODEL, "Say hello in French."));
    }

    static MockResponse sse(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build();
    }

    /** Data lines joined as Gemini sends them: each event ends with {@code \r\n\r\n}. */
    static String events(String... data) {
        StringBuilder sb = new StringBuilder();
        for (String d : data) {
            sb.append("data: ").append(d).append("\r\n\r\n");
        }
        return sb.toString();
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

    // ------------------------------------------------------------------------------- request sent

    @Test
    void givenToolRequest_whenStream_thenPostsTranslatedBodyToStreamGenerateContentWithAltSse() throws Exception {
        // given
        server.enqueue(sse(resource("stream-text.sse")));
        ChatRequest request = ChatRequest.builder(MODEL)
                .addMessage(Message.system("Be brief."))
                .addMessage(Message.user("Weather in Paris?"))
                .addTool(Tool.builder("get_weather").description("Current weather")
                        .parameters(tree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"))
                        .build())
                .toolChoice(ToolChoice.auto())
                .temperature(0.5)
                .build();
        // when
        stream(streamCall(request)).awaitCompleted();
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:streamGenerateContent");
        assertThat(sent.getUrl().query()).isEqualTo("alt=sse");
        assertThat(sent.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
        assertThat(sent.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        assertThat(sent.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(sent.getHeaders().get("Authorization")).isNull();
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"systemInstruction":{"parts":[{"text":"Be brief."}]},
                 "contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]}],
                 "tools":[{"functionDeclarations":[{"name":"get_weather","description":"Current weather",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]}],
                 "toolConfig":{"functionCallingConfig":{"mode":"AUTO"}},
                 "generationConfig":{"temperature":0.5}}"""));
    }

    @Test
    void givenModelResourceName_whenStream_thenBareModelIdInPath() throws Exception {
        server.enqueue(sse(resource("stream-text.sse")));

        stream(streamCall(ChatRequest.ofUser("models/gemini-2.5-flash", "hi"))).awaitCompleted();

        assertThat(server.takeRequest(5, SECONDS).getUrl().encodedPath())
                .isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    }

    // ---------------------------------------------------------------------------- chunks received

    @Test
    void givenTextStream_whenStream_thenTextInOrderThenFinishThenOneUsageChunkThenComplete() throws Exception {
        // given
        server.enqueue(sse(resource("stream-text.sse")));
        // when
        RecordingSink sink = stream(hello()).awaitCompleted();
        // then
        Usage usage = Usage.builder().promptTokens(1000).completionTokens(100).totalTokens(1100).cachedTokens(400)
                .build();
        assertThat(sink.chunks()).containsExactly(
                ChatChunk.builder("resp-stream-1", "gemini-2.0-flash-001").role("assistant").text("Bonjour").build(),
                ChatChunk.text("resp-stream-1", "gemini-2.0-flash-001", " tout"),
                ChatChunk.builder("resp-stream-1", "gemini-2.0-flash-001").text(" le monde !")
                        .finishReason(FinishReason.STOP).rawFinishReason("STOP").build(),
                ChatChunk.builder("resp-stream-1", "gemini-2.0-flash-001").usage(usage).build());
        ChatResponse whole = sink.accumulated();
        assertThat(whole.text()).isEqualTo("Bonjour tout le monde !");
        assertThat(whole.usage()).contains(usage);
    }

    @Test
    void givenFunctionCallsAcrossEvents_whenStream_thenWholeDeltasWithUniqueIdsAndToolCallsFinish() throws Exception {
        // given: a thought event, two calls in one event, one in the next, then STOP in an event without calls
        server.enqueue(sse(resource("stream-function-calls.sse")));
        // when
        RecordingSink sink = stream(hello()).awaitCompleted();
        // then
        List<ToolCallDelta> deltas = sink.chunks().stream().flatMap(c -> c.toolCalls().stream()).toList();
        assertThat(deltas).containsExactly(
                ToolCallDelta.of(0, "call_" + ZERO_ID, "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"),
                ToolCallDelta.of(1, "call_" + ZERO_ID + "_2", "get_weather", "{\"city\":\"Lyon\",\"unit\":\"celsius\"}"),
                ToolCallDelta.of(2, "call_" + ZERO_ID + "_3", "get_time", "{}"));
        assertThat(sink.texts()).as("thought text and empty parts are not content").isEmpty();
        ChatChunk first = sink.chunks().get(0);
        assertThat(first.role()).as("the thought-only first event still opens the choice").contains("assistant");
        ChatResponse whole = sink.accumulated();
        assertThat(whole.finishReason()).contains(FinishReason.TOOL_CALLS);
        assertThat(whole.choices().get(0).rawFinishReason()).isEqualTo("STOP");
        assertThat(whole.toolCalls()).extracting(ToolCall::id).doesNotHaveDuplicates().hasSize(3);
        assertThat(whole.toolCalls()).extracting(ToolCall::name).containsExactly("get_weather", "get_weather", "get_time");
        assertThat(whole.usage()).contains(Usage.builder().promptTokens(60).completionTokens(38).totalTokens(98)
                .reasoningTokens(12).build());
    }

    @Test
    void givenSafetyFinishMidStream_whenStream_thenPartialTextAndContentFilterWithRawReason() throws Exception {
        server.enqueue(sse(resource("stream-safety.sse")));

        RecordingSink sink = stream(hello()).awaitCompleted();

        ChatResponse whole = sink.accumulated();
        assertThat(whole.text()).isEqualTo("Here is how you");
        assertThat(whole.finishReason()).contains(FinishReason.CONTENT_FILTER);
        assertThat(whole.choices().get(0).rawFinishReason()).isEqualTo("SAFETY");
        assertThat(whole.usage()).contains(Usage.builder().promptTokens(9).completionTokens(4).totalTokens(13).build());
    }

    @Test
    void givenMaxTokensAndPromptBlocked_whenStream_thenLengthAndContentFilter() throws Exception {
        server.enqueue(sse(events("""
                {"candidates":[{"content":{"parts":[{"text":"Cut"}],"role":"model"},"finishReason":"MAX_TOKENS"}],\
                "modelVersion":"gemini-2.0-flash"}""")));
        server.enqueue(sse(events("""
                {"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":4,\
                "totalTokenCount":4}}""")));

        ChatResponse cut = stream(hello()).awaitCompleted().accumulated();
        ChatResponse blocked = stream(hello()).awaitCompleted().accumulated();

        assertThat(cut.finishReason()).contains(FinishReason.LENGTH);
        assertThat(cut.usage()).isEmpty();
        assertThat(blocked.text()).isEmpty();
        assertThat(blocked.finishReason()).contains(FinishReason.CONTENT_FILTER);
        assertThat(blocked.choices().get(0).rawFinishReason()).isEqualTo("promptFeedback.blockReason=PROHIBITED_CONTENT");
        assertThat(blocked.usage()).contains(Usage.builder().promptTokens(4).totalTokens(4).build());
    }

    @Test
    void givenTwoCandidates_whenStream_thenOneChoiceEachAndCompleteOnlyWhenBothFinished() throws Exception {
        server.enqueue(sse(events("""
                {"candidates":[{"content":{"parts":[{"text":"A"}]},"index":0},\
                {"content":{"parts":[{"functionCall":{"name":"f","args":{"x":1}}}]},"index":1}]}""", """
                {"candidates":[{"content":{"parts":[{"text":"B"}]},"finishReason":"STOP","index":0},\
                {"finishReason":"STOP","index":1}]}""")));
        server.enqueue(sse(events("""
                {"candidates":[{"content":{"parts":[{"text":"A"}]},"finishReason":"STOP","index":0},\
                {"content":{"parts":[{"text":"B"}]},"index":1}]}""")));

        ChatResponse both = stream(hello()).awaitCompleted().accumulated();
        Throwable oneUnfinished = stream(hello()).awaitError();

        assertThat(both.choices()).hasSize(2);
        assertThat(both.choices().get(0).message().text()).isEqualTo("AB");
        assertThat(both.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(both.choices().get(1).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(both.choices().get(1).message().toolCalls()).extracting(ToolCall::arguments).containsExactly("{\"x\":1}");
        assertThat(oneUnfinished).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("the stream ended before a finishReason");
    }

    // ------------------------------------------------------------------------- failures in a 200

    @Test
    void givenStreamEndingWithoutFinishReason_whenStream_thenInvalidProviderResponseAfterTheChunks() {
        server.enqueue(sse(resource("stream-no-finish.sse")));

        RecordingSink sink = stream(hello());
        Throwable failure = sink.awaitError();

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessage("gemini: invalid event stream: the stream ended before a finishReason (after 2 event(s))");
        assertThat(sink.texts()).containsExactly("The answer is", " forty");
        assertThat(sink.chunks()).allSatisfy(c -> assertThat(c.usage()).isEmpty());
        assertThat(((LlmRouterException) failure).deploymentId()).contains("flash");
        assertThat(((LlmRouterException) failure).isRetryable()).isTrue();
    }

    @Test
    void givenEmptyBody_whenStream_thenInvalidProviderResponse() {
        server.enqueue(sse(""));

        Throwable failure = stream(hello()).awaitError();

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("the stream ended before a finishReason (after 0 event(s))");
    }

    static Stream<Arguments> malformedEvents() {
        return Stream.of(
                Arguments.of("{\"candidates\": [{\"content\":", "event 2: $: not valid JSON"),
                Arguments.of("[]", "event 2: $: expected an object, was an array"),
                Arguments.of("{\"candidates\":{}}", "event 2: candidates: expected an array, was an object"),
                Arguments.of("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":7}]}}]}",
                        "event 2: candidates[0].content.parts[0].text: expected a string, was a number"),
                Arguments.of("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\","
                        + "\"args\":\"{}\"}}]}}]}",
                        "event 2: candidates[0].content.parts[0].functionCall.args: expected an object, was a string"),
                Arguments.of("{\"candidates\":[{\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"totalTokenCount\":-3}}",
                        "event 2: usageMetadata.totalTokenCount: expected a non-negative integer, was -3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedEvents")
    void givenMalformedEvent_whenStream_thenInvalidProviderResponseNamingEventAndPathAndNothingAfter(String event,
            String problem) {
        server.enqueue(sse(events("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}]}", event,
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" there\"}]},\"finishReason\":\"STOP\"}]}")));

        RecordingSink sink = stream(hello());
        Throwable failure = sink.awaitError();

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageStartingWith("gemini: invalid event stream: " + problem)
                .hasMessageContaining("; data: ");
        assertThat(sink.texts()).containsExactly("Hi");
    }

    @Test
    void givenErrorEventMidStream_whenStream_thenTypedErrorWithItsCode() {
        server.enqueue(sse(resource("stream-error-unavailable.sse")));

        RecordingSink sink = stream(hello());
        Throwable failure = sink.awaitError();

        assertThat(failure).isExactlyInstanceOf(ServiceUnavailableException.class)
                .hasMessage("gemini: The model is overloaded. Please try again later. (in the stream, code 503, "
                        + "status=UNAVAILABLE)");
        LlmRouterException e = (LlmRouterException) failure;
        assertThat(e.statusCode()).hasValue(503);
        assertThat(e.isRetryable()).isTrue();
        assertThat(sink.texts()).containsExactly("Once upon");
    }

    static Stream<Arguments> streamErrorEnvelopes() {
        return Stream.of(
                Arguments.of("{\"error\":{\"code\":429,\"message\":\"quota\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":"
                        + "[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"4s\"}]}}",
                        RateLimitException.class, 429),
                Arguments.of("{\"error\":{\"code\":13,\"message\":\"internal\",\"status\":\"INTERNAL\"}}",
                        ProviderServerException.class, 500),
                Arguments.of("{\"error\":{\"message\":\"late\",\"status\":\"DEADLINE_EXCEEDED\"}}",
                        RequestTimeoutException.class, 504),
                Arguments.of("{\"error\":{\"code\":400,\"message\":\"The input token count (9) exceeds the maximum "
                        + "number of tokens allowed (8).\",\"status\":\"INVALID_ARGUMENT\"}}",
                        io.llmrouter.api.exception.ContextWindowExceededException.class, 400),
                Arguments.of("{\"error\":{}}", ProviderServerException.class, 500));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamErrorEnvelopes")
    void givenErrorEventFirst_whenStream_thenMappedByCodeOrStatusName(String event,
            Class<? extends LlmRouterException> type, int code) {
        server.enqueue(sse(events(event)));

        RecordingSink sink = stream(hello());
        Throwable failure = sink.awaitError();

        assertThat(failure).isExactlyInstanceOf(type);
        assertThat(((LlmRouterException) failure).statusCode()).hasValue(code);
        assertThat(sink.chunks()).isEmpty();
        if (failure instanceof RateLimitException rate) {
            assertThat(rate.retryAfter()).contains(Duration.ofSeconds(4));
        }
    }

    // ----------------------------------------------------------------------- failures before it

    /** One row of the status → exception table, for an error answered instead of the stream. */
    record ErrorCase(String file, int status, Class<? extends LlmRouterException> type, Optional<Duration> retryAfter) {

        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<ErrorCase> errorTable() {
        return Stream.of(
                new ErrorCase("error-400-api-key-invalid.json", 400, AuthenticationException.class, Optional.empty()),
                new ErrorCase("error-400-invalid-argument.json", 400, BadRequestException.class, Optional.empty()),
                new ErrorCase("error-404-not-found.json", 404, NotFoundException.class, Optional.empty()),
                new ErrorCase("error-429-retry-info.json", 429, RateLimitException.class,
                        Optional.of(Duration.ofMillis(12_500))),
                new ErrorCase("error-500-internal.json", 500, ProviderServerException.class, Optional.empty()),
                new ErrorCase("error-503-unavailable.json", 503, ServiceUnavailableException.class, Optional.empty()),
                new ErrorCase("error-504-deadline-exceeded.json", 504, RequestTimeoutException.class,
                        Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorTable")
    void givenHttpErrorInsteadOfStream_whenStream_thenTypedExceptionAndNoChunk(ErrorCase c) {
        // given
        server.enqueue(json(c.status(), resource(c.file())));
        // when
        RecordingSink sink = stream(hello());
        Throwable failure = sink.awaitError();
        // then
        assertThat(failure).isExactlyInstanceOf(c.type());
        LlmRouterException e = (LlmRouterException) failure;
        assertThat(e.statusCode()).hasValue(c.status());
        assertThat(e.getMessage()).startsWith("gemini: ").contains("(HTTP " + c.status() + ", status=");
        if (e instanceof RateLimitException rate) {
            assertThat(rate.retryAfter()).isEqualTo(c.retryAfter());
            assertThat(rate.isRetryable()).isTrue();
        }
        assertThat(sink.chunks()).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void givenErrorAsStreamingJsonArray_whenStream_thenEnvelopeStillRead() {
        server.enqueue(json(429, "[" + resource("error-429-retry-info.json") + "]"));

        Throwable failure = stream(hello()).awaitError();

        assertThat(failure).isExactlyInstanceOf(RateLimitException.class);
        assertThat(((RateLimitException) failure).retryAfter()).contains(Duration.ofMillis(12_500));
    }

    @Test
    void givenNoKey_whenStream_thenAuthenticationErrorAtOnceAndNoRequest() {
        ProviderCall call = ProviderCall.builder(ChatRequest.ofUser(MODEL, "hi")).deploymentId("flash")
                .modelGroup("flash").providerRoute("gemini/" + MODEL).timeout(Duration.ofSeconds(5)).build();
        RecordingSink sink = new RecordingSink();

        StreamHandle handle = provider().streamAsync(call, sink);

        assertThat(handle).isSameAs(StreamHandle.NONE);
        assertThat(sink.done()).isCompletedExceptionally();
        assertThat(sink.awaitError()).isExactlyInstanceOf(AuthenticationException.class)
                .hasMessageContaining("GEMINI_API_KEY");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenConnectionCutMidStream_whenStream_thenProviderConnectionException() {
        String first = events("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}]}");
        // announces more bytes than it sends, then the server closes the socket
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .body(new MockResponseBody() {
                    @Override
                    public long getContentLength() {
                        return 10_000;
                    }

                    @Override
                    public void writeTo(BufferedSink sink) throws IOException {
                        sink.writeUtf8(first);
                        sink.flush();
                    }
                })
                .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build());

        RecordingSink sink = stream(hello());
        Throwable failure = sink.awaitError();

        assertThat(failure).isInstanceOfAny(ProviderConnectionException.class, RequestTimeoutException.class);
        assertThat(sink.texts()).containsExactly("Hi");
    }

    @Test
    void givenKeyEchoedInStreamEvents_whenFailing_thenKeyInNoMessage() {
        server.enqueue(sse(events("{\"error\":{\"code\":400,\"message\":\"API key not valid: " + KEY
                + "\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
                + "\"reason\":\"API_KEY_INVALID\"}]}}")));
        server.enqueue(sse(events("{\"candidates\": [\"" + KEY + "\"")));

        List<Throwable> failures = List.of(stream(hello()).awaitError(), stream(hello()).awaitError());

        assertThat(failures.get(0)).isExactlyInstanceOf(AuthenticationException.class);
        assertThat(failures.get(1)).isExactlyInstanceOf(InvalidProviderResponseException.class);
        for (Throwable failure : failures) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
            }
        }
    }

    // --------------------------------------------------------------------------------- cancel

    @Test
    void givenStreamInProgress_whenCancelled_thenConnectionClosedAndSinkHearsNothingMore() throws Exception {
        // given: the server sends one event, then waits; afterwards it writes until the socket fails
        String first = events("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}]}");
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<IOException> serverWriteFailure = new CompletableFuture<>();
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .body(new MockResponseBody() {
                    @Override
                    public long getContentLength() {
                        return -1;
                    }

                    @Override
                    public void writeTo(BufferedSink sink) throws IOException {
                        sink.writeUtf8(first);
                        sink.flush();
                        try {
                            release.await(5, SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        byte[] more = events("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]}}]}")
                                .getBytes(StandardCharsets.UTF_8);
                        try {
                            for (int i = 0; i < 100_000; i++) {
                                sink.write(more);
                                sink.flush();
                            }
                            serverWriteFailure.complete(null);
                        } catch (IOException e) {
                            serverWriteFailure.complete(e);
                            throw e;
                        }
                    }
                }).build());
        ExecutorService callbacks = Executors.newCachedThreadPool();
        GeminiProvider provider = GeminiProvider.builder().defaultApiBase(server.url("/v1beta").toString())
                .httpClient(new OkHttpClient.Builder().dispatcher(new Dispatcher(callbacks)).build())
                .environment(Map.<String, String>of()::get).build();
        RecordingSink sink = new RecordingSink();
        StreamHandle handle = provider.streamAsync(hello(), sink);
        assertThat(sink.first().get(5, SECONDS).text()).contains("Hi");
        // when
        handle.cancel();
        handle.cancel(); // idempotent
        release.countDown();
        // then
        assertThat(serverWriteFailure.get(5, SECONDS)).as("the server's writes fail: the client closed the socket")
                .isNotNull();
        callbacks.shutdown();
        assertThat(callbacks.awaitTermination(5, SECONDS)).as("the OkHttp callback has returned").isTrue();
        assertThat(sink.terminals()).as("no onComplete/onError after cancel").isZero();
        assertThat(sink.chunks()).hasSize(1);
    }

    @Test
    void givenCompletedStream_whenCancelled_thenNothingHappens() throws Exception {
        server.enqueue(sse(resource("stream-text.sse")));
        RecordingSink sink = new RecordingSink();

        StreamHandle handle = provider().streamAsync(hello(), sink);
        sink.awaitCompleted();
        handle.cancel();

        assertThat(sink.terminals()).isEqualTo(1);
    }

    @Test
    void rejectsNullArguments() {
        GeminiProvider provider = provider();
        RecordingSink sink = new RecordingSink();
        org.assertj.core.api.Assertions.assertThatNullPointerException()
                .isThrownBy(() -> provider.streamAsync(null, sink)).withMessage("call");
        org.assertj.core.api.Assertions.assertThatNullPointerException()
                .isThrownBy(() -> provider.streamAsync(hello(), null)).withMessage("sink");
    }

    @Test
    void keyIsNeverSentInTheUrl() throws Exception {
        server.enqueue(sse(resource("stream-text.sse")));

        stream(hello()).awaitCompleted();

        assertThat(server.takeRequest(5, SECONDS).getUrl().toString()).doesNotContain(KEY).doesNotContain("key=");
        assertThat(Secret.of(KEY).toString()).doesNotContain(KEY);
    }
}
