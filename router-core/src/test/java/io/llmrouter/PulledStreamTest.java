package io.llmrouter;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.api.exception.StreamInterruptedException;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.ChunkSource;
import io.llmrouter.spi.StreamHandle;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The blocking {@link ChatStream} over a provider with its own pull-style
 * {@link Provider#openStream}: opened and read on the caller's thread, with the same failover
 * before the first chunk as a pushed stream.
 */
class PulledStreamTest {

    private static final Duration NO_BACKOFF = Duration.ZERO;

    /** One scripted stream: a failure when opening, the chunks, then the end, a failure or a block. */
    private record Script(LlmRouterException openFailure, List<ChatChunk> chunks, LlmRouterException failure,
            boolean blocks) {
    }

    private static Script answer(String... pieces) {
        List<ChatChunk> chunks = new ArrayList<>();
        for (int i = 0; i < pieces.length; i++) {
            ChatChunk.Builder c = ChatChunk.builder("s1", "gpt-4o").text(pieces[i]);
            chunks.add(i == 0 ? c.role("assistant").build() : c.build());
        }
        chunks.add(ChatChunk.builder("s1", "gpt-4o").finishReason(FinishReason.STOP).build());
        chunks.add(ChatChunk.builder("s1", "gpt-4o").usage(Usage.of(5, pieces.length)).build());
        return new Script(null, chunks, null, false);
    }

    private static Script refused(LlmRouterException e) {
        return new Script(e, List.of(), null, false);
    }

    private static Script cutAfter(LlmRouterException e, String... pieces) {
        return new Script(null, answer(pieces).chunks().subList(0, pieces.length), e, false);
    }

    private static Script blockingAfter(String... pieces) {
        return new Script(null, answer(pieces).chunks().subList(0, pieces.length), null, true);
    }

    private static ProviderServerException serverError() {
        return new ProviderServerException("pull: 500 (scripted)", ErrorContext.none());
    }

    /** A provider whose streams are read where {@code next()} is called; records those threads. */
    private static final class PullProvider implements Provider {
        final List<Script> scripts;
        final AtomicInteger calls = new AtomicInteger();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);
        final CountDownLatch blocked = new CountDownLatch(1);

        PullProvider(Script... scripts) {
            this.scripts = List.of(scripts);
        }

        @Override
        public String name() {
            return "pull";
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
            return CompletableFuture.failedFuture(serverError());
        }

        /** The same script pushed, as a real adapter has both (attempts after a retry's wait are pushed). */
        @Override
        public StreamHandle streamAsync(ProviderCall call, ChunkSink sink) {
            try (ChunkSource source = openStream(call)) {
                for (Optional<ChatChunk> c = source.next(); c.isPresent(); c = source.next()) {
                    sink.onChunk(c.get());
                }
                sink.onComplete();
            } catch (LlmRouterException e) {
                sink.onError(e);
            }
            return StreamHandle.NONE;
        }

        @Override
        public ChunkSource openStream(ProviderCall call) {
            threads.add(Thread.currentThread());
            Script s = scripts.get(Math.min(calls.getAndIncrement(), scripts.size() - 1));
            if (s.openFailure() != null) {
                throw s.openFailure();
            }
            CountDownLatch cancelled = new CountDownLatch(1);
            ChunkSource source = new ChunkSource() {
                private int next;

                @Override
                public Optional<ChatChunk> next() {
                    threads.add(Thread.currentThread());
                    if (next < s.chunks().size()) {
                        return Optional.of(s.chunks().get(next++));
                    }
                    if (s.failure() != null) {
                        throw s.failure();
                    }
                    if (s.blocks()) {
                        blocked.countDown();
                        try {
                            cancelled.await(10, SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new RequestCancelledException("pull: closed", ErrorContext.none(), null);
                    }
                    return Optional.empty();
                }

                @Override
                public void close() {
                    cancelled.countDown();
                    closed.countDown();
                }
            };
            call.cancellation().onCancel(source::close);
            return source;
        }
    }

    private static Router router(Provider... providers) {
        Router.Builder b = Router.builder().retryPolicy(retry -> retry.backoff(NO_BACKOFF, NO_BACKOFF));
        for (int i = 0; i < providers.length; i++) {
            b.deployment(Deployment.builder("g", "openai/gpt-4o").id("d" + i).order(i).provider(providers[i]).build());
        }
        return b.build();
    }

    private static String read(ChatStream stream) {
        StringBuilder text = new StringBuilder();
        for (ChatChunk c : stream) {
            c.text().ifPresent(text::append);
        }
        return text.toString();
    }

    @Test
    void givenPullProvider_whenIterated_thenOpenedAndEveryEventReadOnTheCallersThread() {
        PullProvider provider = new PullProvider(answer("The", " capital", " is", " Paris."));
        try (Router router = router(provider); ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"))) {
            assertThat(read(stream)).isEqualTo("The capital is Paris.");
            ChatResponse whole = stream.response();

            assertThat(whole.text()).isEqualTo("The capital is Paris.");
            assertThat(whole.usage()).contains(Usage.of(5, 4));
            assertThat(whole.cost().isPriced()).isTrue();
            assertThat(whole.routing().orElseThrow().deploymentId()).isEqualTo("d0");
        }
        // the open plus one next() per chunk and one for the end, all on this thread
        assertThat(provider.threads).hasSize(1 + 6 + 1).containsOnly(Thread.currentThread());
    }

    @Test
    void givenStreamOpenedHereButIteratedElsewhere_whenIterated_thenTheRestIsReadOnTheIteratingThread()
            throws Exception {
        PullProvider provider = new PullProvider(answer("a", "b", "c"));
        try (Router router = router(provider)) {
            ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"));
            CompletableFuture<Thread> reader = new CompletableFuture<>();
            Thread other = new Thread(() -> {
                assertThat(read(stream)).isEqualTo("abc");
                reader.complete(Thread.currentThread());
            });
            other.start();

            Thread t = reader.get(10, SECONDS);
            assertThat(provider.threads.subList(0, 2)).containsOnly(Thread.currentThread()); // open + first chunk
            assertThat(provider.threads.subList(2, provider.threads.size())).containsOnly(t);
            stream.close();
        }
    }

    @Test
    void givenFirstDeploymentRefusesTheStream_whenIterated_thenFailsOverOnTheCallersThreadUnseen() {
        PullProvider failing = new PullProvider(refused(serverError()));
        PullProvider good = new PullProvider(answer("fine"));
        try (Router router = router(failing, good); ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"))) {
            assertThat(read(stream)).isEqualTo("fine");
            assertThat(stream.response().routing().orElseThrow().deploymentId()).isEqualTo("d1");
        }
        // the first attempt on this thread, and the retry too: it has no wait (another deployment is
        // healthy), so it starts where the failure was seen and is opened and read here as well
        assertThat(failing.threads.get(0)).isSameAs(Thread.currentThread());
        assertThat(good.calls).hasValue(1);
        assertThat(good.threads).isNotEmpty().containsOnly(Thread.currentThread());
    }

    @Test
    void givenStreamCutBeforeItsFirstChunk_whenIterated_thenRetriedAndTheCallerSeesOnlyTheGoodStream() {
        PullProvider flaky = new PullProvider(cutAfter(new InvalidProviderResponseException("pull: truncated",
                ErrorContext.none())), answer("second", " try"));
        try (Router router = router(flaky); ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"))) {
            assertThat(read(stream)).isEqualTo("second try");
        }
        assertThat(flaky.calls).hasValue(2);
        // a zero backoff: the retry starts at once on this thread and is pulled here too
        assertThat(flaky.threads).containsOnly(Thread.currentThread());
    }

    @Test
    void givenFailureAfterTheFirstChunk_whenIterated_thenStreamInterruptedWithTheTextSoFarAndNoRetry() {
        PullProvider provider = new PullProvider(cutAfter(serverError(), "The", " capital"), answer("never"));
        try (Router router = router(provider); ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"))) {
            List<String> seen = new ArrayList<>();
            assertThatThrownBy(() -> stream.forEach(c -> seen.add(c.text().orElse(""))))
                    .isInstanceOfSatisfying(StreamInterruptedException.class,
                            e -> assertThat(e.partialText()).isEqualTo("The capital"));
            assertThat(seen).containsExactly("The", " capital");
        }
        assertThat(provider.calls).hasValue(1);
    }

    @Test
    void givenReaderBlockedMidStream_whenClosedFromAnotherThread_thenTheSourceIsClosedAndIterationEnds()
            throws Exception {
        PullProvider provider = new PullProvider(blockingAfter("one", " two"));
        try (Router router = router(provider)) {
            ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"));
            Thread closer = new Thread(() -> {
                try {
                    provider.blocked.await(10, SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stream.close();
            });
            closer.start();

            assertThat(read(stream)).isEqualTo("one two");
            assertThat(provider.closed.await(10, SECONDS)).isTrue();
            closer.join(10_000);
        }
    }

    @Test
    void givenStreamNotIterated_whenResponseAsked_thenTheRestIsReadAndStillIterable() {
        PullProvider provider = new PullProvider(answer("x", "y"));
        try (Router router = router(provider); ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"))) {
            assertThat(stream.response().text()).isEqualTo("xy");
            assertThat(read(stream)).isEqualTo("xy");
        }
    }

    @Test
    void givenQuietStream_whenIdleTimeoutPasses_thenTheBlockedReaderGetsStreamInterrupted() {
        PullProvider provider = new PullProvider(blockingAfter("a"));
        try (Router router = Router.builder().timeouts(t -> t.streamIdleTimeout(Duration.ofMillis(200)))
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("d0").provider(provider).build()).build();
                ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"))) {
            Iterable<ChatChunk> chunks = stream;
            var it = chunks.iterator();
            assertThat(it.next().text()).contains("a");
            assertThatThrownBy(it::hasNext).isInstanceOf(StreamInterruptedException.class)
                    .hasMessageContaining("stalled");
        }
    }
}
