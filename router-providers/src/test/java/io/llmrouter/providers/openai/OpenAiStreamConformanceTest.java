package io.llmrouter.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import io.llmrouter.testing.RecordingSink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.spi.ProviderCall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the shared corpus's OpenAI streams ({@code shared/fixtures/providers/openai/chat-stream-*.sse},
 * and OpenRouter's {@code openai-compatible/openrouter-stream-with-comments.sse}) through
 * MockWebServer, byte for byte, and checks the accumulated chunks against {@code expected.json}.
 * Skipped when the corpus is absent.
 */
class OpenAiStreamConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> replaysEveryCorpusStreamAsExpected() throws IOException {
        Optional<Path> dir = OpenAiConformanceTest.corpus("openai");
        Assumptions.assumeTrue(dir.isPresent(), "shared/fixtures/providers/openai not found; skipping");
        JsonNode expected = JSON.readTree(dir.get().resolve("expected.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.get())) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                JsonNode exp = expected.path(name);
                if (name.startsWith("chat-stream-") && name.endsWith(".sse") && exp.path("kind").asText().equals("stream")) {
                    tests.add(DynamicTest.dynamicTest(name, () -> check(OpenAiCompatibleVendor.OPENAI, file, exp)));
                }
            }
        }
        assertThat(tests).as("corpus streams with expectations").hasSizeGreaterThanOrEqualTo(6);
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> replaysOpenRouterStreamWithCommentsLikeTheOpenAiOne() throws IOException {
        Optional<Path> openai = OpenAiConformanceTest.corpus("openai");
        Path dir = openai.map(p -> p.resolveSibling("openai-compatible")).orElse(null);
        Assumptions.assumeTrue(dir != null && Files.exists(dir.resolve("openrouter-stream-with-comments.sse")),
                "shared/fixtures/providers/openai-compatible not found; skipping");
        // The README: "Expected result identical to chat-stream-length.sse".
        JsonNode exp = JSON.readTree(openai.get().resolve("expected.json").toFile()).path("chat-stream-length.sse");
        return Stream.of(DynamicTest.dynamicTest("openrouter-stream-with-comments.sse",
                () -> check(OpenAiCompatibleVendor.OPENROUTER, dir.resolve("openrouter-stream-with-comments.sse"), exp)));
    }

    private static void check(OpenAiCompatibleVendor vendor, Path file, JsonNode exp) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                    .body(Files.readString(file, StandardCharsets.UTF_8)).build());
            RecordingSink sink = new RecordingSink();

            OpenAiProvider.of(vendor).streamAsync(call(vendor, server), sink);

            if (exp.has("error")) {
                Throwable error = sink.awaitError();
                assertThat(error).isExactlyInstanceOf(ProviderServerException.class)
                        .hasMessageContaining(exp.path("error").path("message").asText());
                assertThat(((LlmRouterException) error).isRetryable()).isTrue();
                assertThat(sink.chunks()).isNotEmpty();
                assertThat(String.join("", sink.chunks().stream().map(c -> c.text().orElse("")).toList()))
                        .isEqualTo(exp.path("content").asText());
                return;
            }
            ChatResponse response = sink.awaitCompletion();
            assertThat(response.id()).isEqualTo(exp.path("id").asText());
            assertThat(response.model()).isEqualTo(exp.path("model").asText());
            assertThat(response.text()).isEqualTo(exp.path("content").asText());
            assertThat(response.finishReason().orElseThrow().wireValue()).isEqualTo(exp.path("finish_reason").asText());
            assertThat(response.choices().get(0).rawFinishReason())
                    .isEqualTo(exp.path("provider_finish_reason").asText());
            JsonNode u = exp.path("usage");
            if (u.isNull()) {
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

    private static ProviderCall call(OpenAiCompatibleVendor vendor, MockWebServer server) {
        ChatRequest request = ChatRequest.ofUser("gpt-4o", "hello").toBuilder().stream(true).build();
        return ProviderCall.builder(request).deploymentId("conformance").modelGroup("gpt-4o")
                .providerRoute(vendor.prefix() + "/gpt-4o").apiBase(server.url("/v1").toString())
                .apiKey(Secret.of("sk-conformance-key")).timeout(Duration.ofSeconds(5)).build();
    }
}
