package io.llmrouter.providers.azure;

import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import io.llmrouter.spi.StreamHandle;
import io.llmrouter.testing.RecordingSink;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link AzureOpenAiProvider#streamAsync} against MockWebServer: the request (URL forms, credential,
 * {@code stream_options} by {@code api-version}), Azure's annotation chunks, and the failure rules.
 * Stream bodies follow Azure's content-streaming page (annotation chunks without {@code delta},
 * empty {@code id} and {@code model}); the corpus's recorded ones are replayed by
 * {@link AzureOpenAiConformanceTest}.
 */
@ExtendWith(StartedServers.class)
class AzureOpenAiStreamTest {

    private static final String KEY = "azure-key-SECRET-0123456789abcdef";
    private static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-token";
    private static final String DEPLOYMENT = "my-prod-deployment";
    private static final String ID = "chatcmpl-azure-stream";

    /**
     * Prompt-filter chunk, role chunk, two text chunks, an annotation-only chunk, the finish chunk
     * (empty id and model, as Azure sends it after filtering), the usage chunk (no {@code model}),
     * a post-finish annotation chunk, then {@code [DONE]}.
     */
    private static final String STREAM = """
            data: {"id":"","object":"","created":0,"model":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}],"choices":[],"usage":null}

            data: {"id":"chatcmpl-azure-stream","object":"chat.completion.chunk","created":1735689600,"model":"gpt-4o-2024-11-20","choices":[{"index":0,"finish_reason":null,"delta":{"role":"assistant","content":""}}],"usage":null}

            data: {"id":"chatcmpl-azure-stream","object":"chat.completion.chunk","created":1735689600,"model":"gpt-4o-2024-11-20","choices":[{"index":0,"finish_reason":null,"delta":{"content":"Paris"}}],"usage":null}

            data: {"id":"chatcmpl-azure-stream","object":"chat.completion.chunk","created":1735689600,"model":"gpt-4o-2024-11-20","choices":[{"index":0,"finish_reason":null,"delta":{"content":"."}}],"usage":null}

            data: {"id":"","object":"","created":0,"model":"","choices":[{"index":0,"finish_reason":null,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"content_filter_offsets":{"check_offset":0,"start_offset":0,"end_offset":6}}],"usage":null}

            data: {"id":"","object":"","created":0,"model":"","choices":[{"index":0,"finish_reason":"stop","delta":{}}],"usage":null}

            data: {"id":"chatcmpl-azure-stream","object":"chat.completion.chunk","created":1735689600,"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}

            data: {"id":"","object":"","created":0,"model":"","choices":[{"index":0,"finish_reason":null,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"content_filter_offsets":{"check_offset":6,"start_offset":0,"end_offset":6}}],"usage":null}

            data: [DONE]

            """;

    private final MockWebServer server = new MockWebServer();

    private Endpoint.Builder endpoint() {
        return Endpoint.builder().deploymentId("primary").modelGroup("gpt-4o").providerRoute("azure/" + DEPLOYMENT)
                .apiBase(server.url("/").toString()).apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5));
    }

    private static ProviderCall call(Endpoint endpoint) {
        ChatRequest request = ChatRequest.ofUser(DEPLOYMENT, "What is the capital of France?").toBuilder().stream(true)
                .build();
        return ProviderCall.of(request, endpoint);
    }

    private static MockResponse sse(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build();
    }

    private RecordingSink stream(Endpoint endpoint) {
        RecordingSink sink = new RecordingSink();
        AzureOpenAiProvider.builder().environment(Map.<String, String>of()::get).build().streamAsync(call(endpoint),
                sink);
        return sink;
    }

    private RecordedRequest taken() throws InterruptedException {
        return server.takeRequest(5, SECONDS);
    }

    @Test
    void givenApiKey_whenStreamAsync_thenPostsDeploymentUrlWithApiKeyStreamFieldsAndEventStreamAccept()
            throws Exception {
        server.enqueue(sse(STREAM));

        stream(endpoint().build()).awaitCompletion();

        RecordedRequest sent = taken();
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/deployments/" + DEPLOYMENT + "/chat/completions");
        assertThat(sent.getUrl().queryParameter("api-version")).isEqualTo(AzureOpenAiProvider.DEFAULT_API_VERSION);
        assertThat(sent.getHeaders().get("api-key")).isEqualTo(KEY);
        assertThat(sent.getHeaders().get("Authorization")).isNull();
        assertThat(sent.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"my-prod-deployment","messages":[{"role":"user","content":"What is the capital of France?"}],
                 "stream":true,"stream_options":{"include_usage":true}}"""));
    }

    @ParameterizedTest
    @CsvSource({
        "2023-05-15, false",
        "2024-02-01, false",
        "2024-08-01-preview, false",
        "2024-09-01-preview, true",
        "2024-10-21, true",
        "2025-04-01-preview, true"})
    void givenApiVersion_whenStreamAsync_thenStreamOptionsIsSentOnlyWhereTheVersionKnowsIt(String version,
            boolean sent) throws Exception {
        server.enqueue(sse(STREAM));
        Endpoint endpoint = endpoint().options(ProviderOptions.empty().with(AzureOpenAiProvider.API_VERSION, version))
                .build();

        stream(endpoint).awaitCompletion();

        JsonNode body = tree(taken().getBody().utf8());
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.has("stream_options")).isEqualTo(sent);
    }

    @Test
    void givenV1Style_whenStreamAsync_thenPostsV1PathWithStreamOptions() throws Exception {
        server.enqueue(sse(STREAM));
        Endpoint endpoint = endpoint().apiBase(server.url("/openai/v1").toString()).build();

        stream(endpoint).awaitCompletion();

        RecordedRequest sent = taken();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/v1/chat/completions");
        assertThat(sent.getUrl().encodedQuery()).isNull();
        assertThat(tree(sent.getBody().utf8()).has("stream_options")).isTrue();
    }

    @Test
    void givenAnnotationChunksAndEmptyIds_whenStreamAsync_thenOnlyContentChunksArriveWithTheStreamsIdAndModel()
            throws Exception {
        server.enqueue(sse(STREAM));
        RecordingSink sink = stream(endpoint().build());

        ChatResponse response = sink.awaitCompletion();

        String model = "gpt-4o-2024-11-20";
        assertThat(sink.chunks()).containsExactly(
                ChatChunk.builder(ID, model).role("assistant").build(),
                ChatChunk.text(ID, model, "Paris"),
                ChatChunk.text(ID, model, "."),
                ChatChunk.builder(ID, model).finishReason(FinishReason.STOP).build(),
                ChatChunk.builder(ID, model).usage(Usage.builder().promptTokens(12).completionTokens(2).totalTokens(14)
                        .build()).build());
        assertThat(response.text()).isEqualTo("Paris.");
    }

    @Test
    void givenStreamNamingNoModel_whenStreamAsync_thenChunksCarryTheDeploymentName() throws Exception {
        server.enqueue(sse("""
                data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}

                data: [DONE]

                """));
        RecordingSink sink = stream(endpoint().build());

        assertThat(sink.awaitCompletion().model()).isEqualTo(DEPLOYMENT);
    }

    @Test
    void givenStreamWithoutDone_whenBodyEndsAfterTheFinishChunk_thenCompletesNormally() throws Exception {
        server.enqueue(sse(STREAM.replace("data: [DONE]", "")));
        RecordingSink sink = stream(endpoint().build());

        ChatResponse response = sink.awaitCompletion();
        assertThat(response.text()).isEqualTo("Paris.");
        assertThat(response.finishReason()).contains(FinishReason.STOP);
    }

    @Test
    void givenStreamWithoutDone_whenBodyEndsBeforeTheFinishChunk_thenOnErrorInvalidProviderResponse()
            throws Exception {
        server.enqueue(sse(STREAM.substring(0, STREAM.indexOf("data: {\"id\":\"\",\"object\":\"\",\"created\":0,"
                + "\"model\":\"\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\""))));
        RecordingSink sink = stream(endpoint().build());

        assertThat(sink.awaitError()).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("the stream ended without data: [DONE] before every choice sent its");
    }

    @Test
    void givenMidStreamServerError_whenStreamAsync_thenOnErrorRetryableServerError() throws Exception {
        server.enqueue(sse(STREAM.substring(0, STREAM.indexOf("data: {\"id\":\"\",\"object\":\"\",\"created\":0,"
                + "\"model\":\"\",\"choices\":[{\"index\":0,\"finish_reason\":null,\"content_filter_results\""))
                + "data: {\"error\":{\"message\":\"The server had an error while processing your request.\","
                + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"));
        RecordingSink sink = stream(endpoint().build());

        assertThat(sink.awaitError()).isExactlyInstanceOf(ProviderServerException.class);
        assertThat(sink.chunks()).hasSize(3);
    }

    @Test
    void given429BeforeStreaming_whenStreamAsync_thenOnErrorRateLimitWithRetryAfterMs() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .addHeader("retry-after-ms", "1500").addHeader("apim-request-id", "apim-429")
                .body(AzureTestSupport.resource("error-429-rate-limit.json")).build());
        RecordingSink sink = stream(endpoint().build());

        Throwable error = sink.awaitError();

        assertThat(error).isExactlyInstanceOf(RateLimitException.class);
        assertThat(((RateLimitException) error).retryAfter()).contains(Duration.ofMillis(1500));
        assertThat(((RateLimitException) error).providerRequestId()).contains("apim-429");
    }

    @Test
    void givenContentFilteredPrompt_whenStreamAsync_thenOnErrorContentPolicyViolation() throws Exception {
        server.enqueue(new MockResponse.Builder().code(400).addHeader("Content-Type", "application/json")
                .body(AzureTestSupport.resource("error-400-content-filter.json")).build());
        RecordingSink sink = stream(endpoint().build());

        assertThat(sink.awaitError()).isExactlyInstanceOf(ContentPolicyViolationException.class);
    }

    @Test
    void givenTokenSupplier_whenStreamAsync_thenSendsBearerTokenAndNoApiKey() throws Exception {
        server.enqueue(sse(STREAM));
        Endpoint endpoint = endpoint().options(ProviderOptions.empty().with(AzureOpenAiProvider.TOKEN_SUPPLIER,
                () -> CompletableFuture.completedFuture(TOKEN))).build();

        stream(endpoint).awaitCompletion();

        RecordedRequest sent = taken();
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(sent.getHeaders().get("api-key")).isNull();
        assertThat(sent.getHeaders().get("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void givenCancelWhileWaitingForToken_whenTokenArrives_thenNothingIsSentAndSinkHearsNothing() {
        CompletableFuture<String> pending = new CompletableFuture<>();
        Endpoint endpoint = endpoint().options(ProviderOptions.empty().with(AzureOpenAiProvider.TOKEN_SUPPLIER,
                () -> pending)).build();
        RecordingSink sink = new RecordingSink();

        StreamHandle handle = AzureOpenAiProvider.create().streamAsync(call(endpoint), sink);
        handle.cancel();
        pending.complete(TOKEN);

        assertThat(server.getRequestCount()).isZero();
        assertThat(sink.hasEnded()).isFalse();
        assertThat(sink.chunks()).isEmpty();
    }

    @Test
    void givenFailingTokenSupplier_whenStreamAsync_thenOnErrorAuthenticationAndNothingSent() throws Exception {
        Endpoint endpoint = endpoint().options(ProviderOptions.empty().with(AzureOpenAiProvider.TOKEN_SUPPLIER,
                () -> CompletableFuture.failedFuture(new IllegalStateException("no managed identity")))).build();

        Throwable error = stream(endpoint).awaitError();

        assertThat(error).isExactlyInstanceOf(AuthenticationException.class).hasMessageContaining("no managed identity");
        assertThat(server.getRequestCount()).isZero();
    }
}
