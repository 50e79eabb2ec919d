package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.testing.FakeProvider;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16 item 8: requests the provider cannot accept (lone UTF-16 surrogates anywhere in the
 * text sent, NaN or infinite numbers, Java objects and other non-JSON nodes in JSON trees) are
 * rejected with {@link BadRequestException} naming the field, before any provider is called.
 */
class UnsendableRequestTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String HIGH = "\uD83D";
    private static final String LOW = "\uDE00";

    private FakeProvider provider;
    private Router router;

    @BeforeEach
    void start() {
        provider = FakeProvider.replying("ok");
        router = Router.builder().deployment(Deployment.builder("m", "fake/m").id("d").provider(provider).build())
                .build();
    }

    @AfterEach
    void stop() {
        router.close();
    }

    private static ChatRequest.Builder chat() {
        return ChatRequest.builder("m").addMessage(Message.user("hello"));
    }

    private static ObjectNode schema() {
        ObjectNode schema = NODES.objectNode().put("type", "object");
        schema.putObject("properties").putObject("n").put("type", "number");
        return schema;
    }

    /** A Java object that Jackson would serialize by its bean properties. */
    static final class Account {
        public String getPassword() {
            return "hunter2";
        }
    }

    static Stream<Arguments> unsendableChats() {
        ObjectNode nanSchema = schema();
        ((ObjectNode) nanSchema.get("properties").get("n")).put("minimum", Double.NaN);
        ObjectNode infiniteSchema = schema();
        ((ObjectNode) infiniteSchema.get("properties").get("n")).put("maximum", Float.POSITIVE_INFINITY);
        ObjectNode surrogateKey = schema();
        ((ObjectNode) surrogateKey.get("properties")).putObject("k" + LOW).put("type", "string");
        ObjectNode pojoDeep = NODES.objectNode();
        pojoDeep.putArray("list").add(1).addPOJO(new Account());
        return Stream.of(
                Arguments.of("user text", ChatRequest.builder("m").addMessage(Message.user("cut emoji " + HIGH)).build(),
                        "messages[0].content"),
                Arguments.of("system text, low half", ChatRequest.builder("m").addMessage(Message.system(LOW + "x"))
                        .addMessage(Message.user("hi")).build(), "messages[0].content"),
                Arguments.of("reversed pair", ChatRequest.builder("m").addMessage(Message.user(LOW + HIGH)).build(),
                        "messages[0].content"),
                Arguments.of("text part", ChatRequest.builder("m").addMessage(Message.user(List.of(TextPart.of("a"),
                        TextPart.of("b" + HIGH)))).build(), "messages[0].content[1].text"),
                Arguments.of("message name", ChatRequest.builder("m").addMessage(Message.builder(Role.USER)
                        .content("hi").name("bob" + HIGH).build()).build(), "messages[0].name"),
                Arguments.of("tool call arguments", chat().addMessage(Message.assistantToolCalls(List.of(
                        ToolCall.of("call_1", "f", "{\"q\":\"" + HIGH + "\"}")))).addMessage(Message.tool("call_1", "r"))
                        .build(), "messages[1].tool_calls[0].function.arguments"),
                Arguments.of("tool result", chat().addMessage(Message.tool("call_1", "r" + LOW)).build(),
                        "messages[1].content"),
                Arguments.of("stop", chat().stop("end" + HIGH).build(), "stop[0]"),
                Arguments.of("user", chat().user("u" + HIGH).build(), "user"),
                Arguments.of("metadata", chat().putMetadata("k", "v" + LOW).build(), "metadata['k']"),
                Arguments.of("tool name", chat().addTool(Tool.function("f" + HIGH, schema())).build(),
                        "tools[0].function.name"),
                Arguments.of("tool description", chat().addTool(Tool.builder("f").description("d" + HIGH)
                        .parameters(schema()).build()).build(), "tools[0].function.description"),
                Arguments.of("tool schema key", chat().addTool(Tool.function("f", surrogateKey)).build(),
                        "tools[0].function.parameters.properties key"),
                Arguments.of("NaN in a tool schema", chat().addTool(Tool.function("f", nanSchema)).build(),
                        "tools[0].function.parameters.properties.n.minimum"),
                Arguments.of("infinity in a tool schema", chat().addTool(Tool.function("f", infiniteSchema)).build(),
                        "tools[0].function.parameters.properties.n.maximum"),
                Arguments.of("tool choice", chat().addTool(Tool.function("f", schema()))
                        .toolChoice(ToolChoice.function("f" + HIGH)).build(), "toolChoice.function.name"),
                Arguments.of("NaN in a response schema", chat().responseFormat(ResponseFormat.jsonSchema("r",
                        nanSchema)).build(), "responseFormat.schema"),
                Arguments.of("NaN in extraBody", chat().putExtraBody("temperature_x", NODES.numberNode(Double.NaN))
                        .build(), "extraBody.temperature_x"),
                Arguments.of("-infinity in extraBody", chat().putExtraBody("logit_bias", NODES.objectNode()
                        .put("50256", Double.NEGATIVE_INFINITY)).build(), "extraBody.logit_bias.50256"),
                Arguments.of("Java object in extraBody", chat().putExtraBody("account", NODES.pojoNode(new Account()))
                        .build(), "extraBody.account"),
                Arguments.of("Java object deep in extraBody", chat().putExtraBody("x", pojoDeep).build(),
                        "extraBody.x.list[1]"),
                Arguments.of("binary in extraBody", chat().putExtraBody("b", NODES.binaryNode(new byte[] {1, 2}))
                        .build(), "extraBody.b"),
                Arguments.of("surrogate in extraBody", chat().putExtraBody("s", NODES.textNode("x" + LOW)).build(),
                        "extraBody.s"),
                Arguments.of("message extra field", chat().addMessage(Message.builder(Role.ASSISTANT).content("a")
                        .putExtraField("annotations", NODES.numberNode(Double.NaN)).build()).build(),
                        "messages[1].annotations"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsendableChats")
    void givenUnsendableValue_whenCompletion_thenBadRequestNamingTheFieldAndNoProviderCall(String name,
            ChatRequest request, String field) {
        assertThatThrownBy(() -> router.completion(request)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining(field);
        assertThat(provider.callCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsendableChats")
    void givenUnsendableValue_whenCompletionAsyncOrStream_thenFailedFutureWithBadRequest(String name,
            ChatRequest request, String field) {
        List<Function<ChatRequest, CompletableFuture<ChatResponse>>> calls = List.of(router::completionAsync,
                r -> router.streamAsync(r, chunk -> { }));
        for (Function<ChatRequest, CompletableFuture<ChatResponse>> call : calls) {
            CompletableFuture<ChatResponse> future = call.apply(request);
            assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BadRequestException.class).hasMessageContaining(field);
        }
        assertThat(provider.callCount()).isZero();
    }

    @Test
    void givenLoneSurrogateInAnEmbeddingInput_whenEmbed_thenBadRequest() {
        assertThatThrownBy(() -> router.embedding(EmbeddingRequest.of("m", "fine", "cut " + HIGH)))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("inputs[1]");
        assertThatThrownBy(() -> router.embedding(EmbeddingRequest.builder("m").addInput("x")
                .putExtraBody("o", NODES.pojoNode(new Account())).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("extraBody.o");
        assertThat(provider.callCount()).isZero();
    }

    @Test
    void givenWellFormedPairsAndLargeNumbers_whenCompletion_thenSent() {
        ObjectNode schema = schema();
        ((ObjectNode) schema.get("properties").get("n")).put("maximum", new BigDecimal("1e400"))
                .put("minimum", -1.5e300);
        ChatRequest request = ChatRequest.builder("m").addMessage(Message.user("smile " + HIGH + LOW + " 你好"))
                .addTool(Tool.function("f", schema)).putExtraBody("nothing", NODES.nullNode())
                .putExtraBody("flags", NODES.arrayNode().add(true).add("\uD83D\uDE00")).build();

        ChatResponse response = router.completion(request);

        assertThat(response.text()).isEqualTo("ok");
        assertThat(provider.callCount()).isEqualTo(1);
    }

    @Test
    void reportsTheSurrogateWithoutQuotingTheText() {
        assertThatThrownBy(() -> router.completion(ChatRequest.builder("m")
                .addMessage(Message.user("my secret plan " + HIGH)).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("\\uD83D at index 15")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret plan"));
    }
}
