package io.llmrouter.api.json;

import io.llmrouter.api.internal.OpenAiJsonCodec;
import static io.llmrouter.api.json.JsonTrees.assertSameTree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Reads the shared OpenAI fixtures ({@code ../shared/fixtures/providers/openai} beside the repository)
 * and checks each response against its normalized result in {@code expected.json}. Skipped when the
 * folder is absent.
 */
class OpenAiFixtureConformanceTest {

    private static final String FIXTURES = "shared/fixtures/providers/openai";

    @TestFactory
    Stream<DynamicTest> givenSharedOpenAiResponseFixtures_whenRead_thenMatchExpected() {
        Path dir = fixtureDir().orElse(null);
        Assumptions.assumeTrue(dir != null, "shared OpenAI fixtures not found above " + System.getProperty("user.dir"));
        JsonNode expected = OpenAiJsonCodec.parse(read(dir.resolve("expected.json")));
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : expected.properties()) {
            Path file = dir.resolve(e.getKey());
            if ("response".equals(e.getValue().path("kind").textValue()) && Files.isRegularFile(file)) {
                tests.add(dynamicTest(e.getKey(), () -> assertMatches(read(file), e.getValue())));
            }
        }
        assertThat(tests).as("response fixtures listed in expected.json").isNotEmpty();
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> givenSharedOpenAiRequestFixtures_whenReadAndWritten_thenSameJsonTree() {
        Path dir = fixtureDir().orElse(null);
        Assumptions.assumeTrue(dir != null, "shared OpenAI fixtures not found above " + System.getProperty("user.dir"));
        return Stream.of("chat-request.json", "chat-tools-request.json", "chat-stream-request.json")
                .filter(name -> Files.isRegularFile(dir.resolve(name)))
                .map(name -> dynamicTest(name, () -> {
                    JsonNode body = OpenAiJsonCodec.parse(read(dir.resolve(name)));
                    ChatRequest request = OpenAiJsonCodec.readRequest(body);
                    assertSameTree(OpenAiJsonCodec.writeRequest(request), body);
                }));
    }

    private static void assertMatches(String body, JsonNode expected) {
        // when
        ChatResponse response = OpenAiJson.readResponse(body);
        // then
        Choice choice = response.choices().get(0);
        assertThat(response.id()).isEqualTo(expected.get("id").textValue());
        assertThat(response.model()).isEqualTo(expected.get("model").textValue());
        assertThat(response.text()).isEqualTo(expected.get("content").textValue());
        assertThat(choice.finishReason().wireValue()).isEqualTo(expected.get("finish_reason").textValue());
        assertThat(choice.rawFinishReason()).isEqualTo(expected.get("provider_finish_reason").textValue());
        JsonNode u = expected.get("usage");
        Usage usage = response.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(u.get("prompt_tokens").intValue());
        assertThat(usage.completionTokens()).isEqualTo(u.get("completion_tokens").intValue());
        assertThat(usage.totalTokens()).isEqualTo(u.get("total_tokens").intValue());
        assertThat(usage.cachedTokens()).isEqualTo(u.get("cached_tokens").intValue());
        assertThat(usage.reasoningTokens()).isEqualTo(u.get("reasoning_tokens").intValue());
        List<ToolCall> expectedCalls = new ArrayList<>();
        for (JsonNode call : expected.get("tool_calls")) {
            expectedCalls.add(ToolCall.of(call.get("id").textValue(), call.get("name").textValue(),
                    call.get("arguments").textValue()));
        }
        assertThat(response.toolCalls()).containsExactlyElementsOf(expectedCalls);
        JsonNode refusal = expected.get("refusal");
        assertThat(choice.message().refusal()).isEqualTo(Optional.ofNullable(refusal).map(JsonNode::textValue));
        // and what is read survives a write and a read unchanged
        assertThat(OpenAiJsonCodec.readResponse(OpenAiJsonCodec.writeResponse(response))).isEqualTo(response);
    }

    /** Walks up from the working directory to the first directory with a {@code shared} sibling holding the fixtures. */
    private static Optional<Path> fixtureDir() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve(FIXTURES);
            if (Files.isRegularFile(candidate.resolve("expected.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
