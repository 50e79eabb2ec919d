package io.llmrouter.providers.anthropic;

import static io.llmrouter.providers.anthropic.AnthropicTestSupport.resource;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.ChatStream;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.api.exception.StreamInterruptedException;
import io.llmrouter.providers.testsupport.PullDriver;
import io.llmrouter.spi.CallCancellation;
import io.llmrouter.spi.ChunkSource;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import io.llmrouter.testing.RecordingSink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AnthropicProvider#openStream}, the pull-style stream read on the caller's thread: every
 * test of {@link AnthropicStreamingTest} again through it (the same chunks and errors as
 * {@code streamAsync}), then what only a pulled stream has: failures thrown when it opens, a
 * blocked {@code next()} cancelled from another thread, and the router's iterator with its
 * timeouts.
 */
class AnthropicPullStreamTest extends AnthropicStreamingTest {

    private static final String KEY = "sk-ant-api03-SECRET-pull-0123456789";
    private static final String MODEL = "claude-sonnet-4-5";

    private final CountDownLatch releaseServer = new CountDownLatch(1);
    private FaultServer primary;
    private FaultServer backup;

    @Override
    boolean pulled() {
        return true;
    }

    @AfterEach
    void release() {
        releaseServer.countDown();
        if (primary != null) {
            primary.close();
        }
        if (backup != null) {
            backup.close();
        }
    }

    private static AnthropicProvider pullProvider() {
        return AnthropicProvider.builder().build();
    }

    private ProviderCall call(Duration timeout, CallCancellation cancellation) {
        ProviderCall built = call(ChatRequest.builder(MODEL).addMessage(Message.user("Hello")).stream(true).build())
                .timeout(timeout).build();
        return ProviderCall.of(built.request(), built.endpoint(), cancellation);
    }

    /** The basic stream up to (not including) its second text delta. */
    private static String headUpToFirstText() {
        String basic = resource("stream-basic.sse");
        return basic.substring(0, basic.indexOf("event: content_block_delta", basic.indexOf("Hello")));
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
                        releaseServer.await(50, TimeUnit.MILLISECONDS);
                        sink.writeUtf8(": keep-alive\n\n"); // no event, but a write that sees a closed socket
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

    private static MockResponse stalled(MockResponseBody body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build();
    }

    // ------------------------------------------------------------------------------ opening

    @Test
    void givenRateLimitBeforeTheStream_whenOpened_thenOpenStreamItselfThrowsRateLimitWithRetryAfter() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .addHeader("retry-after", "7").body("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                        + "\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}")
                .build());

        assertThatThrownBy(() -> pullProvider().openStream(call()))
                .isInstanceOfSatisfying(RateLimitException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)))
                .hasMessageNotContaining(KEY);
    }

    @Test
    void givenJsonErrorEnvelopeWithStatus200_whenOpened_thenOpenStreamItselfThrowsByItsErrorType() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")
                .build());

        assertThatThrownBy(() -> pullProvider().openStream(call())).isInstanceOf(ServiceUnavailableException.class);
    }

    @Test
    void givenWholeStream_whenPulledAndPushed_thenTheSameChunksAndAccumulatedAnswer() throws Exception {
        server.enqueue(sse(resource("stream-tool-use.sse")));
        server.enqueue(sse(resource("stream-tool-use.sse")));
        RecordingSink pushed = new RecordingSink();
        pullProvider().streamAsync(call(), pushed);
        ChatResponse pushedAnswer = pushed.awaitCompletion();

        List<ChatChunk> pulled = new ArrayList<>();
        try (ChunkSource source = pullProvider().openStream(call())) {
            for (var c = source.next(); c.isPresent(); c = source.next()) {
                pulled.add(c.get());
            }
            assertThat(source.next()).isEmpty();
        }

        assertThat(pulled).isEqualTo(pushed.chunks());
        assertThat(pushedAnswer.usage()).isPresent();
    }

    // ------------------------------------------------------------------------------ cancellation

    @Test
    void givenReaderBlockedInNext_whenClosedFromAnotherThread_thenNextThrowsCancelledAndTheServerSeesTheDisconnect()
            throws Exception {
        CompletableFuture<IOException> disconnect = new CompletableFuture<>();
        server.enqueue(stalled(stalledAfter(headUpToFirstText(), disconnect)));
        ChunkSource source = pullProvider().openStream(call(Duration.ofSeconds(30), CallCancellation.create()));
        assertThat(source.next().orElseThrow().text()).contains("Hello");
        Thread closer = PullDriver.whenBlockedReading(Thread.currentThread(), source::close);

        assertThatThrownBy(source::next).isInstanceOf(RequestCancelledException.class);
        assertThat(disconnect.get(5, SECONDS)).isInstanceOf(IOException.class);
        closer.join(5_000);
        source.close(); // idempotent
    }

    @Test
    void givenReaderBlockedInNext_whenTheCallIsCancelled_thenNextThrowsCancelled() throws Exception {
        CompletableFuture<IOException> disconnect = new CompletableFuture<>();
        server.enqueue(stalled(stalledAfter(headUpToFirstText(), disconnect)));
        CallCancellation cancellation = CallCancellation.create();
        ChunkSource source = pullProvider().openStream(call(Duration.ofSeconds(30), cancellation));
        assertThat(source.next()).isPresent();
        Thread canceller = PullDriver.whenBlockedReading(Thread.currentThread(), cancellation::cancel);

        assertThatThrownBy(source::next).isInstanceOf(RequestCancelledException.class);
        assertThat(disconnect.get(5, SECONDS)).isInstanceOf(IOException.class);
        canceller.join(5_000);
    }

    // ------------------------------------------------------------------------------ through the router

    private Router router(Duration idle) {
        return Router.builder().timeouts(t -> t.streamIdleTimeout(idle))
                .deployment(Deployment.builder("chat", "anthropic/" + MODEL).id("d0").apiKey(Secret.of(KEY))
                        .apiBase(server.url("/anthropic").toString()).build()).build();
    }

    @Test
    void givenRouterStream_whenIterated_thenTheTextUsageAndCostAsPushed() throws Exception {
        server.enqueue(sse(resource("stream-basic.sse")));
        server.enqueue(sse(resource("stream-basic.sse")));

        try (Router router = router(Duration.ofSeconds(30))) {
            ChatResponse pushed = router.streamAsync(ChatRequest.ofUser("chat", "hi"), c -> { }).get(10, SECONDS);
            try (ChatStream stream = router.stream(ChatRequest.ofUser("chat", "hi"))) {
                StringBuilder text = new StringBuilder();
                for (ChatChunk c : stream) {
                    c.text().ifPresent(text::append);
                }
                assertThat(text).hasToString("Hello, how can I help?");
                assertThat(stream.response().text()).isEqualTo(pushed.text());
                assertThat(stream.response().usage()).isEqualTo(pushed.usage()).isPresent();
                assertThat(stream.response().cost().isPriced()).isTrue();
                assertThat(stream.response().cost().totalUsd().orElseThrow())
                        .isEqualByComparingTo(pushed.cost().totalUsd().orElseThrow());
            }
        }
    }

    @Test
    void givenRouterStreamGoingQuiet_whenTheIdleTimeoutPasses_thenTheBlockedReaderGetsStreamInterrupted()
            throws Exception {
        CompletableFuture<IOException> disconnect = new CompletableFuture<>();
        server.enqueue(stalled(stalledAfter(headUpToFirstText(), disconnect)));

        try (Router router = router(Duration.ofMillis(300));
                ChatStream stream = router.stream(ChatRequest.ofUser("chat", "hi"))) {
            List<String> seen = new ArrayList<>();
            assertThatThrownBy(() -> stream.forEach(c -> seen.add(c.text().orElse(""))))
                    .isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
                        assertThat(e.partialText()).isEqualTo("Hello");
                        assertThat(e.getCause()).isInstanceOf(RequestTimeoutException.class);
                    });
            assertThat(seen).contains("Hello");
        }
        assertThat(disconnect.get(5, SECONDS)).isInstanceOf(IOException.class);
    }

    @Test
    void givenSlowFirstToken_whenPastTheLimit_thenTheBackupStreamsAndTheIteratorSeesOnlyIt() throws Exception {
        primary = FaultServer.anthropic().then(Fault.stream(5).delayed(Duration.ofSeconds(30))).start();
        backup = FaultServer.anthropic().then(Fault.stream(3)).start();
        try (Router router = Router.builder().retryPolicy(retry -> retry.numRetries(0))
                .timeouts(t -> t.firstTokenTimeout(Duration.ofSeconds(2)).streamIdleTimeout(Duration.ofSeconds(5)))
                .deployment(Deployment.builder("g", "anthropic/" + MODEL).id("primary").apiBase(primary.url())
                        .apiKey(Secret.of(KEY)).build())
                .deployment(Deployment.builder("b", "anthropic/" + MODEL).id("backup").apiBase(backup.url())
                        .apiKey(Secret.of(KEY)).build())
                .fallbackPolicy(fallback -> fallback.fallbacks("g", "b")).build();
                ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"))) {
            StringBuilder text = new StringBuilder();
            for (ChatChunk c : stream) {
                c.text().ifPresent(text::append);
            }
            assertThat(text).hasToString("w0 w1 w2 ");
            assertThat(stream.response().routing().orElseThrow().deploymentId()).isEqualTo("backup");
        }
    }

    @Test
    void givenOpenedStream_whenCallTimeoutPassesMidStream_thenNextThrowsRequestTimeout() {
        server.enqueue(stalled(stalledAfter(headUpToFirstText(), new CompletableFuture<>())));

        try (ChunkSource source = pullProvider().openStream(call(Duration.ofMillis(400), CallCancellation.create()))) {
            assertThat(source.next()).isPresent();
            assertThatThrownBy(source::next).isInstanceOf(RequestTimeoutException.class)
                    .isInstanceOf(LlmRouterException.class);
        }
    }
}
