package io.llmrouter.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.internal.OpenAiJsonCodec.FastResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link OpenAiJsonCodec#readResponseFast} against the tree reader: on every body it reads, the same
 * response; on every body it gives up on, the tree reader runs, so errors keep their message and path.
 */
class OpenAiJsonCodecFastReadTest {

    private static final String SHARED = "shared/fixtures/providers";

    private static final String COMMON = """
            {
              "id": "chatcmpl-1", "object": "chat.completion", "created": 1741569952, "model": "gpt-4o",
              "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": "Hello!", "refusal": null, "annotations": []},
                "logprobs": null, "finish_reason": "stop"
              }],
              "usage": {
                "prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                  "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
              },
              "service_tier": "default", "system_fingerprint": "fp_1"
            }""";

    /** Bodies the fast reader must read itself, each equal to the tree reader's result. */
    private static final List<String[]> READ_FAST = List.of(
            new String[] {"common answer", COMMON},
            new String[] {"unicode escapes and raw UTF-8", """
                    {"id":"c\\u0031","model":"m","choices":[{"message":{"role":"assistant",
                    "content":"caf\\u00e9 \\ud83d\\ude00 \\"q\\" \\\\ \\n\\t é 😀 中文"},"finish_reason":"stop"}]}"""},
            new String[] {"nulls for every optional field", """
                    {"id":"c","object":null,"created":null,"model":"m","system_fingerprint":null,"service_tier":null,
                    "usage":null,"x":null,"choices":[{"index":null,"logprobs":null,"finish_reason":"stop","y":null,
                    "message":{"role":null,"content":null,"refusal":null,"tool_calls":null,"name":null,
                    "tool_call_id":null,"reasoning_content":null,"z":null}}]}"""},
            new String[] {"empty message reads as empty text", """
                    {"id":"c","model":"m","choices":[{"message":{},"finish_reason":"content_filter"}]}"""},
            new String[] {"message without role", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}]}"""},
            new String[] {"extra fields at every level", """
                    {"id":"c","model":"m","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}],
                    "flag":true,"off":false,"n":1.5,"big":123456789012345678901234567890,"s":"t","o":{"a":[1,{"b":null}],"d":{"k":1,"k":[-2,9999999999,1e400]}},"e":[],"f":{},
                    "choices":[{"index":0,"content_filter_results":{"hate":{"filtered":false}},"stop_reason":151,
                    "message":{"role":"assistant","content":"x","annotations":[{"type":"url_citation"}],"audio":null,
                    "provider_specific_fields":{"k":[true,2.0]}},"finish_reason":"stop"}],
                    "usage":{"prompt_tokens":1,"completion_tokens":2,"queue_time":0.1,"unknown":{"a":[]},
                    "prompt_tokens_details":{"cached_tokens":1,"text_tokens":null,"image":{"x":1}},
                    "completion_tokens_details":{"reasoning_tokens":1,"other":"s"}}}"""},
            new String[] {"tool calls, parallel, with index and without type", """
                    {"id":"c","model":"m","choices":[{"message":{"role":"assistant","content":null,"tool_calls":[
                    {"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"call_2","type":null,"function":{"name":"get_time","arguments":"{}","extra":1},"x":[1]},
                    {"function":{"arguments":"","name":"noop"},"id":"call_3"}]},"finish_reason":"tool_calls"}]}"""},
            new String[] {"empty tool-call list reads as empty text", """
                    {"id":"c","model":"m","choices":[{"message":{"role":"assistant","tool_calls":[]},"finish_reason":"stop"}]}"""},
            new String[] {"refusal", """
                    {"id":"c","model":"m","choices":[{"message":{"role":"assistant","content":null,
                    "refusal":"I can't help with that."},"logprobs":null,"finish_reason":"stop"}]}"""},
            new String[] {"logprobs object", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"Hi"},"finish_reason":"stop",
                    "logprobs":{"content":[{"token":"Hi","logprob":-0.31725305,"bytes":[72,105],"top_logprobs":[]}],
                    "refusal":null}}]}"""},
            new String[] {"reasoning content, name and tool call id", """
                    {"id":"c","model":"m","choices":[{"message":{"role":"assistant","content":"4",
                    "reasoning_content":"2+2","name":"bot"},"finish_reason":"stop"}]}"""},
            new String[] {"usage details of every vendor", """
                    {"id":"c","model":"m","service_tier":"flex","choices":[{"message":{"content":"x"},"finish_reason":"length"}],
                    "usage":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":175,"reasoning_tokens":25,
                    "citation_tokens":7,"num_search_queries":2,"search_context_size":"high",
                    "prompt_tokens_details":{"cached_tokens":40,"cache_creation_tokens":10,"audio_tokens":3},
                    "completion_tokens_details":{"reasoning_tokens":null,"audio_tokens":4}}}"""},
            new String[] {"reasoning in details wins over the top-level count", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
                    "usage":{"prompt_tokens":1,"completion_tokens":9,"reasoning_tokens":5,
                    "completion_tokens_details":{"reasoning_tokens":3}}}"""},
            new String[] {"usage's own service tier wins over the answer's", """
                    {"id":"c","model":"m","service_tier":"default","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
                    "usage":{"prompt_tokens":1,"completion_tokens":1,"service_tier":"priority"}}"""},
            new String[] {"service tier before usage", """
                    {"service_tier":"scale","id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
                    "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}"""},
            new String[] {"fields in unusual order, choice index not its position", """
                    {"usage":{"total_tokens":3,"completion_tokens":1,"prompt_tokens":2},"choices":[
                    {"finish_reason":"stop","message":{"content":"a","role":"assistant"},"index":3},
                    {"finish_reason":"weird_new_reason","message":{"content":"b"}}],"model":"m","created":0,"id":"c"}"""},
            new String[] {"total below prompt plus completion, as reported", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
                    "usage":{"prompt_tokens":5,"completion_tokens":5,"total_tokens":1}}"""},
            new String[] {"long created and whitespace around the document", """

                    \t {"id":"c","model":"m","created":99999999999,"choices":[{"message":{"content":""},"finish_reason":"stop"}]}
                    """},
            new String[] {"unknown field given twice keeps the last value", """
                    {"id":"c","model":"m","x":1,"x":2,"choices":[{"message":{"content":"a","e":1,"e":[2]},"finish_reason":"stop"}]}"""},
            new String[] {"every object's keys in reverse order", """
                    {"system_fingerprint":"fp","service_tier":"default","usage":{"search_context_size":"low",
                    "num_search_queries":1,"citation_tokens":2,"reasoning_tokens":3,
                    "completion_tokens_details":{"rejected_prediction_tokens":0,"accepted_prediction_tokens":0,
                    "audio_tokens":1,"reasoning_tokens":2},"prompt_tokens_details":{"cache_creation_tokens":4,
                    "audio_tokens":5,"cached_tokens":6},"total_tokens":9,"completion_tokens":8,"prompt_tokens":7},
                    "choices":[{"finish_reason":"tool_calls","logprobs":null,"message":{"reasoning_content":"r",
                    "tool_calls":[{"function":{"arguments":"{}","name":"f"},"type":"function","id":"call_1"}],
                    "refusal":null,"content":null,"role":"assistant"},"index":0}],"model":"m","created":1,
                    "object":"chat.completion","id":"c"}"""},
            new String[] {"keys spelled with escapes", """
                    {"\u0069d":"c","mod\u0065l":"m","choices":[{"message":{"cont\u0065nt":"x"},
                    "finish_reason":"stop"}],"usage":{"prompt_\u0074okens":3}}"""},
            new String[] {"details keys of the other details object are ignored", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
                    "usage":{"prompt_tokens":1,"prompt_tokens_details":{"reasoning_tokens":5,"cached_tokens":1},
                    "completion_tokens_details":{"cached_tokens":7,"cache_creation_tokens":8,
                    "accepted_prediction_tokens":1,"accepted_prediction_tokens":2}}}"""});

    /** Bodies the fast reader must give up on; the tree reader's result or error stands. */
    private static final List<String[]> FALL_BACK = List.of(
            new String[] {"content as an array of parts", """
                    {"id":"c","model":"m","choices":[{"message":{"content":[{"type":"text","text":"hi"}]},"finish_reason":"stop"}]}"""},
            new String[] {"null finish reason", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":null}]}"""},
            new String[] {"missing finish reason", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"}}]}"""},
            new String[] {"missing message", """
                    {"id":"c","model":"m","choices":[{"finish_reason":"stop"}]}"""},
            new String[] {"missing id", """
                    {"model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}]}"""},
            new String[] {"null model", """
                    {"id":"c","model":null,"choices":[{"message":{"content":"x"},"finish_reason":"stop"}]}"""},
            new String[] {"empty choices", """
                    {"id":"c","model":"m","choices":[]}"""},
            new String[] {"choices not an array", """
                    {"id":"c","model":"m","choices":{}}"""},
            new String[] {"id not a string", """
                    {"id":7,"model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}]}"""},
            new String[] {"unknown role", """
                    {"id":"c","model":"m","choices":[{"message":{"role":"robot","content":"x"},"finish_reason":"stop"}]}"""},
            new String[] {"content a number", """
                    {"id":"c","model":"m","choices":[{"message":{"content":5},"finish_reason":"stop"}]}"""},
            new String[] {"tool call of another type", """
                    {"id":"c","model":"m","choices":[{"message":{"tool_calls":[{"id":"a","type":"custom",
                    "function":{"name":"n","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}"""},
            new String[] {"tool call without arguments", """
                    {"id":"c","model":"m","choices":[{"message":{"tool_calls":[{"id":"a","function":{"name":"n"}}]},
                    "finish_reason":"tool_calls"}]}"""},
            new String[] {"integral floating-point counts", """
                    {"id":"c","model":"m","created":1.0,"choices":[{"index":0.0,"message":{"content":"x"},"finish_reason":"stop"}],
                    "usage":{"prompt_tokens":18.0,"completion_tokens":1e1}}"""},
            new String[] {"fractional count", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
                    "usage":{"prompt_tokens":1.5}}"""},
            new String[] {"count beyond int", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
                    "usage":{"prompt_tokens":9999999999}}"""},
            new String[] {"negative count", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
                    "usage":{"completion_tokens_details":{"reasoning_tokens":-1}}}"""},
            new String[] {"created beyond long", """
                    {"id":"c","model":"m","created":99999999999999999999,"choices":[{"message":{"content":"x"},"finish_reason":"stop"}]}"""},
            new String[] {"negative created", """
                    {"id":"c","model":"m","created":-5,"choices":[{"message":{"content":"x"},"finish_reason":"stop"}]}"""},
            new String[] {"tool call id on an assistant message", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x","tool_call_id":"t1"},"finish_reason":"stop"}]}"""},
            new String[] {"usage not an object", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],"usage":[]}"""},
            new String[] {"service tier not a string", """
                    {"id":"c","model":"m","service_tier":1,"choices":[{"message":{"content":"x"},"finish_reason":"stop"}]}"""},
            new String[] {"duplicate id", """
                    {"id":"a","id":"b","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}]}"""},
            new String[] {"duplicate choices", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
                    "choices":[{"message":{"content":"y"},"finish_reason":"stop"}]}"""},
            new String[] {"duplicate content, the first one parts", """
                    {"id":"c","model":"m","choices":[{"message":{"content":[1],"content":"y"},"finish_reason":"stop"}]}"""},
            new String[] {"duplicate tool calls", """
                    {"id":"c","model":"m","choices":[{"message":{"tool_calls":[{"id":"a","function":{"name":"n","arguments":""}}],
                    "tool_calls":[]},"finish_reason":"stop"}]}"""},
            new String[] {"known key given again after others, at every level", """
                    {"id":"c","model":"m","choices":[{"message":{"role":"assistant","content":"x","refusal":null,
                    "role":"assistant"},"finish_reason":"stop"}]}"""},
            new String[] {"finish reason given again after the message", """
                    {"id":"c","model":"m","choices":[{"finish_reason":"stop","message":{"content":"x"},
                    "finish_reason":"length"}]}"""},
            new String[] {"model given again at the end", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],"model":"n"}"""},
            new String[] {"cached tokens given again after the audio tokens", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
                    "usage":{"prompt_tokens_details":{"cached_tokens":1,"audio_tokens":0,"cached_tokens":2}}}"""},
            new String[] {"function name given again", """
                    {"id":"c","model":"m","choices":[{"message":{"tool_calls":[{"id":"a","function":{"name":"n",
                    "arguments":"{}","name":"o"}}]},"finish_reason":"tool_calls"}]}"""},
            new String[] {"duplicate usage count", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
                    "usage":{"prompt_tokens":1,"prompt_tokens":2}}"""},
            new String[] {"trailing garbage", COMMON + " x"},
            new String[] {"a second document", COMMON + "{}"},
            new String[] {"not an object", "[" + COMMON + "]"},
            new String[] {"empty body", ""},
            new String[] {"malformed after the choices", """
                    {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],"usage":{"a":tru}}"""});

    @TestFactory
    Stream<DynamicTest> givenCommonAnswer_whenReadFast_thenEqualsTreeReader() {
        return READ_FAST.stream().map(c -> dynamicTest(c[0], () -> {
            byte[] body = utf8(c[1]);
            ChatResponse tree = OpenAiJsonCodec.readResponse(OpenAiJsonCodec.parse(body));
            FastResponse fast = OpenAiJsonCodec.readResponseFast(body, null, false);
            FastResponse withTree = OpenAiJsonCodec.readResponseFast(body, null, true);
            assertThat(fast).as("read without the tree reader").isNotNull();
            assertThat(fast.response()).isEqualTo(tree);
            assertThat(fast.response().toString()).isEqualTo(tree.toString());
            assertThat(fast.usage()).isNull();
            assertThat(withTree).isNotNull();
            assertThat(withTree.response()).isEqualTo(tree);
            JsonNode usage = OpenAiJsonCodec.parse(body).get("usage");
            assertThat(withTree.usage()).isEqualTo(usage == null || usage.isNull() ? null : usage);
        }));
    }

    @TestFactory
    Stream<DynamicTest> givenUnusualOrWrongAnswer_whenReadFast_thenGivesUpForTheTreeReader() {
        return FALL_BACK.stream().map(c -> dynamicTest(c[0], () -> {
            byte[] body = utf8(c[1]);
            assertThat(OpenAiJsonCodec.readResponseFast(body, null, false)).isNull();
            // with the usage kept as a tree, the tree reader's usage rules apply (a count given twice: the last)
            assertAgrees(body, null, false);
            // so reading with the fallback gives the tree reader's result, or its error with the same message
            Object viaTree = outcome(() -> readTree(body, null));
            Object viaFallback = outcome(() -> readWithFallback(body, null));
            if (viaTree instanceof IllegalArgumentException e) {
                assertThat(viaFallback).isInstanceOf(IllegalArgumentException.class)
                        .hasFieldOrPropertyWithValue("message", e.getMessage());
            } else {
                assertThat(viaFallback).isEqualTo(viaTree);
            }
        }));
    }

    @Test
    void givenWrongAnswer_whenReadWithFallback_thenSameErrorAndPathAsTreeReader() {
        byte[] body = utf8("""
                {"id":"c","model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"},
                {"message":{"tool_calls":[{"id":"a","function":{"name":"n","arguments":{}}}]},"finish_reason":"stop"}]}""");
        assertThatThrownBy(() -> readWithFallback(body, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("choices[1].message.tool_calls[0].function.arguments: expected a string, was an object");
    }

    @TestFactory
    Stream<DynamicTest> givenTruncatedAnswer_whenReadFast_thenGivesUpAtEveryLength() {
        return Stream.of(READ_FAST.get(0), READ_FAST.get(5), READ_FAST.get(6)).map(c -> dynamicTest(c[0], () -> {
            byte[] body = utf8(c[1].strip());
            for (int n = 0; n < body.length; n++) {
                byte[] prefix = java.util.Arrays.copyOf(body, n);
                assertThat(OpenAiJsonCodec.readResponseFast(prefix, null, false)).as("first %d bytes", n).isNull();
            }
        }));
    }

    @Test
    void givenAnswerWithoutModel_whenReadFastWithMissingModel_thenEqualsTreeReaderWithModelAdded() {
        for (String model : new String[] {"", "\"model\":null,", "\"model\":\"\","}) {
            byte[] body = utf8("{\"id\":\"c\"," + model
                    + "\"choices\":[{\"message\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}");
            FastResponse fast = OpenAiJsonCodec.readResponseFast(body, "my-deployment", false);
            assertThat(fast).isNotNull();
            assertThat(fast.response()).isEqualTo(readTree(body, "my-deployment"));
            assertThat(fast.response().model()).isEqualTo("my-deployment");
            assertThat(OpenAiJsonCodec.readResponseFast(body, null, false)).isNull();
        }
        byte[] named = utf8("{\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"message\":{\"content\":\"x\"},"
                + "\"finish_reason\":\"stop\"}]}");
        assertThat(OpenAiJsonCodec.readResponseFast(named, "my-deployment", false).response().model())
                .isEqualTo("gpt-4o");
    }

    @TestFactory
    Stream<DynamicTest> givenProjectAndSharedAnswerBodies_whenReadFast_thenSameAsTreeReader() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : List.of("response-default.json", "response-length.json", "response-logprobs-and-extras.json",
                "response-parallel-tool-calls.json", "response-refusal.json", "response-tool-call.json")) {
            byte[] body = resource("/openai/" + name);
            tests.add(dynamicTest(name, () -> assertAgrees(body, null, true)));
        }
        Path shared = sharedFixtures();
        if (shared != null) {
            addShared(tests, shared.resolve("openai"), null);
            addShared(tests, shared.resolve("mistral"), null);
            addShared(tests, shared.resolve("azure-openai"), "azure-deployment");
        }
        return tests.stream();
    }

    @Test
    void sharedFixturesAreReadFastWhenPresent() {
        Path shared = sharedFixtures();
        Assumptions.assumeTrue(shared != null, "shared fixtures not found");
        for (String name : List.of("openai/chat-response.json", "openai/chat-tools-response.json",
                "openai/chat-response-refusal.json", "azure-openai/chat-response.json")) {
            byte[] body = read(shared.resolve(name));
            String missingModel = name.startsWith("azure") ? "azure-deployment" : null;
            assertThat(OpenAiJsonCodec.readResponseFast(body, missingModel, false)).as(name).isNotNull();
        }
    }

    private static void addShared(List<DynamicTest> tests, Path dir, String missingModel) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().matches("(chat|completion)-.*response.*\\.json"))
                    .sorted()
                    .forEach(f -> tests.add(dynamicTest(dir.getFileName() + "/" + f.getFileName(),
                            () -> assertAgrees(read(f), missingModel, false))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Either the fast reader reads {@code body} as the tree reader does, or it gives up. */
    private static void assertAgrees(byte[] body, String missingModel, boolean mustBeFast) {
        Object expected;
        try {
            expected = readTree(body, missingModel);
        } catch (IllegalArgumentException e) {
            expected = e;
        }
        for (boolean keepUsage : new boolean[] {false, true}) {
            FastResponse fast = OpenAiJsonCodec.readResponseFast(body, missingModel, keepUsage);
            if (mustBeFast) {
                assertThat(fast).isNotNull();
            }
            if (fast != null) {
                assertThat(expected).isInstanceOf(ChatResponse.class);
                assertThat(fast.response()).isEqualTo(expected);
            }
        }
    }

    private static Object outcome(java.util.function.Supplier<ChatResponse> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            return e;
        }
    }

    private static ChatResponse readWithFallback(byte[] body, String missingModel) {
        FastResponse fast = OpenAiJsonCodec.readResponseFast(body, missingModel, false);
        return fast != null ? fast.response() : readTree(body, missingModel);
    }

    /** The tree reader, with the model added as Azure's adapters add it. */
    private static ChatResponse readTree(byte[] body, String missingModel) {
        JsonNode tree = OpenAiJsonCodec.parse(body);
        if (missingModel != null && tree instanceof ObjectNode o) {
            JsonNode m = o.get("model");
            if (m == null || m.isNull() || (m.isTextual() && m.textValue().isEmpty())) {
                o.put("model", missingModel);
            }
        }
        return OpenAiJsonCodec.readResponse(tree);
    }

    private static Path sharedFixtures() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve(SHARED);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = OpenAiJsonCodecFastReadTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
