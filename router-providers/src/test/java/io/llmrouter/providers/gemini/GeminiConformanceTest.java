package io.llmrouter.providers.gemini;

import io.llmrouter.testing.RecordingSink;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Serves the shared conformance corpus ({@code shared/fixtures/providers/gemini}, found by walking
 * up from the working directory) and checks the adapter's normalized results against its
 * {@code expected.json}: every non-stream answer ({@code response-*.json}), error
 * ({@code error-*.json}) and stream ({@code stream-*.sse}, replayed byte for byte through
 * {@link GeminiProvider#streamAsync} and accumulated as the router does). Skipped when the corpus is
 * absent.
 */
class GeminiConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GENERATED = "<generated";

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
        Optional<Path> dir = corpus("gemini");
        Assumptions.assumeTrue(dir.isPresent(), "shared/fixtures/providers/gemini not found; skipping");
        JsonNode expected = JSON.readTree(dir.get().resolve("expected.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.get())) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                JsonNode exp = expected.path(name);
                if (name.startsWith("stream-") && name.endsWith(".sse")
                        && exp.path("kind").asText().equals("stream")) {
                    tests.add(DynamicTest.dynamicTest(name, () -> checkStream(file, exp)));
                }
                if (!name.endsWith(".json")) {
                    continue;
                }
                if (name.startsWith("response-") && exp.path("kind").asText().equals("response")) {
                    tests.add(DynamicTest.dynamicTest(name, () -> checkResponse(file, exp)));
                } else if (name.startsWith("error-") && exp.path("kind").asText().equals("error")) {
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

            ChatResponse response = GeminiProvider.create().completeAsync(call(server)).get(5, SECONDS);
            checkResponse(response, exp, true);
        }
    }

    /**
     * Checks a normalized response against its expectation. {@code reasoning_content_length} is
     * checked only for non-stream answers: stream chunks have no field for thought text.
     */
    private static void checkResponse(ChatResponse response, JsonNode exp, boolean checkReasoning) throws Exception {
        if (exp.has("id")) {
            assertThat(response.id()).isEqualTo(exp.path("id").asText());
        }
        assertThat(response.id()).isNotBlank();
        if (exp.has("model")) {
            assertThat(response.model()).isEqualTo(exp.path("model").asText());
        }
        assertThat(response.text()).isEqualTo(exp.path("content").asText());
        assertThat(response.finishReason().orElseThrow().wireValue()).isEqualTo(exp.path("finish_reason").asText());
        assertThat(response.choices().get(0).rawFinishReason())
                .isEqualTo(exp.path("provider_finish_reason").asText());
        JsonNode u = exp.path("usage");
        if (u.isNull() || u.isMissingNode()) {
            assertThat(response.usage()).isEmpty();
        } else {
            assertThat(response.usage()).contains(Usage.builder()
                    .promptTokens(u.path("prompt_tokens").asInt())
                    .completionTokens(u.path("completion_tokens").asInt())
                    .totalTokens(u.path("total_tokens").asInt())
                    .cachedTokens(u.path("cached_tokens").asInt())
                    .reasoningTokens(u.path("reasoning_tokens").asInt())
                    .build());
        }
        List<ToolCall> calls = response.toolCalls();
        JsonNode expCalls = exp.path("tool_calls");
        assertThat(calls).hasSize(expCalls.size());
        assertThat(calls).extracting(ToolCall::id).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isNotBlank());
        for (int i = 0; i < calls.size(); i++) {
            JsonNode e = expCalls.get(i);
            if (e.path("id").asText().startsWith(GENERATED)) {
                assertThat(calls.get(i).id()).as("generated id").matches("call_[A-Za-z0-9]{24}(_\\d+)?");
            } else {
                assertThat(calls.get(i).id()).isEqualTo(e.path("id").asText());
            }
            assertThat(calls.get(i).name()).isEqualTo(e.path("name").asText());
            assertThat(JSON.readTree(calls.get(i).arguments())).isEqualTo(JSON.readTree(e.path("arguments").asText()));
        }
        if (checkReasoning && exp.has("reasoning_content_length")) {
            String reasoning = response.choices().get(0).message().extraFields()
                    .get(GeminiProvider.REASONING_CONTENT_FIELD).asText();
            assertThat(reasoning.codePointCount(0, reasoning.length()))
                    .isEqualTo(exp.path("reasoning_content_length").asInt());
        }
    }

    private static void checkStream(Path file, JsonNode exp) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                    .body(new Buffer().write(Files.readAllBytes(file))).build());
            RecordingSink sink = new RecordingSink();

            GeminiProvider.create().streamAsync(call(server), sink);
            sink.awaitCompleted();

            assertThat(server.takeRequest(5, SECONDS).getUrl().toString())
                    .endsWith("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
            // the usage chunk, when there is one, is the last and the only one
            List<ChatChunk> chunks = sink.chunks();
            assertThat(chunks.stream().filter(c -> c.usage().isPresent()).count())
                    .isEqualTo(exp.path("usage").isObject() ? 1 : 0);
            if (exp.path("usage").isObject()) {
                assertThat(chunks.get(chunks.size() - 1).usage()).isPresent();
            }
            checkResponse(sink.accumulated(), exp, false);
        }
    }

    private static void checkError(Path file, JsonNode exp) throws Exception {
        int status = exp.path("http_status").asInt();
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                    .body(Files.readString(file, StandardCharsets.UTF_8)).build());

            Throwable t = catchThrowable(() -> GeminiProvider.create().completeAsync(call(server)).get(5, SECONDS));

            assertThat(t).isInstanceOf(ExecutionException.class);
            Throwable failure = t.getCause();
            Class<? extends LlmRouterException> kind = KINDS.get(exp.path("error_kind").asText());
            assertThat(kind).as("known error_kind %s", exp.path("error_kind")).isNotNull();
            assertThat(failure).isExactlyInstanceOf(kind);
            LlmRouterException e = (LlmRouterException) failure;
            assertThat(e.statusCode()).hasValue(status);
            assertThat(e.isRetryable()).isEqualTo(exp.path("retryable").asBoolean());
            if (e instanceof RateLimitException rate) {
                JsonNode seconds = exp.path("retry_after_seconds");
                assertThat(rate.retryAfter()).isEqualTo(seconds.isNumber()
                        ? Optional.of(Duration.ofNanos(new BigDecimal(seconds.asText()).movePointRight(9).longValueExact()))
                        : Optional.empty());
            }
        }
    }

    private static ProviderCall call(MockWebServer server) {
        return ProviderCall.builder(ChatRequest.ofUser("gemini-2.0-flash", "hello")).deploymentId("conformance")
                .modelGroup("gemini").providerRoute("gemini/gemini-2.0-flash")
                .apiBase(server.url("/v1beta").toString()).apiKey(Secret.of("AIzaConformanceKey-0123456789"))
                .timeout(Duration.ofSeconds(5)).build();
    }

    /** {@code shared/fixtures/providers/<folder>} in the working directory or one of its parents. */
    static Optional<Path> corpus(String folder) {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures").resolve("providers").resolve(folder);
            if (Files.isDirectory(candidate) && Files.exists(candidate.resolve("expected.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
