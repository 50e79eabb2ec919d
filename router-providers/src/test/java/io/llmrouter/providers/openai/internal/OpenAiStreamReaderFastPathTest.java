package io.llmrouter.providers.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import io.llmrouter.providers.internal.SinkGate;
import io.llmrouter.spi.ChunkSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stream reader's fast path (a streaming parser for the common chunk shape) gives exactly
 * what the tree path gives: the same chunks, the same end, the same typed failure with the same
 * message, on every recorded stream and on hand-written edge cases; and the common shape is read
 * without a tree.
 */
class OpenAiStreamReaderFastPathTest {

    private static final String COMMON = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1735689600,\"model\":\"gpt-4o\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}]}";

    /** What a reader told its sink: the chunks, then how the stream ended. */
    private record Outcome(List<ChatChunk> chunks, String end, int treeEvents) {
    }

    private static Outcome read(String body, boolean treeOnly) {
        List<ChatChunk> chunks = new ArrayList<>();
        String[] end = {"none"};
        ChunkSink sink = new ChunkSink() {
            @Override
            public void onChunk(ChatChunk chunk) {
                chunks.add(chunk);
            }

            @Override
            public void onComplete() {
                end[0] = "complete";
            }

            @Override
            public void onError(Throwable error) {
                end[0] = describe(error);
            }
        };
        OpenAiStreamReader reader = new OpenAiStreamReader(new SinkGate(sink), new OpenAiErrorMapper("openai"),
                ErrorContext.builder().provider("openai").deploymentId("d1").model("gpt-4o").build(), null,
                "call-model", OpenAiJsonCodec::readUsage, 1 << 20);
        if (treeOnly) {
            reader.readAllWithTree();
        }
        reader.read(ResponseBody.create(body, MediaType.get("text/event-stream")), Headers.of());
        return new Outcome(chunks, end[0], reader.treeEvents());
    }

    private static String describe(Throwable error) {
        StringBuilder sb = new StringBuilder(error.getClass().getName()).append(": ").append(error.getMessage());
        if (error instanceof LlmRouterException e) {
            sb.append(" status=").append(e.statusCode()).append(" retryable=").append(e.isRetryable());
        }
        if (error.getCause() != null) {
            sb.append(" cause=").append(error.getCause().getClass().getName());
        }
        return sb.toString();
    }

    private static void assertSameAsTree(String body) {
        Outcome fast = read(body, false);
        Outcome tree = read(body, true);
        assertThat(fast.chunks()).as("chunks of %s", body).isEqualTo(tree.chunks());
        assertThat(fast.end()).as("end of %s", body).isEqualTo(tree.end());
    }

    private static String event(String data) {
        return "data: " + data + "\n\n";
    }

    // ------------------------------------------------------------------------- recorded streams

    static Stream<Path> recordedStreams() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : List.of(Path.of("src/test/resources"), Path.of("../../shared/fixtures/providers"),
                Path.of("../shared/fixtures/providers"))) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(p -> p.toString().endsWith(".sse")).sorted().forEach(files::add);
                }
            }
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("recordedStreams")
    void readsEveryRecordedStreamAsTheTreePathDoes(Path file) throws IOException {
        assertSameAsTree(Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void readsTheSharedOpenAiFixturesAsTheTreePathDoes() throws IOException {
        Path dir = Path.of("../../shared/fixtures/providers/openai");
        assumeTrue(Files.isDirectory(dir), "the shared fixtures are not on this machine");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sse = files.filter(p -> p.toString().endsWith(".sse")).toList();
            assertThat(sse).isNotEmpty();
            for (Path p : sse) {
                assertSameAsTree(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
    }

    // ------------------------------------------------------------------------- hand-written cases

    static Stream<String> edgeEvents() {
        String choice = "{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":null}";
        return Stream.of(
                COMMON,
                "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                        + "\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]}",
                "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}",
                "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"weird\"}]}",
                "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"error\"}]}",
                "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"\"}]}",
                "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\"}]}",
                "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":null,\"finish_reason\":\"stop\"}]}",
                "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"finish_reason\":7}]}",
                // index: absent, null, other, negative, fractional, too large, a string
                "{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"x\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":null,\"delta\":{\"content\":\"x\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":3,\"delta\":{\"content\":\"x\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":-1,\"delta\":{\"content\":\"x\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":1.0,\"delta\":{\"content\":\"x\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":1.5,\"delta\":{\"content\":\"x\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":10000000000,\"delta\":{\"content\":\"x\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":\"0\",\"delta\":{\"content\":\"x\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"index\":1,\"delta\":{\"content\":\"x\"}}]}",
                // id and model: absent, null, empty, not strings, twice
                "{\"choices\":[" + choice + "]}",
                "{\"id\":null,\"model\":null,\"choices\":[" + choice + "]}",
                "{\"id\":\"\",\"model\":\"\",\"choices\":[" + choice + "]}",
                "{\"id\":5,\"choices\":[" + choice + "]}",
                "{\"id\":\"c\",\"model\":{\"a\":1},\"choices\":[" + choice + "]}",
                "{\"id\":\"a\",\"id\":\"b\",\"choices\":[" + choice + "]}",
                // delta: every field, nulls, wrong types, twice, tool calls, unknown fields
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"no\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hm\",\"content\":null}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":5}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":[\"a\"]}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\",\"content\":\"b\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":null,\"content\":\"a\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[]}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                        + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":{}}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"r\",\"annotations\":[{\"a\":[1,{}]}],"
                        + "\"content\":\"x\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":[]}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":\"x\"}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"delta\":{\"content\":\"b\"}}]}",
                // choices: absent, null, empty, several, not objects, not an array
                "{\"id\":\"c\",\"model\":\"m\"}",
                "{\"id\":\"c\",\"choices\":null}",
                "{\"id\":\"c\",\"choices\":[]}",
                "{\"id\":\"c\",\"choices\":[{}]}",
                "{\"id\":\"c\",\"choices\":[" + choice + "," + choice.replace("\"index\":0", "\"index\":1") + "]}",
                "{\"id\":\"c\",\"choices\":[1]}",
                "{\"id\":\"c\",\"choices\":[null]}",
                "{\"id\":\"c\",\"choices\":{}}",
                "{\"id\":\"c\",\"choices\":\"x\"}",
                "{\"id\":\"c\",\"choices\":[" + choice + "],\"choices\":[]}",
                // usage, service tier, Groq's usage, errors
                "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}",
                "{\"id\":\"c\",\"choices\":[" + choice + "],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,"
                        + "\"total_tokens\":7},\"service_tier\":\"default\"}",
                "{\"id\":\"c\",\"choices\":[" + choice + "],\"usage\":null,\"service_tier\":\"flex\"}",
                "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":\"x\"}}",
                "{\"id\":\"c\",\"choices\":[],\"x_groq\":{\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,"
                        + "\"total_tokens\":7}}}",
                "{\"id\":\"c\",\"choices\":[" + choice + "],\"x_groq\":{\"id\":\"req_1\"}}",
                "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":502}}",
                "{\"id\":\"c\",\"choices\":[" + choice + "],\"error\":null}",
                // keys in reverse order, spelled with escapes, known keys given again after others
                "{\"choices\":[{\"finish_reason\":null,\"logprobs\":null,\"delta\":{\"tool_calls\":null,"
                        + "\"reasoning_content\":\"r\",\"refusal\":null,\"content\":\"x\",\"role\":\"assistant\"},"
                        + "\"index\":0}],\"system_fingerprint\":\"fp\",\"service_tier\":\"default\",\"model\":\"m\","
                        + "\"created\":1,\"object\":\"chat.completion.chunk\",\"id\":\"c\"}",
                "{\"i\\u0064\":\"c\",\"mod\\u0065l\":\"m\",\"choices\":[{\"ind\\u0065x\":0,"
                        + "\"delta\":{\"cont\\u0065nt\":\"x\"}}]}",
                "{\"id\":\"c\",\"model\":\"m\",\"choices\":[" + choice + "],\"model\":\"n\"}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\",\"refusal\":null,"
                        + "\"content\":\"b\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"logprobs\":null,"
                        + "\"finish_reason\":null,\"index\":1}]}",
                // strings with escapes and non-ASCII text
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\u00e9\\ud83d\\ude00 \\\"q\\\"\\n\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"é😀 日本\"}}]}",
                // malformed, truncated, trailing, not an object
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]} trailing",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]} {\"id\":\"d\"}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\\q\"}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},}]}",
                "{'id':'c'}",
                "[1,2]",
                "\"text\"",
                "42",
                "null",
                "<html><body>Bad gateway</body></html>");
    }

    @ParameterizedTest
    @MethodSource("edgeEvents")
    void readsAnEdgeCaseEventAsTheTreePathDoes(String data) {
        assertSameAsTree(event(data) + event("[DONE]"));
        assertSameAsTree(event(data)); // the end without [DONE]: complete only when every choice finished
        // after a chunk that set the stream's id and model, and followed by more chunks
        assertSameAsTree(event(COMMON) + event(data) + event(COMMON.replace("chatcmpl-1", "")) + event("[DONE]"));
    }

    @Test
    void keepsTheStreamsIdAndModelAcrossAnnotationChunksAsTheTreePathDoes() {
        String body = event(COMMON) + event("{\"id\":\"\",\"model\":\"\",\"choices\":[]}")
                + event("{\"id\":\"\",\"model\":\"\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"}}]}")
                + event("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}") + event("[DONE]");
        assertSameAsTree(body);
        Outcome fast = read(body, false);
        assertThat(fast.chunks()).extracting(ChatChunk::id).containsOnly("chatcmpl-1");
        assertThat(fast.chunks()).extracting(ChatChunk::model).containsOnly("gpt-4o");
        assertThat(fast.end()).isEqualTo("complete");
    }

    @Test
    void takesANewIdOrModelOfTheSameLengthAsTheTreePathDoes() {
        String body = event(COMMON) + event(COMMON.replace("chatcmpl-1", "chatcmpl-2"))
                + event(COMMON.replace("gpt-4o", "gpt-4x")) + event(COMMON) + event("[DONE]");
        assertSameAsTree(body);
        Outcome fast = read(body, false);
        assertThat(fast.chunks()).extracting(ChatChunk::id)
                .containsExactly("chatcmpl-1", "chatcmpl-2", "chatcmpl-1", "chatcmpl-1");
        assertThat(fast.chunks()).extracting(ChatChunk::model).containsExactly("gpt-4o", "gpt-4o", "gpt-4x", "gpt-4o");
    }

    @Test
    void readsTheCommonChunkWithoutATreeAndTheUsageChunkWithOne() {
        String usage = "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,"
                + "\"completion_tokens\":4,\"total_tokens\":7}}";
        Outcome fast = read(event(COMMON).repeat(50) + event(usage) + event("[DONE]"), false);
        assertThat(fast.chunks()).hasSize(51);
        assertThat(fast.treeEvents()).as("only the usage chunk is read as a tree").isEqualTo(1);
        assertThat(fast.chunks().get(0).text()).contains("Hello");
        assertThat(fast.chunks().get(50).usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isEqualTo(7));
    }
}
