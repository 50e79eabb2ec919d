package io.llmrouter.providers.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.StreamInterruptedException;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stream faults over loopback HTTP through the real OpenAI adapter and the router. */
class StreamFaultsTest {

    private FaultServer primary;
    private FaultServer backup;

    @AfterEach
    void close() {
        if (primary != null) {
            primary.close();
        }
        if (backup != null) {
            backup.close();
        }
    }

    private Router router() {
        return Router.builder().retryPolicy(retry -> retry.numRetries(0).backoff(Duration.ZERO, Duration.ZERO))
                // 2 s to the first token: the first test of a JVM loads the HTTP stack, and a shared
                // CI machine can take more than 300 ms for that.
                .timeouts(timeouts -> timeouts.firstTokenTimeout(Duration.ofSeconds(2)).streamIdleTimeout(Duration.ofMillis(300)))
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("primary").apiBase(primary.url())
                        .apiKey(Secret.of("sk-stream-test")).build())
                .deployment(Deployment.builder("b", "openai/gpt-4o-mini").id("backup").apiBase(backup.url())
                        .apiKey(Secret.of("sk-stream-test")).build())
                .fallbackPolicy(fallback -> fallback.fallbacks("g", "b"))
                .build();
    }

    private static String text(List<ChatChunk> chunks) {
        return chunks.stream().map(c -> c.text().orElse("")).collect(Collectors.joining());
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        return f.handle((r, e) -> e).get(10, TimeUnit.SECONDS);
    }

    @Test
    void givenHealthyStream_whenStreamed_thenFiftyChunksArriveWithUsage() throws Exception {
        primary = FaultServer.openAi().then(Fault.stream(50)).start();
        backup = FaultServer.openAi().then(Fault.stream(1)).start();
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        try (Router router = router()) {
            ChatResponse r = router.streamAsync(ChatRequest.ofUser("g", "hi"), seen::add).get(10, TimeUnit.SECONDS);
            assertThat(text(seen)).startsWith("w0 w1 ").endsWith("w49 ");
            assertThat(r.usage()).get().satisfies(u -> assertThat(u.completionTokens()).isEqualTo(50));
            assertThat(r.cost().isPriced()).isTrue();
        }
    }

    @Test
    void givenSlowFirstToken_whenPastTheLimit_thenTheBackupStreamsAndTheCallerSeesOnlyIt() throws Exception {
        primary = FaultServer.openAi().then(Fault.stream(5).delayed(Duration.ofSeconds(30))).start();
        backup = FaultServer.openAi().then(Fault.stream(3)).start();
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        try (Router router = router()) {
            ChatResponse r = router.streamAsync(ChatRequest.ofUser("g", "hi"), seen::add).get(10, TimeUnit.SECONDS);
            assertThat(text(seen)).isEqualTo("w0 w1 w2 ");
            assertThat(r.routing().orElseThrow().deploymentId()).isEqualTo("backup");
        }
    }

    @Test
    void givenStreamEndingAfterOnlyItsRoleChunk_thenTheBackupAnswersAndTheCallerSeesOnlyIt() throws Exception {
        // OpenAI's first chunk says nothing but the role: it does not commit the stream to the caller
        primary = FaultServer.openAi().then(Fault.raw(200, "text/event-stream", "data: {\"id\":\"c1\","
                + "\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n")).start();
        backup = FaultServer.openAi().then(Fault.stream(3)).start();
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        try (Router router = router()) {
            ChatResponse r = router.streamAsync(ChatRequest.ofUser("g", "hi"), seen::add).get(10, TimeUnit.SECONDS);

            assertThat(r.routing().orElseThrow().deploymentId()).isEqualTo("backup");
            assertThat(text(seen)).isEqualTo("w0 w1 w2 ");
            assertThat(seen).allMatch(c -> c.id().equals("chatcmpl-fault1"));
        }
    }

    @Test
    void givenCutAfterThreeChunks_thenStreamInterruptedWithTheirText() throws Exception {
        primary = FaultServer.openAi().then(Fault.streamCut(3)).start();
        backup = FaultServer.openAi().then(Fault.stream(1)).start();
        try (Router router = router()) {
            Throwable e = failure(router.streamAsync(ChatRequest.ofUser("g", "hi"), c -> { }));
            assertThat(e).isInstanceOf(StreamInterruptedException.class);
            assertThat(((StreamInterruptedException) e).partialText()).isEqualTo("w0 w1 w2 ");
            assertThat(backup.callCount()).isZero();
        }
    }

    @Test
    void givenStallAfterTwoChunks_thenStreamInterruptedByTheIdleTimeout() throws Exception {
        primary = FaultServer.openAi().then(Fault.streamStall(2)).start();
        backup = FaultServer.openAi().then(Fault.stream(1)).start();
        try (Router router = router()) {
            Throwable e = failure(router.streamAsync(ChatRequest.ofUser("g", "hi"), c -> { }));
            assertThat(e).isInstanceOf(StreamInterruptedException.class).hasMessageContaining("stalled");
            assertThat(((StreamInterruptedException) e).chunksReceived()).isEqualTo(2);
        }
    }

    @Test
    void givenMalformedEventAfterOneChunk_thenStreamInterrupted() throws Exception {
        primary = FaultServer.openAi().then(Fault.streamMalformed(1)).start();
        backup = FaultServer.openAi().then(Fault.stream(1)).start();
        try (Router router = router()) {
            Throwable e = failure(router.streamAsync(ChatRequest.ofUser("g", "hi"), c -> { }));
            assertThat(e).isInstanceOf(StreamInterruptedException.class);
            assertThat(e.getCause()).isInstanceOf(io.llmrouter.api.exception.InvalidProviderResponseException.class);
        }
    }
}
