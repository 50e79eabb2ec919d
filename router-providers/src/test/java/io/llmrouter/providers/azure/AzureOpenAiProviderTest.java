package io.llmrouter.providers.azure;

import static io.llmrouter.providers.azure.AzureTestSupport.json;
import static io.llmrouter.providers.azure.AzureTestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.providers.azure.AzureOpenAiProvider.ApiStyle;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(StartedServers.class)
class AzureOpenAiProviderTest {

    private static final String KEY = "azkey-SECRET-0123456789abcdef0123";
    private static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.ENTRA-SECRET-payload.signature";
    private static final String DEPLOYMENT = "my-prod-deployment";
    private static final String CHAT_PATH = "/openai/deployments/my-prod-deployment/chat/completions";

    private final MockWebServer server = new MockWebServer();

    // ------------------------------------------------------------------------------------ helpers

    /** The resource endpoint, as the Azure portal shows it (no path). */
    private String resourceBase() {
        return server.url("/").toString();
    }

    private static AzureOpenAiProvider provider(Map<String, String> env) {
        return AzureOpenAiProvider.builder().environment(env::get).build();
    }

    private static AzureOpenAiProvider provider() {
        return provider(Map.of());
    }

    private Endpoint.Builder endpoint(String deployment) {
        return Endpoint.builder().deploymentId("primary").modelGroup("gpt-4o").providerRoute("azure/" + deployment)
                .apiBase(resourceBase()).apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5));
    }

    private Endpoint.Builder endpoint() {
        return endpoint(DEPLOYMENT);
    }

    private static ProviderCall call(Endpoint endpoint) {
        return ProviderCall.of(ChatRequest.ofUser(endpoint.providerModel(), "What is the capital of France?"),
                endpoint);
    }

    private ProviderCall call() {
        return call(endpoint().build());
    }

    private static ProviderOptions options(Function<ProviderOptions, ProviderOptions> f) {
        return f.apply(ProviderOptions.empty());
    }

    private RecordedRequest taken() throws InterruptedException {
        return server.takeRequest(5, SECONDS);
    }

    /** The path and query of the request sent. */
    private String target() throws InterruptedException {
        RecordedRequest sent = taken();
        String query = sent.getUrl().encodedQuery();
        return sent.getUrl().encodedPath() + (query == null ? "" : "?" + query);
    }

    private static MockResponse error(int status, String body, String... headers) {
        MockResponse.Builder b = new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .addHeader("apim-request-id", "apim-3f2a-0001").body(body);
        for (int i = 0; i < headers.length; i += 2) {
            b.addHeader(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    // ------------------------------------------------------------------------------------ URL

    @Nested
    class Url {

        @Test
        void givenDefaults_whenComplete_thenPostsToDeploymentPathWithDefaultApiVersion() throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));

            await(provider().completeAsync(call()));

            RecordedRequest sent = taken();
            assertThat(sent.getMethod()).isEqualTo("POST");
            assertThat(sent.getUrl().encodedPath()).isEqualTo(CHAT_PATH);
            assertThat(sent.getUrl().encodedQuery()).isEqualTo("api-version=2024-10-21");
            assertThat(AzureOpenAiProvider.DEFAULT_API_VERSION).isEqualTo("2024-10-21");
        }

        @Test
        void givenApiVersionOption_whenComplete_thenSendsItEvenWithTheEnvironmentSet() throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));
            Endpoint endpoint = endpoint()
                    .options(options(o -> o.with(AzureOpenAiProvider.API_VERSION, "2025-04-01-preview"))).build();

            await(provider(Map.of("AZURE_API_VERSION", "2024-02-01")).completeAsync(call(endpoint)));

            assertThat(target()).isEqualTo(CHAT_PATH + "?api-version=2025-04-01-preview");
        }

        @Test
        void givenApiVersionEnvironmentOnly_whenComplete_thenSendsIt() throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));

            await(provider(Map.of("AZURE_API_VERSION", "2024-06-01")).completeAsync(call()));

            assertThat(target()).isEqualTo(CHAT_PATH + "?api-version=2024-06-01");
        }

        @Test
        void givenV1Style_whenComplete_thenPostsToV1PathWithoutApiVersionAndDeploymentInModel() throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));
            Endpoint endpoint = endpoint().options(options(o -> o.with(AzureOpenAiProvider.API_STYLE, ApiStyle.V1)))
                    .build();

            await(provider(Map.of("AZURE_API_VERSION", "2024-02-01")).completeAsync(call(endpoint)));

            RecordedRequest sent = taken();
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/v1/chat/completions");
            assertThat(sent.getUrl().encodedQuery()).isNull();
            assertThat(tree(sent.getBody().utf8()).get("model").asText()).isEqualTo(DEPLOYMENT);
        }

        @Test
        void givenV1StyleAndApiVersionOption_whenComplete_thenSendsThatVersion() throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));
            Endpoint endpoint = endpoint().options(options(o -> o.with(AzureOpenAiProvider.API_STYLE, ApiStyle.V1)
                    .with(AzureOpenAiProvider.API_VERSION, "preview"))).build();

            await(provider().completeAsync(call(endpoint)));

            assertThat(target()).isEqualTo("/openai/v1/chat/completions?api-version=preview");
        }

        @ParameterizedTest(name = "apiBase path ''{0}'' -> {1}")
        @CsvSource({
                "'',             /openai/deployments/my-prod-deployment/chat/completions?api-version=2024-10-21",
                "/openai,        /openai/deployments/my-prod-deployment/chat/completions?api-version=2024-10-21",
                "/openai/,       /openai/deployments/my-prod-deployment/chat/completions?api-version=2024-10-21",
                "/openai/v1,     /openai/v1/chat/completions",
                "/openai/v1/,    /openai/v1/chat/completions",
                "/gateway/azure, /gateway/azure/openai/deployments/my-prod-deployment/chat/completions?api-version=2024-10-21"})
        void givenApiBaseWithOrWithoutOpenAiPath_whenComplete_thenPathIsNotDoubled(String basePath, String expected)
                throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));
            String base = server.url("/").toString().replaceAll("/$", "") + basePath;

            await(provider().completeAsync(call(endpoint().apiBase(base).build())));

            assertThat(target()).isEqualTo(expected);
        }

        @Test
        void givenV1BaseButDeploymentsStyleOption_whenComplete_thenOptionWins() throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));
            Endpoint endpoint = endpoint().apiBase(server.url("/openai/v1/").toString())
                    .options(options(o -> o.with(AzureOpenAiProvider.API_STYLE, ApiStyle.DEPLOYMENTS))).build();

            await(provider().completeAsync(call(endpoint)));

            assertThat(target()).isEqualTo(CHAT_PATH + "?api-version=2024-10-21");
        }

        @Test
        void givenDeploymentNamedDeployments_whenComplete_thenPathKeepsBothSegments() throws Exception {
            // request-urls.txt: openai-python's AzureOpenAI test of a deployment literally named "deployments"
            server.enqueue(json(200, resource("chat-response.json")));

            await(provider().completeAsync(call(endpoint("deployments").build())));

            assertThat(target()).isEqualTo("/openai/deployments/deployments/chat/completions?api-version=2024-10-21");
        }

        @ParameterizedTest
        @CsvSource({"AZURE_API_BASE", "AZURE_OPENAI_ENDPOINT"})
        void givenNoApiBase_whenEnvironmentHasOne_thenUsesIt(String variable) throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));
            Endpoint endpoint = Endpoint.builder().deploymentId("primary").modelGroup("gpt-4o")
                    .providerRoute("azure/" + DEPLOYMENT).apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5)).build();

            await(provider(Map.of(variable, resourceBase())).completeAsync(call(endpoint)));

            assertThat(target()).isEqualTo(CHAT_PATH + "?api-version=2024-10-21");
        }

        @Test
        void givenNoApiBaseAnywhere_whenComplete_thenFailsWithBadRequestBeforeAnyRequest() {
            Endpoint endpoint = Endpoint.builder().deploymentId("primary").modelGroup("gpt-4o")
                    .providerRoute("azure/" + DEPLOYMENT).apiKey(Secret.of(KEY)).build();

            Throwable failure = failureOf(provider().completeAsync(call(endpoint)));

            assertThat(failure).isExactlyInstanceOf(BadRequestException.class)
                    .hasMessageContaining("apiBase").hasMessageContaining("AZURE_API_BASE")
                    .hasMessageContaining("AZURE_OPENAI_ENDPOINT");
            assertThat(((LlmRouterException) failure).deploymentId()).contains("primary");
            assertThat(server.getRequestCount()).isZero();
        }
    }

    // ------------------------------------------------------------------------------------ headers and body

    @Nested
    class HeadersAndBody {

        @Test
        void givenApiKey_whenComplete_thenSendsApiKeyHeaderOnlyAndExactJson() throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));
            ChatRequest request = ChatRequest.builder(DEPLOYMENT)
                    .addMessage(Message.system("you are a helpful assistant that talks like a pirate"))
                    .addMessage(Message.user("can you tell me how to care for a parrot?"))
                    .temperature(0.2).maxTokens(256).build();

            await(provider().completeAsync(ProviderCall.of(request, endpoint().addHeader("x-ms-client-request-id",
                    "trace-1").build())));

            RecordedRequest sent = taken();
            assertThat(sent.getHeaders().get("api-key")).isEqualTo(KEY);
            assertThat(sent.getHeaders().get("Authorization")).isNull();
            assertThat(sent.getHeaders().get("Content-Type")).isEqualTo("application/json");
            assertThat(sent.getHeaders().get("Accept")).isEqualTo("application/json");
            assertThat(sent.getHeaders().get("User-Agent")).isEqualTo("llmrouter/0.1.0");
            assertThat(sent.getHeaders().get("x-ms-client-request-id")).isEqualTo("trace-1");
            // sent as given: no token-limit renaming; model = the deployment name
            assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                    {"model":"my-prod-deployment",
                     "messages":[{"role":"system","content":"you are a helpful assistant that talks like a pirate"},
                                 {"role":"user","content":"can you tell me how to care for a parrot?"}],
                     "temperature":0.2,"max_tokens":256}"""));
        }

        @Test
        void givenStreamingRequest_whenComplete_thenStreamFieldsAreNotSent() throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));
            ChatRequest request = ChatRequest.builder(DEPLOYMENT).addMessage(Message.user("hi")).stream(true).build();

            await(provider().completeAsync(ProviderCall.of(request, endpoint().build())));

            assertThat(tree(taken().getBody().utf8()).has("stream")).isFalse();
        }

        @ParameterizedTest
        @CsvSource({"AZURE_API_KEY", "AZURE_OPENAI_API_KEY"})
        void givenNoDeploymentKey_whenEnvironmentHasOne_thenSendsIt(String variable) throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));
            Endpoint endpoint = Endpoint.builder().deploymentId("primary").modelGroup("gpt-4o")
                    .providerRoute("azure/" + DEPLOYMENT).apiBase(resourceBase()).build();

            await(provider(Map.of(variable, "env-key-4567")).completeAsync(call(endpoint)));

            assertThat(taken().getHeaders().get("api-key")).isEqualTo("env-key-4567");
        }

        @Test
        void givenTokenSupplier_whenCompleteTwice_thenSendsBearerFromAFreshCallEachTimeAndNoApiKey() throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));
            server.enqueue(json(200, resource("chat-response.json")));
            AtomicInteger calls = new AtomicInteger();
            AzureTokenSupplier supplier = () -> CompletableFuture.completedFuture(TOKEN + calls.incrementAndGet());
            // the deployment also has a key: the supplier wins and the key is not sent
            Endpoint endpoint = endpoint().options(options(o -> o.with(AzureOpenAiProvider.TOKEN_SUPPLIER, supplier)))
                    .build();

            await(provider().completeAsync(call(endpoint)));
            await(provider().completeAsync(call(endpoint)));

            RecordedRequest first = taken();
            RecordedRequest second = taken();
            assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN + 1);
            assertThat(second.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN + 2);
            assertThat(first.getHeaders().get("api-key")).isNull();
            assertThat(calls).hasValue(2);
        }

        @Test
        void givenTokenNotYetAvailable_whenTokenArrives_thenRequestIsSent() throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));
            CompletableFuture<String> pending = new CompletableFuture<>();
            Endpoint endpoint = endpoint()
                    .options(options(o -> o.with(AzureOpenAiProvider.TOKEN_SUPPLIER, () -> pending))).build();

            CompletableFuture<ChatResponse> response = provider().completeAsync(call(endpoint));
            assertThat(response).isNotDone();
            assertThat(server.getRequestCount()).isZero();
            pending.complete(TOKEN);

            assertThat(await(response).text()).isEqualTo("Paris is the capital of France.");
            assertThat(taken().getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        }

        @Test
        void givenCallCancelledWhileWaitingForToken_whenTokenArrives_thenNothingIsSent() {
            CompletableFuture<String> pending = new CompletableFuture<>();
            Endpoint endpoint = endpoint()
                    .options(options(o -> o.with(AzureOpenAiProvider.TOKEN_SUPPLIER, () -> pending))).build();

            CompletableFuture<ChatResponse> response = provider().completeAsync(call(endpoint));
            response.cancel(true);
            pending.complete(TOKEN);

            assertThat(response).isCancelled();
            assertThat(server.getRequestCount()).isZero();
        }
    }

    // ------------------------------------------------------------------------------------ credentials missing

    @Nested
    class CredentialFailures {

        @Test
        void givenNoKeyNoSupplierNoEnvironment_whenComplete_thenFailsWithAuthenticationNamingTheVariables() {
            Endpoint endpoint = Endpoint.builder().deploymentId("primary").modelGroup("gpt-4o")
                    .providerRoute("azure/" + DEPLOYMENT).apiBase(resourceBase()).build();

            Throwable failure = failureOf(provider().completeAsync(call(endpoint)));

            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("AZURE_API_KEY").hasMessageContaining("AZURE_OPENAI_API_KEY")
                    .hasMessageContaining("azure.token_supplier");
            assertThat(server.getRequestCount()).isZero();
        }

        @Test
        void givenKeyFromUnsetEnvironmentVariable_whenComplete_thenFailsNamingTheVariable() {
            Endpoint endpoint = endpoint().apiKey(Secret.fromEnv("MY_AZURE_KEY", name -> null)).build();

            Throwable failure = failureOf(provider().completeAsync(call(endpoint)));

            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class).hasMessageContaining("MY_AZURE_KEY");
            assertThat(server.getRequestCount()).isZero();
        }

        static Stream<Arguments> failingSuppliers() {
            IllegalStateException boom = new IllegalStateException("credential unavailable: no managed identity");
            return Stream.of(
                    Arguments.of("throws", (AzureTokenSupplier) () -> {
                        throw boom;
                    }, "credential unavailable"),
                    Arguments.of("fails its future", (AzureTokenSupplier) () -> CompletableFuture.failedFuture(boom),
                            "credential unavailable"),
                    Arguments.of("returns a null future", (AzureTokenSupplier) () -> null, "no future"),
                    Arguments.of("completes with null", (AzureTokenSupplier) () -> CompletableFuture.completedFuture(null),
                            "no token"),
                    Arguments.of("completes blank", (AzureTokenSupplier) () -> CompletableFuture.completedFuture(" "),
                            "no token"));
        }

        @ParameterizedTest(name = "supplier {0}")
        @MethodSource("failingSuppliers")
        void givenFailingTokenSupplier_whenComplete_thenFailsWithAuthenticationBeforeAnyRequest(String how,
                AzureTokenSupplier supplier, String message) {
            Endpoint endpoint = endpoint()
                    .options(options(o -> o.with(AzureOpenAiProvider.TOKEN_SUPPLIER, supplier))).build();

            Throwable failure = failureOf(provider().completeAsync(call(endpoint)));

            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class).hasMessageStartingWith("azure: ")
                    .hasMessageContaining(message);
            assertThat(((LlmRouterException) failure).deploymentId()).contains("primary");
            assertThat(server.getRequestCount()).isZero();
        }

        @Test
        void givenFailingTokenFuture_whenComplete_thenCauseIsKept() {
            IllegalStateException boom = new IllegalStateException("no managed identity");
            Endpoint endpoint = endpoint().options(options(o -> o.with(AzureOpenAiProvider.TOKEN_SUPPLIER,
                    () -> CompletableFuture.failedFuture(boom)))).build();

            Throwable failure = failureOf(provider().completeAsync(call(endpoint)));

            assertThat(failure).hasCause(boom);
        }

        @Test
        void givenTokenSupplierThatNeverAnswers_whenCallTimeoutPasses_thenFailsWithAuthentication() {
            Endpoint endpoint = endpoint().timeout(Duration.ofMillis(50))
                    .options(options(o -> o.with(AzureOpenAiProvider.TOKEN_SUPPLIER, CompletableFuture::new))).build();

            Throwable failure = failureOf(provider().completeAsync(call(endpoint)));

            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class).hasMessageContaining("within");
            assertThat(server.getRequestCount()).isZero();
        }
    }

    // ------------------------------------------------------------------------------------ responses

    @Nested
    class Responses {

        @Test
        void givenAnswerWithFilterAnnotations_whenComplete_thenNormalizesAndKeepsAnnotations() throws Exception {
            server.enqueue(json(200, resource("chat-response.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            JsonNode body = tree(resource("chat-response.json"));
            assertThat(response.id()).isEqualTo("chatcmpl-AZllmrouter0001");
            assertThat(response.model()).isEqualTo("gpt-4o-2024-08-06");
            assertThat(response.created()).isEqualTo(1735689600L);
            assertThat(response.text()).isEqualTo("Paris is the capital of France.");
            assertThat(response.finishReason()).contains(FinishReason.STOP);
            assertThat(response.systemFingerprint()).contains("fp_65792305e4");
            assertThat(response.usage()).contains(Usage.builder().promptTokens(1000).completionTokens(500)
                    .totalTokens(1500).build());
            assertThat(response.extraFields()).containsOnlyKeys("prompt_filter_results")
                    .containsEntry("prompt_filter_results", body.get("prompt_filter_results"));
            assertThat(response.choices().get(0).extraFields())
                    .containsEntry("content_filter_results", body.at("/choices/0/content_filter_results"));
        }

        @Test
        void givenContentFilterFinish_whenComplete_thenNormalResponseWithPartialTextAndFilterResults()
                throws Exception {
            server.enqueue(json(200, resource("chat-response-content-filter.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response.text()).isEqualTo("The battle scene opens with");
            assertThat(response.finishReason()).contains(FinishReason.CONTENT_FILTER);
            assertThat(response.choices().get(0).rawFinishReason()).isEqualTo("content_filter");
            assertThat(response.choices().get(0).extraFields().get("content_filter_results")
                    .at("/violence/filtered").asBoolean()).isTrue();
        }

        @Test
        void givenAnswerWithoutModel_whenComplete_thenModelIsTheDeploymentName() throws Exception {
            server.enqueue(json(200, resource("chat-response-spec-minimal.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response.model()).isEqualTo(DEPLOYMENT);
            assertThat(response.text()).isEqualTo("Ahoy! Fresh water and a big cage, matey.");
            assertThat(response.usage()).contains(Usage.builder().promptTokens(33).completionTokens(12)
                    .totalTokens(45).build());
        }
    }

    // ------------------------------------------------------------------------------------ errors

    @Nested
    class Errors {

        @Test
        void givenPromptRejectedByContentFilter_whenComplete_thenContentPolicyViolationWithFilterResult() {
            server.enqueue(error(400, resource("error-400-content-filter.json")));

            Throwable failure = failureOf(provider().completeAsync(call()));

            assertThat(failure).isExactlyInstanceOf(ContentPolicyViolationException.class)
                    .hasMessageContaining("content management policy").hasMessageContaining("code=content_filter")
                    .hasMessageContaining("ResponsibleAIPolicyViolation");
            ContentPolicyViolationException e = (ContentPolicyViolationException) failure;
            assertThat(e.details()).contains(tree(resource("error-400-content-filter.json"))
                    .at("/error/innererror/content_filter_result"));
            assertThat(e.details().orElseThrow().at("/violence/filtered").asBoolean()).isTrue();
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.statusCode()).hasValue(400);
            assertThat(e.providerRequestId()).contains("apim-3f2a-0001");
            assertThat(e.provider()).contains("azure");
        }

        @Test
        void givenSpecSpellingOfInnerError_whenComplete_thenDetailsAreTheFilterResults() {
            server.enqueue(error(400, resource("error-400-content-filter-spec-spelling.json")));

            Throwable failure = failureOf(provider().completeAsync(call()));

            assertThat(failure).isExactlyInstanceOf(ContentPolicyViolationException.class);
            assertThat(((ContentPolicyViolationException) failure).details().orElseThrow().at("/hate/severity").asText())
                    .isEqualTo("high");
        }

        @Test
        void givenInnerErrorWithoutFilterResult_whenComplete_thenDetailsAreTheWholeInnerError() {
            server.enqueue(error(400, """
                    {"error":{"message":"The response was filtered","type":null,"param":"prompt",
                     "code":"content_filter","status":400,
                     "innererror":{"code":"ResponsibleAIPolicyViolation"}}}"""));

            Throwable failure = failureOf(provider().completeAsync(call()));

            assertThat(((ContentPolicyViolationException) failure).details())
                    .contains(tree("{\"code\":\"ResponsibleAIPolicyViolation\"}"));
        }

        @Test
        void givenContentFilterErrorWithoutInnerError_whenComplete_thenNoDetails() {
            server.enqueue(error(400, """
                    {"error":{"message":"The response was filtered","type":null,"param":"prompt",
                     "code":"content_filter","status":400}}"""));

            Throwable failure = failureOf(provider().completeAsync(call()));

            assertThat(failure).isExactlyInstanceOf(ContentPolicyViolationException.class);
            assertThat(((ContentPolicyViolationException) failure).details()).isEmpty();
        }

        @Test
        void givenDeploymentNotFound_whenComplete_thenNotFoundNamingTheCode() {
            server.enqueue(error(404, resource("error-404-deployment-not-found.json")));

            Throwable failure = failureOf(provider().completeAsync(call()));

            assertThat(failure).isExactlyInstanceOf(NotFoundException.class)
                    .hasMessageContaining("code=DeploymentNotFound");
            assertThat(((LlmRouterException) failure).isRetryable()).isFalse();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
                "retry-after-ms preferred, 1500, 6, PT1.5S",
                "retry-after seconds,      ,     6, PT6S"})
        void givenRateLimited_whenComplete_thenRetryableWithServerDelay(String name, String millis, String seconds,
                Duration expected) {
            MockResponse.Builder response = new MockResponse.Builder().code(429)
                    .addHeader("Content-Type", "application/json").body(resource("error-429-rate-limit.json"))
                    .addHeader("retry-after", seconds);
            if (millis != null) {
                response.addHeader("retry-after-ms", millis);
            }
            server.enqueue(response.build());

            Throwable failure = failureOf(provider().completeAsync(call()));

            assertThat(failure).isExactlyInstanceOf(RateLimitException.class);
            RateLimitException e = (RateLimitException) failure;
            assertThat(e.retryAfter()).contains(expected);
            assertThat(e.isRetryable()).isTrue();
        }

        static Stream<Arguments> statuses() {
            String plain = "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}";
            return Stream.of(
                    Arguments.of(400, plain.formatted("BadRequest", "Invalid value for 'temperature'"),
                            BadRequestException.class),
                    Arguments.of(400, "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens.\","
                            + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}",
                            ContextWindowExceededException.class),
                    Arguments.of(401, resource("error-401-invalid-key.json"), AuthenticationException.class),
                    Arguments.of(403, plain.formatted("PermissionDenied", "Principal does not have access"),
                            PermissionDeniedException.class),
                    Arguments.of(404, resource("error-404-deployment-not-found.json"), NotFoundException.class),
                    Arguments.of(408, plain.formatted("Timeout", "The operation was timeout."),
                            RequestTimeoutException.class),
                    Arguments.of(429, resource("error-429-rate-limit.json"), RateLimitException.class),
                    Arguments.of(500, plain.formatted("InternalServerError", "The server had an error"),
                            ProviderServerException.class),
                    Arguments.of(503, plain.formatted("ServiceUnavailable", "The service is temporarily unable"),
                            ServiceUnavailableException.class));
        }

        @ParameterizedTest(name = "HTTP {0} -> {2}")
        @MethodSource("statuses")
        void mapsStatusToTypedException(int status, String body, Class<? extends LlmRouterException> expected) {
            server.enqueue(error(status, body));

            Throwable failure = failureOf(provider().completeAsync(call()));

            assertThat(failure).isExactlyInstanceOf(expected);
            assertThat(((LlmRouterException) failure).statusCode()).hasValue(status);
            assertThat(((LlmRouterException) failure).providerRequestId()).contains("apim-3f2a-0001");
        }
    }

    // ------------------------------------------------------------------------------------ secrets

    @Nested
    class Secrets {

        @Test
        void givenErrorEchoingTheKey_whenComplete_thenKeyIsInNoMessageNorToString() {
            server.enqueue(error(401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied for key " + KEY
                    + "\"}}"));
            ProviderCall call = call();

            Throwable failure = failureOf(provider().completeAsync(call));

            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class);
            assertThat(failure.getMessage()).contains("Access denied").doesNotContain("SECRET");
            assertThat(failure.toString()).doesNotContain("SECRET");
            assertThat(call.toString()).doesNotContain("SECRET");
            assertThat(provider().toString()).doesNotContain("SECRET");
        }

        @Test
        void givenErrorEchoingTheToken_whenComplete_thenTokenIsInNoMessageNorToString() {
            server.enqueue(error(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Token "
                    + TOKEN + " is expired\"}}"));
            Endpoint endpoint = endpoint().options(options(o -> o.with(AzureOpenAiProvider.TOKEN_SUPPLIER,
                    () -> CompletableFuture.completedFuture(TOKEN)))).build();

            Throwable failure = failureOf(provider().completeAsync(call(endpoint)));

            assertThat(failure.getMessage()).contains("is expired").doesNotContain("SECRET");
            assertThat(endpoint.toString()).doesNotContain("SECRET");
        }
    }

    // ------------------------------------------------------------------------------------ embeddings

    @Nested
    class Embeddings {

        private EmbeddingCall embeddingCall(Endpoint endpoint) {
            return new EmbeddingCall(EmbeddingRequest.of(endpoint.providerModel(), "this is a test"), endpoint);
        }

        @Test
        void givenDeploymentsStyle_whenEmbed_thenPostsToEmbeddingsPathAndReadsVectors() throws Exception {
            server.enqueue(json(200, resource("embeddings-response.json")));

            EmbeddingResponse response = await(provider().embedAsync(embeddingCall(endpoint("my-embeddings").build())));

            RecordedRequest sent = taken();
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/deployments/my-embeddings/embeddings");
            assertThat(sent.getUrl().encodedQuery()).isEqualTo("api-version=2024-10-21");
            assertThat(sent.getHeaders().get("api-key")).isEqualTo(KEY);
            assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                    {"model":"my-embeddings","input":["this is a test"],"encoding_format":"base64"}"""));
            assertThat(response.model()).isEqualTo("my-embeddings");
            assertThat(response.data()).singleElement().satisfies(e -> {
                assertThat(e.dimensions()).isEqualTo(8);
                assertThat(e.get(0)).isEqualTo(-0.012838088f);
            });
            assertThat(response.usage().orElseThrow().promptTokens()).isEqualTo(4);
        }

        @Test
        void givenV1Style_whenEmbed_thenPostsToV1Embeddings() throws Exception {
            server.enqueue(json(200, resource("embeddings-response.json")));
            Endpoint endpoint = endpoint("my-embeddings")
                    .options(options(o -> o.with(AzureOpenAiProvider.API_STYLE, ApiStyle.V1))).build();

            await(provider().embedAsync(embeddingCall(endpoint)));

            assertThat(target()).isEqualTo("/openai/v1/embeddings");
        }

        @Test
        void givenNoKey_whenEmbed_thenFailsBeforeAnyRequest() {
            Endpoint endpoint = Endpoint.builder().deploymentId("e").modelGroup("emb")
                    .providerRoute("azure/my-embeddings").apiBase(resourceBase()).build();

            Throwable failure = failureOf(provider().embedAsync(embeddingCall(endpoint)));

            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class);
            assertThat(server.getRequestCount()).isZero();
        }
    }

    @Test
    void rejectsNullCallAtOnce() {
        assertThatThrownBy(() -> provider().completeAsync(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> provider().embedAsync(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void givenFactoryMadeProvider_thenItSendsWithTheSharedDefaultClient() {
        assertThat(new AzureOpenAiProviderFactory().create().httpClient()).isSameAs(DefaultHttpClient.shared());
    }
}
