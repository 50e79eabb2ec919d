package io.llmrouter.testing;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.StreamHandle;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every provider adapter keeps, the built-in ones and your own: extend this class,
 * say how to build the adapter and what the vendor's wire format looks like for a handful of fixed
 * scenarios, and JUnit 5 runs the whole contract against a loopback {@link MockWebServer}:
 *
 * <ul>
 *   <li>request mapping: method, path, headers (the credential among them) and the exact JSON body
 *       of {@link #contractRequest()}, plain and streamed;</li>
 *   <li>response mapping: text, finish reason and usage of {@link #textAnswer()}, the tool call of
 *       {@link #toolCallAnswer()};</li>
 *   <li>streaming: chunks that add up to the same answer, usage, exactly one terminal event; a
 *       stream cut before its end and an error inside the stream are typed failures, the latter
 *       naming the provider's request id from the response headers;</li>
 *   <li>the status → exception table, with {@code retry-after}, the provider's request id and the
 *       deployment id on every exception; context-window and content-filter errors;</li>
 *   <li>the API key never appears in an exception's message, {@code toString} or causes;</li>
 *   <li>timeouts, refused connections, cancellation, and malformed, HTML or truncated bodies.</li>
 * </ul>
 *
 * <p>The scenarios use fixed values so that one set of assertions fits every vendor: the answer
 * text is {@value #TEXT}, usage {@value #PROMPT_TOKENS} prompt and {@value #COMPLETION_TOKENS}
 * completion tokens, the tool call {@code get_weather} with {@code {"city":"Paris"}}, the request
 * id {@value #REQUEST_ID}. Write each body from the vendor's API reference, not from what your
 * adapter happens to produce.
 *
 * <pre>{@code
 * class AcmeProviderContractTest extends ProviderContractTest {
 *     protected Provider provider() { return new AcmeProvider(); }
 *     protected String route() { return "acme/acme-large"; }
 *     protected MockResponse textAnswer() { return json(200, "{\"output\":\"" + TEXT + "\", ...}"); }
 *     // ... the other scenarios
 * }
 * }</pre>
 *
 * <p>The project's {@code router-examples} module holds that example complete: a user adapter for a
 * made-up vendor, its factory, and its {@code AcmeProviderContractTest}.
 *
 * <p>Not thread-safe: JUnit creates one instance per test.
 *
 * @since 0.1.0
 */
public abstract class ProviderContractTest {

    /** The API key every contract call sends; it must never appear in an exception. */
    protected static final String KEY = "sk-contract-0123456789abcdefSECRET";

    /** The provider's request id every vendor body that can carry one carries. */
    protected static final String REQUEST_ID = "req_contract_0001";

    /** The text of {@link #textAnswer()} and of {@link #textStream()} put together. */
    protected static final String TEXT = "Hello from the contract.";

    /** The prompt tokens reported by {@link #textAnswer()} and {@link #textStream()}. */
    protected static final int PROMPT_TOKENS = 12;

    /** The completion tokens reported by {@link #textAnswer()} and {@link #textStream()}. */
    protected static final int COMPLETION_TOKENS = 7;

    /** The deployment id of every contract call; every exception must name it. */
    protected static final String DEPLOYMENT_ID = "contract";

    /** The {@code retry-after} header, in seconds, the contract adds to the 429 answer. */
    protected static final int RETRY_AFTER_SECONDS = 7;

    /** JSON for the body comparisons. */
    protected static final ObjectMapper JSON = new ObjectMapper();

    /** The loopback server standing in for the vendor; started before each test. */
    protected MockWebServer server;

    /** For subclasses: one per adapter under test. */
    protected ProviderContractTest() {
    }

    // ------------------------------------------------------------------------------ the adapter

    /**
     * The adapter under test. It may be built for {@link #server} (for instance with the server as
     * its default base URL), or rely on {@link #call} sending the server's URL as the apiBase.
     *
     * @return the provider
     */
    protected abstract Provider provider();

    /**
     * The deployment's route, e.g. {@code anthropic/claude-sonnet-4-5}.
     *
     * @return the route
     */
    protected abstract String route();

    /**
     * The call the contract sends: deployment {@value #DEPLOYMENT_ID}, the server as apiBase,
     * {@link #KEY} as the API key, 5 seconds of timeout. Override to add the options your adapter
     * needs (an API version, a region).
     *
     * @param request the request
     * @return the call's builder
     */
    protected ProviderCall.Builder call(ChatRequest request) {
        return ProviderCall.builder(request).deploymentId(DEPLOYMENT_ID).modelGroup(DEPLOYMENT_ID)
                .providerRoute(route()).apiBase(apiBase()).apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5));
    }

    /**
     * The apiBase of {@link #call}: the server's root URL without a trailing slash. Override when
     * the vendor's base has a path (e.g. {@code /v1beta}).
     *
     * @return the base URL
     */
    protected String apiBase() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    /** Whether the adapter streams; an adapter that does not skips the streaming part. */
    protected boolean streams() {
        return true;
    }

    // ------------------------------------------------------------------------------ the vendor's wire format

    /**
     * The request every mapping test sends: a system and a user message, a tool, a token limit.
     * Override only if the vendor cannot express part of it.
     *
     * @return the request
     */
    protected ChatRequest contractRequest() {
        return ChatRequest.builder(model())
                .addMessage(Message.system("Answer briefly."))
                .addMessage(Message.user("What is the weather in Paris?"))
                .addTool(Tool.function("get_weather", tree("""
                        {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")))
                .maxTokens(100)
                .build();
    }

    /** The model part of {@link #route()}. */
    protected final String model() {
        return route().substring(route().indexOf('/') + 1);
    }

    /**
     * The path (with its query, if any) of the contract request, as the server receives it.
     *
     * @param streaming whether the call streams
     * @return e.g. {@code /v1/messages}
     */
    protected abstract String expectedPath(boolean streaming);

    /**
     * Headers the contract request must carry, the credential among them (e.g.
     * {@code x-api-key: }{@link #KEY}); others may be sent too.
     *
     * @param streaming whether the call streams
     * @return header name → exact value
     */
    protected abstract Map<String, String> expectedHeaders(boolean streaming);

    /**
     * The exact JSON body of {@link #contractRequest()} in the vendor's format.
     *
     * @param streaming whether the call streams
     * @return the JSON text
     */
    protected abstract String expectedBody(boolean streaming);

    /**
     * A complete answer: text {@value #TEXT}, a normal stop, usage {@value #PROMPT_TOKENS} +
     * {@value #COMPLETION_TOKENS}.
     *
     * @return the answer
     */
    protected abstract MockResponse textAnswer();

    /**
     * A complete answer calling {@code get_weather} with {@code {"city":"Paris"}} and stopping for
     * the tool call.
     *
     * @return the answer
     */
    protected abstract MockResponse toolCallAnswer();

    /**
     * A streamed answer whose pieces add up to {@link #textAnswer()} (at least two text pieces),
     * with usage, a normal stop and the vendor's terminal event.
     *
     * @return the stream
     */
    protected MockResponse textStream() {
        throw new UnsupportedOperationException("override textStream() for an adapter that streams");
    }

    /**
     * A stream that the connection cuts before the vendor's terminal event and before any finish
     * reason: an incomplete answer.
     *
     * @return the stream
     */
    protected MockResponse truncatedStream() {
        throw new UnsupportedOperationException("override truncatedStream() for an adapter that streams");
    }

    /**
     * A 2xx stream that opens with some text, then carries the vendor's error event for a server-side
     * failure (overloaded, internal error), with {@value #REQUEST_ID} in the vendor's request id
     * header (or body, where the vendor sends it there).
     *
     * @return the stream
     */
    protected MockResponse streamWithError() {
        throw new UnsupportedOperationException("override streamWithError() for an adapter that streams");
    }

    /**
     * The vendor's error answer for {@code status}, with {@code message} as its message and
     * {@value #REQUEST_ID} where the vendor sends a request id.
     *
     * @param status an HTTP error status
     * @param message the error's message
     * @return the answer
     */
    protected abstract MockResponse error(int status, String message);

    /**
     * Whether the vendor's error answers (and streams) carry a request id the adapter reports.
     *
     * @return default true
     */
    protected boolean reportsRequestId() {
        return true;
    }

    /**
     * The vendor's answer to a prompt longer than the model's context window.
     *
     * @return the answer
     */
    protected abstract MockResponse contextWindowError();

    /**
     * The vendor's answer when a content filter refuses the request, when it has one.
     *
     * @return the answer, or empty
     */
    protected Optional<MockResponse> contentFilterError() {
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------ lifecycle

    @BeforeEach
    void startServer() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    // ------------------------------------------------------------------------------ request mapping

    @Test
    void givenContractRequest_whenComplete_thenSendsVendorMethodPathHeadersAndBody() throws Exception {
        // given
        server.enqueue(textAnswer());
        // when
        await(provider().completeAsync(call(contractRequest()).build()));
        // then
        assertRequest(taken(), false);
    }

    @Test
    void givenContractRequest_whenStream_thenSendsVendorStreamingRequest() throws Exception {
        assumeTrue(streams(), "the adapter does not stream");
        // given
        server.enqueue(textStream());
        RecordingSink sink = new RecordingSink();
        // when
        provider().streamAsync(call(contractRequest()).build(), sink);
        // then
        sink.awaitCompleted();
        assertRequest(taken(), true);
    }

    private void assertRequest(RecordedRequest request, boolean streaming) {
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath() + (request.getUrl().encodedQuery() == null ? ""
                : "?" + request.getUrl().encodedQuery())).isEqualTo(expectedPath(streaming));
        expectedHeaders(streaming).forEach((name, value) ->
                assertThat(request.getHeaders().get(name)).as("header %s", name).isEqualTo(value));
        assertThat(tree(request.getBody().utf8())).isEqualTo(tree(expectedBody(streaming)));
    }

    // ------------------------------------------------------------------------------ response mapping

    @Test
    void givenTextAnswer_whenComplete_thenTextFinishReasonAndUsage() throws Exception {
        // given
        server.enqueue(textAnswer());
        // when
        ChatResponse response = await(provider().completeAsync(call(contractRequest()).build()));
        // then
        assertThat(response.text()).isEqualTo(TEXT);
        assertThat(response.finishReason()).contains(FinishReason.STOP);
        assertThat(response.toolCalls()).isEmpty();
        assertUsage(response.usage());
    }

    @Test
    void givenToolCallAnswer_whenComplete_thenOneToolCallWithJsonArguments() throws Exception {
        // given
        server.enqueue(toolCallAnswer());
        // when
        ChatResponse response = await(provider().completeAsync(call(contractRequest()).build()));
        // then
        assertThat(response.finishReason()).contains(FinishReason.TOOL_CALLS);
        assertThat(response.toolCalls()).hasSize(1);
        ToolCall toolCall = response.toolCalls().get(0);
        assertThat(toolCall.id()).isNotBlank();
        assertThat(toolCall.name()).isEqualTo("get_weather");
        assertThat(tree(toolCall.arguments())).isEqualTo(tree("{\"city\":\"Paris\"}"));
    }

    private static void assertUsage(Optional<Usage> usage) {
        assertThat(usage).isPresent();
        assertThat(usage.get().promptTokens()).isEqualTo(PROMPT_TOKENS);
        assertThat(usage.get().completionTokens()).isEqualTo(COMPLETION_TOKENS);
        assertThat(usage.get().totalTokens()).isEqualTo(PROMPT_TOKENS + COMPLETION_TOKENS);
    }

    // ------------------------------------------------------------------------------ streaming

    @Test
    void givenTextStream_whenStream_thenChunksAddUpToTheAnswerWithUsageAndOneTerminalEvent() throws Exception {
        assumeTrue(streams(), "the adapter does not stream");
        // given
        server.enqueue(textStream());
        RecordingSink sink = new RecordingSink();
        // when
        provider().streamAsync(call(contractRequest()).build(), sink);
        // then
        sink.awaitCompleted();
        assertThat(sink.texts()).as("text pieces").hasSizeGreaterThanOrEqualTo(2);
        ChatResponse accumulated = sink.accumulated();
        assertThat(accumulated.text()).isEqualTo(TEXT);
        assertThat(accumulated.finishReason()).contains(FinishReason.STOP);
        assertUsage(accumulated.usage());
    }

    @Test
    void givenStreamCutBeforeItsEnd_whenStream_thenInvalidProviderResponseAfterTheChunks() {
        assumeTrue(streams(), "the adapter does not stream");
        // given
        server.enqueue(truncatedStream());
        RecordingSink sink = new RecordingSink();
        // when
        provider().streamAsync(call(contractRequest()).build(), sink);
        // then
        Throwable failure = sink.awaitError();
        assertThat(failure).isInstanceOf(InvalidProviderResponseException.class);
        assertContext((LlmRouterException) failure);
    }

    @Test
    void givenErrorEventInStream_whenStream_thenTypedServerFailureNamingTheRequestId() {
        assumeTrue(streams(), "the adapter does not stream");
        // given
        server.enqueue(streamWithError());
        RecordingSink sink = new RecordingSink();
        // when
        provider().streamAsync(call(contractRequest()).build(), sink);
        // then
        Throwable failure = sink.awaitError();
        assertThat(failure).isInstanceOfAny(ProviderServerException.class, RateLimitException.class);
        assertThat(((LlmRouterException) failure).isRetryable()).isTrue();
        if (reportsRequestId()) {
            assertThat(((LlmRouterException) failure).providerRequestId()).contains(REQUEST_ID);
        }
        assertContext((LlmRouterException) failure);
    }

    @Test
    void givenErrorStatus_whenStream_thenSameTypedFailureAsComplete() {
        assumeTrue(streams(), "the adapter does not stream");
        // given
        server.enqueue(withRetryAfter(error(429, "Rate limit reached"), 429));
        RecordingSink sink = new RecordingSink();
        // when
        provider().streamAsync(call(contractRequest()).build(), sink);
        // then
        Throwable failure = sink.awaitError();
        assertThat(failure).isInstanceOf(RateLimitException.class);
        assertThat(((RateLimitException) failure).retryAfter()).contains(Duration.ofSeconds(RETRY_AFTER_SECONDS));
        assertThat(sink.chunks()).isEmpty();
    }

    // ------------------------------------------------------------------------------ errors

    /** The status table every adapter maps its vendor's errors by. */
    static Stream<Arguments> statusTable() {
        return Stream.of(
                Arguments.of(400, BadRequestException.class),
                Arguments.of(401, AuthenticationException.class),
                Arguments.of(403, PermissionDeniedException.class),
                Arguments.of(404, NotFoundException.class),
                Arguments.of(429, RateLimitException.class),
                Arguments.of(500, ProviderServerException.class),
                Arguments.of(503, ServiceUnavailableException.class));
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @MethodSource("statusTable")
    void givenErrorStatus_whenComplete_thenTypedExceptionWithStatusRequestIdAndDeployment(int status,
            Class<? extends LlmRouterException> type) {
        // given
        server.enqueue(withRetryAfter(error(status, "the contract's error message"), status));
        // when
        Throwable failure = failureOf(provider().completeAsync(call(contractRequest()).build()));
        // then
        assertThat(failure).isInstanceOf(type);
        LlmRouterException e = (LlmRouterException) failure;
        assertThat(e.statusCode()).hasValue(status);
        assertContext(e);
        if (reportsRequestId()) {
            assertThat(e.providerRequestId()).contains(REQUEST_ID);
        }
        if (status == 429) {
            assertThat(((RateLimitException) e).retryAfter()).contains(Duration.ofSeconds(RETRY_AFTER_SECONDS));
            assertThat(e.isRetryable()).isTrue();
        }
        if (status >= 500) {
            assertThat(e.isRetryable()).isTrue();
        }
    }

    @Test
    void givenContextWindowError_whenComplete_thenContextWindowExceeded() {
        // given
        server.enqueue(contextWindowError());
        // when
        Throwable failure = failureOf(provider().completeAsync(call(contractRequest()).build()));
        // then
        assertThat(failure).isInstanceOf(ContextWindowExceededException.class);
        assertThat(((LlmRouterException) failure).isRetryable()).isFalse();
        assertContext((LlmRouterException) failure);
    }

    @Test
    void givenContentFilterError_whenComplete_thenContentPolicyViolation() {
        Optional<MockResponse> answer = contentFilterError();
        assumeTrue(answer.isPresent(), "the vendor has no content-filter error");
        // given
        server.enqueue(answer.get());
        // when
        Throwable failure = failureOf(provider().completeAsync(call(contractRequest()).build()));
        // then
        assertThat(failure).isInstanceOf(ContentPolicyViolationException.class);
        assertContext((LlmRouterException) failure);
    }

    @Test
    void givenErrorQuotingTheKey_whenComplete_thenTheKeyIsNowhereInTheException() {
        // given
        server.enqueue(error(401, "Incorrect API key provided: " + KEY));
        // when
        Throwable failure = failureOf(provider().completeAsync(call(contractRequest()).build()));
        // then
        assertThat(failure).isInstanceOf(AuthenticationException.class);
        assertThat(everything(failure)).doesNotContain(KEY);
    }

    @Test
    void givenMalformedAnswerQuotingTheKey_whenComplete_thenInvalidResponseWithoutTheKey() {
        // given
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"echo\": \"" + KEY + "\", ").build());
        // when
        Throwable failure = failureOf(provider().completeAsync(call(contractRequest()).build()));
        // then
        assertThat(failure).isInstanceOf(InvalidProviderResponseException.class);
        assertThat(everything(failure)).doesNotContain(KEY);
        assertContext((LlmRouterException) failure);
    }

    @Test
    void givenHtmlPageWithStatus200_whenComplete_thenInvalidProviderResponse() {
        // given
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html><body>Sign in to the proxy</body></html>").build());
        // when
        Throwable failure = failureOf(provider().completeAsync(call(contractRequest()).build()));
        // then
        assertThat(failure).isInstanceOf(InvalidProviderResponseException.class);
    }

    @Test
    void givenEmptyBodyWithStatus200_whenComplete_thenInvalidProviderResponse() {
        // given
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").build());
        // when
        Throwable failure = failureOf(provider().completeAsync(call(contractRequest()).build()));
        // then
        assertThat(failure).isInstanceOf(InvalidProviderResponseException.class);
    }

    // ------------------------------------------------------------------------------ timeouts and cancellation

    @Test
    void givenServerThatNeverAnswers_whenCallTimeoutPasses_thenRequestTimeout() {
        // given
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        ProviderCall call = call(contractRequest()).timeout(Duration.ofMillis(300)).build();
        // when
        Throwable failure = failureOf(provider().completeAsync(call));
        // then
        assertThat(failure).isInstanceOf(RequestTimeoutException.class);
        assertThat(failure.getCause()).isInstanceOf(InterruptedIOException.class);
        assertThat(((LlmRouterException) failure).isRetryable()).isTrue();
        assertContext((LlmRouterException) failure);
    }

    @Test
    void givenClosedPort_whenComplete_thenProviderConnectionExceptionNamingTheProvider() throws IOException {
        // given
        ProviderCall call = call(contractRequest()).apiBase(closedPortBase()).build();
        // when
        Throwable failure = failureOf(provider().completeAsync(call));
        // then
        assertConnectionFailed(failure);
    }

    @Test
    void givenClosedPort_whenStream_thenProviderConnectionException() throws IOException {
        assumeTrue(streams(), "the adapter does not stream");
        // given
        RecordingSink sink = new RecordingSink();
        // when
        provider().streamAsync(call(contractRequest()).apiBase(closedPortBase()).build(), sink);
        // then
        assertConnectionFailed(sink.awaitError());
    }

    private void assertConnectionFailed(Throwable failure) {
        assertThat(failure).isInstanceOf(ProviderConnectionException.class);
        LlmRouterException e = (LlmRouterException) failure;
        assertThat(e).hasMessageStartingWith(e.provider().orElseThrow() + ": connection failed");
        assertThat(e.getCause()).isInstanceOf(ConnectException.class);
        assertThat(e.isRetryable()).isTrue();
        assertContext(e);
    }

    /** {@link #apiBase()} with the port of a socket that was just closed: nothing listens there. */
    private String closedPortBase() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return apiBase().replaceFirst(":" + server.getPort(), ":" + port);
    }

    @Test
    void givenServerThatNeverAnswers_whenStream_thenRequestTimeout() {
        assumeTrue(streams(), "the adapter does not stream");
        // given
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        RecordingSink sink = new RecordingSink();
        // when
        provider().streamAsync(call(contractRequest()).timeout(Duration.ofMillis(300)).build(), sink);
        // then
        assertThat(sink.awaitError()).isInstanceOf(RequestTimeoutException.class);
    }

    @Test
    void givenCallInFlight_whenFutureCancelled_thenCancelledAndTheAdapterStillServesTheNextCall() throws Exception {
        // given: the first request dispatched gets a slow answer, every later one a quick answer. A
        // queue would hand them out in dispatch order, and on a loaded machine the second request
        // can be dispatched before the first: it would get the slow answer.
        MockResponse slow = textAnswer().newBuilder().headersDelay(5, TimeUnit.SECONDS).build();
        MockResponse quick = textAnswer();
        CountDownLatch firstDispatched = new CountDownLatch(1);
        AtomicInteger dispatched = new AtomicInteger();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (dispatched.getAndIncrement() == 0) {
                    firstDispatched.countDown();
                    return slow;
                }
                return quick;
            }
        });
        Provider provider = provider();
        CompletableFuture<ChatResponse> first = provider.completeAsync(call(contractRequest()).build());
        assertThat(firstDispatched.await(5, SECONDS)).as("the first request reached the server").isTrue();
        // when
        first.cancel(true);
        // then
        assertThat(first).isCancelled();
        assertThat(await(provider.completeAsync(call(contractRequest()).build())).text()).isEqualTo(TEXT);
    }

    @Test
    void givenStreamInFlight_whenHandleCancelled_thenTheSinkHearsNothingMore() throws Exception {
        assumeTrue(streams(), "the adapter does not stream");
        // given
        server.enqueue(textStream().newBuilder().headersDelay(5, TimeUnit.SECONDS).build());
        RecordingSink sink = new RecordingSink();
        StreamHandle handle = provider().streamAsync(call(contractRequest()).build(), sink);
        assertThat(server.takeRequest(5, SECONDS)).as("the request reached the server").isNotNull();
        // when
        handle.cancel();
        // then: no chunk and no terminal event, even after the call's own timeout would have fired
        assertThat(catchThrowable(() -> sink.done().get(1, SECONDS)))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(sink.chunks()).isEmpty();
        assertThat(sink.terminals()).isZero();
    }

    // ------------------------------------------------------------------------------ helpers for subclasses

    /**
     * A JSON answer.
     *
     * @param status the HTTP status
     * @param body the JSON text
     * @return the answer
     */
    protected static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body)
                .build();
    }

    /**
     * A server-sent-events answer with status 200.
     *
     * @param events the events, e.g. {@code "data: {...}\n\n"} each
     * @return the answer
     */
    protected static MockResponse sse(String events) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(events)
                .build();
    }

    /**
     * {@code json} parsed.
     *
     * @param json JSON text
     * @return the tree
     */
    protected static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The next request the server received.
     *
     * @return the request
     * @throws InterruptedException if interrupted
     */
    protected final RecordedRequest taken() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        return request;
    }

    private MockResponse withRetryAfter(MockResponse answer, int status) {
        return status == 429 ? answer.newBuilder().setHeader("retry-after", String.valueOf(RETRY_AFTER_SECONDS))
                .build() : answer;
    }

    private void assertContext(LlmRouterException e) {
        assertThat(e.deploymentId()).contains(DEPLOYMENT_ID);
        assertThat(e.provider()).as("provider name").isPresent();
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(5, SECONDS);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        Throwable t = catchThrowable(() -> future.get(5, SECONDS));
        assertThat(t).as("the call's failure").isInstanceOf(ExecutionException.class);
        return t.getCause();
    }

    /** The exception's message, toString and whole printed stack (causes and suppressed included). */
    private static String everything(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return t.getMessage() + "\n" + t + "\n" + out;
    }
}
