package io.llmrouter.providers.crossprovider;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.chat.Usage;
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
import io.llmrouter.providers.anthropic.AnthropicProvider;
import io.llmrouter.providers.azure.AzureOpenAiProvider;
import io.llmrouter.providers.bedrock.AwsCredentials;
import io.llmrouter.providers.bedrock.BedrockProvider;
import io.llmrouter.providers.cohere.CohereProvider;
import io.llmrouter.providers.gemini.GeminiProvider;
import io.llmrouter.providers.ollama.OllamaProvider;
import io.llmrouter.providers.openai.OpenAiCompatibleVendor;
import io.llmrouter.providers.openai.OpenAiProvider;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import io.llmrouter.testing.RecordingSink;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The extra suite on the recordings shared with other projects ({@code ../shared/fixtures/providers},
 * found by walking up from the working directory): every answer, error and stream a vendor folder
 * describes in its {@code expected.json} is replayed through the adapter, and the normalized result
 * checked against it. Skipped, folder by folder, when the recordings are absent: each adapter's own
 * contract ({@link io.llmrouter.testing.ProviderContractTest}) runs on bodies committed here.
 */
class SharedFixturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECONDS_IN_NOTE = Pattern.compile("->\\s*([0-9.]+)s");
    private static final List<String> REQUEST_ID_HEADERS = List.of("x-request-id", "request-id", "apim-request-id",
            "x-amzn-requestid");
    private static final String GEMINI_GENERATED_ID = "<generated";

    private static final Map<String, Class<? extends LlmRouterException>> KINDS = Map.ofEntries(
            Map.entry("BadRequest", BadRequestException.class),
            Map.entry("Authentication", AuthenticationException.class),
            Map.entry("PermissionDenied", PermissionDeniedException.class),
            Map.entry("NotFound", NotFoundException.class),
            Map.entry("ContextWindowExceeded", ContextWindowExceededException.class),
            Map.entry("ContentPolicyViolation", ContentPolicyViolationException.class),
            Map.entry("RateLimit", RateLimitException.class),
            Map.entry("Overloaded", ServiceUnavailableException.class),
            Map.entry("ServiceUnavailable", ServiceUnavailableException.class),
            Map.entry("ServerError", ProviderServerException.class),
            Map.entry("Timeout", RequestTimeoutException.class));

    /**
     * One vendor folder: which adapter replays it, how a call is made, which files count.
     *
     * @param folder the folder under {@code shared/fixtures/providers}
     * @param provider the adapter
     * @param call the call for the server, streamed or not
     * @param files the names of the files to replay (others are left out)
     * @param streamType the stream's content type, or null when the adapter does not stream
     * @param exactArguments whether tool-call arguments must equal the expected text to the letter
     */
    private record Vendor(String folder, Supplier<Provider> provider, BiFunction<MockWebServer, Boolean, ProviderCall> call,
            Predicate<String> files, String streamType, boolean exactArguments) {
    }

    @TestFactory
    Stream<DynamicTest> anthropic() throws IOException {
        return replay(new Vendor("anthropic", AnthropicProvider::create,
                (server, stream) -> call("anthropic/claude-haiku-4-5", server.url("/").toString(), stream).build(),
                name -> true, "text/event-stream", true));
    }

    @TestFactory
    Stream<DynamicTest> azureOpenAi() throws IOException {
        return replay(new Vendor("azure-openai", AzureOpenAiProvider::create,
                (server, stream) -> call("azure/" + AZURE_DEPLOYMENT, server.url("/").toString(), stream).build(),
                name -> true, "text/event-stream", false));
    }

    @TestFactory
    Stream<DynamicTest> bedrock() throws IOException {
        return replay(new Vendor("bedrock", BedrockProvider::create, (server, stream) -> bedrockCall(server, request(BEDROCK_HAIKU, stream)),
                name -> true, "application/vnd.amazon.eventstream", true));
    }

    @TestFactory
    Stream<DynamicTest> cohere() throws IOException {
        return replay(new Vendor("cohere", CohereProvider::create,
                (server, stream) -> call("cohere/command-a-03-2025", server.url("/").toString(), stream).build(),
                name -> true, "text/event-stream", false));
    }

    @TestFactory
    Stream<DynamicTest> gemini() throws IOException {
        return replay(new Vendor("gemini", GeminiProvider::create,
                (server, stream) -> call("gemini/gemini-2.0-flash", server.url("/v1beta").toString(), stream).build(),
                name -> true, "text/event-stream", false));
    }

    @TestFactory
    Stream<DynamicTest> openAi() throws IOException {
        return replay(openAiVendor("openai", OpenAiCompatibleVendor.OPENAI,
                name -> name.startsWith("chat-") || name.startsWith("error-")));
    }

    @TestFactory
    Stream<DynamicTest> mistral() throws IOException {
        return replay(openAiVendor("mistral", OpenAiCompatibleVendor.MISTRAL,
                name -> name.startsWith("chat-") || name.startsWith("error-")));
    }

    @TestFactory
    Stream<DynamicTest> ollamaNative() throws IOException {
        return replay(new Vendor("ollama", OllamaProvider::create,
                (server, stream) -> call("ollama_chat/llama3.2", server.url("/").toString(), stream).build(),
                name -> !name.startsWith("openai-compat-"), "application/x-ndjson", true));
    }

    @TestFactory
    Stream<DynamicTest> ollamaOpenAiCompatible() throws IOException {
        return replay(openAiVendor("ollama", OpenAiCompatibleVendor.OLLAMA,
                name -> name.startsWith("openai-compat-chat-") || name.startsWith("openai-compat-error-")));
    }

    @TestFactory
    Stream<DynamicTest> openRouterStreamWithCommentsReplaysLikeOpenAisLengthStream() throws IOException {
        Path openai = folderOrSkip("openai");
        Path file = openai.resolveSibling("openai-compatible").resolve("openrouter-stream-with-comments.sse");
        Assumptions.assumeTrue(Files.exists(file), "shared/fixtures/providers/openai-compatible not found; skipping");
        // its README: "Expected result identical to chat-stream-length.sse"
        JsonNode exp = JSON.readTree(openai.resolve("expected.json").toFile()).path("chat-stream-length.sse");
        Vendor vendor = openAiVendor("openai-compatible", OpenAiCompatibleVendor.OPENROUTER, name -> true);
        return Stream.of(DynamicTest.dynamicTest(file.getFileName().toString(), () -> checkStream(vendor, file, exp)));
    }

    private static Vendor openAiVendor(String folder, OpenAiCompatibleVendor vendor, Predicate<String> files) {
        return new Vendor(folder, () -> OpenAiProvider.of(vendor),
                (server, stream) -> call(vendor.prefix() + "/gpt-4o", server.url("/v1").toString(), stream).build(),
                files, "text/event-stream", false);
    }

    // ------------------------------------------------------------------------------ request bodies and URLs

    private static final String AZURE_DEPLOYMENT = "conformance-deployment";
    private static final String BEDROCK_HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

    @TestFactory
    Stream<DynamicTest> azureWritesTheRecordedRequestBodyAndEveryRecordedUrl() throws IOException {
        Path dir = folderOrSkip("azure-openai");
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode fixture = JSON.readTree(dir.resolve("chat-request.json").toFile());
        tests.add(DynamicTest.dynamicTest("chat-request.json", () -> {
            ChatRequest.Builder request = ChatRequest.builder(AZURE_DEPLOYMENT);
            for (JsonNode m : fixture.path("messages")) {
                String content = m.path("content").asText();
                request.addMessage(m.path("role").asText().equals("system") ? Message.system(content)
                        : Message.user(content));
            }
            try (MockWebServer server = new MockWebServer()) {
                server.start();
                server.enqueue(json(200, Files.readString(dir.resolve("chat-response.json"), StandardCharsets.UTF_8)));
                AzureOpenAiProvider.create().completeAsync(call("azure/" + AZURE_DEPLOYMENT,
                        server.url("/").toString(), false).request(request.build()).build()).get(5, SECONDS);
                ObjectNode sent = (ObjectNode) JSON.readTree(server.takeRequest(5, SECONDS).getBody().utf8());
                assertThat(sent.remove("model").asText()).isEqualTo(AZURE_DEPLOYMENT); // optional; ignored by Azure
                assertThat(sent).isEqualTo(fixture);
            }
        }));
        for (String line : Files.readAllLines(dir.resolve("request-urls.txt"), StandardCharsets.UTF_8)) {
            String s = line.strip();
            if (s.startsWith("https://") && !s.contains("{")) { // comments and templates left out
                String url = s.split("\\s+")[0];
                tests.add(DynamicTest.dynamicTest(url, () -> checkAzureUrl(HttpUrl.get(url))));
            }
        }
        return tests.stream();
    }

    /** Sends a call whose base, deployment and api-version come from {@code url}, and checks the URL built. */
    private static void checkAzureUrl(HttpUrl url) throws Exception {
        List<String> segments = url.pathSegments();
        String deployment = segments.get(segments.indexOf("chat") - 1);
        AtomicReference<HttpUrl> sent = new AtomicReference<>();
        OkHttpClient client = new OkHttpClient.Builder().addInterceptor(chain -> {
            sent.set(chain.request().url());
            return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                    .body(ResponseBody.create("""
                            {"id":"chatcmpl-url","object":"chat.completion","created":1,"model":"%s",
                             "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}"""
                            .formatted(deployment), MediaType.get("application/json"))).build();
        }).build();
        Endpoint endpoint = Endpoint.builder().deploymentId("d").modelGroup("chat").providerRoute("azure/" + deployment)
                .apiBase(url.scheme() + "://" + url.host()).apiKey(Secret.of("test-key")).timeout(Duration.ofSeconds(5))
                .options(ProviderOptions.empty().with(AzureOpenAiProvider.API_VERSION, url.queryParameter("api-version")))
                .build();

        AzureOpenAiProvider.builder().httpClient(client).build()
                .completeAsync(ProviderCall.of(ChatRequest.ofUser(deployment, "hi"), endpoint)).get(5, SECONDS);

        assertThat(sent.get()).isEqualTo(url);
    }

    @TestFactory
    Stream<DynamicTest> bedrockWritesTheRecordedConverseBodies() throws IOException {
        Path dir = folderOrSkip("bedrock");
        JsonNode radio = JSON.readTree(dir.resolve("converse-request.json").toFile());
        JsonNode history = JSON.readTree(dir.resolve("converse-request-tool-result.json").toFile());
        return Stream.of(
                DynamicTest.dynamicTest("converse-request.json",
                        () -> assertThat(bedrockSentBody(radioRequest(radio).build())).isEqualTo(radio)),
                DynamicTest.dynamicTest("converse-request-tool-result.json", () -> {
                    JsonNode toolUse = history.path("messages").get(1).path("content").get(0).path("toolUse");
                    JsonNode toolResult = history.path("messages").get(2).path("content").get(0).path("toolResult");
                    ChatRequest request = radioRequest(history)
                            .addMessage(Message.assistantToolCalls(List.of(ToolCall.of(toolUse.path("toolUseId").asText(),
                                    toolUse.path("name").asText(), toolUse.path("input").toString()))))
                            .addMessage(Message.tool(toolResult.path("toolUseId").asText(),
                                    toolResult.path("content").get(0).path("json").toString()))
                            .build();
                    assertThat(bedrockSentBody(request)).isEqualTo(history);
                }));
    }

    /** The request the corpus README describes, its texts and tool taken from the expected body. */
    private static ChatRequest.Builder radioRequest(JsonNode body) {
        JsonNode spec = body.path("toolConfig").path("tools").get(0).path("toolSpec");
        JsonNode inference = body.path("inferenceConfig");
        return ChatRequest.builder(BEDROCK_HAIKU)
                .addMessage(Message.system(body.path("system").get(0).path("text").asText()))
                .addMessage(Message.user(body.path("messages").get(0).path("content").get(0).path("text").asText()))
                .maxTokens(inference.path("maxTokens").asInt())
                .temperature(inference.path("temperature").asDouble())
                .topP(inference.path("topP").asDouble())
                .stop(List.of(inference.path("stopSequences").get(0).asText()))
                .addTool(Tool.builder(spec.path("name").asText()).description(spec.path("description").asText())
                        .parameters(spec.path("inputSchema").path("json")).build())
                .toolChoice(ToolChoice.auto());
    }

    private static JsonNode bedrockSentBody(ChatRequest request) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(json(200, "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"ok\"}]}},"
                    + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":1,\"outputTokens\":1}}"));
            BedrockProvider.create().completeAsync(bedrockCall(server, request)).get(5, SECONDS);
            RecordedRequest sent = server.takeRequest(5, SECONDS);
            assertThat(sent).isNotNull();
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
            return JSON.readTree(sent.getBody().utf8());
        }
    }

    private static ProviderCall bedrockCall(MockWebServer server, ChatRequest request) {
        return ProviderCall.builder(request).deploymentId("conformance").modelGroup("haiku")
                .providerRoute("bedrock/" + BEDROCK_HAIKU).apiBase(server.url("/").toString())
                .options(ProviderOptions.empty().with(BedrockProvider.REGION, "us-east-1")
                        .with(BedrockProvider.CREDENTIALS, AwsCredentials.of("AKIDEXAMPLE",
                                Secret.of("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))))
                .timeout(Duration.ofSeconds(5)).build();
    }

    // ------------------------------------------------------------------------------ the replay

    private static Stream<DynamicTest> replay(Vendor vendor) throws IOException {
        Path dir = folderOrSkip(vendor.folder());
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                JsonNode exp = expected.path(name);
                String kind = exp.path("kind").asText();
                if (!vendor.files().test(name)) {
                    continue;
                }
                if (kind.equals("stream") && vendor.streamType() != null) {
                    tests.add(DynamicTest.dynamicTest(name, () -> checkStream(vendor, file, exp)));
                } else if (kind.equals("response") && name.endsWith(".json")) {
                    tests.add(DynamicTest.dynamicTest(name, () -> checkResponse(vendor, file, exp)));
                } else if (kind.equals("error") && name.endsWith(".json")) {
                    tests.add(DynamicTest.dynamicTest(name, () -> checkError(vendor, file, exp)));
                }
            }
        }
        assertThat(tests).as("recordings with expectations in %s", vendor.folder()).isNotEmpty();
        return tests.stream();
    }

    private static void checkResponse(Vendor vendor, Path file, JsonNode exp) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(json(200, Files.readString(file, StandardCharsets.UTF_8)));

            ChatResponse response = vendor.provider().get().completeAsync(vendor.call().apply(server, false))
                    .get(5, SECONDS);

            assertNormalized(vendor, response, exp);
            if (exp.has("reasoning_content_length")) { // Gemini: the thought summary's length
                String reasoning = response.choices().get(0).message().reasoningContent().orElseThrow();
                assertThat(reasoning.codePointCount(0, reasoning.length()))
                        .isEqualTo(exp.path("reasoning_content_length").asInt());
            }
            JsonNode raw = exp.path("usage").path("raw_model_tokens");
            if (raw.isObject()) { // Cohere: the model's own token counts
                JsonNode tokens = response.extraFields().get(CohereProvider.USAGE_TOKENS_FIELD);
                assertThat(tokens.path("input_tokens").asInt()).isEqualTo(raw.path("input").asInt());
                assertThat(tokens.path("output_tokens").asInt()).isEqualTo(raw.path("output").asInt());
            }
            if (exp.has("reasoning_content")) { // Cohere: thinking, else the tool plan
                assertThat(response.choices().get(0).message().reasoningContent().orElseThrow()).isEqualTo(exp.path("reasoning_content").asText());
            }
        }
    }

    private static void checkStream(Vendor vendor, Path file, JsonNode exp) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", vendor.streamType())
                    .body(new Buffer().write(Files.readAllBytes(file))).build());
            RecordingSink sink = new RecordingSink();

            vendor.provider().get().streamAsync(vendor.call().apply(server, true), sink);

            if (exp.has("error")) {
                JsonNode error = exp.path("error");
                Throwable failure = sink.awaitError();
                Class<? extends LlmRouterException> kind = KINDS.getOrDefault(error.path("error_kind").asText(),
                        ProviderServerException.class);
                assertThat(failure).isExactlyInstanceOf(kind);
                assertThat(((LlmRouterException) failure).isRetryable())
                        .isEqualTo(error.path("retryable").asBoolean(true));
                String named = error.has("provider_type") ? error.path("provider_type").asText().split(" ")[0]
                        : error.path("message").asText();
                assertThat(failure).hasMessageContaining(named);
                assertThat(String.join("", sink.texts())).isEqualTo(exp.path("content").asText(""));
                return;
            }
            sink.awaitCompleted();
            assertNormalized(vendor, sink.accumulated(), exp);
            List<ChatChunk> chunks = sink.chunks();
            if (exp.path("usage").isObject()) { // the usage chunk comes once, last
                assertThat(chunks.stream().filter(c -> c.usage().isPresent()).count()).isEqualTo(1);
                assertThat(chunks.get(chunks.size() - 1).usage()).isPresent();
            }
            if (exp.has("id")) { // annotation-only chunks (Azure) never reach the sink
                assertThat(chunks).allSatisfy(c -> assertThat(c.id()).isEqualTo(exp.path("id").asText()));
            }
        }
    }

    /** The normalized response against a {@code response} or {@code stream} expectation. */
    private static void assertNormalized(Vendor vendor, ChatResponse response, JsonNode exp) throws IOException {
        assertThat(response.id()).isNotBlank();
        if (exp.has("id")) {
            assertThat(response.id()).isEqualTo(exp.path("id").asText());
        }
        if (exp.has("model")) {
            assertThat(response.model()).isEqualTo(exp.path("model").asText());
        } else if (vendor.folder().equals("azure-openai")) { // Azure's examples name no model: the deployment
            assertThat(response.model()).isEqualTo(AZURE_DEPLOYMENT);
        }
        assertThat(response.text()).isEqualTo(exp.path("content").asText());
        assertThat(response.finishReason().orElseThrow().wireValue()).isEqualTo(exp.path("finish_reason").asText());
        if (exp.has("provider_finish_reason") && !exp.get("provider_finish_reason").isNull()) {
            assertThat(response.choices().get(0).rawFinishReason())
                    .isEqualTo(exp.path("provider_finish_reason").asText());
        }
        JsonNode u = exp.path("usage");
        if (u.isNull()) {
            assertThat(response.usage()).isEmpty();
        } else if (u.isObject()) {
            Usage usage = response.usage().orElseThrow();
            assertThat(usage.promptTokens()).isEqualTo(u.path("prompt_tokens").asInt());
            assertThat(usage.completionTokens()).isEqualTo(u.path("completion_tokens").asInt());
            assertThat(usage.totalTokens()).isEqualTo(u.path("total_tokens").asInt());
            assertThat(usage.cachedTokens()).isEqualTo(u.path("cached_tokens").asInt());
            assertThat(usage.reasoningTokens()).isEqualTo(u.path("reasoning_tokens").asInt());
            if (u.has("cache_creation_tokens")) {
                assertThat(usage.cacheCreationTokens()).isEqualTo(u.path("cache_creation_tokens").asInt());
            }
        }
        List<ToolCall> calls = response.toolCalls();
        JsonNode expCalls = exp.path("tool_calls");
        assertThat(calls).hasSize(expCalls.size());
        assertThat(calls).extracting(ToolCall::id).doesNotHaveDuplicates();
        for (int i = 0; i < calls.size(); i++) {
            JsonNode e = expCalls.get(i);
            if (e.path("id").asText().startsWith(GEMINI_GENERATED_ID)) {
                assertThat(calls.get(i).id()).as("generated id").matches("call_[A-Za-z0-9]{24}(_\\d+)?");
            } else {
                assertThat(calls.get(i).id()).isEqualTo(e.path("id").asText());
            }
            assertThat(calls.get(i).name()).isEqualTo(e.path("name").asText());
            assertThat(JSON.readTree(calls.get(i).arguments())).isEqualTo(JSON.readTree(e.path("arguments").asText()));
            if (vendor.exactArguments()) { // compact, keys in received order; a stream's fragments verbatim
                assertThat(calls.get(i).arguments()).isEqualTo(e.path("arguments").asText());
            }
        }
        if (exp.has("refusal")) {
            assertThat(response.choices().get(0).message().refusal()).contains(exp.path("refusal").asText());
        }
    }

    private static void checkError(Vendor vendor, Path file, JsonNode exp) throws Exception {
        int status = exp.path("http_status").asInt();
        Map<String, String> headers = headers(file);
        String body = Files.readString(file, StandardCharsets.UTF_8);
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            MockResponse.Builder response = new MockResponse.Builder().code(status).body(body);
            if (!headers.containsKey("content-type")) {
                response.addHeader("Content-Type", "application/json");
            }
            headers.forEach(response::addHeader);
            server.enqueue(response.build());

            Throwable t = catchThrowable(() -> vendor.provider().get().completeAsync(vendor.call().apply(server, false))
                    .get(5, SECONDS));

            assertThat(t).isInstanceOf(ExecutionException.class);
            Class<? extends LlmRouterException> kind = KINDS.get(exp.path("error_kind").asText());
            assertThat(kind).as("known error_kind %s", exp.path("error_kind")).isNotNull();
            assertThat(t.getCause()).isExactlyInstanceOf(kind);
            LlmRouterException e = (LlmRouterException) t.getCause();
            assertThat(e.statusCode()).hasValue(status);
            assertThat(e.isRetryable()).isEqualTo(exp.path("retryable").asBoolean());
            JsonNode envelope = JSON.readTree(body);
            Optional<String> requestId = exp.has("request_id") ? Optional.of(exp.path("request_id").asText())
                    : REQUEST_ID_HEADERS.stream().filter(headers::containsKey).map(headers::get).findFirst()
                            .or(() -> vendor.folder().equals("cohere")
                                    ? Optional.ofNullable(envelope.path("id").textValue()) : Optional.empty());
            requestId.ifPresent(id -> assertThat(e.providerRequestId()).contains(id));
            expectedRetryAfter(exp).ifPresent(d -> assertThat(((RateLimitException) e).retryAfter()).isEqualTo(d));
            if (exp.has("provider_code")) { // Azure and OpenAI quote the envelope's code
                assertThat(e.getMessage()).contains("code=" + exp.path("provider_code").asText());
            }
            if (exp.has("inner_code")) {
                assertThat(e.getMessage()).contains(exp.path("inner_code").asText());
            }
            if (e instanceof ContentPolicyViolationException c && vendor.folder().equals("azure-openai")) {
                JsonNode inner = envelope.path("error").path("innererror");
                if (inner.isMissingNode()) {
                    assertThat(c.details()).isEmpty();
                } else {
                    assertThat(c.details()).contains(inner.has("content_filter_result")
                            ? inner.get("content_filter_result") : inner);
                }
            }
        }
    }

    /**
     * The expected {@code retry-after}: {@code retry_after_seconds} (null: none), or the delay named in
     * the note {@code retry_after_seconds_from_headers} ({@code "... -> 0.174s (preferred) ..."}).
     */
    private static Optional<Optional<Duration>> expectedRetryAfter(JsonNode exp) {
        if (exp.has("retry_after_seconds")) {
            JsonNode seconds = exp.path("retry_after_seconds");
            return Optional.of(seconds.isNumber() ? Optional.of(seconds(seconds.asText())) : Optional.empty());
        }
        Matcher m = SECONDS_IN_NOTE.matcher(exp.path("retry_after_seconds_from_headers").asText(""));
        return m.find() ? Optional.of(Optional.of(seconds(m.group(1)))) : Optional.empty();
    }

    private static Duration seconds(String decimal) {
        return Duration.ofNanos(new BigDecimal(decimal).movePointRight(9).longValueExact());
    }

    /** The headers of {@code error-x.headers} beside {@code error-x.json} (status line skipped), lower-case names. */
    private static Map<String, String> headers(Path body) throws IOException {
        Path file = body.resolveSibling(body.getFileName().toString().replaceFirst("\\.json$", ".headers"));
        Map<String, String> headers = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return headers;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int colon = line.indexOf(':');
            if (line.startsWith("HTTP/") || colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (!name.equals("content-length")) {
                headers.put(name, line.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    private static ProviderCall.Builder call(String route, String apiBase, boolean stream) {
        return ProviderCall.builder(request(route.substring(route.indexOf('/') + 1), stream)).deploymentId("conformance")
                .modelGroup("conformance").providerRoute(route).apiBase(apiBase)
                .apiKey(Secret.of("sk-conformance-key-0123456789")).timeout(Duration.ofSeconds(5));
    }

    private static ChatRequest request(String model, boolean stream) {
        return ChatRequest.builder(model).addMessage(Message.user("hello")).stream(stream).build();
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static Path folderOrSkip(String folder) {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures").resolve("providers").resolve(folder);
            if (Files.isDirectory(candidate) && Files.exists(candidate.resolve("expected.json"))) {
                return candidate;
            }
        }
        Assumptions.abort("shared/fixtures/providers/" + folder + " not found; skipping");
        throw new AssertionError("unreachable");
    }
}
