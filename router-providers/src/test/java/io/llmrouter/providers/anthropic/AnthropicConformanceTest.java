package io.llmrouter.providers.anthropic;

import static io.llmrouter.providers.anthropic.AnthropicTestSupport.JSON;
import static io.llmrouter.providers.anthropic.AnthropicTestSupport.corpus;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.ChatStreamAccumulator;
import io.llmrouter.api.chat.ToolCall;
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
import io.llmrouter.spi.ProviderCall;
import java.io.IOException;
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
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Serves the shared conformance corpus ({@code ../shared/fixtures/providers/anthropic}, found by
 * walking up from the working directory) and checks the adapter's normalized results against its
 * {@code expected.json}: every non-stream answer ({@code messages-response-*.json}) and every
 * error body ({@code error-*.json}, with its {@code .headers} file when there is one), and every
 * event stream ({@code stream-*.sse}, replayed byte for byte through {@code streamAsync} and
 * accumulated with {@link ChatStreamAccumulator}). Skipped when the corpus is absent.
 */
class AnthropicConformanceTest {

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

    @TestFactory
    Stream<DynamicTest> normalizesEveryCorpusAnswerAndErrorAsExpected() throws IOException {
        Optional<Path> dir = corpus("anthropic");
        Assumptions.assumeTrue(dir.isPresent(), "shared/fixtures/providers/anthropic not found; skipping");
        JsonNode expected = JSON.readTree(dir.get().resolve("expected.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.get())) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                JsonNode exp = expected.path(name);
                if (name.endsWith(".sse") && exp.path("kind").asText().equals("stream")) {
                    tests.add(DynamicTest.dynamicTest(name, () -> checkStream(file, exp)));
                    continue;
                }
                if (!name.endsWith(".json")) {
                    continue;
                }
                if (exp.path("kind").asText().equals("response")) {
                    tests.add(DynamicTest.dynamicTest(name, () -> checkResponse(file, exp)));
                } else if (exp.path("kind").asText().equals("error")) {
                    tests.add(DynamicTest.dynamicTest(name, () -> checkError(file, exp)));
                }
            }
        }
        assertThat(tests).as("corpus files with expectations").isNotEmpty();
        return tests.stream();
    }

    private static void checkResponse(Path file, JsonNode exp) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body(Files.readString(file, StandardCharsets.UTF_8)).build());

            ChatResponse response = AnthropicProvider.create().completeAsync(call(server)).get(5, SECONDS);

            assertThat(response.id()).isEqualTo(exp.path("id").asText());
            assertThat(response.model()).isEqualTo(exp.path("model").asText());
            assertThat(response.text()).isEqualTo(exp.path("content").asText());
            assertThat(response.finishReason().orElseThrow().wireValue()).isEqualTo(exp.path("finish_reason").asText());
            assertThat(response.choices().get(0).rawFinishReason())
                    .isEqualTo(exp.path("provider_finish_reason").asText());
            JsonNode u = exp.path("usage");
            assertThat(response.usage()).get()
                    .usingRecursiveComparison().ignoringFields("serviceTier") // the corpus states no tier
                    .isEqualTo(Usage.builder()
                    .promptTokens(u.path("prompt_tokens").asInt())
                    .completionTokens(u.path("completion_tokens").asInt())
                    .totalTokens(u.path("total_tokens").asInt())
                    .cachedTokens(u.path("cached_tokens").asInt())
                    .reasoningTokens(u.path("reasoning_tokens").asInt())
                    .cacheCreationTokens(u.path("cache_creation_tokens").asInt())
                    .build());
            List<ToolCall> calls = response.toolCalls();
            JsonNode expCalls = exp.path("tool_calls");
            assertThat(calls).hasSize(expCalls.size());
            for (int i = 0; i < calls.size(); i++) {
                JsonNode e = expCalls.get(i);
                assertThat(calls.get(i).id()).isEqualTo(e.path("id").asText());
                assertThat(calls.get(i).name()).isEqualTo(e.path("name").asText());
                assertThat(JSON.readTree(calls.get(i).arguments())).isEqualTo(JSON.readTree(e.path("arguments").asText()));
                // compact serialization in received key order
                assertThat(calls.get(i).arguments()).isEqualTo(e.path("arguments").asText());
            }
        }
    }

    private static void checkStream(Path file, JsonNode exp) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                    .body(new Buffer().write(Files.readAllBytes(file))).build());
            io.llmrouter.testing.RecordingSink sink = new io.llmrouter.testing.RecordingSink();

            AnthropicProvider.create().streamAsync(call(server), sink);

            if (exp.has("error")) {
                JsonNode e = exp.path("error");
                Throwable failure = sink.awaitError();
                Class<? extends LlmRouterException> kind = KINDS.get(e.path("error_kind").asText());
                assertThat(kind).as("known error_kind %s", e.path("error_kind")).isNotNull();
                assertThat(failure).isExactlyInstanceOf(kind).hasMessageContaining(e.path("provider_type").asText());
                assertThat(((LlmRouterException) failure).isRetryable()).isEqualTo(e.path("retryable").asBoolean());
                assertThat(sink.chunks()).isEmpty();
                return;
            }
            sink.awaitCompletion();
            ChatResponse response = sink.accumulated();
            assertThat(response.id()).isEqualTo(exp.path("id").asText());
            assertThat(response.model()).isEqualTo(exp.path("model").asText());
            assertThat(response.text()).isEqualTo(exp.path("content").asText());
            assertThat(response.finishReason().orElseThrow().wireValue()).isEqualTo(exp.path("finish_reason").asText());
            assertThat(response.choices().get(0).rawFinishReason())
                    .isEqualTo(exp.path("provider_finish_reason").asText());
            JsonNode u = exp.path("usage");
            assertThat(response.usage()).get()
                    .usingRecursiveComparison().ignoringFields("serviceTier") // the corpus states no tier
                    .isEqualTo(Usage.builder()
                    .promptTokens(u.path("prompt_tokens").asInt())
                    .completionTokens(u.path("completion_tokens").asInt())
                    .totalTokens(u.path("total_tokens").asInt())
                    .cachedTokens(u.path("cached_tokens").asInt())
                    .reasoningTokens(u.path("reasoning_tokens").asInt())
                    .cacheCreationTokens(u.path("cache_creation_tokens").asInt())
                    .build());
            List<ToolCall> calls = response.toolCalls();
            JsonNode expCalls = exp.path("tool_calls");
            assertThat(calls).hasSize(expCalls.size());
            for (int i = 0; i < calls.size(); i++) {
                JsonNode e = expCalls.get(i);
                assertThat(calls.get(i).id()).isEqualTo(e.path("id").asText());
                assertThat(calls.get(i).name()).isEqualTo(e.path("name").asText());
                assertThat(JSON.readTree(calls.get(i).arguments())).isEqualTo(JSON.readTree(e.path("arguments").asText()));
            }
        }
    }

    private static void checkError(Path file, JsonNode exp) throws Exception {
        int status = exp.path("http_status").asInt();
        Map<String, String> headers = headers(file);
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            MockResponse.Builder response = new MockResponse.Builder().code(status)
                    .body(Files.readString(file, StandardCharsets.UTF_8));
            if (!headers.containsKey("content-type")) {
                response.addHeader("Content-Type", "application/json");
            }
            headers.forEach(response::addHeader);
            server.enqueue(response.build());

            Throwable t = catchThrowable(() -> AnthropicProvider.create().completeAsync(call(server)).get(5, SECONDS));

            assertThat(t).isInstanceOf(ExecutionException.class);
            Throwable failure = t.getCause();
            Class<? extends LlmRouterException> kind = KINDS.get(exp.path("error_kind").asText());
            assertThat(kind).as("known error_kind %s", exp.path("error_kind")).isNotNull();
            assertThat(failure).isExactlyInstanceOf(kind);
            LlmRouterException e = (LlmRouterException) failure;
            assertThat(e.statusCode()).hasValue(status);
            assertThat(e.isRetryable()).isEqualTo(exp.path("retryable").asBoolean());
            if (exp.has("request_id")) {
                assertThat(e.providerRequestId()).contains(exp.path("request_id").asText());
            }
            if (exp.has("retry_after_seconds")) {
                JsonNode seconds = exp.path("retry_after_seconds");
                assertThat(((RateLimitException) e).retryAfter()).isEqualTo(seconds.isNull() ? Optional.empty()
                        : Optional.of(Duration.ofMillis(Math.round(seconds.asDouble() * 1000))));
            }
        }
    }

    /** The headers of {@code error-x.headers} beside {@code error-x.json} (status line skipped), lower-case names. */
    private static Map<String, String> headers(Path body) throws IOException {
        Path file = body.resolveSibling(body.getFileName().toString().replaceFirst("\\.json$", ".headers"));
        if (!Files.exists(file)) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
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

    private static ProviderCall call(MockWebServer server) {
        return ProviderCall.builder(ChatRequest.ofUser("claude-haiku-4-5", "hello")).deploymentId("conformance")
                .modelGroup("claude").providerRoute("anthropic/claude-haiku-4-5").apiBase(server.url("/").toString())
                .apiKey(Secret.of("sk-ant-conformance-key")).timeout(Duration.ofSeconds(5)).build();
    }
}
