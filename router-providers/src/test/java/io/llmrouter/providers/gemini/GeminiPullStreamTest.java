package io.llmrouter.providers.gemini;

import static io.llmrouter.providers.gemini.GeminiTestSupport.json;
import static io.llmrouter.providers.gemini.GeminiTestSupport.resource;
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
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.StreamInterruptedException;
import io.llmrouter.providers.testsupport.PullDriver;
import io.llmrouter.spi.CallCancellation;
import io.llmrouter.spi.ChunkSource;
import io.llmrouter.spi.ProviderCall;
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
 * {@link GeminiProvider#openStream}, the pull-style stream read on the caller's thread: every test
 * of {@link GeminiStreamTest} again through it (the same chunks and errors as {@code streamAsync}),
 * then what only a pulled stream has: failures thrown when it opens, a blocked {@code next()}
 * cancelled from another thread, and the router's iterator with its timeouts.
 */
class GeminiPullStreamTest extends GeminiStreamTest {

    private static final String KEY = "AIzaSyPull-SECRET_0123456789abcdefghijk";
    private static final String FIRST_EVENT = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Bonjour\"}],"
            + "\"role\": \"model\"},\"index\": 0}],\"modelVersion\": \"gemini-2.0-flash-001\","
            + "\"responseId\": \"resp-pull-1\"}\r\n\r\n";

    private final CountDownLatch releaseServer = new CountDownLatch(1);

    @Override
    boolean pulled() {
        return true;
    }

    @AfterEach
    void release() {
        releaseServer.countDown();
    }

    private static ProviderCall call(Duration timeout, CallCancellation cancellation) {
        ProviderCall built = hello();
        ProviderCall timed = ProviderCall.builder(built.request()).deploymentId("flash").modelGroup("flash")
                .providerRoute("gemini/gemini-2.0-flash").apiKey(Secret.of(GeminiTestSupport.KEY)).timeout(timeout)
                .build();
        return ProviderCall.of(timed.request(), timed.endpoint(), cancellation);
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
                        sink.writeUtf8(": keep-alive\r\n\r\n"); // no event, but a write that sees a closed socket
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
    void givenRateLimitBeforeTheStream_whenOpened_thenOpenStreamItselfThrowsRateLimitWithItsDelay() {
        server.enqueue(json(429, resource("error-429-retry-info.json")));

        assertThatThrownBy(() -> provider().openStream(hello()))
                .isInstanceOfSatisfying(RateLimitException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofMillis(12_500)))
                .hasMessageNotContaining(GeminiTestSupport.KEY);
    }

    @Test
    void givenWholeStream_whenPulledAndPushed_thenTheSameChunksAndUsage() throws Exception {
        server.enqueue(sse(resource("stream-function-calls.sse")));
        server.enqueue(sse(resource("stream-function-calls.sse")));
        RecordingSink pushed = new RecordingSink();
        provider().streamAsync(hello(), pushed);
        pushed.awaitCompleted();

        List<ChatChunk> pulled = new ArrayList<>();
        try (ChunkSource source = provider().openStream(hello())) {
            for (var c = source.next(); c.isPresent(); c = source.next()) {
                pulled.add(c.get());
            }
            assertThat(source.next()).isEmpty();
        }

        assertThat(pulled).isEqualTo(pushed.chunks());
        assertThat(pulled).anyMatch(c -> c.usage().isPresent());
    }

    // ------------------------------------------------------------------------------ cancellation

    @Test
    void givenReaderBlockedInNext_whenClosedFromAnotherThread_thenNextThrowsCancelledAndTheServerSeesTheDisconnect()
            throws Exception {
        CompletableFuture<IOException> disconnect = new CompletableFuture<>();
        server.enqueue(stalled(stalledAfter(FIRST_EVENT, disconnect)));
        ChunkSource source = provider().openStream(call(Duration.ofSeconds(30), CallCancellation.create()));
        assertThat(source.next().orElseThrow().text()).contains("Bonjour");
        Thread closer = PullDriver.whenBlockedReading(Thread.currentThread(), source::close);

        assertThatThrownBy(source::next).isInstanceOf(RequestCancelledException.class);
        assertThat(disconnect.get(5, SECONDS)).isInstanceOf(IOException.class);
        closer.join(5_000);
        source.close(); // idempotent
    }

    @Test
    void givenOpenedStream_whenCallTimeoutPassesMidStream_thenNextThrowsRequestTimeout() {
        server.enqueue(stalled(stalledAfter(FIRST_EVENT, new CompletableFuture<>())));

        try (ChunkSource source = provider().openStream(call(Duration.ofMillis(400), CallCancellation.create()))) {
            assertThat(source.next()).isPresent();
            assertThatThrownBy(source::next).isInstanceOf(RequestTimeoutException.class);
        }
    }

    // ------------------------------------------------------------------------------ through the router

    private Deployment deployment(String group, String id) {
        return Deployment.builder(group, "gemini/gemini-2.0-flash").id(id).apiKey(Secret.of(KEY))
                .apiBase(server.url("/v1beta").toString()).build();
    }

    @Test
    void givenRouterStream_whenIterated_thenTheTextUsageAndCostAsPushed() throws Exception {
        server.enqueue(sse(resource("stream-text.sse")));
        server.enqueue(sse(resource("stream-text.sse")));

        try (Router router = Router.builder().deployment(deployment("chat", "d0")).build()) {
            ChatResponse pushed = router.streamAsync(ChatRequest.ofUser("chat", "hi"), c -> { }).get(10, SECONDS);
            try (ChatStream stream = router.stream(ChatRequest.ofUser("chat", "hi"))) {
                StringBuilder text = new StringBuilder();
                for (ChatChunk c : stream) {
                    c.text().ifPresent(text::append);
                }
                assertThat(text).hasToString("Bonjour tout le monde !");
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
        server.enqueue(stalled(stalledAfter(FIRST_EVENT, disconnect)));

        try (Router router = Router.builder().timeouts(t -> t.streamIdleTimeout(Duration.ofMillis(300)))
                .deployment(deployment("chat", "d0")).build();
                ChatStream stream = router.stream(ChatRequest.ofUser("chat", "hi"))) {
            List<String> seen = new ArrayList<>();
            assertThatThrownBy(() -> stream.forEach(c -> seen.add(c.text().orElse(""))))
                    .isInstanceOfSatisfying(StreamInterruptedException.class, e -> {
                        assertThat(e.partialText()).isEqualTo("Bonjour");
                        assertThat(e.getCause()).isInstanceOf(RequestTimeoutException.class);
                    });
            assertThat(seen).contains("Bonjour");
        }
        assertThat(disconnect.get(5, SECONDS)).isInstanceOf(IOException.class);
    }

    @Test
    void givenSlowFirstToken_whenPastTheLimit_thenTheBackupStreamsAndTheIteratorSeesOnlyIt() {
        server.enqueue(stalled(stalledAfter("", new CompletableFuture<>()))); // headers, then no event
        server.enqueue(sse(resource("stream-text.sse")));

        try (Router router = Router.builder().retryPolicy(retry -> retry.numRetries(0))
                .timeouts(t -> t.firstTokenTimeout(Duration.ofSeconds(1)).streamIdleTimeout(Duration.ofSeconds(5)))
                .deployment(deployment("g", "primary")).deployment(deployment("b", "backup"))
                .fallbackPolicy(fallback -> fallback.fallbacks("g", "b")).build();
                ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"))) {
            StringBuilder text = new StringBuilder();
            for (ChatChunk c : stream) {
                c.text().ifPresent(text::append);
            }
            assertThat(text).hasToString("Bonjour tout le monde !");
            assertThat(stream.response().routing().orElseThrow().deploymentId()).isEqualTo("backup");
        }
    }
}
