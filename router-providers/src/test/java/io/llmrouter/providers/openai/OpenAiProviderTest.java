package io.llmrouter.providers.openai;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.ImageDetail;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.StreamOptions;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.ProviderCall;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(StartedServers.class)
class OpenAiProviderTest {

    private static final String KEY = "sk-test-SECRET-0123456789abcdef";
    private static final String REQUEST_ID = "req_test_123";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();

    // ------------------------------------------------------------------------------------ helpers

    private String apiBase() {
        return server.url("/v1").toString();
    }

    private static OpenAiProvider provider() {
        return OpenAiProvider.builder().build();
    }

    private ProviderCall.Builder call(ChatRequest request) {
        return ProviderCall.builder(request)
                .deploymentId("primary")
                .modelGroup("gpt-4o")
                .providerRoute("openai/gpt-4o")
                .apiBase(apiBase())
                .apiKey(Secret.of(KEY))
                .timeout(Duration.ofSeconds(5));
    }

    private ProviderCall call() {
        return call(ChatRequest.ofUser("gpt-4o", "hello")).build();
    }

    private static ChatResponse await(CompletableFuture<ChatResponse> future) throws Exception {
        return future.get(5, SECONDS);
    }

    /** The exception a future failed with, unwrapped. */
    private static Throwable failureOf(CompletableFuture<ChatResponse> future) {
        Throwable t = catchThrowable(() -> future.get(5, SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        return t.getCause();
    }

    private static String resource(String name) {
        try (InputStream in = OpenAiProviderTest.class.getResourceAsStream("/openai/" + name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .addHeader("x-request-id", REQUEST_ID).body(body).build();
    }

    private static JsonNode tree(String json) throws IOException {
        return JSON.readTree(json);
    }

    private static ChatRequest fullRequest() throws IOException {
        JsonNode toolSchema = tree("""
                {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");
        JsonNode answerSchema = tree("""
                {"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"],
                 "additionalProperties":false}""");
        return ChatRequest.builder("gpt-4o")
                .addMessage(Message.system("You are a concise travel assistant."))
                .addMessage(Message.user(List.of(TextPart.of("What is the weather where this photo was taken?"),
                        ImagePart.of("https://example.com/lyon.jpg", ImageDetail.HIGH))))
                .addMessage(Message.assistantToolCalls(List.of(
                        ToolCall.of("call_weather_1", "get_weather", "{\"city\":\"Lyon\"}"))))
                .addMessage(Message.tool("call_weather_1", "{\"temperature_c\":21}"))
                .temperature(0.2)
                .maxTokens(256)
                .addTool(Tool.builder("get_weather").description("Current weather for a city").parameters(toolSchema)
                        .build())
                .toolChoice(ToolChoice.function("get_weather"))
                .responseFormat(ResponseFormat.builder("weather_answer").schema(answerSchema).strict(true).build())
                .build();
    }

    // ------------------------------------------------------------------------------- request sent

    @Nested
    class RequestSent {

        @Test
        void givenFullRequest_whenComplete_thenPostsExactJsonAndHeaders() throws Exception {
            // given
            server.enqueue(json(200, resource("response-text.json")));
            ProviderCall call = call(fullRequest())
                    .addHeader("OpenAI-Organization", "org-test")
                    .addHeader("OpenAI-Project", "proj_test")
                    .build();
            // when
            await(provider().completeAsync(call));
            // then
            RecordedRequest sent = server.takeRequest(5, SECONDS);
            assertThat(sent.getMethod()).isEqualTo("POST");
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
            assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
            assertThat(sent.getHeaders().get("Content-Type")).isEqualTo("application/json");
            assertThat(sent.getHeaders().get("Accept")).isEqualTo("application/json");
            assertThat(sent.getHeaders().get("User-Agent")).isEqualTo("llmrouter/0.1.0");
            assertThat(sent.getHeaders().get("OpenAI-Organization")).isEqualTo("org-test");
            assertThat(sent.getHeaders().get("OpenAI-Project")).isEqualTo("proj_test");
            // a custom api base gets the fields as given: max_tokens stays
            assertThat(tree(sent.getBody().utf8())).isEqualTo(tree(resource("request-full.json")));
        }

        @Test
        void givenDefaultApiBase_whenMaxTokensSet_thenSendsMaxCompletionTokensInstead() throws Exception {
            // given
            server.enqueue(json(200, resource("response-text.json")));
            OpenAiProvider provider = OpenAiProvider.builder().defaultApiBase(apiBase()).build();
            ProviderCall call = ProviderCall.builder(ChatRequest.builder("o3-mini")
                            .addMessage(Message.user("hello")).maxTokens(300).build())
                    .deploymentId("reasoning").modelGroup("o3-mini").providerRoute("openai/o3-mini")
                    .apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5)).build();
            // when
            await(provider.completeAsync(call));
            // then
            JsonNode body = tree(server.takeRequest(5, SECONDS).getBody().utf8());
            assertThat(body).isEqualTo(tree("""
                    {"model":"o3-mini","messages":[{"role":"user","content":"hello"}],"max_completion_tokens":300}"""));
        }

        @Test
        void givenDefaultApiBase_whenBothTokenLimitsSet_thenKeepsOnlyMaxCompletionTokens() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            OpenAiProvider provider = OpenAiProvider.builder().defaultApiBase(apiBase()).build();
            ChatRequest request = ChatRequest.builder("o3-mini").addMessage(Message.user("hello"))
                    .maxTokens(300).maxCompletionTokens(500).build();

            await(provider.completeAsync(call(request).apiBase(apiBase() + "/").build()));

            JsonNode body = tree(server.takeRequest(5, SECONDS).getBody().utf8());
            assertThat(body.has("max_tokens")).isFalse();
            assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(500);
        }

        @Test
        void givenStreamingRequest_whenCompleteAsync_thenStreamFieldsAreNotSent() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            ChatRequest request = ChatRequest.builder("gpt-4o").addMessage(Message.user("hello"))
                    .stream(true).streamOptions(StreamOptions.includeUsage(true)).build();

            await(provider().completeAsync(call(request).build()));

            JsonNode body = tree(server.takeRequest(5, SECONDS).getBody().utf8());
            assertThat(body.has("stream")).isFalse();
            assertThat(body.has("stream_options")).isFalse();
        }

        @Test
        void givenDefaultApiBaseAndNoKey_whenComplete_thenUsesOpenAiApiKeyFromEnvironment() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            OpenAiProvider provider = OpenAiProvider.builder().defaultApiBase(apiBase())
                    .environment(name -> name.equals("OPENAI_API_KEY") ? "sk-from-env-987654" : null).build();
            ProviderCall call = ProviderCall.builder(ChatRequest.ofUser("gpt-4o", "hello")).deploymentId("d")
                    .modelGroup("gpt-4o").providerRoute("openai/gpt-4o").timeout(Duration.ofSeconds(5)).build();

            await(provider.completeAsync(call));

            assertThat(server.takeRequest(5, SECONDS).getHeaders().get("Authorization"))
                    .isEqualTo("Bearer sk-from-env-987654");
        }

        @Test
        void givenCustomApiBaseAndNoKey_whenComplete_thenSendsNoAuthorization() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            OpenAiProvider provider = OpenAiProvider.builder()
                    .environment(name -> "sk-from-env-must-not-be-sent").build();
            ProviderCall call = ProviderCall.builder(ChatRequest.ofUser("llama3", "hello")).deploymentId("local")
                    .modelGroup("llama3").providerRoute("openai/llama3").apiBase(apiBase())
                    .timeout(Duration.ofSeconds(5)).build();

            await(provider.completeAsync(call));

            assertThat(server.takeRequest(5, SECONDS).getHeaders().get("Authorization")).isNull();
        }

        @Test
        void givenMissingEnvironmentKey_whenComplete_thenFailsWithAuthenticationBeforeAnyRequest() {
            // given
            OpenAiProvider provider = OpenAiProvider.builder().defaultApiBase(apiBase()).environment(name -> null)
                    .build();
            ProviderCall call = ProviderCall.builder(ChatRequest.ofUser("gpt-4o", "hello")).deploymentId("primary")
                    .modelGroup("gpt-4o").providerRoute("openai/gpt-4o").timeout(Duration.ofSeconds(5)).build();
            // when
            Throwable failure = failureOf(provider.completeAsync(call));
            // then
            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("OPENAI_API_KEY");
            assertThat(((LlmRouterException) failure).deploymentId()).contains("primary");
            assertThat(server.getRequestCount()).isZero();
        }

        @Test
        void givenUnsetEnvironmentSecretOnCustomBase_whenComplete_thenFailsNamingTheVariable() {
            ProviderCall call = call(ChatRequest.ofUser("gpt-4o", "hello"))
                    .apiKey(Secret.fromEnv("LLMROUTER_TEST_UNSET_KEY", name -> null)).build();

            Throwable failure = failureOf(provider().completeAsync(call));

            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("LLMROUTER_TEST_UNSET_KEY");
            assertThat(server.getRequestCount()).isZero();
        }

        @Test
        void rejectsNullCallAtOnce() {
            assertThatThrownBy(() -> provider().completeAsync(null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void rejectsRelativeDefaultApiBase() {
            assertThatThrownBy(() -> OpenAiProvider.builder().defaultApiBase("api.openai.com/v1"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultApiBase");
        }
    }

    // ------------------------------------------------------------------------ normalized response

    @Nested
    class ResponseNormalized {

        @Test
        void givenTextAnswer_whenComplete_thenReturnsTextFinishAndDetailedUsage() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response.id()).isEqualTo("chatcmpl-llmrouter-text-1");
            assertThat(response.model()).isEqualTo("gpt-4o-2024-08-06");
            assertThat(response.created()).isEqualTo(1735689600L);
            assertThat(response.text()).isEqualTo("Paris is the capital of France.");
            assertThat(response.finishReason()).contains(FinishReason.STOP);
            assertThat(response.toolCalls()).isEmpty();
            assertThat(response.systemFingerprint()).contains("fp_llmrouter01");
            assertThat(response.serviceTier()).contains("default");
            assertThat(response.usage()).contains(Usage.builder().promptTokens(1200).completionTokens(300)
                    .totalTokens(1500).cachedTokens(1024).reasoningTokens(256).serviceTier("default").build());
            assertThat(response.choices().get(0).message().refusal()).isEmpty();
        }

        @Test
        void givenToolCallAnswer_whenComplete_thenReturnsToolCallsWithArgumentStrings() throws Exception {
            server.enqueue(json(200, resource("response-tool-call.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response.text()).isEmpty();
            assertThat(response.finishReason()).contains(FinishReason.TOOL_CALLS);
            assertThat(response.toolCalls()).containsExactly(
                    ToolCall.of("call_weather_1", "get_weather", "{\"city\":\"Lyon\",\"unit\":\"celsius\"}"),
                    ToolCall.of("call_time_2", "get_local_time", "{\"city\":\"Lyon\"}"));
            assertThat(response.usage()).contains(Usage.builder().promptTokens(95).completionTokens(41)
                    .totalTokens(136).build());
        }

        @Test
        void givenRefusal_whenComplete_thenReturnsRefusalWithStopAndKeepsUnknownFields() throws Exception {
            server.enqueue(json(200, resource("response-refusal.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response.text()).isEmpty();
            assertThat(response.finishReason()).contains(FinishReason.STOP);
            assertThat(response.choices().get(0).message().refusal()).contains("I can't help with that request.");
            assertThat(response.extraFields()).containsKey("x_vendor_extension");
            assertThat(response.extraFields().get("x_vendor_extension").get("region"))
                    .isEqualTo(TextNode.valueOf("eu"));
        }

        @Test
        void givenTextAnswer_whenCompleteSynchronously_thenReturnsTheSameResponse() {
            server.enqueue(json(200, resource("response-text.json")));

            ChatResponse response = provider().complete(call());

            assertThat(response.text()).isEqualTo("Paris is the capital of France.");
        }
    }

    // ------------------------------------------------------------------------------ HTTP errors

    /** One row of the status → exception table. */
    record ErrorCase(String name, int status, String body, Map<String, String> headers,
            Class<? extends LlmRouterException> type, boolean retryable, Optional<Duration> retryAfter) {

        static ErrorCase of(String name, int status, String body, Class<? extends LlmRouterException> type,
                boolean retryable) {
            return new ErrorCase(name, status, body, Map.of(), type, retryable, Optional.empty());
        }

        ErrorCase withHeaders(Map<String, String> h, Duration expectedRetryAfter) {
            return new ErrorCase(name, status, body, h, type, retryable, Optional.ofNullable(expectedRetryAfter));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static String envelope(String message, String type, String code) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":" + (type == null ? "null" : "\"" + type + "\"")
                + ",\"param\":null,\"code\":" + (code == null ? "null" : "\"" + code + "\"") + "}}";
    }

    static Stream<ErrorCase> errorTable() {
        String rateLimit = envelope("Rate limit reached for gpt-4o on tokens per min (TPM).", "tokens",
                "rate_limit_exceeded");
        return Stream.of(
                ErrorCase.of("400 plain", 400, envelope("Invalid value for 'temperature'.", "invalid_request_error",
                        "invalid_value"), BadRequestException.class, false),
                ErrorCase.of("400 context_length_exceeded", 400, envelope("This model's maximum context length is "
                        + "128000 tokens.", "invalid_request_error", "context_length_exceeded"),
                        ContextWindowExceededException.class, false),
                ErrorCase.of("400 context message without code", 400, envelope("This model's maximum context length "
                        + "is 65536 tokens.", "invalid_request_error", null), ContextWindowExceededException.class,
                        false),
                ErrorCase.of("400 invalid_prompt", 400, envelope("Invalid prompt: your prompt was flagged.",
                        "invalid_request_error", "invalid_prompt"), ContentPolicyViolationException.class, false),
                ErrorCase.of("400 content_filter (Azure)", 400, envelope("The response was filtered.", null,
                        "content_filter"), ContentPolicyViolationException.class, false),
                ErrorCase.of("401", 401, envelope("Incorrect API key provided.", "invalid_request_error",
                        "invalid_api_key"), AuthenticationException.class, false),
                ErrorCase.of("403", 403, envelope("Project does not have access to model.", "invalid_request_error",
                        null), PermissionDeniedException.class, false),
                ErrorCase.of("404", 404, envelope("The model `gpt-9` does not exist.", "invalid_request_error",
                        "model_not_found"), NotFoundException.class, false),
                ErrorCase.of("404 Ollama string error", 404, "{\"error\":\"model 'llama9' not found\"}",
                        NotFoundException.class, false),
                ErrorCase.of("408", 408, envelope("Request timed out.", null, null), RequestTimeoutException.class,
                        true),
                ErrorCase.of("429 retry-after-ms", 429, rateLimit, RateLimitException.class, true)
                        .withHeaders(Map.of("retry-after-ms", "174", "retry-after", "1"), Duration.ofMillis(174)),
                ErrorCase.of("429 retry-after seconds", 429, rateLimit, RateLimitException.class, true)
                        .withHeaders(Map.of("retry-after", "1.5"), Duration.ofMillis(1500)),
                ErrorCase.of("429 retry-after HTTP-date", 429, rateLimit, RateLimitException.class, true)
                        .withHeaders(Map.of("Date", "Wed, 01 Jan 2025 00:00:00 GMT",
                                "retry-after", "Wed, 01 Jan 2025 00:00:30 GMT"), Duration.ofSeconds(30)),
                ErrorCase.of("429 no retry-after", 429, rateLimit, RateLimitException.class, true),
                ErrorCase.of("429 rate-limit reset headers only", 429, rateLimit, RateLimitException.class, true)
                        .withHeaders(Map.of("x-ratelimit-remaining-requests", "59", "x-ratelimit-reset-requests", "1s",
                                "x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "6m0s"),
                                Duration.ofMinutes(6)),
                ErrorCase.of("429 insufficient_quota", 429, envelope("You exceeded your current quota.",
                        "insufficient_quota", "insufficient_quota"), RateLimitException.class, false),
                ErrorCase.of("429 request too large", 429, envelope("Request too large for gpt-4o on tokens per "
                        + "min (TPM): Limit 30000, Requested 30601.", "tokens", "rate_limit_exceeded"),
                        RateLimitException.class, false),
                // 402 is a rate limit that waiting does not cure, in every adapter (the one status table)
                ErrorCase.of("402 OpenRouter numeric code", 402, "{\"error\":{\"code\":402,\"message\":"
                        + "\"Insufficient credits\"}}", RateLimitException.class, false),
                ErrorCase.of("422 detail", 422, "{\"detail\":[{\"loc\":[\"body\",\"n\"],\"msg\":\"bad\"}]}",
                        BadRequestException.class, false),
                ErrorCase.of("500", 500, envelope("The server had an error while processing your request.",
                        "server_error", null), ProviderServerException.class, true),
                ErrorCase.of("502 HTML from a proxy", 502, "<html><head><title>502 Bad Gateway</title></head>"
                        + "<body><center><h1>502 Bad Gateway</h1></center></body></html>",
                        ProviderServerException.class, true),
                ErrorCase.of("503", 503, envelope("The engine is currently overloaded.", "server_error", null),
                        ServiceUnavailableException.class, true),
                ErrorCase.of("504 empty body", 504, "", RequestTimeoutException.class, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorTable")
    void mapsHttpErrorToTypedException(ErrorCase c) {
        // given
        MockResponse.Builder response = new MockResponse.Builder().code(c.status()).addHeader("x-request-id",
                REQUEST_ID).body(c.body());
        response.addHeader("Content-Type", c.body().startsWith("<") ? "text/html" : "application/json");
        c.headers().forEach(response::addHeader);
        server.enqueue(response.build());
        // when
        Throwable failure = failureOf(provider().completeAsync(call()));
        // then
        assertThat(server.getRequestCount()).as("the HTTP client must not retry on its own").isEqualTo(1);
        assertThat(failure).isExactlyInstanceOf(c.type());
        LlmRouterException e = (LlmRouterException) failure;
        assertThat(e.statusCode()).hasValue(c.status());
        assertThat(e.isRetryable()).isEqualTo(c.retryable());
        assertThat(e.providerRequestId()).contains(REQUEST_ID);
        assertThat(e.provider()).contains("openai");
        assertThat(e.deploymentId()).contains("primary");
        assertThat(e.model()).contains("gpt-4o");
        assertThat(e.getMessage()).startsWith("openai: ").contains("HTTP " + c.status()).hasSizeLessThan(400);
        if (e instanceof RateLimitException rate) {
            assertThat(rate.retryAfter()).isEqualTo(c.retryAfter());
        }
    }

    @Test
    void givenRateLimitEnvelope_whenMapped_thenMessageQuotesProviderMessageTypeAndCode() {
        server.enqueue(json(429, envelope("Rate limit reached for gpt-4o.", "tokens", "rate_limit_exceeded")));

        Throwable failure = failureOf(provider().completeAsync(call()));

        assertThat(failure).hasMessage(
                "openai: Rate limit reached for gpt-4o. (HTTP 429, type=tokens, code=rate_limit_exceeded)");
    }

    @Test
    void givenHtmlErrorPage_whenMapped_thenMessageSaysHtmlWithShortExcerpt() {
        String page = "<html><body>" + "Bad gateway ".repeat(500) + "</body></html>";
        server.enqueue(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html").body(page).build());

        Throwable failure = failureOf(provider().completeAsync(call()));

        assertThat(failure).isExactlyInstanceOf(ProviderServerException.class)
                .hasMessageStartingWith("openai: HTTP 502 with an HTML page: <html><body>Bad gateway");
        assertThat(failure.getMessage()).hasSizeLessThan(300);
    }

    // -------------------------------------------------------------------- invalid 2xx answers

    static Stream<String> invalidBodies() {
        return Stream.of(
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,",
                "this is not json",
                "[]",
                "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"choices\":\"none\"}",
                "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":42}]}",
                "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"choices\":[]}",
                "{\"ok\":true} trailing");
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void givenMalformedJsonWith200_whenComplete_thenInvalidProviderResponse(String body) {
        server.enqueue(json(200, body));

        Throwable failure = failureOf(provider().completeAsync(call()));

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageStartingWith("openai: invalid response (HTTP 200)");
        LlmRouterException e = (LlmRouterException) failure;
        assertThat(e.statusCode()).hasValue(200);
        assertThat(e.providerRequestId()).contains(REQUEST_ID);
        assertThat(e.deploymentId()).contains("primary");
        assertThat(e.isRetryable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html; charset=utf-8", "application/json"})
    void givenHtmlPageWith200_whenComplete_thenInvalidProviderResponseSayingHtml(String contentType) {
        String page = "<!DOCTYPE html><html><body>" + "Please log in to the captive portal. ".repeat(100)
                + "</body></html>";
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", contentType).body(page).build());

        Throwable failure = failureOf(provider().completeAsync(call()));

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("HTML page");
        assertThat(failure.getMessage()).hasSizeLessThan(400);
    }

    @Test
    void givenEmptyBodyWith200_whenComplete_thenInvalidProviderResponse() {
        server.enqueue(json(200, ""));

        Throwable failure = failureOf(provider().completeAsync(call()));

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("empty body");
    }

    // ------------------------------------------------------------------------------ transport

    @Test
    void givenCallInFlight_whenFutureCancelled_thenHttpCallIsCancelled() throws Exception {
        // given
        CountDownLatch cancelled = new CountDownLatch(1);
        OkHttpClient client = DefaultHttpClient.create().newBuilder().eventListener(new EventListener() {
            @Override
            public void canceled(Call call) {
                cancelled.countDown();
            }
        }).build();
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        CompletableFuture<ChatResponse> future = OpenAiProvider.builder().httpClient(client).build()
                .completeAsync(call(ChatRequest.ofUser("gpt-4o", "hello")).timeout(Duration.ofSeconds(30)).build());
        assertThat(server.takeRequest(5, SECONDS)).isNotNull();
        // when
        boolean didCancel = future.cancel(true);
        // then
        assertThat(didCancel).isTrue();
        assertThat(cancelled.await(5, SECONDS)).as("OkHttp call cancelled").isTrue();
        assertThat(future).isCancelled();
        assertThatThrownBy(() -> future.get(5, SECONDS)).isInstanceOf(CancellationException.class);
    }

    // -------------------------------------------------------------------------------- secrets

    @Test
    void givenErrorBodyEchoingTheKey_whenMapped_thenKeyAppearsNowhere() {
        String echo = "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ". Also seen as "
                + "sk-test-***********cdef, header Bearer " + KEY + "\",\"type\":\"invalid_request_error\","
                + "\"param\":\"" + KEY + "\",\"code\":\"invalid_api_key\"}}";
        server.enqueue(json(401, echo));
        ProviderCall call = call();

        Throwable failure = failureOf(provider().completeAsync(call));

        assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                .hasMessageContaining("Incorrect API key provided: ****");
        assertNoSecret(failure);
        assertThat(call.toString()).doesNotContain(KEY);
    }

    @Test
    void givenInvalidAnswersEchoingTheKey_whenMapped_thenKeyAppearsNowhere() {
        server.enqueue(json(200, "{\"id\":\"x\",\"note\":\"" + KEY + "\", \"choices\": [ "));
        server.enqueue(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html")
                .body("<html>auth header was Bearer " + KEY + " key=" + KEY + "</html>").build());
        server.enqueue(new MockResponse.Builder().code(200).body("<html>" + KEY + "</html>").build());

        for (int i = 0; i < 3; i++) {
            assertNoSecret(failureOf(provider().completeAsync(call())));
        }
    }

    private static void assertNoSecret(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY).doesNotContain("sk-test-");
            assertThat(t.toString()).doesNotContain(KEY).doesNotContain("sk-test-");
        }
        assertThat(((LlmRouterException) failure).context().toString()).doesNotContain(KEY);
    }
}
