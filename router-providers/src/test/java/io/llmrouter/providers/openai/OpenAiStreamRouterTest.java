package io.llmrouter.providers.openai;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.ChatStream;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streaming through a real {@link Router}: a deployment that answers 429 before streaming is
 * failed over invisibly, and the caller sees exactly the healthy deployment's chunks.
 */
class OpenAiStreamRouterTest {

    private static final int CHUNKS = 50;
    private static final String ID = "chatcmpl-router-stream";
    private static final String MODEL = "gpt-4o-mini-2024-07-18";
    private static final Usage USAGE = Usage.builder().promptTokens(12).completionTokens(48).totalTokens(60).build();

    private MockWebServer limited;
    private MockWebServer healthy;

    @BeforeEach
    void startServers() throws IOException {
        limited = new MockWebServer();
        limited.start();
        healthy = new MockWebServer();
        healthy.start();
        limited.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .addHeader("retry-after", "20")
                .body("{\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"requests\",\"param\":null,"
                        + "\"code\":\"rate_limit_exceeded\"}}")
                .build());
        healthy.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .body(fiftyChunkStream()).build());
    }

    @AfterEach
    void stopServers() {
        limited.close();
        healthy.close();
    }

    /** 48 text chunks (the first with the role), a finish chunk and a usage chunk: 50 events, then [DONE]. */
    private static String fiftyChunkStream() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < CHUNKS - 2; i++) {
            String delta = (i == 0 ? "\"role\":\"assistant\"," : "") + "\"content\":\"w" + i + " \"";
            sb.append(event("[{\"index\":0,\"delta\":{" + delta + "},\"finish_reason\":null}]", ""));
        }
        sb.append(event("[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]", ""));
        sb.append(event("[]", ",\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":48,\"total_tokens\":60}"));
        return sb.append("data: [DONE]\n\n").toString();
    }

    private static String event(String choices, String extra) {
        return "data: {\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,\"model\":\""
                + MODEL + "\",\"choices\":" + choices + extra + "}\n\n";
    }

    private static List<ChatChunk> expectedChunks() {
        List<ChatChunk> chunks = new ArrayList<>();
        for (int i = 0; i < CHUNKS - 2; i++) {
            ChatChunk.Builder b = ChatChunk.builder(ID, MODEL).text("w" + i + " ");
            if (i == 0) {
                b.role("assistant");
            }
            chunks.add(b.build());
        }
        chunks.add(ChatChunk.builder(ID, MODEL).finishReason(FinishReason.STOP).build());
        chunks.add(ChatChunk.builder(ID, MODEL).usage(USAGE).build());
        return chunks;
    }

    private Router router() {
        Deployment primary = Deployment.builder("gpt-4o", "openai/gpt-4o").id("limited")
                .apiBase(limited.url("/v1").toString()).apiKey(Secret.of("sk-test")).build();
        Deployment backup = Deployment.builder("gpt-4o-mini", "openai/gpt-4o-mini").id("healthy")
                .apiBase(healthy.url("/v1").toString()).apiKey(Secret.of("sk-test")).build();
        return Router.builder().deployment(primary).deployment(backup).fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", "gpt-4o-mini"))
                .retryPolicy(retry -> retry.numRetries(0)).build();
    }

    private void assertFailedOverWithUsageAndCost(ChatResponse response) throws InterruptedException {
        assertThat(response.usage()).contains(USAGE);
        assertThat(response.cost().isPriced()).isTrue();
        assertThat(response.cost().totalUsd()).isPresent();
        assertThat(response.text()).startsWith("w0 w1 ").endsWith("w47 ");
        List<Attempt> attempts = response.routing().orElseThrow().attempts();
        assertThat(attempts).extracting(Attempt::deploymentId).containsExactly("limited", "healthy");
        assertThat(attempts.get(0).errorType()).contains("RateLimitException");
        assertThat(attempts.get(0).statusCode()).hasValue(429);
        assertThat(limited.getRequestCount()).isEqualTo(1);
        assertThat(healthy.getRequestCount()).isEqualTo(1);
        assertThat(healthy.takeRequest(5, SECONDS).getHeaders().get("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void givenPrimaryRateLimitedBeforeStreaming_whenStream_thenCallerSeesExactlyTheBackupsFiftyChunksInOrder()
            throws Exception {
        try (Router router = router(); ChatStream stream = router.stream(ChatRequest.ofUser("gpt-4o", "count"))) {
            List<ChatChunk> seen = new ArrayList<>();
            for (ChatChunk chunk : stream) {
                seen.add(chunk);
            }

            assertThat(seen).containsExactlyElementsOf(expectedChunks());
            assertFailedOverWithUsageAndCost(stream.response());
        }
    }

    @Test
    void givenPrimaryRateLimitedBeforeStreaming_whenStreamAsync_thenCallerSeesExactlyTheBackupsFiftyChunksInOrder()
            throws Exception {
        try (Router router = router()) {
            List<ChatChunk> seen = new CopyOnWriteArrayList<>();

            ChatResponse response = router.streamAsync(ChatRequest.ofUser("gpt-4o", "count"), seen::add)
                    .get(5, SECONDS);

            assertThat(seen).containsExactlyElementsOf(expectedChunks());
            assertFailedOverWithUsageAndCost(response);
        }
    }
}
