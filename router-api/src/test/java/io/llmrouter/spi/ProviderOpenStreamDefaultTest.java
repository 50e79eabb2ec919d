package io.llmrouter.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.RequestCancelledException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Provider#openStream}'s default: the push-style stream read through a queue. */
class ProviderOpenStreamDefaultTest {

    private static ChatChunk chunk(String text) {
        return ChatChunk.builder("c1", "m").text(text).build();
    }

    private static ProviderCall call(CallCancellation cancellation) {
        ProviderCall c = ProviderCall.builder(ChatRequest.ofUser("m", "hi")).deploymentId("d").modelGroup("g")
                .providerRoute("push/m").timeout(Duration.ofSeconds(5)).build();
        return ProviderCall.of(c.request(), c.endpoint(), cancellation);
    }

    /** A push-only provider: {@code script} drives the sink; the handle counts cancels. */
    private static final class PushProvider implements Provider {
        final AtomicInteger cancels = new AtomicInteger();
        final AtomicReference<ChunkSink> sink = new AtomicReference<>();
        final java.util.function.Consumer<ChunkSink> script;

        PushProvider(java.util.function.Consumer<ChunkSink> script) {
            this.script = script;
        }

        @Override
        public String name() {
            return "push";
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
            return new CompletableFuture<>();
        }

        @Override
        public StreamHandle streamAsync(ProviderCall call, ChunkSink s) {
            sink.set(s);
            script.accept(s);
            return cancels::incrementAndGet;
        }
    }

    private static List<String> texts(ChunkSource source) {
        List<String> out = new java.util.ArrayList<>();
        for (Optional<ChatChunk> c = source.next(); c.isPresent(); c = source.next()) {
            out.add(c.get().text().orElse(""));
        }
        return out;
    }

    @Test
    void givenPushOnlyProvider_whenPulled_thenExactChunksThenEmptyForever() {
        PushProvider p = new PushProvider(s -> {
            s.onChunk(chunk("a"));
            s.onChunk(chunk("b"));
            s.onComplete();
        });
        try (ChunkSource source = p.openStream(call(CallCancellation.create()))) {
            assertThat(texts(source)).containsExactly("a", "b");
            assertThat(source.next()).isEmpty();
        }
    }

    @Test
    void givenChunksFromAnotherThread_whenPulled_thenTheReaderWaitsForEach() {
        PushProvider p = new PushProvider(s -> CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 300; i++) {
                s.onChunk(chunk("w" + i));
            }
            s.onComplete();
        }, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)));
        try (ChunkSource source = p.openStream(call(CallCancellation.create()))) {
            assertThat(texts(source)).hasSize(300).startsWith("w0").endsWith("w299");
        }
    }

    @Test
    void givenTruncatedStream_whenPulled_thenChunksThenTheTypedFailureEveryTime() {
        InvalidProviderResponseException cut = new InvalidProviderResponseException("truncated", ErrorContext.none());
        PushProvider p = new PushProvider(s -> {
            s.onChunk(chunk("a"));
            s.onError(cut);
        });
        try (ChunkSource source = p.openStream(call(CallCancellation.create()))) {
            assertThat(source.next().orElseThrow().text()).contains("a");
            assertThatThrownBy(source::next).isSameAs(cut);
            assertThatThrownBy(source::next).isSameAs(cut);
        }
    }

    @Test
    void givenProviderThatCannotStream_whenPulled_thenItsBadRequest() {
        Provider p = new Provider() {
            @Override
            public String name() {
                return "none";
            }

            @Override
            public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
                return new CompletableFuture<>();
            }
        };
        try (ChunkSource source = p.openStream(call(CallCancellation.create()))) {
            assertThatThrownBy(source::next).isInstanceOf(BadRequestException.class);
        }
    }

    @Test
    void givenReaderWaiting_whenTheCallIsCancelled_thenTheStreamIsCancelledAndNextThrowsCancelled() {
        PushProvider p = new PushProvider(s -> s.onChunk(chunk("a")));
        CallCancellation cancellation = CallCancellation.create();
        ChunkSource source = p.openStream(call(cancellation));
        assertThat(source.next()).isPresent();
        CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS).execute(cancellation::cancel);

        assertThatThrownBy(source::next).isInstanceOf(RequestCancelledException.class);
        assertThat(p.cancels).hasValue(1);
        p.sink.get().onChunk(chunk("late")); // ignored after the cancel
        assertThatThrownBy(source::next).isInstanceOf(RequestCancelledException.class);
    }

    @Test
    void givenOpenSource_whenClosedTwice_thenTheStreamIsCancelledOnce() {
        PushProvider p = new PushProvider(s -> { });
        ChunkSource source = p.openStream(call(CallCancellation.create()));

        source.close();
        source.close();

        assertThat(p.cancels).hasValue(1);
        assertThatThrownBy(source::next).isInstanceOf(RequestCancelledException.class);
    }

    @Test
    void givenInterruptedReader_whenWaiting_thenCancelledWithTheFlagKept() {
        PushProvider p = new PushProvider(s -> { });
        ChunkSource source = p.openStream(call(CallCancellation.create()));
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(source::next).isInstanceOf(RequestCancelledException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(p.cancels).hasValue(1);
    }
}
