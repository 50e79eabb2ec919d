package io.llmrouter.providers.azure;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.testing.RecordingSink;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Serves the shared Azure OpenAI corpus ({@code ../shared/fixtures/providers/azure-openai}, found by
 * walking up from the working directory) and checks the adapter against its {@code expected.json}:
 * non-stream answers and errors, streams ({@code .sse}, replayed byte for byte through
 * {@link AzureOpenAiProvider#streamAsync} and accumulated), the request body of
 * {@code chat-request.json}, and every concrete URL of {@code request-urls.txt}. Legacy
 * {@code /completions} answers are out of this adapter's scope and are listed, not silently
 * ignored. Skipped when the corpus is absent.
 */
class AzureOpenAiConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYMENT = "conformance-deployment";

    /** Expectation kinds this adapter does not serve (no legacy completions). */
    private static final List<String> OUT_OF_SCOPE = List.of("legacy-completion");

    private static final Map<String, Class<? extends LlmRouterException>> KINDS = Map.of(
            "ContentPolicyViolation", ContentPolicyViolationException.class);

    @TestFactory
    Stream<DynamicTest> normalizesEveryCorpusAnswerAsExpected() throws IOException {
        Path dir = corpusOrSkip();
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : expected.properties()) {
            Path file = dir.resolve(e.getKey());
            JsonNode exp = e.getValue();
            String kind = exp.path("kind").asText();
            switch (kind) {
                case "response" -> tests.add(DynamicTest.dynamicTest(e.getKey(), () -> checkResponse(file, exp)));
                case "error" -> tests.add(DynamicTest.dynamicTest(e.getKey(), () -> checkError(file, exp)));
                case "stream" -> tests.add(DynamicTest.dynamicTest(e.getKey(), () -> checkStream(file, exp)));
                default -> assertThat(OUT_OF_SCOPE).as("expectation kind of %s", e.getKey()).contains(kind);
            }
        }
        assertThat(tests).as("corpus files with expectations").isNotEmpty();
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> buildsEveryConcreteUrlOfRequestUrls() throws IOException {
        Path dir = corpusOrSkip();
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("request-urls.txt"), StandardCharsets.UTF_8)) {
            String s = line.strip();
            if (!s.startsWith("https://") || s.contains("{")) {
                continue; // comments and templates
            }
            String url = s.split("\\s+")[0];
            tests.add(DynamicTest.dynamicTest(url, () -> checkUrl(HttpUrl.get(url))));
        }
        assertThat(tests).as("concrete URLs in request-urls.txt").isNotEmpty();
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> writesTheCorpusRequestBody() throws IOException {
        Path dir = corpusOrSkip();
        JsonNode fixture = JSON.readTree(dir.resolve("chat-request.json").toFile());
        return Stream.of(DynamicTest.dynamicTest("chat-request.json", () -> {
            ChatRequest.Builder request = ChatRequest.builder(DEPLOYMENT);
            for (JsonNode m : fixture.path("messages")) {
                String content = m.path("content").asText();
                request.addMessage(m.path("role").asText().equals("system") ? Message.system(content)
                        : Message.user(content));
            }
            try (MockWebServer server = new MockWebServer()) {
                server.start();
                server.enqueue(answer(fixtureOr(dir, "chat-response.json")));

                AzureOpenAiProvider.create().completeAsync(ProviderCall.of(request.build(), endpoint(server)))
                        .get(5, SECONDS);

                ObjectNode sent = (ObjectNode) JSON.readTree(server.takeRequest(5, SECONDS).getBody().utf8());
                assertThat(sent.remove("model").asText()).isEqualTo(DEPLOYMENT); // optional; ignored by Azure
                assertThat(sent).isEqualTo(fixture);
            }
        }));
    }

    private static void checkStream(Path file, JsonNode exp) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                    .body(Files.readString(file, StandardCharsets.UTF_8)).build());
            RecordingSink sink = new RecordingSink();

            AzureOpenAiProvider.create().streamAsync(call(server), sink);

            ChatResponse response = sink.awaitCompletion();
            assertThat(response.id()).isEqualTo(exp.path("id").asText());
            assertThat(response.model()).isEqualTo(exp.path("model").asText());
            assertThat(response.text()).isEqualTo(exp.path("content").asText());
            assertThat(response.finishReason().orElseThrow().wireValue()).isEqualTo(exp.path("finish_reason").asText());
            assertThat(response.choices().get(0).rawFinishReason())
                    .isEqualTo(exp.path("provider_finish_reason").asText());
            assertThat(response.toolCalls()).hasSize(exp.path("tool_calls").size());
            if (exp.path("usage").isNull()) {
                assertThat(response.usage()).isEmpty();
            }
            // Annotation-only chunks (no delta, no finish) never reach the sink.
            assertThat(sink.chunks()).allSatisfy(c -> assertThat(c.id()).isEqualTo(exp.path("id").asText()));
        }
    }

    private static void checkResponse(Path file, JsonNode exp) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(answer(Files.readString(file, StandardCharsets.UTF_8)));

            ChatResponse response = AzureOpenAiProvider.create().completeAsync(call(server)).get(5, SECONDS);

            assertThat(response.id()).isEqualTo(exp.path("id").asText());
            assertThat(response.model()).isEqualTo(exp.has("model") ? exp.path("model").asText() : DEPLOYMENT);
            assertThat(response.text()).isEqualTo(exp.path("content").asText());
            assertThat(response.finishReason().orElseThrow().wireValue()).isEqualTo(exp.path("finish_reason").asText());
            JsonNode u = exp.path("usage");
            assertThat(response.usage()).contains(Usage.builder()
                    .promptTokens(u.path("prompt_tokens").asInt())
                    .completionTokens(u.path("completion_tokens").asInt())
                    .totalTokens(u.path("total_tokens").asInt())
                    .cachedTokens(u.path("cached_tokens").asInt())
                    .reasoningTokens(u.path("reasoning_tokens").asInt())
                    .build());
            assertThat(response.toolCalls()).hasSize(exp.path("tool_calls").size());
        }
    }

    private static void checkError(Path file, JsonNode exp) throws Exception {
        int status = exp.path("http_status").asInt();
        JsonNode body = JSON.readTree(file.toFile());
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                    .addHeader("apim-request-id", "apim-conformance").body(Files.readString(file, StandardCharsets.UTF_8))
                    .build());

            Throwable t = catchThrowable(() -> AzureOpenAiProvider.create().completeAsync(call(server)).get(5, SECONDS));

            assertThat(t).isInstanceOf(ExecutionException.class);
            Class<? extends LlmRouterException> kind = KINDS.get(exp.path("error_kind").asText());
            assertThat(kind).as("known error_kind %s", exp.path("error_kind")).isNotNull();
            assertThat(t.getCause()).isExactlyInstanceOf(kind);
            LlmRouterException e = (LlmRouterException) t.getCause();
            assertThat(e.statusCode()).hasValue(status);
            assertThat(e.isRetryable()).isEqualTo(exp.path("retryable").asBoolean());
            assertThat(e.providerRequestId()).contains("apim-conformance");
            assertThat(e.getMessage()).contains("code=" + exp.path("provider_code").asText());
            if (exp.has("inner_code")) {
                assertThat(e.getMessage()).contains(exp.path("inner_code").asText());
            }
            if (e instanceof ContentPolicyViolationException c) {
                JsonNode inner = body.path("error").path("innererror");
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
     * Sends a call whose base, deployment and api-version come from {@code url} through a client that
     * answers without any network, and checks the URL built is exactly {@code url}.
     */
    private static void checkUrl(HttpUrl url) throws Exception {
        List<String> segments = url.pathSegments();
        String deployment = segments.get(segments.indexOf("chat") - 1);
        String base = url.scheme() + "://" + url.host();
        AtomicReference<HttpUrl> sent = new AtomicReference<>();
        OkHttpClient client = new OkHttpClient.Builder().addInterceptor(chain -> {
            sent.set(chain.request().url());
            return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                    .body(ResponseBody.create(answerBody(deployment), MediaType.get("application/json"))).build();
        }).build();
        Endpoint endpoint = Endpoint.builder().deploymentId("d").modelGroup("chat").providerRoute("azure/" + deployment)
                .apiBase(base).apiKey(Secret.of("test-key")).timeout(Duration.ofSeconds(5))
                .options(ProviderOptions.empty().with(AzureOpenAiProvider.API_VERSION,
                        url.queryParameter("api-version")))
                .build();

        AzureOpenAiProvider.builder().httpClient(client).build()
                .completeAsync(ProviderCall.of(ChatRequest.ofUser(deployment, "hi"), endpoint)).get(5, SECONDS);

        assertThat(sent.get()).isEqualTo(url);
    }

    private static String answerBody(String model) {
        return """
                {"id":"chatcmpl-url","object":"chat.completion","created":1,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}"""
                .formatted(model);
    }

    private static MockResponse answer(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static String fixtureOr(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : answerBody(DEPLOYMENT);
    }

    private static Endpoint endpoint(MockWebServer server) {
        return Endpoint.builder().deploymentId("conformance").modelGroup("gpt-4o")
                .providerRoute("azure/" + DEPLOYMENT).apiBase(server.url("/").toString())
                .apiKey(Secret.of("conformance-key")).timeout(Duration.ofSeconds(5)).build();
    }

    private static ProviderCall call(MockWebServer server) {
        return ProviderCall.of(ChatRequest.ofUser(DEPLOYMENT, "hello"), endpoint(server));
    }

    private static Path corpusOrSkip() {
        Optional<Path> dir = corpus("azure-openai");
        Assumptions.assumeTrue(dir.isPresent(), "shared/fixtures/providers/azure-openai not found; skipping");
        return dir.get();
    }

    /** {@code shared/fixtures/providers/<folder>} in the working directory or one of its parents. */
    private static Optional<Path> corpus(String folder) {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures").resolve("providers").resolve(folder);
            if (Files.isDirectory(candidate) && Files.exists(candidate.resolve("expected.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
