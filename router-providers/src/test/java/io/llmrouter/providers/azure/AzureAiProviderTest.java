package io.llmrouter.providers.azure;

import static io.llmrouter.providers.azure.AzureTestSupport.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import io.llmrouter.testing.RecordingSink;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Azure AI Foundry adapter against a loopback server, on bodies written from Azure's model
 * inference REST reference: URL forms, key header by host, Entra ID tokens, {@code extra-parameters}.
 */
@ExtendWith(StartedServers.class)
class AzureAiProviderTest {

    private static final String KEY = "foundry-key-SECRET-0123456789";
    private static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-SECRET";
    private static final String MODEL = "DeepSeek-R1";
    /** A Foundry resource host, resolved to the loopback server. */
    private static final String RESOURCE_HOST = "my-foundry.services.ai.azure.com";

    private final MockWebServer server = new MockWebServer();

    private static AzureAiProvider provider(Map<String, String> env) {
        OkHttpClient client = new OkHttpClient.Builder().dns(host -> host.equals(RESOURCE_HOST)
                ? List.of(InetAddress.getLoopbackAddress()) : okhttp3.Dns.SYSTEM.lookup(host)).build();
        return AzureAiProvider.builder().httpClient(client).environment(environment(env)).build();
    }

    private static AzureAiProvider provider() {
        return provider(Map.of());
    }

    /** The loopback server under the Foundry resource's host name. */
    private String resourceBase(String path) {
        return "http://" + RESOURCE_HOST + ":" + server.getPort() + path;
    }

    private static ProviderCall.Builder call(ChatRequest request, String apiBase) {
        ProviderCall.Builder b = ProviderCall.builder(request).deploymentId("foundry").modelGroup("r1")
                .providerRoute("azure_ai/" + request.model()).timeout(Duration.ofSeconds(5));
        return apiBase == null ? b : b.apiBase(apiBase);
    }

    private static MockResponse answer() {
        return json(200, """
                {"id":"4d3a4c1b2e5f4a6b","object":"chat.completion","created":1735689600,"model":"DeepSeek-R1",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","tool_calls":null},
                  "finish_reason":"stop"}],
                 "usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}""");
    }

    private RecordedRequest sent() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        return request;
    }

    @Test
    void givenFoundryResourceHost_whenComplete_thenModelsPathVersionAndApiKeyHeader() throws Exception {
        // given
        server.enqueue(answer());
        // when
        ChatResponse response = await(provider().completeAsync(call(ChatRequest.ofUser(MODEL, "hi"),
                resourceBase("")).apiKey(Secret.of(KEY)).build()));
        // then
        RecordedRequest sent = sent();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/models/chat/completions");
        assertThat(sent.getUrl().queryParameter("api-version")).isEqualTo("2024-05-01-preview");
        assertThat(sent.getHeaders().get("api-key")).isEqualTo(KEY);
        assertThat(sent.getHeaders().get("Authorization")).isNull();
        assertThat(sent.getHeaders().get("extra-parameters")).isNull();
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"DeepSeek-R1","messages":[{"role":"user","content":"hi"}]}"""));
        assertThat(response.text()).isEqualTo("Hello!");
        assertThat(response.usage()).contains(Usage.of(9, 3));
    }

    @Test
    void givenModelsBaseWithItsOwnVersion_whenComplete_thenPathNotDoubledAndThatVersion() throws Exception {
        // given
        server.enqueue(answer());
        // when
        await(provider().completeAsync(call(ChatRequest.ofUser(MODEL, "hi"),
                resourceBase("/models?api-version=2025-04-01")).apiKey(Secret.of(KEY)).build()));
        // then
        RecordedRequest sent = sent();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/models/chat/completions");
        assertThat(sent.getUrl().queryParameter("api-version")).isEqualTo("2025-04-01");
    }

    @Test
    void givenServerlessEndpointFromEnvironment_whenComplete_thenBearerKeyAndOptionVersion() throws Exception {
        // given
        server.enqueue(answer());
        AzureAiProvider provider = provider(Map.of("AZURE_AI_API_BASE", server.url("/").toString(),
                "AZURE_AI_API_KEY", KEY));
        ProviderCall call = call(ChatRequest.ofUser(MODEL, "hi"), null)
                .options(ProviderOptions.empty().with(AzureAiProvider.API_VERSION, "2024-08-01-preview")).build();
        // when
        await(provider.completeAsync(call));
        // then
        RecordedRequest sent = sent();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/chat/completions");
        assertThat(sent.getUrl().queryParameter("api-version")).isEqualTo("2024-08-01-preview");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(sent.getHeaders().get("api-key")).isNull();
    }

    @Test
    void givenOpenAiStyleV1Base_whenComplete_thenNoApiVersion() throws Exception {
        // given
        server.enqueue(answer());
        // when
        await(provider().completeAsync(call(ChatRequest.ofUser(MODEL, "hi"), server.url("/v1").toString())
                .apiKey(Secret.of(KEY)).build()));
        // then
        RecordedRequest sent = sent();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        assertThat(sent.getUrl().encodedQuery()).isNull();
    }

    @Test
    void givenEntraTokenSupplier_whenComplete_thenBearerTokenAskedPerCallAndKeyNotSent() throws Exception {
        // given
        server.enqueue(answer());
        server.enqueue(answer());
        int[] asked = {0};
        AzureTokenSupplier entra = () -> {
            asked[0]++;
            return CompletableFuture.completedFuture(TOKEN);
        };
        ProviderCall call = call(ChatRequest.ofUser(MODEL, "hi"), resourceBase("/models")).apiKey(Secret.of(KEY))
                .options(ProviderOptions.empty().with(AzureAiProvider.TOKEN_SUPPLIER, entra)).build();
        AzureAiProvider provider = provider();
        // when
        await(provider.completeAsync(call));
        await(provider.completeAsync(call));
        // then
        RecordedRequest sent = sent();
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(sent.getHeaders().get("api-key")).isNull();
        assertThat(asked[0]).isEqualTo(2);
    }

    @Test
    void givenFailingTokenSupplier_whenComplete_thenAuthenticationBeforeAnyRequest() {
        // given
        AzureTokenSupplier broken = () -> CompletableFuture.failedFuture(new IllegalStateException("no login"));
        ProviderCall call = call(ChatRequest.ofUser(MODEL, "hi"), server.url("/").toString())
                .options(ProviderOptions.empty().with(AzureAiProvider.TOKEN_SUPPLIER, broken)).build();
        // when
        Throwable failure = failureOf(provider().completeAsync(call));
        // then
        assertThat(failure).isInstanceOf(AuthenticationException.class).hasMessageContaining("token supplier");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenRateLimitQuotingTheToken_whenComplete_thenRateLimitWithoutTheToken() {
        // given
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .addHeader("retry-after", "4").body("{\"error\":{\"code\":\"Too Many Requests\",\"message\":"
                        + "\"Rate limit is exceeded for token " + TOKEN + "\"}}").build());
        AzureTokenSupplier entra = () -> CompletableFuture.completedFuture(TOKEN);
        ProviderCall call = call(ChatRequest.ofUser(MODEL, "hi"), server.url("/").toString())
                .options(ProviderOptions.empty().with(AzureAiProvider.TOKEN_SUPPLIER, entra)).build();
        // when
        Throwable failure = failureOf(provider().completeAsync(call));
        // then
        assertThat(failure).isInstanceOf(RateLimitException.class).hasMessageNotContaining(TOKEN)
                .hasMessageStartingWith("azure_ai: ");
        assertThat(((RateLimitException) failure).retryAfter()).contains(Duration.ofSeconds(4));
        assertThat(String.valueOf(((LlmRouterException) failure).context())).doesNotContain(TOKEN);
    }

    @Test
    void givenExtraBody_whenComplete_thenPassThroughHeaderUnlessTheDeploymentSaysOtherwise() throws Exception {
        // given
        server.enqueue(answer());
        server.enqueue(answer());
        ChatRequest request = ChatRequest.builder(MODEL).addMessage(io.llmrouter.api.chat.Message.user("hi"))
                .putExtraBody("safe_prompt", com.fasterxml.jackson.databind.node.BooleanNode.TRUE)
                .putExtraBody("top_k", IntNode.valueOf(40)).build();
        AzureAiProvider provider = provider();
        // when
        await(provider.completeAsync(call(request, server.url("/").toString()).apiKey(Secret.of(KEY)).build()));
        await(provider.completeAsync(call(request, server.url("/").toString()).apiKey(Secret.of(KEY))
                .options(ProviderOptions.empty().with(AzureAiProvider.EXTRA_PARAMETERS, "drop")).build()));
        // then
        RecordedRequest first = sent();
        assertThat(first.getHeaders().get("extra-parameters")).isEqualTo("pass-through");
        assertThat(tree(first.getBody().utf8()).path("top_k").intValue()).isEqualTo(40);
        assertThat(sent().getHeaders().get("extra-parameters")).isEqualTo("drop");
    }

    @Test
    void givenNoBase_whenComplete_thenBadRequestNamingTheVariableBeforeAnyRequest() {
        Throwable failure = failureOf(provider().completeAsync(call(ChatRequest.ofUser(MODEL, "hi"), null)
                .apiKey(Secret.of(KEY)).build()));

        assertThat(failure).isInstanceOf(BadRequestException.class).hasMessageContaining("AZURE_AI_API_BASE");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenNoCredential_whenComplete_thenAuthenticationNamingTheVariableBeforeAnyRequest() {
        Throwable failure = failureOf(provider().completeAsync(call(ChatRequest.ofUser(MODEL, "hi"),
                server.url("/").toString()).build()));

        assertThat(failure).isInstanceOf(AuthenticationException.class).hasMessageContaining("AZURE_AI_API_KEY");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenStream_whenStreamed_thenNoStreamOptionsAndChunksAddUp() throws Exception {
        // given
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body("""
                data: {"id":"c1","object":"chat.completion.chunk","created":1735689600,"model":"DeepSeek-R1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1735689600,"model":"DeepSeek-R1","choices":[{"index":0,"delta":{"content":"lo!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}

                data: [DONE]

                """).build());
        RecordingSink sink = new RecordingSink();
        // when
        provider().streamAsync(call(ChatRequest.ofUser(MODEL, "hi"), resourceBase("/models")).apiKey(Secret.of(KEY))
                .build(), sink);
        ChatResponse response = sink.awaitCompletion();
        // then
        assertThat(response.text()).isEqualTo("Hello!");
        assertThat(response.finishReason()).contains(FinishReason.STOP);
        assertThat(response.usage()).contains(Usage.of(9, 3));
        RecordedRequest sent = sent();
        assertThat(sent.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"DeepSeek-R1","messages":[{"role":"user","content":"hi"}],"stream":true}"""));
    }

    @Test
    void givenEmbeddingRequest_whenEmbed_thenModelsEmbeddingsPath() throws Exception {
        // given
        server.enqueue(json(200, """
                {"id":"e1","object":"list","model":"Cohere-embed-v3-english",
                 "data":[{"index":0,"object":"embedding","embedding":[0.25,-0.5]}],
                 "usage":{"prompt_tokens":2,"total_tokens":2}}"""));
        Endpoint endpoint = Endpoint.builder().deploymentId("foundry-embed").modelGroup("embed")
                .providerRoute("azure_ai/Cohere-embed-v3-english").apiBase(resourceBase("")).apiKey(Secret.of(KEY))
                .build();
        // when
        EmbeddingResponse response = await(provider().embedAsync(new EmbeddingCall(
                EmbeddingRequest.of("Cohere-embed-v3-english", "hello"), endpoint)));
        // then
        RecordedRequest sent = sent();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/models/embeddings");
        assertThat(sent.getHeaders().get("api-key")).isEqualTo(KEY);
        assertThat(response.data().get(0).vector()).containsExactly(0.25f, -0.5f);
    }

    @Test
    void toStringNamesNoCredential() {
        assertThat(provider().toString()).isEqualTo("AzureAiProvider[azure_ai]");
    }
}
