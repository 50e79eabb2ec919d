package io.llmrouter.providers.vertex;

import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.providers.vertex.internal.GoogleAuthLibrary;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vertex AI specifics beyond the contract: hosts, settings, credentials, embeddings, error details. */
@ExtendWith(StartedServers.class)
class VertexAiProviderTest {

    private static final String TOKEN = "ya29.c.test-access-token-0123456789";
    private static final String ANSWER = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Bonjour"}]},"finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7},
             "modelVersion":"gemini-2.5-flash"}""";

    private final MockWebServer server = new MockWebServer();

    private static MockResponse json(int status, String body) {
        return ProviderTestKit.json(status, body, Map.of());
    }

    private static ProviderOptions options(String project, String location) {
        return ProviderOptions.empty().with(VertexAiProvider.PROJECT, project).with(VertexAiProvider.LOCATION, location);
    }

    private ProviderCall.Builder call(String model, ProviderOptions options) {
        return googleHosted(model, options).apiBase(server.url("/").toString());
    }

    /** A call without apiBase: to Google's own hosts. */
    private static ProviderCall.Builder googleHosted(String model, ProviderOptions options) {
        return ProviderCall.builder(ChatRequest.ofUser(model, "Say hello in French.")).deploymentId("vertex")
                .modelGroup("vertex").providerRoute("vertex_ai/" + model).options(options)
                .timeout(Duration.ofSeconds(5));
    }

    /** A client that answers every call itself with {@link #ANSWER}, recording the request: no network. */
    private static OkHttpClient capturing(AtomicReference<Request> sent) {
        return new OkHttpClient.Builder().addInterceptor(chain -> {
            sent.set(chain.request());
            return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                    .body(ResponseBody.create(ANSWER, MediaType.get("application/json"))).build();
        }).build();
    }

    // ------------------------------------------------------------------------------ hosts and settings

    @Test
    void givenRegionalLocation_whenComplete_thenCallsTheRegionalHost() throws Exception {
        AtomicReference<Request> sent = new AtomicReference<>();
        VertexAiProvider provider = VertexAiProvider.builder().httpClient(capturing(sent)).environment(v -> null).build();
        ProviderCall call = googleHosted("gemini-2.5-flash", options("my-project", "europe-west4"))
                .apiKey(Secret.of(TOKEN)).build();

        await(provider.completeAsync(call));

        assertThat(sent.get().url().toString()).isEqualTo("https://europe-west4-aiplatform.googleapis.com/v1/projects/"
                + "my-project/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent");
        assertThat(sent.get().header("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void givenGlobalLocation_whenComplete_thenCallsTheGlobalHost() throws Exception {
        AtomicReference<Request> sent = new AtomicReference<>();
        VertexAiProvider provider = VertexAiProvider.builder().httpClient(capturing(sent)).environment(v -> null).build();

        await(provider.completeAsync(googleHosted("gemini-2.5-flash", options("my-project", "global"))
                .apiKey(Secret.of(TOKEN)).build()));

        assertThat(sent.get().url().toString()).isEqualTo("https://aiplatform.googleapis.com/v1/projects/my-project/"
                + "locations/global/publishers/google/models/gemini-2.5-flash:generateContent");
    }

    @Test
    void givenNoOptions_whenComplete_thenProjectAndLocationFromLiteLlmsEnvironmentVariables() throws Exception {
        AtomicReference<Request> sent = new AtomicReference<>();
        VertexAiProvider provider = VertexAiProvider.builder().httpClient(capturing(sent))
                .environment(ProviderTestKit.environment(Map.of("VERTEX_PROJECT", "env-project",
                        "VERTEXAI_LOCATION", "asia-northeast1")))
                .build();

        await(provider.completeAsync(googleHosted("gemini-2.5-flash", ProviderOptions.empty())
                .apiKey(Secret.of(TOKEN)).build()));

        assertThat(sent.get().url().toString()).isEqualTo("https://asia-northeast1-aiplatform.googleapis.com/v1/"
                + "projects/env-project/locations/asia-northeast1/publishers/google/models/gemini-2.5-flash"
                + ":generateContent");
    }

    @Test
    void givenNoLocation_whenComplete_thenDefaultLocation() throws Exception {
        server.enqueue(json(200, ANSWER));
        VertexAiProvider provider = VertexAiProvider.builder()
                .environment(ProviderTestKit.environment(Map.of("VERTEXAI_PROJECT", "p1"))).build();

        await(provider.completeAsync(call("gemini-2.5-flash", ProviderOptions.empty()).apiKey(Secret.of(TOKEN)).build()));

        assertThat(server.takeRequest(5, SECONDS).getUrl().encodedPath()).isEqualTo(
                "/v1/projects/p1/locations/" + VertexAiProvider.DEFAULT_LOCATION
                        + "/publishers/google/models/gemini-2.5-flash:generateContent");
    }

    @Test
    void givenNoProject_whenComplete_thenBadRequestNamingTheSettingsBeforeAnyTraffic() {
        VertexAiProvider provider = VertexAiProvider.builder().environment(v -> null).build();

        Throwable failure = failureOf(provider.completeAsync(call("gemini-2.5-flash", ProviderOptions.empty())
                .apiKey(Secret.of(TOKEN)).build()));

        assertThat(failure).isInstanceOf(BadRequestException.class).hasMessageContaining("vertex_ai.project")
                .hasMessageContaining("VERTEXAI_PROJECT");
        assertThat(server.getRequestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example.com/x", "us-central1.evil.com", "US-CENTRAL1", "-us", "us-", "us--east5"})
    void givenLocationThatIsNoRegionName_whenComplete_thenBadRequestBeforeAnyTraffic(String location) {
        VertexAiProvider provider = VertexAiProvider.builder().environment(v -> null).build();

        Throwable failure = failureOf(provider.completeAsync(call("gemini-2.5-flash",
                options("p", location)).apiKey(Secret.of(TOKEN)).build()));

        assertThat(failure).isInstanceOf(BadRequestException.class).hasMessageContaining("location");
        assertThat(server.getRequestCount()).isZero();
    }

    // ------------------------------------------------------------------------------ credentials

    @Test
    void givenCredentialsOption_whenComplete_thenItsTokenWinsOverTheApiKeyOnceItArrives() throws Exception {
        server.enqueue(json(200, ANSWER));
        CompletableFuture<String> pending = new CompletableFuture<>();
        VertexCredentials credentials = () -> pending;
        VertexAiProvider provider = VertexAiProvider.builder().environment(v -> null).build();
        ProviderCall call = call("gemini-2.5-flash", options("p", "us-central1")
                .with(VertexAiProvider.CREDENTIALS, credentials)).apiKey(Secret.of("not-this-one")).build();

        CompletableFuture<ChatResponse> response = provider.completeAsync(call);
        assertThat(server.getRequestCount()).as("nothing is sent before the token").isZero();
        pending.complete(TOKEN);

        assertThat(await(response).text()).isEqualTo("Bonjour");
        assertThat(server.takeRequest(5, SECONDS).getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void givenPendingToken_whenCallAndStreamCancelled_thenNothingIsSentWhenTheTokenArrives() throws Exception {
        CompletableFuture<String> pending = new CompletableFuture<>();
        VertexAiProvider provider = VertexAiProvider.builder().environment(v -> null).build();
        ProviderCall call = call("gemini-2.5-flash", options("p", "us-central1")
                .with(VertexAiProvider.CREDENTIALS, () -> pending)).build();
        List<Object> heard = new CopyOnWriteArrayList<>();

        CompletableFuture<ChatResponse> response = provider.completeAsync(call);
        var stream = provider.streamAsync(call, new ChunkSink() {
            @Override
            public void onChunk(ChatChunk chunk) {
                heard.add(chunk);
            }

            @Override
            public void onComplete() {
                heard.add("complete");
            }

            @Override
            public void onError(Throwable error) {
                heard.add(error);
            }
        });
        response.cancel(true);
        stream.cancel();
        pending.complete(TOKEN);

        assertThat(server.takeRequest(300, java.util.concurrent.TimeUnit.MILLISECONDS)).isNull();
        assertThat(heard).isEmpty();
    }

    @Test
    void givenFailingCredentials_whenComplete_thenAuthenticationErrorBeforeAnyTraffic() {
        VertexCredentials credentials = () -> CompletableFuture.failedFuture(new IllegalStateException("no metadata"));
        VertexAiProvider provider = VertexAiProvider.builder().environment(v -> null).build();

        Throwable failure = failureOf(provider.completeAsync(call("gemini-2.5-flash", options("p", "us-central1")
                .with(VertexAiProvider.CREDENTIALS, credentials)).build()));

        assertThat(failure).isInstanceOf(AuthenticationException.class).hasMessageContaining("no metadata");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenCredentialsThatNeverAnswer_whenComplete_thenAuthenticationErrorAfterTheTimeout() {
        VertexCredentials credentials = CompletableFuture::new;
        VertexAiProvider provider = VertexAiProvider.builder().environment(v -> null).build();

        Throwable failure = failureOf(provider.completeAsync(call("gemini-2.5-flash", options("p", "us-central1")
                .with(VertexAiProvider.CREDENTIALS, credentials)).timeout(Duration.ofMillis(100)).build()));

        assertThat(failure).isInstanceOf(AuthenticationException.class).hasMessageContaining("no token within");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenPendingToken_whenStream_thenTheStreamOpensWithItAndCompletes() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body("""
                data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Bon"}]}}]}

                data: {"candidates":[{"content":{"role":"model","parts":[{"text":"jour"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7}}

                """).build());
        CompletableFuture<String> pending = new CompletableFuture<>();
        VertexAiProvider provider = VertexAiProvider.builder().environment(v -> null).build();
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();

        provider.streamAsync(call("gemini-2.5-flash", options("p", "us-central1")
                .with(VertexAiProvider.CREDENTIALS, () -> pending)).build(), new ChunkSink() {
                    @Override
                    public void onChunk(ChatChunk chunk) {
                        chunks.add(chunk);
                    }

                    @Override
                    public void onComplete() {
                        done.complete(null);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });
        pending.complete(TOKEN);
        done.get(5, SECONDS);

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath() + "?" + sent.getUrl().query()).isEqualTo(
                "/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash"
                        + ":streamGenerateContent?alt=sse");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(chunks.stream().map(c -> c.text().orElse("")).reduce("", String::concat)).isEqualTo("Bonjour");
    }

    @Test
    void givenNoCredentialSettings_whenComplete_thenEnvironmentKeyJsonThenAdcUsedAndEachLoadedOnce() throws Exception {
        server.enqueue(json(200, ANSWER));
        server.enqueue(json(200, ANSWER));
        server.enqueue(json(200, ANSWER));
        AtomicInteger created = new AtomicInteger();
        Map<String, String> env = new java.util.concurrent.ConcurrentHashMap<>(Map.of("VERTEXAI_CREDENTIALS",
                "{\"type\":\"service_account\"}"));
        VertexAiProvider provider = VertexAiProvider.builder().environment(env::get)
                .defaultCredentials(() -> {
                    created.incrementAndGet();
                    return () -> CompletableFuture.completedFuture("adc-token");
                }, file -> {
                    throw new AssertionError("not a file");
                }, json -> {
                    created.incrementAndGet();
                    assertThat(json.reveal()).isEqualTo("{\"type\":\"service_account\"}");
                    return () -> CompletableFuture.completedFuture("sa-token");
                }).build();
        ProviderCall call = call("gemini-2.5-flash", options("p", "us-central1")).build();

        await(provider.completeAsync(call));
        await(provider.completeAsync(call));
        env.remove("VERTEXAI_CREDENTIALS");
        await(provider.completeAsync(call));

        assertThat(server.takeRequest(5, SECONDS).getHeaders().get("Authorization")).isEqualTo("Bearer sa-token");
        assertThat(server.takeRequest(5, SECONDS).getHeaders().get("Authorization")).isEqualTo("Bearer sa-token");
        assertThat(server.takeRequest(5, SECONDS).getHeaders().get("Authorization")).isEqualTo("Bearer adc-token");
        assertThat(created).as("one key, then ADC").hasValue(2);
    }

    @Test
    void givenCredentialsFileThatDoesNotExist_whenComplete_thenAuthenticationErrorBeforeAnyTraffic() {
        VertexAiProvider provider = VertexAiProvider.builder()
                .environment(ProviderTestKit.environment(Map.of("VERTEX_CREDENTIALS",
                        Path.of("no", "such", "key.json").toString()))).build();

        Throwable failure = failureOf(provider.completeAsync(call("gemini-2.5-flash", options("p", "us-central1"))
                .build()));

        assertThat(failure).isInstanceOf(AuthenticationException.class).hasMessageContaining("VERTEXAI_CREDENTIALS");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenNoGoogleAuthLibraryAndNoToken_whenComplete_thenAuthenticationErrorNamingTheArtifact() {
        VertexAiProvider provider = VertexAiProvider.builder().environment(v -> null).googleAuthPresent(() -> false)
                .build();

        Throwable failure = failureOf(provider.completeAsync(call("gemini-2.5-flash", options("p", "us-central1"))
                .build()));

        assertThat(failure).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("com.google.auth:google-auth-library-oauth2-http")
                .hasMessageContaining("Application Default Credentials");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void googleAuthLibraryIsFoundOnTheTestClassPathAndNotByALoaderThatCannotSeeIt() {
        assertThat(GoogleAuthLibrary.isPresent()).isTrue();
        assertThat(GoogleAuthLibrary.isVisibleTo(new java.net.URLClassLoader(new java.net.URL[0], null))).isFalse();
    }

    // ------------------------------------------------------------------------------ embeddings

    @Test
    void givenTwoInputs_whenEmbed_thenOnePredictCallWithInstancesAndUsageFromTokenCounts() throws Exception {
        server.enqueue(json(200, """
                {"predictions":[
                  {"embeddings":{"statistics":{"truncated":false,"token_count":2},"values":[0.0123,-0.0456,0.0789]}},
                  {"embeddings":{"statistics":{"truncated":false,"token_count":3},"values":[-0.5,0.25,0.125]}}],
                 "metadata":{"billableCharacterCount":10}}"""));
        EmbeddingRequest request = EmbeddingRequest.builder("text-embedding-005").addInput("hello").addInput("world")
                .dimensions(3).putExtraBody("task_type", TextNode.valueOf("RETRIEVAL_QUERY"))
                .putExtraBody("autoTruncate", BooleanNode.FALSE).build();
        Endpoint endpoint = Endpoint.builder().deploymentId("embed").modelGroup("embeddings")
                .providerRoute("vertex_ai/text-embedding-005").apiBase(server.url("/").toString())
                .apiKey(Secret.of(TOKEN)).options(options("my-project", "us-central1"))
                .timeout(Duration.ofSeconds(5)).build();

        EmbeddingResponse response = await(VertexAiProvider.builder().environment(v -> null).build()
                .embedAsync(new EmbeddingCall(request, endpoint)));

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo(
                "/v1/projects/my-project/locations/us-central1/publishers/google/models/text-embedding-005:predict");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"instances":[{"content":"hello","task_type":"RETRIEVAL_QUERY"},
                              {"content":"world","task_type":"RETRIEVAL_QUERY"}],
                 "parameters":{"outputDimensionality":3,"autoTruncate":false}}"""));
        assertThat(response.model()).isEqualTo("text-embedding-005");
        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(1).index()).isEqualTo(1);
        assertThat(response.data().get(0).vector()).containsExactly(0.0123f, -0.0456f, 0.0789f);
        assertThat(response.usage()).contains(Usage.builder().promptTokens(5).totalTokens(5).build());
    }

    @Test
    void givenGeminiEmbeddingModelAndTwoInputs_whenEmbed_thenOnePredictPerInputMergedInOrder() throws Exception {
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                boolean first = request.getBody().utf8().contains("\"hello\"");
                return json(200, """
                        {"predictions":[{"embeddings":{"statistics":{"truncated":false,"token_count":%d},
                          "values":[%s]}}]}""".formatted(first ? 1 : 2, first ? "0.5,0.25" : "-1,2"));
            }
        });
        Endpoint endpoint = Endpoint.builder().deploymentId("embed").modelGroup("embeddings")
                .providerRoute("vertex_ai/gemini-embedding-001").apiBase(server.url("/").toString())
                .apiKey(Secret.of(TOKEN)).options(options("my-project", "us-central1"))
                .timeout(Duration.ofSeconds(5)).build();

        EmbeddingResponse response = await(VertexAiProvider.builder().environment(v -> null).build()
                .embedAsync(new EmbeddingCall(EmbeddingRequest.builder("gemini-embedding-001").addInput("hello")
                        .addInput("world").dimensions(2).build(), endpoint)));

        assertThat(server.getRequestCount()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            RecordedRequest sent = server.takeRequest(5, SECONDS);
            assertThat(sent.getUrl().encodedPath()).endsWith("/publishers/google/models/gemini-embedding-001:predict");
            assertThat(tree(sent.getBody().utf8()).path("instances")).hasSize(1);
            assertThat(tree(sent.getBody().utf8()).path("parameters")).isEqualTo(tree("{\"outputDimensionality\":2}"));
        }
        assertThat(response.data()).extracting(e -> e.index()).containsExactly(0, 1);
        assertThat(response.data().get(0).vector()).containsExactly(0.5f, 0.25f);
        assertThat(response.data().get(1).vector()).containsExactly(-1f, 2f);
        assertThat(response.usage()).contains(Usage.builder().promptTokens(3).totalTokens(3).build());
    }

    // ------------------------------------------------------------------------------ errors

    @Test
    void givenResourceExhaustedWithRetryInfo_whenComplete_thenRetryableRateLimitWithTheDelay() {
        server.enqueue(json(429, """
                {"error":{"code":429,"message":"Resource exhausted. Please try again later.",
                 "status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo",
                 "retryDelay":"26s"}]}}"""));
        VertexAiProvider provider = VertexAiProvider.builder().environment(v -> null).build();

        Throwable failure = failureOf(provider.completeAsync(call("gemini-2.5-flash", options("p", "us-central1"))
                .apiKey(Secret.of(TOKEN)).build()));

        assertThat(failure).isInstanceOf(RateLimitException.class).hasMessageContaining("RESOURCE_EXHAUSTED");
        assertThat(((RateLimitException) failure).retryAfter()).contains(Duration.ofSeconds(26));
        assertThat(((RateLimitException) failure).isRetryable()).isTrue();
    }

    @Test
    void givenPermissionDeniedOnAClaudeModel_whenComplete_thenPermissionDeniedWithoutTheToken() {
        server.enqueue(json(403, """
                {"error":{"code":403,"message":"Permission 'aiplatform.endpoints.predict' denied on resource
                 (or it may not exist). Bearer %s","status":"PERMISSION_DENIED"}}""".formatted(TOKEN)
                .replace("\n", "")));
        VertexAiProvider provider = VertexAiProvider.builder().environment(v -> null).build();

        Throwable failure = failureOf(provider.completeAsync(call("claude-sonnet-4-5@20250929",
                options("p", "us-east5")).apiKey(Secret.of(TOKEN)).build()));

        assertThat(failure).isInstanceOf(PermissionDeniedException.class).hasMessageContaining("PERMISSION_DENIED")
                .hasMessageNotContaining(TOKEN);
    }
}
