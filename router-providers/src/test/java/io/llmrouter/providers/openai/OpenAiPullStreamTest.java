package io.llmrouter.providers.openai;

import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.ChatStream;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.StreamInterruptedException;
import io.llmrouter.providers.testsupport.PullDriver;
import io.llmrouter.spi.CallCancellation;
import io.llmrouter.spi.ChunkSource;
import io.llmrouter.spi.ProviderCall;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAiProvider#openStream}: the pull-style stream read on the caller's thread, against
 * MockWebServer; and the router's blocking iterator over it.
 */
class OpenAiPullStreamTest {

    private static final String KEY = "sk-test-SECRET-0123456789abcdef";
    private static final String ID = "chatcmpl-pull-1";
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

    private static MockResponse sse(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build();
    }

    private static MockResponse sse(MockResponseBody body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build();
    }

    private static OpenAiProvider provider() {
        return OpenAiProvider.builder().environment(environment(Map.of())).build();
    }

    private ProviderCall call(Duration timeout, CallCancellation cancellation) {
        ChatRequest request = ChatRequest.ofUser("gpt-4o", "hello").toBuilder().stream(true).build();
        ProviderCall built = ProviderCall.builder(request).deploymentId("primary").modelGroup("chat")
                .providerRoute("openai/gpt-4o").apiBase(server.url("/v1").toString())
                .apiKey(Secret.of(KEY)).timeout(timeout).build();
        return ProviderCall.of(built.request(), built.endpoint(), cancellation);
    }

    private ProviderCall call() {
        return call(Duration.ofSeconds(5), CallCancellation.create());
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

    private static String finishEvent() {
        return "data: {\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,\"model\":\""
                + MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
    }

    private static String usageEvent() {
        return "data: {\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,\"model\":\""
                + MODEL + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,"
                + "\"total_tokens\":12}}\n\n";
    }

    private static String whole(String... pieces) {
        StringBuilder body = new StringBuilder(roleEvent());
        for (String p : pieces) {
            body.append(event(p));
        }
        return body.append(finishEvent()).append(usageEvent()).append("data: [DONE]\n\n").toString();
    }

    private static List<ChatChunk> drain(ChunkSource source) {
        List<ChatChunk> chunks = new ArrayList<>();
        for (Optional<ChatChunk> c = source.next(); c.isPresent(); c = source.next()) {
            chunks.add(c.get());
        }
        return chunks;
    }

    /** A body that sends {@code head}, then stays open until the test ends; reports the server's write failure. */
    private MockResponseBody stalledAfter(String head, CompletableFuture<IOException> disconnect) {
        return new MockResponseBody() {
            @Override
            public long getContentLength() {
                return -1;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8(head);
                sink.flush();
                try {
                    for (int i = 0; i < 200 && releaseServer.getCount() > 0; i++) {
                        releaseServer.await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                        sink.writeUtf8(": keep-alive\n\n"); // a comment: no event, but a write that sees a closed socket
                        sink.flush();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    disconnect.complete(e);
                    throw e;
                }
            }
        };
    }

    @Test
    void givenWholeStream_whenPulled_thenExactChunksThenEmptyForever() {
        server.enqueue(sse(whole("The", " capital")));

        try (ChunkSource source = provider().openStream(call())) {
            List<ChatChunk> chunks = drain(source);

            assertThat(chunks).extracting(c -> c.text().orElse("")).containsExactly("", "The", " capital", "", "");
            assertThat(chunks.get(0).role()).contains("assistant");
            assertThat(chunks.get(3).finishReason()).contains(FinishReason.STOP);
            assertThat(chunks.get(4).usage()).contains(Usage.of(9, 3));
            assertThat(chunks).allSatisfy(c -> assertThat(c.id()).isEqualTo(ID));
            assertThat(source.next()).isEmpty();
        }
    }

    @Test
    void givenStreamCutBeforeDoneAndFinish_whenPulled_thenChunksThenInvalidProviderResponse() {
        server.enqueue(sse(roleEvent() + event("half")));

        try (ChunkSource source = provider().openStream(call())) {
            assertThat(source.next().orElseThrow().role()).contains("assistant");
            assertThat(source.next().orElseThrow().text()).contains("half");
            assertThatThrownBy(source::next).isInstanceOf(InvalidProviderResponseException.class)
                    .hasMessageContaining("[DONE]");
        }
    }

    @Test
    void givenHtmlErrorPage_whenOpened_thenTypedFailureWithoutTheKeyBeforeAnyChunk() {
        server.enqueue(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html")
                .body("<html><body><h1>502 Bad Gateway</h1></body></html>").build());

        assertThatThrownBy(() -> provider().openStream(call())).isInstanceOf(LlmRouterException.class)
                .satisfies(e -> assertThat(((LlmRouterException) e).statusCode()).hasValue(502))
                .hasMessageNotContaining(KEY);
    }

    @Test
    void givenHtmlPageWithStatus200_whenPulled_thenInvalidProviderResponse() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html><body>Login required</body></html>").build());

        try (ChunkSource source = provider().openStream(call())) {
            assertThatThrownBy(source::next).isInstanceOf(InvalidProviderResponseException.class);
        }
    }

    @Test
    void givenCloseMidStream_whenClosed_thenTheServerSeesTheDisconnectAndNextIsCancelled() throws Exception {
        CompletableFuture<IOException> disconnect = new CompletableFuture<>();
        server.enqueue(sse(stalledAfter(roleEvent() + event("one") + event(" two"), disconnect)));
        ChunkSource source = provider().openStream(call());
        assertThat(source.next()).isPresent();
        assertThat(source.next().orElseThrow().text()).contains("one");

        source.close();

        assertThat(disconnect.get(5, SECONDS)).isInstanceOf(IOException.class);
        assertThatThrownBy(source::next).isInstanceOf(RequestCancelledException.class);
        source.close(); // idempotent
    }

    @Test
    void givenReaderBlockedInNext_whenTheCallIsCancelledFromAnotherThread_thenNextThrowsCancelledPromptly()
            throws Exception {
        CompletableFuture<IOException> disconnect = new CompletableFuture<>();
        server.enqueue(sse(stalledAfter(roleEvent(), disconnect)));
        CallCancellation cancellation = CallCancellation.create();
        ChunkSource source = provider().openStream(call(Duration.ofSeconds(30), cancellation));
        assertThat(source.next()).isPresent();
        Thread canceller = PullDriver.whenBlockedReading(Thread.currentThread(), cancellation::cancel);

        assertThatThrownBy(source::next).isInstanceOf(RequestCancelledException.class);
        assertThat(disconnect.get(5, SECONDS)).isInstanceOf(IOException.class);
        canceller.join(5_000);
    }

    @Test
    void givenServerStallsMidStream_whenTheCallTimeoutPasses_thenNextThrowsRequestTimeout() {
        server.enqueue(sse(stalledAfter(roleEvent(), new CompletableFuture<>())));

        try (ChunkSource source = provider().openStream(call(Duration.ofMillis(400), CallCancellation.create()))) {
            assertThat(source.next()).isPresent();
            assertThatThrownBy(source::next).isInstanceOf(RequestTimeoutException.class);
        }
    }

    // ------------------------------------------------------------------------------ through the router

    private Router router(Duration idle) {
        return Router.builder().timeouts(t -> t.streamIdleTimeout(idle))
                .deployment(Deployment.builder("chat", "openai/gpt-4o").id("d0").apiKey(Secret.of(KEY))
                        .apiBase(server.url("/v1").toString()).build()).build();
    }

    @Test
    void givenRouterStream_whenIterated_thenTheTextUsageAndCostAsPushed() {
        server.enqueue(sse(whole("The", " capital", " is", " Paris.")));

        try (Router router = router(Duration.ofSeconds(30));
                ChatStream stream = router.stream(ChatRequest.ofUser("chat", "hi"))) {
            StringBuilder text = new StringBuilder();
            for (ChatChunk c : stream) {
                c.text().ifPresent(text::append);
            }
            assertThat(text).hasToString("The capital is Paris.");
            assertThat(stream.response().usage()).contains(Usage.of(9, 3));
            assertThat(stream.response().cost().isPriced()).isTrue();
        }
    }

    @Test
    void givenRouterStreamGoingQuiet_whenTheIdleTimeoutPasses_thenTheBlockedReaderGetsStreamInterrupted()
            throws Exception {
        CompletableFuture<IOException> disconnect = new CompletableFuture<>();
        server.enqueue(sse(stalledAfter(roleEvent() + event("partial"), disconnect)));

        try (Router router = router(Duration.ofMillis(300));
                ChatStream stream = router.stream(ChatRequest.ofUser("chat", "hi"))) {
            List<String> seen = new ArrayList<>();
            assertThatThrownBy(() -> stream.forEach(c -> seen.add(c.text().orElse(""))))
                    .isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
                        assertThat(e.partialText()).isEqualTo("partial");
                        assertThat(e.getCause()).isInstanceOf(RequestTimeoutException.class);
                    });
            assertThat(seen).contains("partial");
        }
        assertThat(disconnect.get(5, SECONDS)).isInstanceOf(IOException.class);
    }
}
