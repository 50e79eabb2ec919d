package io.llmrouter.providers.openai;

import static io.llmrouter.providers.openai.TestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.JSON;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolCallDelta;
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
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.StreamHandle;
import io.llmrouter.testing.RecordingSink;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link OpenAiProvider#streamAsync} against MockWebServer with stream bodies written from OpenAI's
 * streaming reference ({@code src/test/resources/openai/stream-*.sse}) and the vendors' pages.
 */
class OpenAiStreamTest {

    private static final String KEY = "sk-test-SECRET-0123456789abcdef";
    private static final String ID = "chatcmpl-stream-1";
    private static final String MODEL = "gpt-4o-2024-08-06";

    private MockWebServer server;
    private final CountDownLatch releaseServer = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stopServer() {
        releaseServer.countDown();
        server.close();
    }

    // ------------------------------------------------------------------------------------ helpers

    private static MockResponse sse(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build();
    }

    private static MockResponse sse(MockResponseBody body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build();
    }

    private static OpenAiProvider provider(OpenAiCompatibleVendor vendor) {
        return OpenAiProvider.builder().vendor(vendor).environment(environment(Map.of())).build();
    }

    private ProviderCall call(OpenAiCompatibleVendor vendor, String model, Duration timeout) {
        ChatRequest request = ChatRequest.ofUser(model, "hello").toBuilder().stream(true).build();
        return ProviderCall.builder(request).deploymentId("primary").modelGroup("chat")
                .providerRoute(vendor.prefix() + "/" + model).apiBase(server.url("/v1").toString())
                .apiKey(Secret.of(KEY)).timeout(timeout).build();
    }

    private ProviderCall call(OpenAiCompatibleVendor vendor) {
        return call(vendor, "gpt-4o", Duration.ofSeconds(5));
    }

    private RecordingSink stream(OpenAiCompatibleVendor vendor, MockResponse answer) {
        server.enqueue(answer);
        RecordingSink sink = new RecordingSink();
        provider(vendor).streamAsync(call(vendor), sink);
        return sink;
    }

    private RecordingSink stream(MockResponse answer) {
        return stream(OpenAiCompatibleVendor.OPENAI, answer);
    }

    private static String event(String text) {
        return "data: {\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,\"model\":\""
                + MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text
                + "\"},\"finish_reason\":null}]}\n\n";
    }

    private static String roleEvent() {
        return "data: {\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,\"model\":\""
                + MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"finish_reason\":null}]}\n\n";
    }

    private static ChatChunk.Builder chunk() {
        return ChatChunk.builder(ID, MODEL);
    }

    // ------------------------------------------------------------------------------------ request

    @Nested
    class RequestSent {

        @Test
        void givenStreamingCall_whenStreamAsync_thenPostsSameUrlWithStreamFieldsAndEventStreamAccept()
                throws Exception {
            RecordingSink sink = stream(sse(resource("openai", "stream-text.sse")));
            sink.awaitCompletion();

            RecordedRequest sent = server.takeRequest(5, SECONDS);
            assertThat(sent.getMethod()).isEqualTo("POST");
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
            assertThat(sent.getHeaders().get("Accept")).isEqualTo("text/event-stream");
            assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
            assertThat(sent.getHeaders().get("Content-Type")).isEqualTo("application/json");
            assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                    {"model":"gpt-4o","messages":[{"role":"user","content":"hello"}],
                     "stream":true,"stream_options":{"include_usage":true}}"""));
        }

        @Test
        void givenRequestWithoutStreamFlag_whenStreamAsync_thenStreamFieldsAreSentAnyway() throws Exception {
            server.enqueue(sse(resource("openai", "stream-text.sse")));
            RecordingSink sink = new RecordingSink();
            ProviderCall call = ProviderCall.builder(ChatRequest.ofUser("gpt-4o", "hello")).deploymentId("primary")
                    .modelGroup("chat").providerRoute("openai/gpt-4o").apiBase(server.url("/v1").toString())
                    .apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5)).build();

            provider(OpenAiCompatibleVendor.OPENAI).streamAsync(call, sink);
            sink.awaitCompletion();

            JsonNode body = tree(server.takeRequest(5, SECONDS).getBody().utf8());
            assertThat(body.path("stream").asBoolean()).isTrue();
            assertThat(body.path("stream_options")).isEqualTo(tree("{\"include_usage\":true}"));
        }

        @Test
        void givenMistral_whenStreamAsync_thenStreamOptionsIsDroppedAndUsageStillComesFromTheLastChunk()
                throws Exception {
            RecordingSink sink = stream(OpenAiCompatibleVendor.MISTRAL,
                    sse(resource("mistral", "stream-usage-last-chunk.sse")));

            ChatResponse response = sink.awaitCompletion();

            JsonNode body = tree(server.takeRequest(5, SECONDS).getBody().utf8());
            assertThat(body.path("stream").asBoolean()).isTrue();
            assertThat(body.has("stream_options")).isFalse();
            assertThat(response.text()).isEqualTo("Bonjour le monde");
            assertThat(response.finishReason()).contains(FinishReason.STOP);
            assertThat(response.usage()).contains(Usage.builder().promptTokens(10).completionTokens(3).totalTokens(13)
                    .cachedTokens(4).build());
        }

        @Test
        void givenNoKeyAnywhere_whenStreamAsync_thenOnErrorAuthenticationAndNothingSent() throws Exception {
            RecordingSink sink = new RecordingSink();
            ProviderCall call = ProviderCall.builder(ChatRequest.ofUser("gpt-4o", "hello")).deploymentId("primary")
                    .modelGroup("chat").providerRoute("openai/gpt-4o").timeout(Duration.ofSeconds(5)).build();

            StreamHandle handle = OpenAiProvider.builder().defaultApiBase(server.url("/v1").toString())
                    .environment(environment(Map.of())).build().streamAsync(call, sink);

            assertThat(sink.awaitError()).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("OPENAI_API_KEY");
            assertThat(handle).isSameAs(StreamHandle.NONE);
            assertThat(server.getRequestCount()).isZero();
        }
    }

    // ------------------------------------------------------------------------------------ chunks

    @Nested
    class ChunksNormalized {

        @Test
        void givenTextStream_whenStreamAsync_thenChunksArriveInOrderWithUsageOnTheirOwnLastChunk() throws Exception {
            RecordingSink sink = stream(sse(resource("openai", "stream-text.sse")));

            ChatResponse response = sink.awaitCompletion();

            assertThat(sink.chunks()).containsExactly(
                    chunk().role("assistant").build(),
                    chunk().text("The").build(),
                    chunk().text(" capital").build(),
                    chunk().text(" of France").build(),
                    chunk().text(" is").build(),
                    chunk().text(" Paris.").build(),
                    chunk().finishReason(FinishReason.STOP).rawFinishReason("stop").build(),
                    chunk().usage(Usage.builder().promptTokens(14).completionTokens(6).totalTokens(20).build())
                            .build());
            assertThat(response.text()).isEqualTo("The capital of France is Paris.");
            assertThat(response.id()).isEqualTo(ID);
            assertThat(response.model()).isEqualTo(MODEL);
        }

        @Test
        void givenToolCallArgumentsInManyFragments_whenAccumulated_thenTheyReassembleIntoValidJson()
                throws Exception {
            RecordingSink sink = stream(sse(resource("openai", "stream-tool-call-fragments.sse")));

            ChatResponse response = sink.awaitCompletion();

            List<ToolCallDelta> deltas = sink.chunks().stream().flatMap(c -> c.toolCalls().stream()).toList();
            assertThat(deltas).hasSize(18);
            assertThat(deltas.get(0)).isEqualTo(ToolCallDelta.of(0, "call_Wf3x9KQ2mZ", "get_forecast", ""));
            assertThat(deltas.subList(1, deltas.size())).allSatisfy(d -> {
                assertThat(d.id()).isEmpty();
                assertThat(d.name()).isEmpty();
            });
            assertThat(response.finishReason()).contains(FinishReason.TOOL_CALLS);
            assertThat(response.toolCalls()).hasSize(1);
            ToolCall call = response.toolCalls().get(0);
            assertThat(call.id()).isEqualTo("call_Wf3x9KQ2mZ");
            assertThat(call.name()).isEqualTo("get_forecast");
            assertThat(JSON.readTree(call.arguments())).isEqualTo(tree("""
                    {"location":"Paris, France","unit":"celsius","days":3,
                     "details":{"hourly":true,"alerts":["wind","rain"]}}"""));
        }

        @Test
        void givenParallelToolCallsInterleavedByIndex_whenAccumulated_thenEachCallGetsItsOwnArguments()
                throws Exception {
            RecordingSink sink = stream(sse(resource("openai", "stream-parallel-tool-calls.sse")));

            ChatResponse response = sink.awaitCompletion();

            assertThat(sink.chunks().stream().flatMap(c -> c.toolCalls().stream()).map(ToolCallDelta::index).toList())
                    .containsSubsequence(0, 1, 0, 1, 0, 1);
            assertThat(response.toolCalls()).extracting(ToolCall::id).containsExactly("call_paris_01", "call_tokyo_02");
            assertThat(response.toolCalls()).extracting(ToolCall::name).containsOnly("get_weather");
            assertThat(JSON.readTree(response.toolCalls().get(0).arguments())).isEqualTo(tree("{\"location\":\"Paris\"}"));
            assertThat(JSON.readTree(response.toolCalls().get(1).arguments()))
                    .isEqualTo(tree("{\"location\":\"Tokyo\",\"unit\":\"celsius\"}"));
            assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(130);
        }

        @Test
        void givenGroqUsageOnlyInXGroq_whenStreamAsync_thenUsageRidesOnTheFinishChunk() throws Exception {
            RecordingSink sink = stream(OpenAiCompatibleVendor.GROQ, sse(resource("groq", "stream-x-groq-usage.sse")));

            ChatResponse response = sink.awaitCompletion();

            ChatChunk last = sink.chunks().get(sink.chunks().size() - 1);
            assertThat(last.finishReason()).contains(FinishReason.STOP);
            assertThat(last.usage()).contains(Usage.builder().promptTokens(18).completionTokens(5).totalTokens(23)
                    .build());
            assertThat(response.text()).isEqualTo("Fast inference is fun.");
        }

        @Test
        void givenDeepSeekReasoningDeltas_whenStreamAsync_thenReasoningChunksAndCachedTokensFromItsField()
                throws Exception {
            RecordingSink sink = stream(OpenAiCompatibleVendor.DEEPSEEK,
                    sse(resource("deepseek", "stream-reasoning.sse")));

            ChatResponse response = sink.awaitCompletion();

            assertThat(sink.chunks()).hasSize(7); // role, three reasoning pieces, two texts, finish + usage
            assertThat(sink.chunks()).filteredOn(c -> c.reasoning().isPresent()).hasSize(3);
            assertThat(response.text()).isEqualTo("9.8 is larger.");
            assertThat(response.choices().get(0).message().reasoningContent())
                    .contains("The userwants 9.11 vs 9.8; 9.8 is larger.");
            assertThat(response.usage()).contains(Usage.builder().promptTokens(20).completionTokens(40).totalTokens(60)
                    .cachedTokens(16).reasoningTokens(35).build());
        }
    }

    // ------------------------------------------------------------------------------------ ends

    @Nested
    class Ends {

        /** Every vendor prefix: the one end-of-stream rule has no per-vendor switch. */
        static Stream<OpenAiCompatibleVendor> vendors() {
            return Stream.concat(OpenAiCompatibleVendor.all().stream(),
                    Stream.of(OpenAiCompatibleVendor.builder("corp").build()));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("vendors")
        void givenAnyVendor_whenBodyEndsWithoutDoneAfterTheFinishChunk_thenCompletesNormally(
                OpenAiCompatibleVendor vendor) throws Exception {
            RecordingSink sink = stream(vendor, sse(resource("openai", "stream-text-no-done.sse")));

            ChatResponse response = sink.awaitCompletion();

            assertThat(response.text()).isEqualTo("The capital of France is Paris.");
            assertThat(response.finishReason()).contains(FinishReason.STOP);
            assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(20);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("vendors")
        void givenAnyVendor_whenBodyEndsCleanlyBeforeTheFinishChunk_thenOnErrorInvalidProviderResponse(
                OpenAiCompatibleVendor vendor) throws Exception {
            RecordingSink sink = stream(vendor, sse(resource("openai", "stream-cut-before-finish.sse")));

            assertThat(sink.awaitError()).isExactlyInstanceOf(InvalidProviderResponseException.class)
                    .hasMessageContaining("the stream ended without data: [DONE] before every choice sent its"
                            + " finish_reason");
        }

        @Test
        void givenTwoChoices_whenBodyEndsAfterOnlyOneFinished_thenOnErrorInvalidProviderResponse() throws Exception {
            String body = event("a") + "data: {\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"model\":\""
                    + MODEL + "\",\"choices\":[{\"index\":1,\"delta\":{\"content\":\"b\"},\"finish_reason\":null},"
                    + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
            RecordingSink sink = stream(sse(body));

            assertThat(sink.awaitError()).isExactlyInstanceOf(InvalidProviderResponseException.class);
        }

        @Test
        void givenMalformedEvent_whenStreamAsync_thenOnErrorInvalidProviderResponseAfterTheGoodChunks()
                throws Exception {
            RecordingSink sink = stream(sse(resource("openai", "stream-malformed-event.sse")));

            Throwable error = sink.awaitError();

            assertThat(error).isExactlyInstanceOf(InvalidProviderResponseException.class)
                    .hasMessageContaining("malformed JSON");
            assertThat(sink.chunks()).extracting(c -> c.text().orElse("")).containsExactly("", "Hello");
        }

        @Test
        void givenOpenRouterErrorChunk_whenStreamAsync_thenOnErrorRetryableServerErrorNotANormalEnd()
                throws Exception {
            RecordingSink sink = stream(OpenAiCompatibleVendor.OPENROUTER,
                    sse(resource("openrouter", "stream-error-chunk.sse")));

            Throwable error = sink.awaitError();

            assertThat(error).isExactlyInstanceOf(ProviderServerException.class)
                    .hasMessageContaining("Provider disconnected unexpectedly");
            assertThat(((LlmRouterException) error).isRetryable()).isTrue();
            assertThat(sink.chunks()).extracting(c -> c.text().orElse("")).containsExactly("Once", " upon");
        }

        @Test
        void givenOpenRouterErrorChunkWithNumericCode_whenStreamAsync_thenClassifiedAsThatStatus() throws Exception {
            RecordingSink sink = stream(OpenAiCompatibleVendor.OPENROUTER,
                    sse(resource("openrouter", "stream-error-chunk-502.sse")));

            Throwable error = sink.awaitError();

            assertThat(error).isExactlyInstanceOf(ProviderServerException.class);
            assertThat(((LlmRouterException) error).statusCode()).hasValue(502);
        }

        @Test
        void givenMistralChoiceFinishingWithError_whenStreamAsync_thenOnErrorServerError() throws Exception {
            RecordingSink sink = stream(OpenAiCompatibleVendor.MISTRAL,
                    sse(resource("mistral", "stream-finish-error.sse")));

            assertThat(sink.awaitError()).isExactlyInstanceOf(ProviderServerException.class)
                    .hasMessageContaining("finish_reason \"error\"");
        }

        @Test
        void givenRateLimitErrorEventInsideTheStream_whenStreamAsync_thenOnErrorRateLimit() throws Exception {
            RecordingSink sink = stream(sse(roleEvent() + "data: {\"error\":{\"message\":\"Rate limit reached\","
                    + "\"type\":\"tokens\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}\n\n"));

            Throwable error = sink.awaitError();

            assertThat(error).isExactlyInstanceOf(RateLimitException.class);
            assertThat(((LlmRouterException) error).isRetryable()).isTrue();
        }
    }

    // ------------------------------------------------------------------------------------ refusals before the stream

    @Nested
    class ErrorsBeforeTheStream {

        @Test
        void given429BeforeStreaming_whenStreamAsync_thenOnErrorRateLimitWithRetryAfter() throws Exception {
            RecordingSink sink = stream(new MockResponse.Builder().code(429)
                    .addHeader("Content-Type", "application/json").addHeader("retry-after", "7")
                    .addHeader("x-request-id", "req_429")
                    .body("""
                            {"error":{"message":"Rate limit reached for gpt-4o","type":"requests","param":null,
                             "code":"rate_limit_exceeded"}}""").build());

            Throwable error = sink.awaitError();

            assertThat(error).isExactlyInstanceOf(RateLimitException.class);
            RateLimitException e = (RateLimitException) error;
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
            assertThat(e.statusCode()).hasValue(429);
            assertThat(e.providerRequestId()).contains("req_429");
            assertThat(e.isRetryable()).isTrue();
            assertThat(sink.chunks()).isEmpty();
        }

        static Stream<Arguments> statuses() {
            return Stream.of(
                    Arguments.of(400, BadRequestException.class),
                    Arguments.of(401, AuthenticationException.class),
                    Arguments.of(404, NotFoundException.class),
                    Arguments.of(500, ProviderServerException.class),
                    Arguments.of(503, ServiceUnavailableException.class));
        }

        @ParameterizedTest
        @MethodSource("statuses")
        void givenErrorStatusBeforeStreaming_whenStreamAsync_thenOnErrorWithItsTypedException(int status,
                Class<? extends LlmRouterException> expected) throws Exception {
            RecordingSink sink = stream(new MockResponse.Builder().code(status)
                    .addHeader("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"nope\",\"type\":\"x\",\"param\":null,\"code\":null}}").build());

            Throwable error = sink.awaitError();

            assertThat(error).isExactlyInstanceOf(expected);
            assertThat(((LlmRouterException) error).statusCode()).hasValue(status);
            assertThat(error.getMessage()).doesNotContain(KEY);
        }
    }

    // ------------------------------------------------------------------------------------ transport

    @Nested
    class Transport {

        @Test
        void givenConnectionCutMidStream_whenReading_thenOnErrorProviderConnection() throws Exception {
            StringBuilder body = new StringBuilder(roleEvent());
            for (int i = 0; i < 20; i++) {
                body.append(event("w" + i + " "));
            }
            body.append("data: [DONE]\n\n");
            // MockWebServer closes the socket once half of the (Content-Length framed) body is written.
            RecordingSink sink = stream(new MockResponse.Builder().code(200)
                    .addHeader("Content-Type", "text/event-stream").body(body.toString())
                    .onResponseBody(new SocketEffect.CloseSocket()).build());

            Throwable error = sink.awaitError();

            assertThat(error).isExactlyInstanceOf(ProviderConnectionException.class);
            assertThat(sink.chunks()).hasSizeBetween(2, 20);
            assertThat(sink.chunks().get(1).text()).contains("w0 ");
        }

        @Test
        void givenServerStallsMidStream_whenCallTimeoutPasses_thenOnErrorRequestTimeout() throws Exception {
            MockResponseBody stalled = new MockResponseBody() {
                @Override
                public long getContentLength() {
                    return -1;
                }

                @Override
                public void writeTo(BufferedSink sink) throws IOException {
                    sink.writeUtf8(roleEvent());
                    sink.flush();
                    awaitRelease();
                }
            };
            server.enqueue(sse(stalled));
            RecordingSink sink = new RecordingSink();

            provider(OpenAiCompatibleVendor.OPENAI).streamAsync(
                    call(OpenAiCompatibleVendor.OPENAI, "gpt-4o", Duration.ofMillis(500)), sink);

            assertThat(sink.awaitError()).isExactlyInstanceOf(RequestTimeoutException.class);
            assertThat(sink.chunks()).hasSize(1);
        }

        @Test
        void givenCancelAfterThreeChunks_whenCancelled_thenServerSeesTheDisconnectAndSinkHearsNothingMore()
                throws Exception {
            CountDownLatch cancelled = new CountDownLatch(1);
            CompletableFuture<IOException> serverSawDisconnect = new CompletableFuture<>();
            MockResponseBody endless = new MockResponseBody() {
                @Override
                public long getContentLength() {
                    return -1;
                }

                @Override
                public void writeTo(BufferedSink sink) throws IOException {
                    sink.writeUtf8(roleEvent() + event("The") + event(" capital"));
                    sink.flush();
                    try {
                        cancelled.await(5, SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    try {
                        for (int i = 0; i < 100_000; i++) {
                            sink.writeUtf8(event(" more" + i));
                            sink.flush();
                        }
                    } catch (IOException e) {
                        serverSawDisconnect.complete(e);
                        throw e;
                    }
                    serverSawDisconnect.completeExceptionally(new AssertionError("the client never disconnected"));
                }
            };
            server.enqueue(sse(endless));
            RecordingSink sink = new RecordingSink();
            StreamHandle handle = provider(OpenAiCompatibleVendor.OPENAI).streamAsync(call(OpenAiCompatibleVendor.OPENAI),
                    sink);
            sink.awaitChunks(3);

            handle.cancel();
            cancelled.countDown();

            assertThat(serverSawDisconnect.get(5, SECONDS)).isInstanceOf(IOException.class);
            assertThat(sink.chunks()).extracting(c -> c.text().orElse("")).containsExactly("", "The", " capital");
            assertThat(sink.terminalEvents()).isZero();
            handle.cancel(); // idempotent
        }
    }

    private void awaitRelease() {
        try {
            releaseServer.await(10, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
