package io.llmrouter.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.testing.FakeProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RouterChatModel} under LangChain4j's AiServices and called directly, on {@link FakeProvider}s. */
class RouterChatModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Router router;

    @AfterEach
    void closeRouter() {
        if (router != null) {
            router.close();
        }
    }

    /** The typed interface the application writes. */
    interface Assistant {
        String chat(String message);
    }

    /** The same, asking for LangChain4j's result with the final response's metadata. */
    interface MeteredAssistant {
        Result<String> chat(String message);
    }

    /** A structured answer. */
    record Weather(String city, int celsius) {
    }

    /** Structured output through a JSON schema response format. */
    interface WeatherReader {
        Weather read(String report);
    }

    /** The application's tool. */
    static final class WeatherTools {
        final List<String> cities = new CopyOnWriteArrayList<>();

        @Tool("Current temperature in a city, in degrees Celsius")
        int temperature(@P("the city") String city) {
            cities.add(city);
            return 21;
        }
    }

    private Router routerWith(FakeProvider provider) {
        router = Router.builder().retryPolicy(retry -> retry.numRetries(0))
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").provider(provider).build())
                .build();
        return router;
    }

    private static io.llmrouter.api.chat.ChatResponse toolCall(String id, String name, String arguments) {
        return io.llmrouter.api.chat.ChatResponse.builder().id("chatcmpl-tool").model("gpt-4o-2024-08-06")
                .addChoice(Choice.of(0, Message.assistantToolCalls(List.of(ToolCall.of(id, name, arguments))),
                        io.llmrouter.api.chat.FinishReason.TOOL_CALLS))
                .usage(Usage.of(40, 12)).build();
    }

    @Test
    void givenAnAiServiceWithATool_whenAsked_thenTheToolRunsAndItsResultGoesBackToTheModelGroup() throws Exception {
        // given
        FakeProvider provider = FakeProvider.builder()
                .reply(toolCall("call_1", "temperature", "{\"arg0\":\"Paris\"}"))
                .reply("It is 21 °C in Paris.").build();
        WeatherTools tools = new WeatherTools();
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(RouterChatModel.builder(routerWith(provider), "gpt-4o").build())
                .tools(tools).build();

        // when
        String answer = assistant.chat("How warm is it in Paris?");

        // then
        assertThat(answer).isEqualTo("It is 21 °C in Paris.");
        assertThat(tools.cities).containsExactly("Paris");
        List<io.llmrouter.api.chat.ChatRequest> sent = provider.requests();
        assertThat(sent).hasSize(2);
        io.llmrouter.api.chat.Tool tool = sent.get(0).tools().get(0);
        assertThat(tool.name()).isEqualTo("temperature");
        assertThat(tool.description()).contains("Current temperature in a city, in degrees Celsius");
        assertThat(tool.parameters().orElseThrow()).isEqualTo(JSON.readTree("""
                {"type": "object",
                 "properties": {"arg0": {"type": "string", "description": "the city"}},
                 "required": ["arg0"]}"""));
        List<Message> followUp = sent.get(1).messages();
        assertThat(followUp).extracting(Message::role).containsExactly(Role.USER, Role.ASSISTANT, Role.TOOL);
        assertThat(followUp.get(1).toolCalls()).containsExactly(ToolCall.of("call_1", "temperature",
                "{\"arg0\":\"Paris\"}"));
        assertThat(followUp.get(2).toolCallId()).contains("call_1");
        assertThat(followUp.get(2).text()).isEqualTo("21");
    }

    @Test
    void givenAnAiServiceReturningAResult_whenAsked_thenItsMetadataCarriesRoutingCostAndUsage() {
        // given
        router = Router.builder()
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("primary")
                        .provider(FakeProvider.failingWith(500)).build())
                .deployment(Deployment.builder("gpt-4o-mini", "openai/gpt-4o-mini").id("backup")
                        .provider(FakeProvider.builder().usage(Usage.of(9, 4)).reply("Bonjour").build()).build())
                .fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", "gpt-4o-mini"))
                .retryPolicy(retry -> retry.numRetries(0))
                .build();
        MeteredAssistant assistant = AiServices.create(MeteredAssistant.class,
                RouterChatModel.builder(router, "gpt-4o").build());

        // when
        Result<String> result = assistant.chat("Say hello in French");

        // then
        assertThat(result.content()).isEqualTo("Bonjour");
        assertThat(result.tokenUsage()).isEqualTo(new TokenUsage(9, 4, 13));
        assertThat(result.finishReason()).isEqualTo(FinishReason.STOP);
        RouterChatResponseMetadata metadata = (RouterChatResponseMetadata) result.finalResponse().metadata();
        assertThat(metadata.routing().orElseThrow().deploymentId()).isEqualTo("backup");
        assertThat(metadata.routing().orElseThrow().isFallback()).isTrue();
        assertThat(metadata.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                .containsExactly("primary", "backup");
        assertThat(metadata.cost().isPriced()).isTrue();
        assertThat(metadata.cost().totalUsd()).hasValueSatisfying(usd -> assertThat(usd).isPositive());
        assertThat(metadata.usage()).contains(Usage.of(9, 4));
    }

    @Test
    void givenAStructuredOutputService_whenAsked_thenAJsonSchemaResponseFormatIsSentAndTheAnswerParsed() {
        // given
        FakeProvider provider = FakeProvider.replying("{\"city\":\"Oslo\",\"celsius\":-3}");
        WeatherReader reader = AiServices.create(WeatherReader.class,
                RouterChatModel.builder(routerWith(provider), "gpt-4o").build());

        // when
        Weather weather = reader.read("Oslo, minus three");

        // then
        assertThat(weather).isEqualTo(new Weather("Oslo", -3));
        io.llmrouter.api.chat.ResponseFormat format = provider.requests().get(0).responseFormat().orElseThrow();
        assertThat(format.type()).isEqualTo(io.llmrouter.api.chat.ResponseFormat.Type.JSON_SCHEMA);
        assertThat(format.name()).contains("Weather");
        assertThat(format.schema().orElseThrow().path("properties").path("celsius").path("type").asText())
                .isEqualTo("integer");
    }

    @Test
    void givenMessagesImagesAndParameters_whenChat_thenTheRouterRequestCarriesThemAll() {
        // given
        FakeProvider provider = FakeProvider.replying("a cat");
        RouterChatModel model = RouterChatModel.builder(routerWith(provider), "gpt-4o").build();
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from("Describe images."),
                        UserMessage.from(TextContent.from("What is this?"),
                                ImageContent.from("https://example.com/cat.png", ImageContent.DetailLevel.LOW),
                                ImageContent.from("aGVsbG8=", "image/png")),
                        AiMessage.from("A dog?"),
                        UserMessage.from("Look again"))
                .parameters(ChatRequestParameters.builder().temperature(0.2).topP(0.9).maxOutputTokens(50)
                        .stopSequences("END").presencePenalty(0.5).frequencyPenalty(0.1)
                        .responseFormat(ResponseFormat.JSON).build())
                .build();

        // when
        ChatResponse response = model.chat(request);

        // then
        assertThat(response.aiMessage().text()).isEqualTo("a cat");
        io.llmrouter.api.chat.ChatRequest sent = provider.requests().get(0);
        assertThat(sent.model()).isEqualTo("gpt-4o");
        assertThat(sent.messages()).extracting(Message::role)
                .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER);
        assertThat(sent.messages().get(1).contentParts()).containsExactly(TextPart.of("What is this?"),
                ImagePart.of("https://example.com/cat.png", io.llmrouter.api.chat.ImageDetail.LOW),
                // LangChain4j's default detail level is LOW
                ImagePart.of("data:image/png;base64,aGVsbG8=", io.llmrouter.api.chat.ImageDetail.LOW));
        assertThat(sent.temperature()).hasValue(0.2);
        assertThat(sent.topP()).hasValue(0.9);
        assertThat(sent.maxTokens()).hasValue(50);
        assertThat(sent.stop()).containsExactly("END");
        assertThat(sent.presencePenalty()).hasValue(0.5);
        assertThat(sent.frequencyPenalty()).hasValue(0.1);
        assertThat(sent.responseFormat()).contains(io.llmrouter.api.chat.ResponseFormat.jsonObject());
    }

    @Test
    void givenTheRouterResponse_whenChat_thenIdModelUsageAndFinishReasonAreLangChain4js() {
        // given
        FakeProvider provider = FakeProvider.builder()
                .reply(toolCall("call_9", "temperature", "{\"arg0\":\"Rome\"}")).build();
        RouterChatModel model = RouterChatModel.builder(routerWith(provider), "gpt-4o").build();

        // when
        ChatResponse response = model.chat(UserMessage.from("Rome?"));

        // then
        assertThat(response.id()).isEqualTo("chatcmpl-tool");
        assertThat(response.modelName()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(response.tokenUsage()).isEqualTo(new TokenUsage(40, 12, 52));
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(response.aiMessage().text()).isNull();
        assertThat(response.aiMessage().toolExecutionRequests()).singleElement().satisfies(call -> {
            assertThat(call.id()).isEqualTo("call_9");
            assertThat(call.name()).isEqualTo("temperature");
            assertThat(call.arguments()).isEqualTo("{\"arg0\":\"Rome\"}");
        });
    }

    @Test
    void givenARequestNamingAnotherModel_whenChat_thenThatModelGroupIsCalled() {
        // given
        FakeProvider mini = FakeProvider.replying("from mini");
        router = Router.builder()
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").provider(FakeProvider.replying("x")).build())
                .deployment(Deployment.builder("gpt-4o-mini", "openai/gpt-4o-mini").provider(mini).build())
                .build();
        RouterChatModel model = RouterChatModel.builder(router, "gpt-4o").build();

        // when
        ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("hi"))
                .parameters(ChatRequestParameters.builder().modelName("gpt-4o-mini").build()).build());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("from mini");
        assertThat(mini.requests()).singleElement().extracting(io.llmrouter.api.chat.ChatRequest::model)
                .isEqualTo("gpt-4o-mini");
    }

    @Test
    void refusesAudioContentBeforeAnyCall() {
        FakeProvider provider = FakeProvider.replying("never");
        RouterChatModel model = RouterChatModel.builder(routerWith(provider), "gpt-4o").build();

        assertThatThrownBy(() -> model.chat(UserMessage.from(AudioContent.from("UklGRg==", "audio/wav"))))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("AUDIO");
        assertThat(provider.callCount()).isZero();
    }

    @Test
    void refusesTopKBeforeAnyCall() {
        FakeProvider provider = FakeProvider.replying("never");
        RouterChatModel model = RouterChatModel.builder(routerWith(provider), "gpt-4o").build();

        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("hi"))
                .parameters(ChatRequestParameters.builder().topK(5).build()).build()))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("topK");
        assertThat(provider.callCount()).isZero();
    }

    @Test
    void refusesATemperatureTheRequestBuilderRejectsAsAnInvalidRequestBeforeAnyCall() {
        FakeProvider provider = FakeProvider.replying("never");
        RouterChatModel model = RouterChatModel.builder(routerWith(provider), "gpt-4o").build();

        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("hi"))
                .parameters(ChatRequestParameters.builder().temperature(3.0).build()).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("temperature")
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(provider.callCount()).isZero();
    }

    @Test
    void refusesABase64ImageWithoutMimeTypeBeforeAnyCall() {
        FakeProvider provider = FakeProvider.replying("never");
        RouterChatModel model = RouterChatModel.builder(routerWith(provider), "gpt-4o").build();
        ImageContent image = ImageContent.from(Image.builder().base64Data("aGVsbG8=").build());

        assertThatThrownBy(() -> model.chat(UserMessage.from(TextContent.from("what?"), image)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("MIME type");
        assertThat(provider.callCount()).isZero();
    }

    @Test
    void givenReasoningAndAToolChoice_whenChat_thenToolChoiceIsSentAndReasoningIsThinking() {
        FakeProvider provider = FakeProvider.builder().reply(io.llmrouter.api.chat.ChatResponse.builder()
                .id("chatcmpl-r").model("o3").addChoice(Choice.of(0, Message.builder(Role.ASSISTANT)
                        .content("42").reasoningContent("6 times 7").build(),
                        io.llmrouter.api.chat.FinishReason.STOP)).build()).build();
        RouterChatModel model = RouterChatModel.builder(routerWith(provider), "gpt-4o").build();

        ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("6 x 7?"))
                .parameters(ChatRequestParameters.builder()
                        .toolSpecifications(ToolSpecification.builder().name("calculator").build())
                        .toolChoice(ToolChoice.REQUIRED).build()).build());

        assertThat(response.aiMessage().text()).isEqualTo("42");
        assertThat(response.aiMessage().thinking()).isEqualTo("6 times 7");
        io.llmrouter.api.chat.ChatRequest sent = provider.requests().get(0);
        assertThat(sent.toolChoice()).contains(io.llmrouter.api.chat.ToolChoice.required());
        assertThat(sent.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.name()).isEqualTo("calculator");
            assertThat(tool.parameters()).isEmpty();
        });
    }

    @Test
    void givenEveryDeploymentFailing_whenChat_thenLangChain4jsExceptionKeepsTheRoutersAsCause() {
        RouterChatModel model = RouterChatModel.builder(routerWith(FakeProvider.failingWith(500)), "gpt-4o")
                .build();

        assertThatThrownBy(() -> model.chat("hi"))
                .isInstanceOf(InternalServerException.class)
                .cause().isInstanceOf(ProviderServerException.class);
    }

    @Test
    void givenAJsonSchemaResponseFormat_whenChat_thenTheSchemaIsWrittenAsJsonSchema() throws Exception {
        FakeProvider provider = FakeProvider.replying("{}");
        RouterChatModel model = RouterChatModel.builder(routerWith(provider), "gpt-4o").build();
        JsonSchema schema = JsonSchema.builder().name("Person").rootElement(JsonObjectSchema.builder()
                .addStringProperty("name").addIntegerProperty("age", "in years")
                .addEnumProperty("role", List.of("admin", "user")).required("name").additionalProperties(false)
                .build()).build();

        model.chat(ChatRequest.builder().messages(UserMessage.from("who?")).responseFormat(
                ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build()).build());

        io.llmrouter.api.chat.ResponseFormat sent = provider.requests().get(0).responseFormat().orElseThrow();
        assertThat(sent.name()).contains("Person");
        JsonNode expected = JSON.readTree("""
                {"type": "object",
                 "properties": {"name": {"type": "string"},
                                "age": {"type": "integer", "description": "in years"},
                                "role": {"type": "string", "enum": ["admin", "user"]}},
                 "required": ["name"],
                 "additionalProperties": false}""");
        assertThat(sent.schema()).contains(expected);
    }
}
