package io.llmrouter.providers.bedrock;

import io.llmrouter.testing.RecordingSink;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.CLOCK;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.JSON;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.corpus;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
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
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Serves the shared conformance corpus ({@code shared/fixtures/providers/bedrock}, found by walking
 * up from the working directory; skipped when absent) and checks the adapter against its
 * {@code expected.json}: the non-stream Converse answers, the ConverseStream answers
 * ({@code .eventstream}, replayed byte for byte and accumulated as the router does), the error
 * bodies with their {@code .headers}, and the two Converse request bodies the corpus expects for
 * the requests its README describes.
 */
class BedrockConformanceTest {

    private static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

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
        Path dir = corpusOrSkip();
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                JsonNode exp = expected.path(name);
                if (name.endsWith(".eventstream") && exp.path("kind").asText().equals("stream")) {
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
        assertThat(tests).as("corpus files with expectations").hasSizeGreaterThanOrEqualTo(9);
        return tests.stream();
    }

    @Test
    void givenTheCorpusRadioRequest_whenComplete_thenSendsTheExpectedConverseBody() throws Exception {
        Path dir = corpusOrSkip();
        JsonNode expectedBody = JSON.readTree(dir.resolve("converse-request.json").toFile());

        JsonNode sent = sentBody(radioRequest(expectedBody).build());

        assertThat(sent).isEqualTo(expectedBody);
    }

    @Test
    void givenTheCorpusToolResultHistory_whenComplete_thenSendsToolUseAndToolResultBlocksAsExpected()
            throws Exception {
        Path dir = corpusOrSkip();
        JsonNode expectedBody = JSON.readTree(dir.resolve("converse-request-tool-result.json").toFile());
        JsonNode toolUse = expectedBody.path("messages").get(1).path("content").get(0).path("toolUse");
        JsonNode toolResult = expectedBody.path("messages").get(2).path("content").get(0).path("toolResult");
        ChatRequest request = radioRequest(expectedBody)
                .addMessage(Message.assistantToolCalls(List.of(ToolCall.of(toolUse.path("toolUseId").asText(),
                        toolUse.path("name").asText(), toolUse.path("input").toString()))))
                .addMessage(Message.tool(toolResult.path("toolUseId").asText(),
                        toolResult.path("content").get(0).path("json").toString()))
                .build();

        JsonNode sent = sentBody(request);

        assertThat(sent).isEqualTo(expectedBody);
    }

    // ------------------------------------------------------------------------------------ helpers

    /** The request the corpus README describes, its texts and tool taken from the expected body. */
    private static ChatRequest.Builder radioRequest(JsonNode body) {
        JsonNode spec = body.path("toolConfig").path("tools").get(0).path("toolSpec");
        JsonNode inference = body.path("inferenceConfig");
        return ChatRequest.builder(HAIKU)
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

    private static JsonNode sentBody(ChatRequest request) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"ok\"}]}},"
                            + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":1,\"outputTokens\":1}}")
                    .build());
            provider().completeAsync(call(server, request)).get(5, SECONDS);
            RecordedRequest sent = server.takeRequest(5, SECONDS);
            assertThat(sent).isNotNull();
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
            return JSON.readTree(sent.getBody().utf8());
        }
    }

    private static void checkResponse(Path file, JsonNode exp) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body(Files.readString(file, StandardCharsets.UTF_8)).build());

            ChatResponse response = provider().completeAsync(call(server, ChatRequest.ofUser(HAIKU, "hello")))
                    .get(5, SECONDS);

            assertNormalized(response, exp);
        }
    }

    private static void checkStream(Path file, JsonNode exp) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(200)
                    .addHeader("Content-Type", "application/vnd.amazon.eventstream")
                    .body(new Buffer().write(Files.readAllBytes(file))).build());
            RecordingSink sink = new RecordingSink();

            provider().streamAsync(call(server, ChatRequest.builder(HAIKU).addMessage(Message.user("hello"))
                    .stream(true).build()), sink);

            RecordedRequest sent = server.takeRequest(5, SECONDS);
            assertThat(sent).isNotNull();
            assertThat(sent.getUrl().encodedPath())
                    .isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream");
            if (exp.has("error")) {
                JsonNode error = exp.path("error");
                Throwable t = sink.awaitError();
                Class<? extends LlmRouterException> kind = KINDS.get(error.path("error_kind").asText());
                assertThat(kind).as("known error_kind %s", error.path("error_kind")).isNotNull();
                assertThat(t).isExactlyInstanceOf(kind);
                assertThat(((LlmRouterException) t).isRetryable()).isEqualTo(error.path("retryable").asBoolean());
                // provider_type: "throttlingException (header :exception-type, ...)"
                assertThat(t).hasMessageContaining(error.path("provider_type").asText().split(" ")[0]);
                assertThat(sink.chunks()).isEmpty();
            } else {
                sink.awaitCompleted();
                assertNormalized(sink.accumulated(), exp);
            }
        }
    }

    /** The normalized response against a {@code "kind": "response"} or {@code "stream"} expectation. */
    private static void assertNormalized(ChatResponse response, JsonNode exp) throws IOException {
        assertThat(response.text()).isEqualTo(exp.path("content").asText());
        assertThat(response.finishReason().orElseThrow().wireValue()).isEqualTo(exp.path("finish_reason").asText());
        assertThat(response.choices().get(0).rawFinishReason())
                .isEqualTo(exp.path("provider_finish_reason").asText());
        JsonNode u = exp.path("usage");
        assertThat(response.usage()).contains(Usage.builder()
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
            // non-stream: compact, keys in received order; stream: the fragments concatenated verbatim
            assertThat(calls.get(i).arguments()).isEqualTo(e.path("arguments").asText());
        }
    }

    private static void checkError(Path file, JsonNode exp) throws Exception {
        int status = exp.path("http_status").asInt();
        Map<String, String> headers = headers(file);
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            MockResponse.Builder response = new MockResponse.Builder().code(status)
                    .body(Files.readString(file, StandardCharsets.UTF_8));
            headers.forEach(response::addHeader);
            server.enqueue(response.build());

            Throwable t = catchThrowable(() -> provider().completeAsync(call(server, ChatRequest.ofUser(HAIKU, "hi")))
                    .get(5, SECONDS));

            assertThat(t).isInstanceOf(ExecutionException.class);
            Class<? extends LlmRouterException> kind = KINDS.get(exp.path("error_kind").asText());
            assertThat(kind).as("known error_kind %s", exp.path("error_kind")).isNotNull();
            assertThat(t.getCause()).isExactlyInstanceOf(kind);
            LlmRouterException e = (LlmRouterException) t.getCause();
            assertThat(e.statusCode()).hasValue(status);
            assertThat(e.isRetryable()).isEqualTo(exp.path("retryable").asBoolean());
            if (headers.containsKey("x-amzn-requestid")) {
                assertThat(e.providerRequestId()).contains(headers.get("x-amzn-requestid"));
            }
            if (e instanceof RateLimitException rate) {
                assertThat(rate.retryAfter()).isEmpty();
            }
        }
    }

    /** The headers of {@code error-x.headers} beside {@code error-x.json} (status line skipped), lower-case names. */
    private static Map<String, String> headers(Path body) throws IOException {
        Path file = body.resolveSibling(body.getFileName().toString().replaceFirst("\\.json$", ".headers"));
        Map<String, String> headers = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            headers.put("content-type", "application/json");
            return headers;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int colon = line.indexOf(':');
            if (line.startsWith("HTTP/") || colon <= 0) {
                continue;
            }
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return headers;
    }

    private static BedrockProvider provider() {
        return BedrockProvider.builder().environment(BedrockTestSupport.environment(Map.of())).clock(CLOCK).build();
    }

    private static ProviderCall call(MockWebServer server, ChatRequest request) {
        return ProviderCall.builder(request).deploymentId("conformance").modelGroup("haiku")
                .providerRoute("bedrock/" + HAIKU).apiBase(server.url("/").toString())
                .options(ProviderOptions.empty().with(BedrockProvider.REGION, "us-east-1")
                        .with(BedrockProvider.CREDENTIALS, BedrockTestSupport.credentials()))
                .timeout(Duration.ofSeconds(5)).build();
    }

    private static Path corpusOrSkip() {
        Optional<Path> dir = corpus();
        Assumptions.assumeTrue(dir.isPresent(), "shared/fixtures/providers/bedrock not found; skipping");
        return dir.get();
    }
}
