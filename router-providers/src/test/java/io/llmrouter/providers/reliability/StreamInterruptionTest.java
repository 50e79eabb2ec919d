package io.llmrouter.providers.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.llmrouter.ChatStream;
import io.llmrouter.Deployment;
import io.llmrouter.RequestOptions;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.StreamInterruptedException;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever ends a stream after its first chunk reached the caller, the caller gets a
 * {@link StreamInterruptedException} with the text and the chunk count it received: six causes,
 * both stream shapes, OpenAI's and Anthropic's wire formats, through the real adapters and HTTP
 * client on a {@link FaultServer}. The router's timers run on virtual time, moved only once the
 * three chunks have arrived, so which timer fires is never a race.
 */
class StreamInterruptionTest {

    private static final Duration FAR = Duration.ofMinutes(10);

    /** What ends the stream after three chunks, and the router settings that make it so. */
    enum Cause {
        IDLE_TIMEOUT(Fault.streamStall(3), RequestTimeoutException.class, "stalled for PT5S"),
        WHOLE_CALL_TIMEOUT(Fault.streamStall(3), RequestTimeoutException.class, "did not answer within PT30S"),
        DEADLINE(Fault.streamStall(3), RequestTimeoutException.class, "deadline of PT20S exceeded"),
        CUT_CONNECTION(Fault.streamCut(3), ProviderConnectionException.class, ""),
        MALFORMED_EVENT(Fault.streamMalformed(3), InvalidProviderResponseException.class, "malformed JSON"),
        MISSING_TERMINAL_EVENT(Fault.streamWithoutEnd(3), InvalidProviderResponseException.class,
                "the stream ended without");

        final Fault fault;
        final Class<? extends LlmRouterException> cause;
        final String message;

        Cause(Fault fault, Class<? extends LlmRouterException> cause, String message) {
            this.fault = fault;
            this.cause = cause;
            this.message = message;
        }

        Duration idle() {
            return this == IDLE_TIMEOUT ? Duration.ofSeconds(5) : FAR;
        }

        Duration callTimeout() {
            return this == WHOLE_CALL_TIMEOUT ? Duration.ofSeconds(30) : FAR;
        }

        RequestOptions options() {
            return RequestOptions.builder().timeouts(timeouts -> timeouts.deadline(this == DEADLINE ? Duration.ofSeconds(20) : FAR)).build();
        }

        /** The virtual time to let pass after the chunks: the one timer of this cause, or none. */
        Duration quiet() {
            return switch (this) {
                case IDLE_TIMEOUT -> idle();
                case WHOLE_CALL_TIMEOUT -> callTimeout();
                case DEADLINE -> Duration.ofSeconds(20);
                default -> Duration.ZERO;
            };
        }
    }

    enum Wire { OPENAI, ANTHROPIC }

    private final VirtualTime time = VirtualTime.create();
    private FaultServer upstream;
    private FaultServer backup;

    @AfterEach
    void close() {
        if (upstream != null) {
            upstream.close();
        }
        if (backup != null) {
            backup.close();
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Wire.values()).flatMap(w -> Stream.of(Cause.values()).map(c -> Arguments.of(w, c)));
    }

    private Router router(Wire wire, Cause cause) {
        FaultServer.Builder primary = wire == Wire.OPENAI ? FaultServer.openAi() : FaultServer.anthropic();
        FaultServer.Builder fallback = wire == Wire.OPENAI ? FaultServer.openAi() : FaultServer.anthropic();
        upstream = primary.then(cause.fault).start();
        backup = fallback.then(Fault.stream(1)).start();
        String route = wire == Wire.OPENAI ? "openai/gpt-4o" : "anthropic/claude-sonnet-4-5";
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).retryPolicy(retry -> retry.numRetries(2)
                        .backoff(Duration.ZERO, Duration.ZERO)).timeouts(timeouts -> timeouts.streamIdleTimeout(cause.idle()))
                .deployment(Deployment.builder("g", route).id("primary").apiBase(upstream.url())
                        .apiKey(Secret.of("sk-interrupt-test")).timeout(cause.callTimeout()).build())
                .deployment(Deployment.builder("b", route).id("backup").apiBase(backup.url())
                        .apiKey(Secret.of("sk-interrupt-test")).build())
                .fallbackPolicy(fallbackP -> fallbackP.fallbacks("g", "b"))
                .build();
    }

    private void assertInterrupted(Throwable e, Cause cause) {
        assertThat(e).isInstanceOf(StreamInterruptedException.class).hasMessageContaining(cause.message);
        StreamInterruptedException s = (StreamInterruptedException) e;
        assertThat(s.partialText()).isEqualTo("w0 w1 w2 ");
        assertThat(s.chunksReceived()).isEqualTo(3);
        assertThat(s.getCause()).isInstanceOf(cause.cause);
        assertThat(upstream.callCount()).as("not retried").isEqualTo(1);
        assertThat(backup.callCount()).as("no fallback once the caller has seen chunks").isZero();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void givenStreamEndedAfterThreeChunks_whenConsumedByCallback_thenStreamInterruptedWithThePartialAnswer(
            Wire wire, Cause cause) throws Exception {
        CountDownLatch three = new CountDownLatch(3);
        List<String> seen = new ArrayList<>();
        try (Router router = router(wire, cause)) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), cause.options(),
                    (ChatChunk c) -> {
                        c.text().ifPresent(seen::add);
                        three.countDown();
                    });
            assertThat(three.await(10, TimeUnit.SECONDS)).as("three chunks arrive").isTrue();
            time.advance(cause.quiet());

            Throwable e = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));

            assertThat(e).isInstanceOf(ExecutionException.class);
            assertInterrupted(e.getCause(), cause);
            assertThat(String.join("", seen)).isEqualTo("w0 w1 w2 ");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void givenStreamEndedAfterThreeChunks_whenIterated_thenTheIteratorThrowsStreamInterruptedWithThePartialAnswer(
            Wire wire, Cause cause) {
        List<String> seen = new ArrayList<>();
        try (Router router = router(wire, cause); ChatStream stream = router.stream(ChatRequest.ofUser("g", "hi"),
                cause.options())) {
            Iterator<ChatChunk> chunks = stream.iterator();
            for (int i = 0; i < 3; i++) {
                chunks.next().text().ifPresent(seen::add); // blocks until each chunk has arrived
            }
            time.advance(cause.quiet());

            Throwable e = catchThrowable(chunks::hasNext);

            assertInterrupted(e, cause);
            assertThat(String.join("", seen)).isEqualTo("w0 w1 w2 ");
        }
    }
}
