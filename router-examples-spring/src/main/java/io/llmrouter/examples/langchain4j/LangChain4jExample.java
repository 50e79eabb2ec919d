package io.llmrouter.examples.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.langchain4j.RouterChatModel;
import io.llmrouter.langchain4j.RouterChatResponseMetadata;
import io.llmrouter.testing.FakeProvider;
import java.time.Duration;
import java.util.List;

/**
 * LangChain4j's {@code AiServices} over a router: a typed assistant interface with a tool, unchanged
 * LangChain4j code, and the router underneath. The primary model group is rate limited, so the call
 * falls back to the second group, which asks for the tool, gets its result and answers. The example
 * prints the answer, which deployment served it after which attempts, and its cost. No network
 * and no key: the deployments are {@link FakeProvider}s.
 *
 * <p>Run it with {@code mvn -q -pl router-examples-spring -am exec:java
 * -Dexec.mainClass=io.llmrouter.examples.langchain4j.LangChain4jExample}.
 */
public final class LangChain4jExample {

    private LangChain4jExample() {
    }

    /** The application's typed assistant; {@link Result} also carries the final response's metadata. */
    interface TravelAssistant {
        /**
         * Answers a question, calling tools as the model asks.
         *
         * @param question the question
         * @return the answer and the final response
         */
        Result<String> chat(String question);
    }

    /** The application's tool, called by LangChain4j when the model asks for it. */
    static final class WeatherTools {
        /**
         * The temperature in a city (always 21 here).
         *
         * @param city the city
         * @return degrees Celsius
         */
        @Tool("Current temperature in a city, in degrees Celsius")
        int temperature(@P("the city") String city) {
            System.out.println("tool called: temperature(" + city + ")");
            return 21;
        }
    }

    /**
     * Asks the assistant one question and prints what the router did.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        // The backup's script: first ask for the tool, then answer with its result. The argument is
        // named "city" as in the tool's schema: this module compiles with -parameters, as Spring
        // Boot's and most LangChain4j builds do (without it, LangChain4j names it "arg0").
        FakeProvider backup = FakeProvider.builder().usage(Usage.of(42, 11))
                .reply(ChatResponse.builder().id("chatcmpl-tool").model("gpt-4o-mini")
                        .addChoice(Choice.of(0, Message.assistantToolCalls(List.of(
                                ToolCall.of("call_1", "temperature", "{\"city\":\"Paris\"}"))), FinishReason.TOOL_CALLS))
                        .usage(Usage.of(30, 8)).build())
                .reply("It is 21 °C in Paris: a light jacket will do.")
                .build();
        try (Router router = Router.builder()
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("primary")
                        .provider(FakeProvider.failingWith(429, Duration.ofSeconds(30))).build())
                .deployment(Deployment.builder("gpt-4o-mini", "openai/gpt-4o-mini").id("backup").provider(backup)
                        .build())
                .fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", "gpt-4o-mini"))
                .retryPolicy(retry -> retry.numRetries(0))
                .build()) {

            // Plain LangChain4j from here: only the model comes from llmrouter.
            TravelAssistant assistant = AiServices.builder(TravelAssistant.class)
                    .chatModel(RouterChatModel.builder(router, "gpt-4o").build())
                    .tools(new WeatherTools())
                    .build();

            Result<String> result = assistant.chat("Do I need a coat in Paris today?");

            RouterChatResponseMetadata metadata = (RouterChatResponseMetadata) result.finalResponse().metadata();
            RoutingInfo routing = metadata.routing().orElseThrow();
            System.out.println("answer: " + result.content());
            System.out.println("served by: " + routing.deploymentId() + " (" + routing.providerRoute() + ")");
            System.out.println("attempts: " + routing.attempts().size() + ", fallback: " + routing.isFallback());
            System.out.println("tokens, both calls: " + result.tokenUsage().totalTokenCount());
            System.out.println("cost of the last call: "
                    + metadata.cost().totalUsd().map(usd -> usd.toPlainString() + " USD").orElse("unpriced"));
        }
    }
}
