package io.llmrouter.providers.openai;

import static io.llmrouter.providers.openai.TestSupport.json;
import static io.llmrouter.providers.openai.TestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import io.llmrouter.testing.RecordingSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in vendor against MockWebServer: the exact URL (the vendor's default base path,
 * served by the mock through {@link OpenAiProvider.Builder#defaultApiBase}), headers, body with the
 * vendor's quirks, the normalized answer, and the error mapping.
 */
@ExtendWith(StartedServers.class)
class OpenAiCompatibleVendorsTest {

    private static final String ENV_KEY = "key-from-env-0123456789";

    private final MockWebServer server = new MockWebServer();

    /**
     * One vendor's expectations, written out rather than derived from the declaration.
     *
     * @param folder test resources folder of its answer
     * @param envVar the key variable set in the environment, or null when the vendor reads none
     * @param systemRole the role a {@code developer} message goes out as
     * @param limitField the name {@code max_tokens: 64} goes out under (own base)
     * @param seedField the name {@code seed: 42} goes out under
     * @param sendsUser whether {@code user} is sent
     * @param usage the normalized usage of its answer
     * @param contextMessage a context-overflow message in the vendor's wording
     */
    record VendorCase(OpenAiCompatibleVendor vendor, String folder, String model, String envVar, String systemRole,
            String limitField, String seedField, boolean sendsUser, Usage usage, String contextMessage) {

        @Override
        public String toString() {
            return vendor.prefix();
        }
    }

    private static Usage usage(int prompt, int completion, int total, int cached) {
        return Usage.builder().promptTokens(prompt).completionTokens(completion).totalTokens(total)
                .cachedTokens(cached).build();
    }

    static Stream<VendorCase> vendors() {
        return Stream.of(
                new VendorCase(OpenAiCompatibleVendor.OPENAI, "openai", "gpt-4o", "OPENAI_API_KEY", "developer",
                        "max_completion_tokens", "seed", true, Usage.builder().promptTokens(1200)
                        .completionTokens(300).totalTokens(1500).cachedTokens(1024).reasoningTokens(256)
                        .serviceTier("default").build(),
                        "This model's maximum context length is 128000 tokens. However, your messages resulted in "
                                + "130000 tokens."),
                new VendorCase(OpenAiCompatibleVendor.GROQ, "groq", "llama-3.3-70b-versatile", "GROQ_API_KEY",
                        "system", "max_tokens", "seed", true, usage(18, 9, 27, 0),
                        "Please reduce the length of the messages or completion."),
                new VendorCase(OpenAiCompatibleVendor.MISTRAL, "mistral", "mistral-small-latest", "MISTRAL_API_KEY",
                        "system", "max_tokens", "random_seed", false, usage(1200, 9, 1209, 1024),
                        "Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum "
                                + "context length"),
                new VendorCase(OpenAiCompatibleVendor.DEEPSEEK, "deepseek", "deepseek-reasoner", "DEEPSEEK_API_KEY",
                        "system", "max_tokens", "seed", true, Usage.builder().promptTokens(64).completionTokens(120)
                        .totalTokens(184).cachedTokens(64).reasoningTokens(110).build(),
                        "This model's maximum context length is 65536 tokens. However, you requested 70000 tokens "
                                + "(69000 in the messages, 1000 in the completion)."),
                new VendorCase(OpenAiCompatibleVendor.TOGETHER_AI, "together_ai",
                        "meta-llama/Llama-3.3-70B-Instruct-Turbo", "TOGETHERAI_API_KEY", "system", "max_tokens", "seed",
                        true, usage(14, 9, 23, 0), "This model's maximum context length is 131073 tokens."),
                new VendorCase(OpenAiCompatibleVendor.FIREWORKS_AI, "fireworks_ai",
                        "accounts/fireworks/models/llama-v3p1-8b-instruct", "FIREWORKS_API_KEY", "system", "max_tokens",
                        "seed", true, usage(15, 9, 24, 0), "The prompt is too long: 140000, model maximum context "
                                + "length: 131072"),
                new VendorCase(OpenAiCompatibleVendor.OPENROUTER, "openrouter", "anthropic/claude-3.5-sonnet",
                        "OPENROUTER_API_KEY", "system", "max_tokens", "seed", true, usage(12, 9, 21, 0),
                        "This endpoint's maximum context length is 200000 tokens. However, you requested about "
                                + "250000 tokens."),
                new VendorCase(OpenAiCompatibleVendor.XAI, "xai", "grok-3", "XAI_API_KEY", "system", "max_tokens",
                        "seed", true, usage(16, 9, 25, 8),
                        "This model's maximum prompt length is 131072 but the request contains 200205 tokens."),
                new VendorCase(OpenAiCompatibleVendor.PERPLEXITY, "perplexity", "sonar", "PERPLEXITYAI_API_KEY",
                        "system", "max_tokens", "seed", true, usage(8, 9, 17, 0).toBuilder()
                        .searchContextSize("low").searchQueries(1).build(), // one request fee: see the vendor
                        "The request exceeds the context window of 127072 tokens."),
                new VendorCase(OpenAiCompatibleVendor.CEREBRAS, "cerebras", "llama3.1-8b", "CEREBRAS_API_KEY",
                        "system", "max_tokens", "seed", true, usage(12, 9, 21, 0),
                        "Please reduce the length of the messages or completion. Current length is 9000 while "
                                + "limit is 8192"),
                new VendorCase(OpenAiCompatibleVendor.OLLAMA, "ollama", "llama3.2", null, "system", "max_tokens",
                        "seed", true, usage(26, 9, 35, 0), "too many tokens in the prompt"),
                new VendorCase(OpenAiCompatibleVendor.VLLM, "vllm", "meta-llama/Llama-3.1-8B-Instruct",
                        "HOSTED_VLLM_API_KEY", "system", "max_tokens", "seed", true, usage(20, 9, 29, 0),
                        "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens."),
                new VendorCase(OpenAiCompatibleVendor.HOSTED_VLLM, "vllm", "meta-llama/Llama-3.1-8B-Instruct",
                        "HOSTED_VLLM_API_KEY", "system", "max_tokens", "seed", true, usage(20, 9, 29, 0),
                        "This model's maximum context length is 8192 tokens."),
                new VendorCase(OpenAiCompatibleVendor.LM_STUDIO, "lm_studio", "qwen2.5-7b-instruct", null, "system",
                        "max_tokens", "seed", true, usage(22, 9, 31, 0), "The number of tokens to keep from the "
                                + "initial prompt is greater than the context length."),
                new VendorCase(OpenAiCompatibleVendor.HUGGINGFACE, "vllm", "deepseek-ai/DeepSeek-R1:together",
                        "HF_TOKEN", "system", "max_tokens", "seed", true, usage(20, 9, 29, 0),
                        "This model's maximum context length is 163840 tokens."),
                new VendorCase(OpenAiCompatibleVendor.DATABRICKS, "vllm", "databricks-meta-llama-3-3-70b-instruct",
                        "DATABRICKS_API_KEY", "system", "max_tokens", "seed", true, usage(20, 9, 29, 0),
                        "This model's maximum context length is 131072 tokens. However, you requested 140000 tokens."),
                new VendorCase(OpenAiCompatibleVendor.WATSONX, "vllm", "ibm/granite-3-8b-instruct", "WATSONX_TOKEN",
                        "system", "max_tokens", "seed", true, usage(20, 9, 29, 0),
                        "the number of input tokens 9000 cannot exceed the total tokens limit 8192 for this model: "
                                + "too many tokens"),
                new VendorCase(OpenAiCompatibleVendor.NVIDIA_NIM, "vllm", "meta/llama-3.1-8b-instruct",
                        "NVIDIA_NIM_API_KEY", "system", "max_tokens", "seed", true, usage(20, 9, 29, 0),
                        "This model's maximum context length is 131072 tokens."),
                new VendorCase(OpenAiCompatibleVendor.SAMBANOVA, "vllm", "Meta-Llama-3.3-70B-Instruct",
                        "SAMBANOVA_API_KEY", "system", "max_tokens", "seed", true, usage(20, 9, 29, 0),
                        "The maximum context length of Meta-Llama-3.3-70B-Instruct is 131072 tokens: context "
                                + "length exceeded"),
                new VendorCase(OpenAiCompatibleVendor.NOVITA, "vllm", "deepseek/deepseek-r1-turbo", "NOVITA_API_KEY",
                        "system", "max_tokens", "seed", true, usage(20, 9, 29, 0),
                        "This model's maximum context length is 64000 tokens."),
                new VendorCase(OpenAiCompatibleVendor.NEBIUS, "vllm", "meta-llama/Meta-Llama-3.1-70B-Instruct",
                        "NEBIUS_API_KEY", "system", "max_tokens", "seed", true, usage(20, 9, 29, 0),
                        "This model's maximum context length is 131072 tokens."),
                new VendorCase(OpenAiCompatibleVendor.DEEPINFRA, "vllm", "meta-llama/Meta-Llama-3.1-8B-Instruct",
                        "DEEPINFRA_API_KEY", "system", "max_tokens", "seed", true, usage(20, 9, 29, 0),
                        "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens."),
                new VendorCase(OpenAiCompatibleVendor.OPENAI_COMPATIBLE, "vllm", "my-model", null, "system",
                        "max_tokens", "seed", true, usage(20, 9, 29, 0), "too many tokens: 9000 > 8192"));
    }

    // ------------------------------------------------------------------------------------ helpers

    /** The vendor's default base path ({@code /openai/v1} for Groq, empty for DeepSeek), or {@code /v1}. */
    private static String basePath(OpenAiCompatibleVendor vendor) {
        String path = vendor.defaultApiBase().map(b -> HttpUrl.parse(b).encodedPath()).orElse("/v1");
        return path.equals("/") ? "" : path;
    }

    /** The vendor's provider with its default base served by the mock, and {@code env} as environment. */
    private OpenAiProvider provider(OpenAiCompatibleVendor vendor, Map<String, String> env) {
        OpenAiProvider.Builder b = OpenAiProvider.builder().vendor(vendor).environment(environment(env));
        if (vendor.defaultApiBase().isPresent()) {
            b.defaultApiBase(server.url(basePath(vendor)).toString());
        }
        return b.build();
    }

    /** A call without key; with an apiBase only for vendors that have no default. */
    private ProviderCall.Builder call(OpenAiCompatibleVendor vendor, ChatRequest request) {
        ProviderCall.Builder b = ProviderCall.builder(request).deploymentId("d-" + vendor.prefix())
                .modelGroup("chat").providerRoute(vendor.prefix() + "/" + request.model())
                .timeout(Duration.ofSeconds(5));
        if (vendor.defaultApiBase().isEmpty()) {
            b.apiBase(server.url("/v1").toString());
        }
        return b;
    }

    private ProviderCall call(VendorCase c) {
        return call(c.vendor(), ChatRequest.ofUser(c.model(), "Hello")).build();
    }

    /** The vendor folder's text answer. */
    private static String answer(String folder) {
        return resource(folder, folder.equals("openai") ? "response-text.json" : "chat-response.json");
    }

    private static Map<String, String> envFor(VendorCase c) {
        return c.envVar() == null ? Map.of() : Map.of(c.envVar(), ENV_KEY);
    }

    private static ChatRequest quirkyRequest(String model) {
        return ChatRequest.builder(model)
                .addMessage(Message.developer("Be brief."))
                .addMessage(Message.user("Hello"))
                .maxTokens(64)
                .seed(42)
                .user("end-user-1")
                .build();
    }

    private static String rateLimitBody(OpenAiCompatibleVendor vendor) {
        if (vendor == OpenAiCompatibleVendor.OPENROUTER) {
            return "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded: free-models-per-min.\"}}";
        }
        return "{\"error\":{\"message\":\"Rate limit reached for model on tokens per minute (TPM).\","
                + "\"type\":\"tokens\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}";
    }

    private static String errorBody(OpenAiCompatibleVendor vendor, String message) {
        ObjectNode error = ProviderTestKit.JSON.createObjectNode();
        ObjectNode e = error.putObject("error");
        if (vendor == OpenAiCompatibleVendor.OPENROUTER) {
            e.put("code", 400);
            e.put("message", message);
        } else {
            e.put("message", message);
            e.put("type", "invalid_request_error");
            e.putNull("param");
            e.putNull("code");
        }
        return error.toString();
    }

    // ------------------------------------------------------------------------------ every vendor

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void givenVendorDefaults_whenComplete_thenPostsExactRequestToVendorBaseAndNormalizesAnswer(VendorCase c)
            throws Exception {
        // given
        server.enqueue(json(200, answer(c.folder())));
        OpenAiProvider provider = provider(c.vendor(), envFor(c));
        // when
        ChatResponse response = await(provider.completeAsync(call(c.vendor(), quirkyRequest(c.model())).build()));
        // then: the request
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo(basePath(c.vendor()) + "/chat/completions");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo(c.envVar() == null ? null : "Bearer " + ENV_KEY);
        assertThat(sent.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(sent.getHeaders().get("User-Agent")).isEqualTo(OpenAiProvider.USER_AGENT);
        ObjectNode expected = ProviderTestKit.JSON.createObjectNode();
        expected.put("model", c.model());
        ArrayNode messages = expected.putArray("messages");
        messages.addObject().put("role", c.systemRole()).put("content", "Be brief.");
        messages.addObject().put("role", "user").put("content", "Hello");
        expected.put(c.limitField(), 64);
        expected.put(c.seedField(), 42);
        if (c.sendsUser()) {
            expected.put("user", "end-user-1");
        }
        assertThat(tree(sent.getBody().utf8())).isEqualTo(expected);
        // and the answer
        assertThat(response.text()).isEqualTo(c.folder().equals("openai") ? "Paris is the capital of France."
                : "Hello! How can I help you today?");
        assertThat(response.finishReason()).contains(FinishReason.STOP);
        assertThat(response.usage()).contains(c.usage());
    }

    static Stream<VendorCase> vendorsRequiringKey() {
        return vendors().filter(c -> c.vendor().isApiKeyRequired());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendorsRequiringKey")
    void givenRequiredKeyMissing_whenComplete_thenAuthenticationNamingVariableBeforeAnyRequest(VendorCase c) {
        Throwable failure = failureOf(provider(c.vendor(), Map.of()).completeAsync(call(c)));

        assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                .hasMessageStartingWith(c.vendor().prefix() + ": no API key")
                .hasMessageContaining(c.envVar());
        assertThat(((LlmRouterException) failure).provider()).contains(c.vendor().prefix());
        assertThat(server.getRequestCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void givenVendorContextOverflowMessage_whenMapped_thenContextWindowExceeded(VendorCase c) {
        server.enqueue(json(400, errorBody(c.vendor(), c.contextMessage())));

        Throwable failure = failureOf(provider(c.vendor(), envFor(c)).completeAsync(call(c)));

        assertThat(failure).isExactlyInstanceOf(ContextWindowExceededException.class)
                .hasMessageStartingWith(c.vendor().prefix() + ": ");
        assertThat(((LlmRouterException) failure).isRetryable()).isFalse();
        assertThat(((LlmRouterException) failure).statusCode()).hasValue(400);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void givenRateLimitWithRetryAfter_whenMapped_thenRetryableRateLimitWithServerDelay(VendorCase c) {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .addHeader("retry-after", "3").body(rateLimitBody(c.vendor())).build());

        Throwable failure = failureOf(provider(c.vendor(), envFor(c)).completeAsync(call(c)));

        assertThat(failure).isExactlyInstanceOf(RateLimitException.class);
        RateLimitException e = (RateLimitException) failure;
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(e.provider()).contains(c.vendor().prefix());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void givenHtmlOrEmptyErrorBodies_whenMapped_thenServerErrorsWithoutParsingFailure(VendorCase c) {
        server.enqueue(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html")
                .body("<html><body><h1>502 Bad Gateway</h1></body></html>").build());
        server.enqueue(new MockResponse.Builder().code(503).build());
        OpenAiProvider provider = provider(c.vendor(), envFor(c));

        Throwable html = failureOf(provider.completeAsync(call(c)));
        Throwable empty = failureOf(provider.completeAsync(call(c)));

        assertThat(html).isExactlyInstanceOf(ProviderServerException.class)
                .hasMessage(c.vendor().prefix() + ": HTTP 502 with an HTML page: <html><body><h1>502 Bad Gateway</h1>"
                        + "</body></html>");
        assertThat(empty).isExactlyInstanceOf(ServiceUnavailableException.class)
                .hasMessage(c.vendor().prefix() + ": HTTP 503 with an empty body");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void givenDeploymentApiBaseElsewhere_whenComplete_thenNoEnvironmentKeyIsSent(VendorCase c) throws Exception {
        // given: a gateway that is not the vendor's own base, the vendor's variable set
        server.enqueue(json(200, answer(c.folder())));
        OpenAiProvider provider = OpenAiProvider.builder().vendor(c.vendor()).environment(environment(envFor(c)))
                .build();
        ProviderCall call = call(c.vendor(), ChatRequest.ofUser(c.model(), "Hello"))
                .apiBase(server.url("/gateway/v1").toString()).build();
        // when
        await(provider.completeAsync(call));
        // then: vendors with a default base keep their key for it; those without send theirs anywhere
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/gateway/v1/chat/completions");
        boolean keySent = c.vendor().defaultApiBase().isEmpty() && c.envVar() != null;
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo(keySent ? "Bearer " + ENV_KEY : null);
    }

    @ParameterizedTest
    @MethodSource("vendorsWithoutStreamOptions")
    void givenVendorThatRejectsStreamOptions_whenStream_thenStreamTrueWithoutStreamOptions(
            OpenAiCompatibleVendor vendor) throws Exception {
        // given
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body("""
                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

                data: [DONE]

                """).build());
        RecordingSink sink = new RecordingSink();
        ProviderCall call = call(vendor, ChatRequest.builder("m").addMessage(Message.user("hi"))
                .maxCompletionTokens(32).build()).apiBase(server.url("/v1").toString()).apiKey(Secret.of("k")).build();
        // when
        OpenAiProvider.builder().vendor(vendor).environment(environment(Map.of())).build().streamAsync(call, sink);
        // then
        assertThat(sink.awaitCompletion().text()).isEqualTo("Hi");
        JsonNode body = tree(server.takeRequest(5, SECONDS).getBody().utf8());
        assertThat(body.path("stream").booleanValue()).isTrue();
        assertThat(body.has("stream_options")).isFalse();
        if (vendor.defaultApiBase().isEmpty()) { // the deployment's base is the vendor's own: its quirks apply
            assertThat(body.path("max_tokens").intValue()).isEqualTo(32);
        }
    }

    static Stream<OpenAiCompatibleVendor> vendorsWithoutStreamOptions() {
        return Stream.of(OpenAiCompatibleVendor.NVIDIA_NIM, OpenAiCompatibleVendor.DATABRICKS);
    }

    @Test
    void givenDatabricksBaseVariable_whenComplete_thenCallsTheWorkspaceServingEndpointsWithItsToken()
            throws Exception {
        // given
        server.enqueue(json(200, resource("vllm", "chat-response.json")));
        OpenAiProvider provider = OpenAiProvider.builder().vendor(OpenAiCompatibleVendor.DATABRICKS)
                .environment(environment(Map.of("DATABRICKS_API_BASE", server.url("/serving-endpoints").toString(),
                        "DATABRICKS_API_KEY", "dapi-0123"))).build();
        ProviderCall call = ProviderCall.builder(ChatRequest.ofUser("databricks-claude-sonnet-4", "hi"))
                .deploymentId("d").modelGroup("m").providerRoute("databricks/databricks-claude-sonnet-4")
                .timeout(Duration.ofSeconds(5)).build();
        // when
        await(provider.completeAsync(call));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/serving-endpoints/chat/completions");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer dapi-0123");
        assertThat(tree(sent.getBody().utf8()).path("model").textValue()).isEqualTo("databricks-claude-sonnet-4");
    }

    // --------------------------------------------------------------------------- api base rules

    @ParameterizedTest
    @MethodSource("vendorsWithoutBase")
    void givenVendorWithoutDefaultBaseAndNoApiBase_whenComplete_thenBadRequestBeforeAnyRequest(
            OpenAiCompatibleVendor vendor) {
        ProviderCall call = ProviderCall.builder(ChatRequest.ofUser("m", "hi")).deploymentId("d").modelGroup("m")
                .providerRoute(vendor.prefix() + "/m").timeout(Duration.ofSeconds(5)).build();

        Throwable failure = failureOf(OpenAiProvider.builder().vendor(vendor).environment(environment(Map.of()))
                .build().completeAsync(call));

        assertThat(failure).isExactlyInstanceOf(BadRequestException.class)
                .hasMessageContaining("no apiBase").hasMessageContaining("'" + vendor.prefix() + "'");
        assertThat(server.getRequestCount()).isZero();
    }

    static Stream<OpenAiCompatibleVendor> vendorsWithoutBase() {
        return Stream.of(OpenAiCompatibleVendor.VLLM, OpenAiCompatibleVendor.HOSTED_VLLM,
                OpenAiCompatibleVendor.DATABRICKS, OpenAiCompatibleVendor.OPENAI_COMPATIBLE);
    }

    @Test
    void givenOllamaApiBaseVariableWithoutPath_whenComplete_thenCallsItsV1PathWithoutKey() throws Exception {
        server.enqueue(json(200, resource("ollama", "chat-response.json")));
        String hostOnly = server.url("/").toString();
        OpenAiProvider provider = OpenAiProvider.builder().vendor(OpenAiCompatibleVendor.OLLAMA)
                .environment(environment(Map.of("OLLAMA_API_BASE", hostOnly))).build();

        await(provider.completeAsync(call(OpenAiCompatibleVendor.OLLAMA, ChatRequest.ofUser("llama3.2", "hi")).build()));

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        assertThat(sent.getHeaders().get("Authorization")).isNull();
    }

    @Test
    void givenOllamaApiBaseVariableAndDeploymentApiBase_whenComplete_thenDeploymentWins() throws Exception {
        server.enqueue(json(200, resource("ollama", "chat-response.json")));
        OpenAiProvider provider = OpenAiProvider.builder().vendor(OpenAiCompatibleVendor.OLLAMA)
                .environment(environment(Map.of("OLLAMA_API_BASE", "http://127.0.0.1:1/v1"))).build();

        await(provider.completeAsync(call(OpenAiCompatibleVendor.OLLAMA, ChatRequest.ofUser("llama3.2", "hi"))
                .apiBase(server.url("/ollama/v1").toString()).build()));

        assertThat(server.takeRequest(5, SECONDS).getUrl().encodedPath()).isEqualTo("/ollama/v1/chat/completions");
    }

    @Test
    void givenTogetherLiteLlmVariableUnset_whenComplete_thenUsesTogetherApiKey() throws Exception {
        server.enqueue(json(200, resource("together_ai", "chat-response.json")));
        OpenAiProvider provider = provider(OpenAiCompatibleVendor.TOGETHER_AI, Map.of("TOGETHER_API_KEY", "tgp_v1_k"));

        await(provider.completeAsync(call(OpenAiCompatibleVendor.TOGETHER_AI, ChatRequest.ofUser("m", "hi")).build()));

        assertThat(server.takeRequest(5, SECONDS).getHeaders().get("Authorization")).isEqualTo("Bearer tgp_v1_k");
    }

    @Test
    void givenNoTogetherVariable_whenComplete_thenMessageNamesBothVariables() {
        Throwable failure = failureOf(provider(OpenAiCompatibleVendor.TOGETHER_AI, Map.of())
                .completeAsync(call(OpenAiCompatibleVendor.TOGETHER_AI, ChatRequest.ofUser("m", "hi")).build()));

        assertThat(failure).isExactlyInstanceOf(AuthenticationException.class).hasMessage("together_ai: no API key: "
                + "none of the environment variables TOGETHERAI_API_KEY, TOGETHER_API_KEY is set and the deployment "
                + "has no apiKey");
    }

    @Test
    void givenVllmWithoutKeyAnywhere_whenComplete_thenSendsNoAuthorization() throws Exception {
        server.enqueue(json(200, resource("vllm", "chat-response.json")));

        await(provider(OpenAiCompatibleVendor.VLLM, Map.of())
                .completeAsync(call(OpenAiCompatibleVendor.VLLM, ChatRequest.ofUser("m", "hi")).build()));

        assertThat(server.takeRequest(5, SECONDS).getHeaders().get("Authorization")).isNull();
    }

    @Test
    void givenDeploymentKey_whenComplete_thenItWinsOverTheVariable() throws Exception {
        server.enqueue(json(200, resource("groq", "chat-response.json")));

        await(provider(OpenAiCompatibleVendor.GROQ, Map.of("GROQ_API_KEY", ENV_KEY)).completeAsync(
                call(OpenAiCompatibleVendor.GROQ, ChatRequest.ofUser("m", "hi")).apiKey(Secret.of("gsk_deploy")).build()));

        assertThat(server.takeRequest(5, SECONDS).getHeaders().get("Authorization")).isEqualTo("Bearer gsk_deploy");
    }

    // ---------------------------------------------------------------------------- vendor quirks

    @Test
    void givenGroq498_whenMapped_thenRetryableServiceUnavailable() {
        server.enqueue(json(498, resource("groq", "error-498-capacity-exceeded.json")));

        Throwable failure = failureOf(provider(OpenAiCompatibleVendor.GROQ, Map.of("GROQ_API_KEY", ENV_KEY))
                .completeAsync(call(OpenAiCompatibleVendor.GROQ, ChatRequest.ofUser("m", "hi")).build()));

        assertThat(failure).isExactlyInstanceOf(ServiceUnavailableException.class)
                .hasMessageStartingWith("groq: Flex tier capacity exceeded.");
        assertThat(((LlmRouterException) failure).isRetryable()).isTrue();
        assertThat(((LlmRouterException) failure).statusCode()).hasValue(498);
    }

    @Test
    void givenDeepSeek402_whenMapped_thenNonRetryableRateLimit() {
        server.enqueue(json(402, resource("deepseek", "error-402-insufficient-balance.json")));

        Throwable failure = failureOf(provider(OpenAiCompatibleVendor.DEEPSEEK, Map.of("DEEPSEEK_API_KEY", ENV_KEY))
                .completeAsync(call(OpenAiCompatibleVendor.DEEPSEEK, ChatRequest.ofUser("m", "hi")).build()));

        assertThat(failure).isExactlyInstanceOf(RateLimitException.class)
                .hasMessageStartingWith("deepseek: Insufficient Balance (HTTP 402");
        assertThat(((LlmRouterException) failure).isRetryable()).isFalse();
    }

    @Test
    void givenDeepSeekReasoningAnswer_whenComplete_thenReasoningContentKeptAndCacheHitsCounted() throws Exception {
        server.enqueue(json(200, resource("deepseek", "chat-response.json")));

        ChatResponse response = await(provider(OpenAiCompatibleVendor.DEEPSEEK, Map.of("DEEPSEEK_API_KEY", ENV_KEY))
                .completeAsync(call(OpenAiCompatibleVendor.DEEPSEEK, ChatRequest.ofUser("m", "hi")).build()));

        assertThat(response.choices().get(0).message().reasoningContent().orElseThrow())
                .isEqualTo("The user greets me; I should greet back briefly.");
        assertThat(response.usage().orElseThrow().cachedTokens()).isEqualTo(64);
        assertThat(response.usage().orElseThrow().reasoningTokens()).isEqualTo(110);
    }

    @Test
    void givenOpenRouter402WithNumericCode_whenMapped_thenNonRetryableRateLimitQuotingTheCode() {
        server.enqueue(json(402, resource("openrouter", "error-402-insufficient-credits.json")));

        Throwable failure = failureOf(provider(OpenAiCompatibleVendor.OPENROUTER,
                Map.of("OPENROUTER_API_KEY", ENV_KEY)).completeAsync(call(OpenAiCompatibleVendor.OPENROUTER,
                ChatRequest.ofUser("m", "hi")).build()));

        assertThat(failure).isExactlyInstanceOf(RateLimitException.class)
                .hasMessageStartingWith("openrouter: Insufficient credits.").hasMessageEndingWith("(HTTP 402, code=402)");
        assertThat(((LlmRouterException) failure).isRetryable()).isFalse();
    }

    @Test
    void givenOpenRouter403Moderation_whenMapped_thenContentPolicyViolationWithMetadata() {
        server.enqueue(json(403, resource("openrouter", "error-403-moderation.json")));

        Throwable failure = failureOf(provider(OpenAiCompatibleVendor.OPENROUTER,
                Map.of("OPENROUTER_API_KEY", ENV_KEY)).completeAsync(call(OpenAiCompatibleVendor.OPENROUTER,
                ChatRequest.ofUser("m", "hi")).build()));

        assertThat(failure).isExactlyInstanceOf(ContentPolicyViolationException.class)
                .hasMessageContaining("code=403");
        ContentPolicyViolationException e = (ContentPolicyViolationException) failure;
        assertThat(e.details().orElseThrow().get("reasons").get(0).textValue()).isEqualTo("violence");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void givenOpenRouterAttributionOptions_whenComplete_thenSendsRefererAndTitleHeaders() throws Exception {
        server.enqueue(json(200, resource("openrouter", "chat-response.json")));
        ProviderCall call = call(OpenAiCompatibleVendor.OPENROUTER, ChatRequest.ofUser("anthropic/claude-3.5-sonnet",
                "hi")).options(ProviderOptions.empty()
                        .with(OpenAiProvider.OPENROUTER_REFERER, "https://app.example.com")
                        .with(OpenAiProvider.OPENROUTER_TITLE, "Example App")).build();

        ChatResponse response = await(provider(OpenAiCompatibleVendor.OPENROUTER,
                Map.of("OPENROUTER_API_KEY", ENV_KEY)).completeAsync(call));

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getHeaders().get("HTTP-Referer")).isEqualTo("https://app.example.com");
        assertThat(sent.getHeaders().get("X-Title")).isEqualTo("Example App");
        assertThat(response.extraFields().get("provider").textValue()).isEqualTo("Anthropic");
    }

    @Test
    void givenMistral422_whenMapped_thenBadRequestQuotingLocationAndMessage() {
        server.enqueue(json(422, resource("mistral", "error-422-validation.json")));

        Throwable failure = failureOf(provider(OpenAiCompatibleVendor.MISTRAL, Map.of("MISTRAL_API_KEY", ENV_KEY))
                .completeAsync(call(OpenAiCompatibleVendor.MISTRAL, ChatRequest.ofUser("m", "hi")).build()));

        assertThat(failure).isExactlyInstanceOf(BadRequestException.class).hasMessage("mistral: body.messages.0.role: "
                + "Input should be 'system', 'user', 'assistant' or 'tool' (HTTP 422)");
        assertThat(((LlmRouterException) failure).isRetryable()).isFalse();
    }

    @Test
    void givenMistralBothTokenLimits_whenComplete_thenOnlyMaxTokensIsSent() throws Exception {
        server.enqueue(json(200, resource("mistral", "chat-response.json")));
        ChatRequest request = ChatRequest.builder("mistral-small-latest").addMessage(Message.user("hi"))
                .maxTokens(10).maxCompletionTokens(20).build();

        await(provider(OpenAiCompatibleVendor.MISTRAL, Map.of("MISTRAL_API_KEY", ENV_KEY))
                .completeAsync(call(OpenAiCompatibleVendor.MISTRAL, request).build()));

        assertThat(tree(server.takeRequest(5, SECONDS).getBody().utf8())).isEqualTo(tree("""
                {"model":"mistral-small-latest","messages":[{"role":"user","content":"hi"}],"max_tokens":10}"""));
    }

    @Test
    void givenDeepSeekMaxCompletionTokensOnly_whenComplete_thenSentAsMaxTokens() throws Exception {
        server.enqueue(json(200, resource("deepseek", "chat-response.json")));
        ChatRequest request = ChatRequest.builder("deepseek-chat").addMessage(Message.user("hi"))
                .maxCompletionTokens(20).build();

        await(provider(OpenAiCompatibleVendor.DEEPSEEK, Map.of("DEEPSEEK_API_KEY", ENV_KEY))
                .completeAsync(call(OpenAiCompatibleVendor.DEEPSEEK, request).build()));

        assertThat(tree(server.takeRequest(5, SECONDS).getBody().utf8())).isEqualTo(tree("""
                {"model":"deepseek-chat","messages":[{"role":"user","content":"hi"}],"max_tokens":20}"""));
    }

    @Test
    void givenCustomVendorDeclaration_whenComplete_thenServedWithoutCode() throws Exception {
        // given: a vendor declared in a few lines
        OpenAiCompatibleVendor corp = OpenAiCompatibleVendor.builder("corp")
                .defaultApiBase(server.url("/llm/v1").toString())
                .apiKeyEnv("CORP_LLM_KEY")
                .statusMeaning(420, OpenAiCompatibleVendor.StatusMeaning.OVERLOADED)
                .build();
        Map<String, String> env = new HashMap<>();
        env.put("CORP_LLM_KEY", "corp-key");
        OpenAiProvider provider = OpenAiProvider.builder().vendor(corp).environment(environment(env)).build();
        server.enqueue(json(200, resource("vllm", "chat-response.json")));
        server.enqueue(json(420, "{\"error\":{\"message\":\"calm down\"}}"));
        // when
        ChatResponse ok = await(provider.completeAsync(call(corp, ChatRequest.ofUser("m", "hi")).build()));
        Throwable overloaded = failureOf(provider.completeAsync(call(corp, ChatRequest.ofUser("m", "hi")).build()));
        // then
        assertThat(provider.name()).isEqualTo("corp");
        assertThat(ok.text()).isEqualTo("Hello! How can I help you today?");
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/llm/v1/chat/completions");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer corp-key");
        assertThat(overloaded).isExactlyInstanceOf(ServiceUnavailableException.class).hasMessageStartingWith("corp: ");
    }
}
