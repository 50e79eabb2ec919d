package io.llmrouter.providers.openai;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Serves the shared conformance corpus ({@code ../shared/fixtures/providers/<folder>}, found by
 * walking up from the working directory) and checks the adapter's normalized results against its
 * {@code expected.json}: OpenAI's non-stream answers and errors, Mistral's through the
 * {@code mistral} vendor, and Ollama's OpenAI-compatible error (its other files are the native
 * {@code /api/chat} API). Streams ({@code .sse}) are replayed by {@link OpenAiStreamConformanceTest};
 * Ollama's native {@code .ndjson} streams are not this adapter's. Skipped when the corpus is absent.
 */
class OpenAiConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECONDS_IN_NOTE = Pattern.compile("->\\s*([0-9.]+)s");

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
    Stream<DynamicTest> normalizesEveryCorpusAnswerAsExpected() throws IOException {
        return corpusTests("openai", OpenAiCompatibleVendor.OPENAI, "chat-", "error-");
    }

    @TestFactory
    Stream<DynamicTest> normalizesEveryMistralCorpusAnswerAsExpected() throws IOException {
        return corpusTests("mistral", OpenAiCompatibleVendor.MISTRAL, "chat-", "error-");
    }

    @TestFactory
    Stream<DynamicTest> mapsOllamaOpenAiCompatibleCorpusErrorsAsExpected() throws IOException {
        return corpusTests("ollama", OpenAiCompatibleVendor.OLLAMA, "openai-compat-chat-", "openai-compat-error-");
    }

    private static Stream<DynamicTest> corpusTests(String folder, OpenAiCompatibleVendor vendor, String responses,
            String errors) throws IOException {
        Optional<Path> dir = corpus(folder);
        Assumptions.assumeTrue(dir.isPresent(), "shared/fixtures/providers/" + folder + " not found; skipping");
        JsonNode expected = JSON.readTree(dir.get().resolve("expected.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.get())) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                JsonNode exp = expected.path(name);
                if (name.startsWith(responses) && name.endsWith(".json")
                        && exp.path("kind").asText().equals("response")) {
                    tests.add(DynamicTest.dynamicTest(name, () -> checkResponse(vendor, file, exp)));
                } else if (name.startsWith(errors) && name.endsWith(".json")
                        && exp.path("kind").asText().equals("error")) {
                    tests.add(DynamicTest.dynamicTest(name, () -> checkError(vendor, file, exp)));
                }
            }
        }
        assertThat(tests).as("corpus files with expectations").isNotEmpty();
        return tests.stream();
    }

    private static void checkResponse(OpenAiCompatibleVendor vendor, Path file, JsonNode exp) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body(Files.readString(file, StandardCharsets.UTF_8)).build());

            ChatResponse response = provider(vendor).completeAsync(call(vendor, server)).get(5, SECONDS);

            assertThat(response.id()).isEqualTo(exp.path("id").asText());
            if (exp.has("model")) {
                assertThat(response.model()).isEqualTo(exp.path("model").asText());
            }
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
            if (exp.has("refusal")) {
                assertThat(response.choices().get(0).message().refusal()).contains(exp.path("refusal").asText());
            }
        }
    }

    private static void checkError(OpenAiCompatibleVendor vendor, Path file, JsonNode exp) throws Exception {
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

            Throwable t = catchThrowable(() -> provider(vendor).completeAsync(call(vendor, server)).get(5, SECONDS));

            assertThat(t).isInstanceOf(ExecutionException.class);
            Throwable failure = t.getCause();
            Class<? extends LlmRouterException> kind = KINDS.get(exp.path("error_kind").asText());
            assertThat(kind).as("known error_kind %s", exp.path("error_kind")).isNotNull();
            assertThat(failure).isExactlyInstanceOf(kind);
            LlmRouterException e = (LlmRouterException) failure;
            assertThat(e.statusCode()).hasValue(status);
            assertThat(e.isRetryable()).isEqualTo(exp.path("retryable").asBoolean());
            if (headers.containsKey("x-request-id")) {
                assertThat(e.providerRequestId()).contains(headers.get("x-request-id"));
            }
            expectedRetryAfter(exp).ifPresent(d -> assertThat(((RateLimitException) e).retryAfter()).contains(d));
        }
    }

    /** The delay named in the expectation note ({@code "... -> 0.174s (preferred) ..."}). */
    private static Optional<Duration> expectedRetryAfter(JsonNode exp) {
        String note = exp.path("retry_after_seconds_from_headers").asText("");
        if (exp.has("retry_after_seconds")) {
            note = "-> " + exp.path("retry_after_seconds").asText() + "s";
        }
        Matcher m = SECONDS_IN_NOTE.matcher(note);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(new BigDecimal(m.group(1)).movePointRight(9).longValueExact()));
    }

    /** The headers of {@code error-x.headers} beside {@code error-x.json} (status line skipped), lower-case names. */
    private static Map<String, String> headers(Path body) throws IOException {
        Path file = body.resolveSibling(body.getFileName().toString().replaceFirst("\\.json$", ".headers"));
        if (!Files.exists(file)) {
            return Map.of();
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int colon = line.indexOf(':');
            if (line.startsWith("HTTP/") || colon <= 0) {
                continue;
            }
            headers.put(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                    line.substring(colon + 1).strip());
        }
        return headers;
    }

    private static OpenAiProvider provider(OpenAiCompatibleVendor vendor) {
        return OpenAiProvider.of(vendor);
    }

    private static ProviderCall call(OpenAiCompatibleVendor vendor, MockWebServer server) {
        return ProviderCall.builder(ChatRequest.ofUser("gpt-4o", "hello")).deploymentId("conformance")
                .modelGroup("gpt-4o").providerRoute(vendor.prefix() + "/gpt-4o").apiBase(server.url("/v1").toString())
                .apiKey(Secret.of("sk-conformance-key")).timeout(Duration.ofSeconds(5)).build();
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
