package io.llmrouter.providers.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ImageDetail;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.StreamOptions;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import io.llmrouter.providers.openai.OpenAiCompatibleVendor;
import io.llmrouter.providers.openai.OpenAiCompatibleVendor.TokenLimitField;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The body written straight with a generator ({@link OpenAiRequestBody#shape} +
 * {@link OpenAiJsonCodec#writeRequestBytes}) is byte for byte the tree-built body
 * ({@link OpenAiRequestBody#nonStreaming}/{@link OpenAiRequestBody#streaming} + {@link OpenAiRequestBody#forVendor}),
 * for every vendor's quirk set, plain and streamed, own base and elsewhere.
 */
class OpenAiStreamedBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() {
        List<OpenAiCompatibleVendor> vendors = new ArrayList<>(OpenAiCompatibleVendor.all());
        for (OpenAiCompatibleVendor v : OpenAiCompatibleVendor.all()) {
            vendors.add(v.toBuilder().tokenLimitField(TokenLimitField.AS_GIVEN).build()); // a base elsewhere
        }
        // Quirks no built-in vendor combines: a renamed seed that an extra field also names, dropped typed fields.
        vendors.add(OpenAiCompatibleVendor.builder("quirky").tokenLimitField(TokenLimitField.MAX_COMPLETION_TOKENS)
                .seedField("random_seed").dropFields(List.of("user", "tools", "stream", "reasoning_effort"))
                .build());
        vendors.add(OpenAiCompatibleVendor.builder("quirky2").tokenLimitField(TokenLimitField.MAX_TOKENS)
                .seedField("random_seed").dropFields(List.of("max_tokens", "random_seed", "messages")).build());
        List<Arguments> cases = new ArrayList<>();
        for (OpenAiCompatibleVendor v : vendors) {
            for (ChatRequest r : requests()) {
                cases.add(Arguments.of(v.prefix() + "/" + v.tokenLimitField(), v, r, false));
                cases.add(Arguments.of(v.prefix() + "/" + v.tokenLimitField(), v, r, true));
            }
        }
        return cases.stream();
    }

    private static List<ChatRequest> requests() {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        schema.putObject("properties").putObject("city").put("type", "string");
        ChatRequest rich = ChatRequest.builder("gpt-4o")
                .addMessage(Message.developer("Be brief. \"Quotes\" and unicode: é ✓ \u0001"))
                .addMessage(Message.system("sys"))
                .addMessage(Message.user(List.of(TextPart.of("what is this?"),
                        ImagePart.of("https://example.com/a.png", ImageDetail.HIGH),
                        ImagePart.of("data:image/png;base64,AAAA"))))
                .addMessage(Message.builder(io.llmrouter.api.chat.Role.ASSISTANT).name("bot")
                        .toolCalls(List.of(ToolCall.of("call_1", "weather", "{\"city\":\"Paris\"}")))
                        .reasoningContent("thinking").putExtraField("thinking_blocks",
                                JSON.createArrayNode().add(JSON.createObjectNode().put("type", "thinking")))
                        .build())
                .addMessage(Message.tool("call_1", "sunny"))
                .addMessage(Message.builder(io.llmrouter.api.chat.Role.ASSISTANT).refusal("no").build())
                .temperature(0.25).topP(0.9).maxTokens(100).stop(List.of("a", "b")).n(2).seed(42L)
                .presencePenalty(0.5).frequencyPenalty(-0.5).user("u-1")
                .addTool(Tool.builder("weather").description("the weather").parameters(schema).strict(true).build())
                .toolChoice(ToolChoice.function("weather")).parallelToolCalls(false)
                .responseFormat(ResponseFormat.builder("city").description("a city").schema(schema).strict(true)
                        .build())
                .putMetadata("team", "a")
                .putExtraBody("reasoning_effort", JSON.getNodeFactory().textNode("high"))
                .putExtraBody("random_seed", JSON.getNodeFactory().numberNode(7))
                .putExtraBody("logit_bias", JSON.createObjectNode().put("50256", -100))
                .putExtraBody("nothing", JSON.getNodeFactory().nullNode())
                .build();
        ChatRequest both = rich.toBuilder().maxCompletionTokens(200).stop("end").stream(true)
                .streamOptions(StreamOptions.includeUsage(false)).toolChoice(ToolChoice.auto())
                .responseFormat(ResponseFormat.jsonObject()).build();
        ChatRequest completionOnly = ChatRequest.builder("o3")
                .addMessage(Message.user("hi")).maxCompletionTokens(300).seed(1L).stream(true)
                .toolChoice(ToolChoice.required()).responseFormat(ResponseFormat.text()).build();
        ChatRequest minimal = ChatRequest.builder("m").addMessage(Message.user("hi")).build();
        return List.of(rich, both, completionOnly, minimal);
    }

    @ParameterizedTest(name = "{0} streaming={3}")
    @MethodSource("cases")
    void streamedBodyIsByteForByteTheTreeBuiltBody(String name, OpenAiCompatibleVendor vendor, ChatRequest request,
            boolean streaming) throws Exception {
        ObjectNode tree = streaming ? OpenAiRequestBody.streaming(request) : OpenAiRequestBody.nonStreaming(request);
        OpenAiRequestBody.forVendor(tree, vendor);
        byte[] expected = JSON.writeValueAsBytes(tree);

        byte[] streamed = OpenAiJsonCodec.writeRequestBytes(request, OpenAiRequestBody.shape(vendor, streaming));

        assertThat(new String(streamed, StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
    }

    static Stream<ChatRequest> plainRequests() {
        return requests().stream();
    }

    @ParameterizedTest
    @MethodSource("plainRequests")
    void azureShapesAreTheUneditedTrees(ChatRequest request) throws Exception {
        ObjectNode withoutOptions = OpenAiRequestBody.streaming(request);
        withoutOptions.remove("stream_options");

        assertThat(text(OpenAiRequestBody.PLAIN, request))
                .isEqualTo(JSON.writeValueAsString(OpenAiRequestBody.nonStreaming(request)));
        assertThat(text(OpenAiRequestBody.STREAMED, request))
                .isEqualTo(JSON.writeValueAsString(OpenAiRequestBody.streaming(request)));
        assertThat(text(OpenAiRequestBody.STREAMED_WITHOUT_OPTIONS, request))
                .isEqualTo(JSON.writeValueAsString(withoutOptions));
    }

    static Stream<EmbeddingRequest> embeddingRequests() {
        return Stream.of(EmbeddingRequest.builder("text-embedding-3-small").inputs(List.of("a", "b \"c\" é")).build(),
                EmbeddingRequest.builder("e").inputs(List.of("x")).dimensions(256).user("u")
                        .putExtraBody("input_type", JSON.getNodeFactory().textNode("query"))
                        .putExtraBody("truncate", JSON.createObjectNode().put("end", true)).build());
    }

    @ParameterizedTest
    @MethodSource("embeddingRequests")
    void streamedEmbeddingsBodyIsByteForByteTheTree(EmbeddingRequest request) throws Exception {
        byte[] streamed = OpenAiJsonCodec.writeEmbeddingRequestBytes(request);

        assertThat(new String(streamed, StandardCharsets.UTF_8))
                .isEqualTo(JSON.writeValueAsString(OpenAiJsonCodec.writeEmbeddingRequest(request)));
    }

    private static String text(OpenAiJsonCodec.RequestShape shape, ChatRequest request) {
        return new String(OpenAiJsonCodec.writeRequestBytes(request, shape), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("plainRequests")
    void requestAsItIsIsTheCodecsTree(ChatRequest request) throws Exception {
        JsonNode tree = OpenAiJsonCodec.writeRequest(request);

        byte[] streamed = OpenAiJsonCodec.writeRequestBytes(request, OpenAiJsonCodec.RequestShape.AS_REQUEST);

        assertThat(new String(streamed, StandardCharsets.UTF_8)).isEqualTo(JSON.writeValueAsString(tree));
    }
}
