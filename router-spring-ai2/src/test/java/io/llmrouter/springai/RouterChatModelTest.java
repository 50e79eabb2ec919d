package io.llmrouter.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.testing.FakeProvider;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.SimpleLoggerAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.content.Media;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.util.MimeTypeUtils;
import reactor.core.Disposable;

class RouterChatModelTest {

    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private RouterChatModel model(FakeProvider provider) {
        router = Router.builder()
                .deployment(Deployment.builder("chat", "fake/small").id("primary").provider(provider)
                        .price(ModelPrice.builder().inputPerToken("0.000001").outputPerToken("0.000002").build())
                        .build())
                .retryPolicy(r -> r.numRetries(0))
                .build();
        return RouterChatModel.builder(router, "chat").build();
    }

    /** An advisor that records what passes through it. */
    static final class Recording implements CallAdvisor {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
            seen.add("request:" + request.prompt().getUserMessage().getText());
            ChatClientResponse response = chain.nextCall(request);
            seen.add("response:" + response.chatResponse().getResult().getOutput().getText());
            return response;
        }

        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public int getOrder() {
            return 0;
        }
    }

    @Test
    void givenChatClientWithAdvisors_whenCall_thenRouterAnswersThroughThem() {
        FakeProvider fake = FakeProvider.replying("Hello from the router");
        Recording recording = new Recording();
        ChatClient client = ChatClient.builder(model(fake)).defaultAdvisors(recording, new SimpleLoggerAdvisor()).build();

        String content = client.prompt().system("Be brief.").user("Hi there").call().content();

        assertThat(content).isEqualTo("Hello from the router");
        assertThat(recording.seen).containsExactly("request:Hi there", "response:Hello from the router");
        ChatRequest sent = fake.requests().get(0);
        assertThat(sent.model()).isEqualTo("small");
        assertThat(sent.messages()).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER);
        assertThat(sent.messages()).extracting(Message::text).containsExactly("Be brief.", "Hi there");
    }

    @Test
    void optionsAreMappedAndDefaultsApply() {
        FakeProvider fake = FakeProvider.replying("ok");
        model(fake);
        RouterChatModel model = RouterChatModel.builder(router, "chat")
                .defaultOptions(RouterChatOptions.builder().temperature(0.3).maxTokens(50).user("alice").build())
                .build();

        model.call(new Prompt("hi", RouterChatOptions.builder().topP(0.9).stopSequences(List.of("END")).seed(7L).build()));

        ChatRequest sent = fake.requests().get(0);
        assertThat(sent.temperature()).hasValue(0.3);
        assertThat(sent.maxTokens()).hasValue(50);
        assertThat(sent.topP()).hasValue(0.9);
        assertThat(sent.stop()).containsExactly("END");
        assertThat(sent.seed()).hasValue(7L);
        assertThat(sent.user()).hasValue("alice");
    }

    static final class WeatherTools {
        final List<String> asked = new ArrayList<>();

        @Tool(description = "The current temperature in a city, in Celsius")
        int temperature(@ToolParam(description = "the city") String city) {
            asked.add(city);
            return 21;
        }
    }

    @Test
    void givenToolCall_whenChatClientCalls_thenToolRunsAndTheModelAnswersWithItsResult() {
        io.llmrouter.api.chat.ChatResponse toolCall = io.llmrouter.api.chat.ChatResponse.builder().id("r1").model("small")
                .addChoice(Choice.of(0, Message.assistantToolCalls(
                        List.of(ToolCall.of("call-1", "temperature", "{\"city\":\"Paris\"}"))), FinishReason.TOOL_CALLS))
                .build();
        FakeProvider fake = FakeProvider.builder().reply(toolCall).reply("It is 21 degrees in Paris.").build();
        WeatherTools tools = new WeatherTools();

        String content = ChatClient.create(model(fake)).prompt("How warm is Paris?").tools(tools).call().content();

        assertThat(content).isEqualTo("It is 21 degrees in Paris.");
        assertThat(tools.asked).containsExactly("Paris");
        ChatRequest first = fake.requests().get(0);
        assertThat(first.tools()).extracting(io.llmrouter.api.chat.Tool::name).containsExactly("temperature");
        assertThat(first.tools().get(0).parameters()).hasValueSatisfying(
                schema -> assertThat(schema.at("/properties/city/type").asText()).isEqualTo("string"));
        ChatRequest second = fake.requests().get(1);
        assertThat(second.messages()).extracting(Message::role).containsExactly(Role.USER, Role.ASSISTANT, Role.TOOL);
        assertThat(second.messages().get(1).toolCalls()).extracting(ToolCall::id).containsExactly("call-1");
        assertThat(second.messages().get(2).toolCallId()).hasValue("call-1");
        assertThat(second.messages().get(2).text()).isEqualTo("21");
    }

    @Test
    void givenAToolCall_whenTheModelIsCalledWithoutChatClient_thenTheToolCallIsReturnedNotRun() {
        io.llmrouter.api.chat.ChatResponse toolCall = io.llmrouter.api.chat.ChatResponse.builder().id("r1").model("small")
                .addChoice(Choice.of(0, Message.assistantToolCalls(
                        List.of(ToolCall.of("call-1", "temperature", "{\"city\":\"Oslo\"}"))), FinishReason.TOOL_CALLS))
                .build();
        FakeProvider fake = FakeProvider.builder().reply(toolCall).build();
        WeatherTools tools = new WeatherTools();

        // Spring AI 2.0: models return tool calls; ChatClient's tool calling advisor runs them
        ChatResponse response = model(fake).call(new Prompt("How warm is Oslo?",
                RouterChatOptions.builder().toolCallbacks(List.of(ToolCallbacks.from(tools))).build()));

        assertThat(tools.asked).isEmpty();
        assertThat(response.getResult().getOutput().getToolCalls()).singleElement()
                .satisfies(c -> assertThat(c.arguments()).isEqualTo("{\"city\":\"Oslo\"}"));
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("TOOL_CALLS");
    }

    record Forecast(String city, int celsius) {
    }

    @Test
    void structuredOutputMapsTheAnswerToARecord() {
        FakeProvider fake = FakeProvider.replying("{\"city\":\"Paris\",\"celsius\":21}");

        Forecast forecast = ChatClient.create(model(fake)).prompt("Forecast for Paris?").call().entity(Forecast.class);

        assertThat(forecast).isEqualTo(new Forecast("Paris", 21));
        // BeanOutputConverter asks for the JSON format in the prompt
        assertThat(fake.requests().get(0).messages().get(0).text()).contains("celsius");
    }

    @Test
    void outputSchemaIsSentAsJsonSchemaResponseFormat() {
        FakeProvider fake = FakeProvider.replying("{\"city\":\"Paris\",\"celsius\":21}");
        String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";

        model(fake).call(new Prompt("x", RouterChatOptions.builder().outputSchema(schema).build()));

        assertThat(fake.requests().get(0).responseFormat()).hasValueSatisfying(f -> {
            assertThat(f.type().wireValue()).isEqualTo("json_schema");
            assertThat(f.schema()).hasValueSatisfying(s -> assertThat(s.at("/properties/city/type").asText()).isEqualTo("string"));
        });
    }

    @Test
    void streamingEmitsTheTextThenALastItemWithUsageAndCost() {
        FakeProvider fake = FakeProvider.builder().usage(Usage.of(12, 3)).stream("Hel", "lo", " world").build();
        RouterChatModel model = model(fake);

        List<String> pieces = ChatClient.create(model).prompt("hi").stream().content().collectList().block();
        assertThat(String.join("", pieces)).isEqualTo("Hello world");

        List<ChatResponse> responses = model.stream(new Prompt("hi")).collectList().block();
        ChatResponse last = responses.get(responses.size() - 1);
        assertThat(last.getResult().getOutput().getText()).isEmpty();
        assertThat(last.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
        assertThat(last.getMetadata().getUsage().getPromptTokens()).isEqualTo(12);
        assertThat(last.getMetadata().getUsage().getCompletionTokens()).isEqualTo(3);
        assertThat((BigDecimal) last.getMetadata().get(RouterChatModel.METADATA_COST_USD)).isEqualByComparingTo("0.000018");
    }

    @Test
    void usageCostAndRoutingAreInTheMetadata() {
        FakeProvider fake = FakeProvider.builder().usage(Usage.of(100, 10)).reply("fine").build();

        ChatResponse response = model(fake).call(new Prompt("hi"));

        assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(100);
        assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(10);
        assertThat(response.getMetadata().getUsage().getTotalTokens()).isEqualTo(110);
        assertThat(response.getMetadata().getUsage().getNativeUsage()).isInstanceOf(Usage.class);
        assertThat((BigDecimal) response.getMetadata().get(RouterChatModel.METADATA_COST_USD)).isEqualByComparingTo("0.00012");
        assertThat((String) response.getMetadata().get(RouterChatModel.METADATA_DEPLOYMENT_ID)).isEqualTo("primary");
        assertThat((String) response.getMetadata().get(RouterChatModel.METADATA_MODEL_GROUP)).isEqualTo("chat");
        assertThat((Boolean) response.getMetadata().get(RouterChatModel.METADATA_FALLBACK)).isFalse();
        List<Attempt> attempts = response.getMetadata().get(RouterChatModel.METADATA_ATTEMPTS);
        assertThat(attempts).extracting(Attempt::deploymentId).containsExactly("primary");
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
    }

    @Test
    void userImagesAreSentAsImageParts() {
        FakeProvider fake = FakeProvider.replying("a cat");
        UserMessage message = UserMessage.builder().text("What is this?")
                .media(new Media(MimeTypeUtils.IMAGE_PNG, new org.springframework.core.io.ByteArrayResource(new byte[] {1, 2, 3})))
                .build();

        model(fake).call(new Prompt(message));

        Message sent = fake.requests().get(0).messages().get(0);
        assertThat(sent.contentParts()).hasSize(2);
        assertThat(sent.contentParts().get(1)).isInstanceOfSatisfying(ImagePart.class,
                p -> assertThat(p.url()).isEqualTo("data:image/png;base64,AQID"));
    }

    @Test
    void routerErrorsReachTheCallerTyped() {
        RouterChatModel model = model(FakeProvider.failingWith(429));

        assertThatThrownBy(() -> model.call(new Prompt("hi"))).isInstanceOf(RateLimitException.class);
        assertThatThrownBy(() -> model.stream(new Prompt("hi")).blockLast()).isInstanceOf(RateLimitException.class);
        assertThatThrownBy(() -> ChatClient.create(model).prompt("hi").call().content())
                .isInstanceOf(RateLimitException.class);
    }

    @Test
    void cancellingTheStreamEndsTheRouterCall() throws Exception {
        RouterChatModel model = model(FakeProvider.builder().hang().build());

        Disposable subscription = model.stream(new Prompt("hi")).subscribe();
        awaitInFlight(1);
        subscription.dispose();

        awaitInFlight(0);
    }

    private void awaitInFlight(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (router.deploymentStatuses().get(0).inFlight() != expected && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // poll until the deadline
        }
        assertThat(router.deploymentStatuses().get(0).inFlight()).isEqualTo(expected);
    }

    @Test
    void embeddingModelEmbedsThroughTheRouter() {
        FakeProvider fake = FakeProvider.replying("unused");
        model(fake);
        RouterEmbeddingModel embeddings = new RouterEmbeddingModel(router, "chat");

        float[] vector = embeddings.embed("hello");
        List<float[]> vectors = embeddings.embed(List.of("a", "b"));

        assertThat(vector).hasSize(FakeProvider.DEFAULT_DIMENSIONS);
        assertThat(vectors).hasSize(2);
        assertThat(fake.embeddingRequests().get(1).inputs()).containsExactly("a", "b");
    }
}
