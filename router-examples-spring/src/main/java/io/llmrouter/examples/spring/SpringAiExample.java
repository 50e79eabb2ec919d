package io.llmrouter.examples.spring;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.springai.RouterChatModel;
import io.llmrouter.testing.FakeProvider;
import java.util.List;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.SimpleLoggerAdvisor;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.tool.annotation.Tool;

/**
 * Spring AI's {@code ChatClient} over the router: an advisor, a {@code @Tool} the model calls,
 * and the usage and cost in the response metadata. The model group {@code gpt-4o} is a scripted
 * {@link FakeProvider} (first a tool call, then the answer), so it runs without keys or network:
 * {@code mvn -pl router-examples-spring -am exec:java -Dexec.mainClass=io.llmrouter.examples.spring.SpringAiExample}.
 */
public final class SpringAiExample {

    private SpringAiExample() {
    }

    /** The application's tool. */
    static final class Weather {
        @Tool(description = "The current temperature in a city, in Celsius")
        int temperature(String city) {
            System.out.println("tool called: temperature(" + city + ")");
            return 21;
        }
    }

    /**
     * Runs the example.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        FakeProvider model = FakeProvider.builder().usage(Usage.of(40, 12))
                .reply(io.llmrouter.api.chat.ChatResponse.builder().id("r1").model("gpt-4o")
                        .addChoice(Choice.of(0, Message.assistantToolCalls(
                                List.of(ToolCall.of("call-1", "temperature", "{\"city\":\"Paris\"}"))), FinishReason.TOOL_CALLS))
                        .build())
                .reply("It is 21 °C in Paris.")
                .build();
        try (Router router = Router.builder()
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("primary").provider(model).build())
                .build()) {
            ChatClient client = ChatClient.builder(RouterChatModel.builder(router, "gpt-4o").build())
                    .defaultAdvisors(new SimpleLoggerAdvisor())
                    .build();

            ChatResponse response = client.prompt("How warm is it in Paris?").tools(new Weather()).call().chatResponse();

            System.out.println("answer: " + response.getResult().getOutput().getText());
            System.out.println("tokens: " + response.getMetadata().getUsage().getTotalTokens());
            System.out.println("cost USD: " + response.getMetadata().get(RouterChatModel.METADATA_COST_USD));
            System.out.println("deployment: " + response.getMetadata().get(RouterChatModel.METADATA_DEPLOYMENT_ID));
        }
    }
}
