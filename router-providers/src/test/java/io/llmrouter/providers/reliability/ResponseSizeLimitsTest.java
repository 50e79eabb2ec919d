package io.llmrouter.providers.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.llmrouter.ChatStream;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.StreamInterruptedException;
import io.llmrouter.providers.azure.AzureOpenAiProvider;
import io.llmrouter.providers.bedrock.AwsCredentials;
import io.llmrouter.providers.bedrock.BedrockProvider;
import io.llmrouter.providers.bedrock.internal.EventStreamEncoder;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16 item 6: every adapter family reads response bodies and streamed events with bounded
 * buffers. A body or event past the deployment's limit fails the attempt with an
 * {@link InvalidProviderResponseException} naming the limit, promptly and without reading the rest,
 * whether the upstream announces the size, streams forever, or sends one endless SSE line.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(StartedServers.class)
class ResponseSizeLimitsTest {

    private static final int BODY_LIMIT = 64 * 1024;
    private static final int EVENT_LIMIT = 16 * 1024;

    private static final Map<String, String> ROUTES = Map.of(
            "openai", "openai/gpt-4o",
            "azure", "azure/my-deployment",
            "anthropic", "anthropic/claude-3-5-sonnet-20241022",
            "gemini", "gemini/gemini-2.0-flash",
            "cohere", "cohere/command-a-03-2025",
            "bedrock", "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0");

    private final MockWebServer server = new MockWebServer();

    private Deployment.Builder deployment(String vendor) {
        String base = switch (vendor) {
            case "openai" -> server.url("/v1").toString();
            case "gemini" -> server.url("/v1beta").toString();
            default -> server.url("/").toString();
        };
        Deployment.Builder b = Deployment.builder("chat", ROUTES.get(vendor)).id(vendor).apiBase(base)
                .timeout(Duration.ofSeconds(30));
        switch (vendor) {
            case "bedrock" -> b.option(BedrockProvider.REGION, "us-east-1")
                    .option(BedrockProvider.CREDENTIALS, AwsCredentials.of("AKIDEXAMPLE", Secret.of("example-secret")));
            case "azure" -> b.apiKey(Secret.of("azure-test-key")).option(AzureOpenAiProvider.API_VERSION, "2024-10-21");
            default -> b.apiKey(Secret.of("test-key-" + vendor));
        }
        return b;
    }

    private static Router router(Deployment deployment) {
        return Router.builder().deployment(deployment).retryPolicy(retry -> retry.numRetries(0)).build();
    }

    private static ChatRequest hello() {
        return ChatRequest.builder("chat").addMessage(Message.user("hello")).maxTokens(64).build();
    }

    private static MockResponse answer(int status, String contentType, MockResponseBody body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", contentType).body(body).build();
    }

    private static Throwable completionFailure(Router router) {
        return catchThrowable(() -> router.completion(hello()));
    }

    /** Reads the stream to its end; the failure, and the chunks received before it. */
    private static Throwable streamFailure(Router router, List<ChatChunk> received) {
        return catchThrowable(() -> {
            try (ChatStream stream = router.stream(hello())) {
                for (ChatChunk chunk : stream) {
                    received.add(chunk);
                }
            }
        });
    }

    private static void assertNamesTheLimit(Throwable failure, int limit, String setting) {
        assertThat(failure).isInstanceOf(InvalidProviderResponseException.class);
        assertThat(failure.getMessage()).contains(Integer.toString(limit)).contains(setting);
    }

    // ------------------------------------------------------------------------------ whole bodies

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai", "azure", "anthropic", "gemini", "cohere", "bedrock"})
    void givenBodyAnnouncedOverTheLimit_whenCompletion_thenInvalidProviderResponseNamingTheLimit(String vendor) {
        // given: a Content-Length twice the limit
        server.enqueue(answer(200, "application/json",
                HostileBodies.large("{\"x\":\"", 'a', 2L * BODY_LIMIT, true)));
        try (Router router = router(deployment(vendor).maxResponseBytes(BODY_LIMIT).build())) {
            // when
            Throwable failure = completionFailure(router);
            // then
            assertNamesTheLimit(failure, BODY_LIMIT, "maxResponseBytes");
            assertThat(failure.getMessage()).contains(Long.toString(2L * BODY_LIMIT));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai", "azure", "anthropic", "gemini", "cohere", "bedrock"})
    void givenEndlessBody_whenCompletion_thenStopsAtTheLimitWithInvalidProviderResponse(String vendor) {
        // given: a body without a length that never ends
        server.enqueue(answer(200, "application/json", HostileBodies.endless("{\"x\":\"", "aaaaaaaa")));
        try (Router router = router(deployment(vendor).maxResponseBytes(BODY_LIMIT).build())) {
            // when
            Throwable failure = completionFailure(router);
            // then
            assertNamesTheLimit(failure, BODY_LIMIT, "maxResponseBytes");
        }
    }

    @Test
    void givenEndlessErrorBody_whenCompletion_thenInvalidProviderResponseNamingTheLimit() {
        server.enqueue(answer(500, "text/html", HostileBodies.endless("<html>", "<p>oops</p>")));
        try (Router router = router(deployment("openai").maxResponseBytes(BODY_LIMIT).build())) {
            assertNamesTheLimit(completionFailure(router), BODY_LIMIT, "maxResponseBytes");
        }
    }

    @Test
    void givenEndlessBodyAndDefaultLimit_whenCompletion_thenStopsAtTheDefault() {
        server.enqueue(answer(200, "application/json", HostileBodies.endless("{\"x\":\"", "aaaaaaaa")));
        try (Router router = router(deployment("openai").build())) {
            assertNamesTheLimit(completionFailure(router), Endpoint.DEFAULT_MAX_RESPONSE_BYTES, "maxResponseBytes");
        }
    }

    @Test
    void givenBodyJustUnderTheLimit_whenCompletion_thenAnswered() {
        String body = """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";
        int size = body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(body).build());
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(body).build());
        try (Router exact = router(deployment("openai").maxResponseBytes(size).build());
                Router under = router(deployment("openai").maxResponseBytes(size - 1).build())) {
            ChatResponse response = exact.completion(hello());
            assertThat(response.text()).isEqualTo("hi");
            assertNamesTheLimit(completionFailure(under), size - 1, "maxResponseBytes");
        }
    }

    // ------------------------------------------------------------------------------ streams

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai", "azure", "anthropic", "gemini"})
    void givenEndlessSseLineBeforeTheFirstChunk_whenStream_thenFailedAttemptNamingTheEventLimit(String vendor) {
        // given: one data line that never ends
        server.enqueue(answer(200, "text/event-stream", HostileBodies.endless("data: {\"x\":\"", "aaaaaaaa")));
        try (Router router = router(deployment(vendor).maxStreamEventBytes(EVENT_LIMIT).build())) {
            // when
            List<ChatChunk> received = new ArrayList<>();
            Throwable failure = streamFailure(router, received);
            // then: a normal failed attempt (before the first chunk), typed
            assertNamesTheLimit(failure, EVENT_LIMIT, "maxStreamEventBytes");
            assertThat(received).isEmpty();
        }
    }

    @Test
    void givenEndlessEventOfShortDataLines_whenStream_thenFailsAtTheEventLimit() {
        server.enqueue(answer(200, "text/event-stream", HostileBodies.endless("", "data: aaaaaaaaaaaaaaaaaaaa\n")));
        try (Router router = router(deployment("openai").maxStreamEventBytes(EVENT_LIMIT).build())) {
            assertNamesTheLimit(streamFailure(router, new ArrayList<>()), EVENT_LIMIT, "maxStreamEventBytes");
        }
    }

    @Test
    void givenEndlessCommentLine_whenStream_thenFailsAtTheEventLimit() {
        server.enqueue(answer(200, "text/event-stream", HostileBodies.endless(": keep-alive", "........")));
        try (Router router = router(deployment("openai").maxStreamEventBytes(EVENT_LIMIT).build())) {
            assertNamesTheLimit(streamFailure(router, new ArrayList<>()), EVENT_LIMIT, "maxStreamEventBytes");
        }
    }

    @Test
    void givenEndlessSseLineAfterTheFirstChunk_whenStream_thenStreamInterruptedCausedByTheLimit() {
        // given: one good chunk, then a line that never ends
        String first = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},"
                + "\"finish_reason\":null}]}\n\n";
        server.enqueue(answer(200, "text/event-stream", HostileBodies.endless(first + "data: {\"x\":\"", "aaaaaaaa")));
        try (Router router = router(deployment("openai").maxStreamEventBytes(EVENT_LIMIT).build())) {
            // when
            List<ChatChunk> received = new ArrayList<>();
            Throwable failure = streamFailure(router, received);
            // then: the stream contract after the first chunk
            assertThat(received).hasSize(1);
            assertThat(failure).isInstanceOf(StreamInterruptedException.class);
            assertThat(((StreamInterruptedException) failure).partialText()).isEqualTo("Hel");
            assertNamesTheLimit(failure.getCause(), EVENT_LIMIT, "maxStreamEventBytes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai", "anthropic", "gemini"})
    void givenEndlessErrorBodyOnAStreamCall_whenStream_thenInvalidProviderResponseNamingTheBodyLimit(String vendor) {
        server.enqueue(answer(503, "text/html", HostileBodies.endless("<html>", "<p>busy</p>")));
        try (Router router = router(deployment(vendor).maxResponseBytes(BODY_LIMIT).build())) {
            assertNamesTheLimit(streamFailure(router, new ArrayList<>()), BODY_LIMIT, "maxResponseBytes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"anthropic", "bedrock"})
    void givenEndlessNonStreamAnswerToAStreamCall_whenStream_thenInvalidProviderResponseNamingTheBodyLimit(
            String vendor) {
        // given: a 200 that is not an event stream (a JSON envelope, a proxy's page), and never ends
        server.enqueue(answer(200, "application/json", HostileBodies.endless("{\"x\":\"", "aaaaaaaa")));
        try (Router router = router(deployment(vendor).maxResponseBytes(BODY_LIMIT).build())) {
            assertNamesTheLimit(streamFailure(router, new ArrayList<>()), BODY_LIMIT, "maxResponseBytes");
        }
    }

    @Test
    void givenBedrockMessageAnnouncedOverTheLimit_whenStream_thenFailsAfterItsPreludeNamingTheLimit() {
        // given: a valid prelude announcing a 200 MB message, then bytes that never end
        byte[] prelude = prelude(200 * 1024 * 1024, 0);
        server.enqueue(new MockResponse.Builder().code(200)
                .addHeader("Content-Type", "application/vnd.amazon.eventstream")
                .body(HostileBodies.endless(prelude, new byte[1])).build()); // then zeros
        try (Router router = router(deployment("bedrock").maxStreamEventBytes(EVENT_LIMIT).build())) {
            assertNamesTheLimit(streamFailure(router, new ArrayList<>()), EVENT_LIMIT, "maxStreamEventBytes");
        }
    }

    @Test
    void givenBedrockEventOverTheLimitAfterTheFirstChunk_whenStream_thenStreamInterruptedCausedByTheLimit() {
        char[] big = new char[2 * EVENT_LIMIT];
        java.util.Arrays.fill(big, 'a');
        Buffer body = EventStreamEncoder.stream(
                EventStreamEncoder.event("messageStart", "{\"role\":\"assistant\"}"),
                EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"),
                EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\""
                        + new String(big) + "\"}}"));
        server.enqueue(new MockResponse.Builder().code(200)
                .addHeader("Content-Type", "application/vnd.amazon.eventstream").body(body).build());
        try (Router router = router(deployment("bedrock").maxStreamEventBytes(EVENT_LIMIT).build())) {
            List<ChatChunk> received = new ArrayList<>();
            Throwable failure = streamFailure(router, received);
            assertThat(failure).isInstanceOf(StreamInterruptedException.class);
            assertNamesTheLimit(failure.getCause(), EVENT_LIMIT, "maxStreamEventBytes");
        }
    }

    /** An AWS event-stream prelude: total length, headers length and their CRC32. */
    private static byte[] prelude(int totalLength, int headersLength) {
        ByteBuffer b = ByteBuffer.allocate(12).putInt(totalLength).putInt(headersLength);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 8);
        b.putInt((int) crc.getValue());
        return b.array();
    }
}
