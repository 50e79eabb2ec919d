package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.StreamInterruptedException;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Streaming guarantees, on virtual time with scripted fake streams. */
class StreamingTest {

    private final VirtualTime time = VirtualTime.create();

    private Router.Builder virtual() {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).retryPolicy(retry -> retry.backoff(Duration.ZERO, Duration.ZERO));
    }

    private FakeProvider.Builder fake() {
        return FakeProvider.builder().scheduler(time.scheduler());
    }

    private static String[] pieces(int n) {
        return IntStream.range(0, n).mapToObj(i -> "w" + i + " ").toArray(String[]::new);
    }

    private static String texts(List<ChatChunk> chunks) {
        return chunks.stream().map(c -> c.text().orElse("")).collect(Collectors.joining());
    }

    private Throwable failureOf(CompletableFuture<?> f) {
        time.advanceUntil(f::isDone, Duration.ofHours(1));
        assertThat(f).isCompletedExceptionally();
        return f.handle((r, e) -> e).join();
    }

    @Test
    void givenFiftyChunks_whenStreamed_thenTheyArriveInOrderAndAccumulateWithUsageAndCost() {
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        try (Router router = virtual().deployment(Deployment.builder("g", "openai/gpt-4o").id("d")
                .provider(fake().usage(Usage.of(20, 50)).chunkDelay(Duration.ofMillis(10)).stream(pieces(50)).build())
                .build()).build()) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), seen::add);
            time.advance(Duration.ofSeconds(1));

            ChatResponse response = f.join();
            assertThat(texts(seen)).isEqualTo(String.join("", pieces(50)));
            assertThat(seen.get(0).role()).contains("assistant");
            assertThat(response.text()).isEqualTo(String.join("", pieces(50)));
            assertThat(response.finishReason()).contains(FinishReason.STOP);
            assertThat(response.usage()).contains(Usage.of(20, 50));
            assertThat(response.cost().isPriced()).isTrue();
            assertThat(response.routing().orElseThrow().deploymentId()).isEqualTo("d");
        }
    }

    @Test
    void givenSlowFirstToken_whenPastTheLimit_thenFailsOverAndTheCallerSeesOnlyTheSecondStream() {
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        FakeProvider slow = fake().delay(Duration.ofSeconds(10)).stream("slow ", "answer").build();
        FakeProvider fast = fake().stream("fast ", "answer").build();
        try (Router router = virtual().timeouts(timeouts -> timeouts.firstTokenTimeout(Duration.ofSeconds(2)))
                .deployment(Deployment.builder("g", "openai/m").id("slow").order(0).provider(slow).build())
                .deployment(Deployment.builder("g", "openai/m").id("fast").order(1).provider(fast).build())
                .build()) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), seen::add);
            time.advance(Duration.ofSeconds(2));
            assertThat(f).isDone();
            time.advance(Duration.ofSeconds(20)); // the slow stream's late chunks must go nowhere

            assertThat(texts(seen)).isEqualTo("fast answer");
            assertThat(f.join().routing().orElseThrow().attempts()).extracting(a -> a.errorType().orElse("ok"))
                    .containsExactly("RequestTimeoutException", "ok");
        }
    }

    @Test
    void givenRateLimitBeforeTheFirstChunk_whenStreaming_thenRetryAfterIsHonouredThenItFallsBack() {
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        FakeProvider limited = fake().fail(429, Duration.ofSeconds(3)).build();
        FakeProvider backup = fake().stream("from ", "backup").build();
        try (Router router = virtual().retryPolicy(retry -> retry.numRetries(1))
                .deployment(Deployment.builder("g", "openai/m").id("limited").provider(limited).build())
                .deployment(Deployment.builder("b", "openai/m").id("backup").provider(backup).build())
                .fallbackPolicy(fallback -> fallback.fallbacks("g", "b"))
                .build()) {
            Instant start = time.now();
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), seen::add);
            time.advance(Duration.ofMillis(2999));
            assertThat(limited.callCount()).isEqualTo(1);
            time.advance(Duration.ofMillis(1));

            List<Attempt> attempts = f.join().routing().orElseThrow().attempts();
            assertThat(attempts).extracting(Attempt::deploymentId).containsExactly("limited", "limited", "backup");
            assertThat(attempts.get(1).startedAt()).isEqualTo(start.plusSeconds(3));
            assertThat(texts(seen)).isEqualTo("from backup");
        }
    }

    @Test
    void givenConnectionCutAfterTenChunks_thenStreamInterruptedWithTheTenChunksText() {
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        FakeProvider cut = fake().streamCut(10, pieces(50)).build();
        FakeProvider backup = fake().stream("never").build();
        try (Router router = virtual()
                .deployment(Deployment.builder("g", "openai/m").id("cut").provider(cut).build())
                .deployment(Deployment.builder("b", "openai/m").id("backup").provider(backup).build())
                .fallbackPolicy(fallback -> fallback.fallbacks("g", "b"))
                .build()) {
            Throwable e = failureOf(router.streamAsync(ChatRequest.ofUser("g", "hi"), seen::add));

            assertThat(e).isInstanceOf(StreamInterruptedException.class);
            StreamInterruptedException s = (StreamInterruptedException) e;
            assertThat(s.chunksReceived()).isEqualTo(10);
            assertThat(s.partialText()).isEqualTo(String.join("", List.of(pieces(50)).subList(0, 10)));
            assertThat(s.attempts()).extracting(Attempt::deploymentId).containsExactly("cut");
            assertThat(seen).hasSize(10);
            assertThat(backup.callCount()).as("no fallback once the caller has seen chunks").isZero();
        }
    }

    @Test
    void givenStallAfterChunks_whenIdleTimeoutPasses_thenStreamInterrupted() {
        FakeProvider stall = fake().streamStall(3, pieces(10)).build();
        try (Router router = virtual().timeouts(timeouts -> timeouts.streamIdleTimeout(Duration.ofSeconds(5)))
                .deployment(Deployment.builder("g", "openai/m").id("stall").provider(stall).build()).build()) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), c -> { });
            time.advance(Duration.ofMillis(4999));
            assertThat(f).isNotDone();
            time.advance(Duration.ofMillis(1));

            Throwable e = f.handle((r, x) -> x).join();
            assertThat(e).isInstanceOf(StreamInterruptedException.class).hasMessageContaining("stalled for PT5S");
            assertThat(((StreamInterruptedException) e).partialText()).isEqualTo("w0 w1 w2 ");
        }
    }

    @Test
    void givenChunksKeepComingWithinTheIdleGap_whenTheStreamOutlastsIt_thenItCompletes() {
        // 30 chunks 400 ms apart: 12 s in all, every gap well inside the 1 s idle limit.
        FakeProvider slow = fake().chunkDelay(Duration.ofMillis(400)).stream(pieces(30)).build();
        try (Router router = virtual().timeouts(timeouts -> timeouts.streamIdleTimeout(Duration.ofSeconds(1)))
                .deployment(Deployment.builder("g", "openai/m").id("d").provider(slow).build()).build()) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), c -> { });
            time.advanceUntil(f::isDone, Duration.ofMinutes(1));

            assertThat(f).isCompletedWithValueMatching(r -> r.text().equals(String.join("", pieces(30))));
        }
    }

    @Test
    void givenChunksThenAStall_thenTheStallIsDetectedOneIdleGapAfterTheLastChunk() {
        // Chunks at 0, 0.4 and 0.8 s (the idle check first fires at 1 s and re-arms); the stall after
        // the third chunk must fail the stream at 0.8 s + 1 s, not earlier and not later.
        FakeProvider stall = fake().chunkDelay(Duration.ofMillis(400)).streamStall(3, pieces(10)).build();
        try (Router router = virtual().timeouts(timeouts -> timeouts.streamIdleTimeout(Duration.ofSeconds(1)))
                .deployment(Deployment.builder("g", "openai/m").id("d").provider(stall).build()).build()) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), c -> { });
            time.advance(Duration.ofMillis(1799));
            assertThat(f).isNotDone();
            time.advance(Duration.ofMillis(1));

            Throwable e = f.handle((r, x) -> x).join();
            assertThat(e).isInstanceOf(StreamInterruptedException.class).hasMessageContaining("stalled for PT1S");
            assertThat(((StreamInterruptedException) e).partialText()).isEqualTo("w0 w1 w2 ");
        }
    }

    @Test
    void givenStallAfterChunks_whenTheDeploymentsWholeCallTimeoutFires_thenStreamInterruptedWithThePartialText() {
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        FakeProvider stall = fake().streamStall(3, pieces(10)).build();
        FakeProvider backup = fake().stream("never").build();
        try (Router router = virtual().timeouts(timeouts -> timeouts.streamIdleTimeout(Duration.ofMinutes(5)))
                .deployment(Deployment.builder("g", "openai/m").id("stall").timeout(Duration.ofSeconds(30))
                        .provider(stall).build())
                .deployment(Deployment.builder("b", "openai/m").id("backup").provider(backup).build())
                .fallbackPolicy(fallback -> fallback.fallbacks("g", "b"))
                .build()) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), seen::add);
            time.advance(Duration.ofSeconds(30));

            Throwable e = f.handle((r, x) -> x).join();
            assertThat(e).isInstanceOf(StreamInterruptedException.class)
                    .hasCauseInstanceOf(RequestTimeoutException.class).hasMessageContaining("did not answer within");
            StreamInterruptedException s = (StreamInterruptedException) e;
            assertThat(s.partialText()).isEqualTo("w0 w1 w2 ");
            assertThat(s.chunksReceived()).isEqualTo(3);
            assertThat(s.attempts()).extracting(Attempt::deploymentId).containsExactly("stall");
            assertThat(backup.callCount()).isZero();
        }
    }

    @Test
    void givenStallAfterChunks_whenTheRequestDeadlinePasses_thenStreamInterruptedWithThePartialText() {
        FakeProvider stall = fake().streamStall(2, pieces(10)).build();
        try (Router router = virtual().timeouts(timeouts -> timeouts.streamIdleTimeout(Duration.ofMinutes(5)))
                .deployment(Deployment.builder("g", "openai/m").id("stall").provider(stall).build()).build()) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"),
                    RequestOptions.builder().timeouts(timeouts -> timeouts.deadline(Duration.ofSeconds(20))).build(), c -> { });
            time.advance(Duration.ofSeconds(20));

            Throwable e = f.handle((r, x) -> x).join();
            assertThat(e).isInstanceOf(StreamInterruptedException.class)
                    .hasCauseInstanceOf(RequestTimeoutException.class).hasMessageContaining("deadline");
            assertThat(((StreamInterruptedException) e).partialText()).isEqualTo("w0 w1 ");
            assertThat(((StreamInterruptedException) e).chunksReceived()).isEqualTo(2);
        }
    }

    @Test
    void givenStallAfterChunks_whenTheDeadlinePassesWhileIterating_thenTheIteratorThrowsStreamInterrupted() {
        FakeProvider stall = fake().streamStall(2, pieces(10)).build();
        try (Router router = virtual().timeouts(timeouts -> timeouts.streamIdleTimeout(Duration.ofMinutes(5)))
                .deployment(Deployment.builder("g", "openai/m").id("stall").provider(stall).build()).build();
                ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"),
                        RequestOptions.builder().timeouts(timeouts -> timeouts.deadline(Duration.ofSeconds(20))).build())) {
            time.advance(Duration.ofSeconds(20));
            List<String> texts = new ArrayList<>();

            assertThatThrownBy(() -> stream.forEach(c -> texts.add(c.text().orElse(""))))
                    .isInstanceOf(StreamInterruptedException.class)
                    .satisfies(e -> assertThat(((StreamInterruptedException) e).partialText()).isEqualTo("w0 w1 "));
            assertThat(texts).containsExactly("w0 ", "w1 ");
        }
    }

    @Test
    void givenStreamWithoutItsTerminalEvent_thenStreamInterruptedNeverANormalEnd() {
        try (Router router = virtual().deployment(Deployment.builder("g", "openai/m").id("d")
                .provider(fake().streamWithoutEnd(pieces(5)).build()).build()).build()) {
            Throwable e = failureOf(router.streamAsync(ChatRequest.ofUser("g", "hi"), c -> { }));

            assertThat(e).isInstanceOf(StreamInterruptedException.class).hasMessageContaining("terminal event");
            assertThat(((StreamInterruptedException) e).chunksReceived()).isEqualTo(5);
        }
    }

    @Test
    void givenCancelAfterThreeChunks_thenTheProviderStreamStops() {
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        FakeProvider provider = fake().chunkDelay(Duration.ofMillis(100)).stream(pieces(20)).build();
        try (Router router = virtual().deployment(Deployment.builder("g", "openai/m").id("d").provider(provider).build())
                .build()) {
            List<CompletableFuture<ChatResponse>> holder = new ArrayList<>();
            holder.add(router.streamAsync(ChatRequest.ofUser("g", "hi"), c -> {
                seen.add(c);
                if (seen.size() == 3) {
                    holder.get(0).cancel(true);
                }
            }));
            time.advance(Duration.ofSeconds(5));

            assertThat(holder.get(0)).isCancelled();
            assertThat(seen).hasSize(3);
        }
    }

    @Test
    void givenBlockingStream_whenIterated_thenChunksThenResponseAndCloseIsSafe() {
        try (Router router = Router.builder().deployment(Deployment.builder("g", "openai/gpt-4o").id("d")
                .provider(FakeProvider.builder().stream("Hello", ", ", "world").build()).build()).build()) {
            StringBuilder text = new StringBuilder();
            try (ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"))) {
                for (ChatChunk c : stream) {
                    c.text().ifPresent(text::append);
                }
                assertThat(stream.response().text()).isEqualTo("Hello, world");
                assertThat(stream.response().cost().isPriced()).isTrue();
            }
            assertThat(text).hasToString("Hello, world");
        }
    }

    @Test
    void givenBlockingStreamThatIsCut_whenIterated_thenTheTypedFailureIsThrown() {
        try (Router router = Router.builder().deployment(Deployment.builder("g", "openai/m").id("d")
                .provider(FakeProvider.builder().streamCut(2, "a", "b", "c").build()).build()).build();
             ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"))) {
            List<String> got = new ArrayList<>();
            assertThatThrownBy(() -> stream.forEach(c -> got.add(c.text().orElse(""))))
                    .isInstanceOf(StreamInterruptedException.class);
            assertThat(got).containsExactly("a", "b");
        }
    }

    @Test
    void givenStreams_whenLowestLatencyRoutes_thenTimeToFirstTokenDecides() {
        // "slow-start" answers 100 chunks fast but its first token takes 2 s; "quick" starts in 100 ms
        FakeProvider slowStart = fake().delay(Duration.ofSeconds(2)).stream("a", "b").build();
        FakeProvider quick = fake().delay(Duration.ofMillis(100)).chunkDelay(Duration.ofMillis(300)).stream("a", "b")
                .build();
        try (Router router = virtual().strategy(io.llmrouter.strategy.LowestLatencyStrategy.instance())
                .random(new java.util.SplittableRandom(3))
                .deployment(Deployment.builder("g", "openai/m").id("slow-start").provider(slowStart).build())
                .deployment(Deployment.builder("g", "openai/m").id("quick").provider(quick).build())
                .build()) {
            List<String> servedBy = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), c -> { });
                time.advanceUntil(f::isDone, Duration.ofMinutes(1));
                servedBy.add(f.join().routing().orElseThrow().deploymentId());
            }
            // the first calls measure both (3 streams each); after that the quick starter takes every stream
            assertThat(servedBy.subList(8, 20)).allMatch("quick"::equals);
            assertThat(router.deploymentStatuses()).isNotEmpty();
        }
    }
}
