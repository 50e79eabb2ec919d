package io.llmrouter.langchain4j;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import io.llmrouter.testing.ReceivedRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The models through the real OpenAI adapter to a loopback OpenAI-compatible server: the exact
 * JSON sent (tools, tool results, response format) and the answers returned.
 */
class OpenAiLoopbackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    interface Assistant {
        Result<String> chat(String message);
    }

    record Weather(String city, int celsius) {
    }

    interface WeatherReader {
        Weather read(String report);
    }

    static final class WeatherTools {
        @Tool("Current temperature in a city, in degrees Celsius")
        int temperature(@P("the city") String city) {
            return "Paris".equals(city) ? 21 : 0;
        }
    }

    private static Router routerOn(FaultServer server) {
        return Router.builder().retryPolicy(retry -> retry.numRetries(0))
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("loopback").apiBase(server.url())
                        .apiKey(Secret.of("sk-loopback")).build())
                .build();
    }

    private static Fault completion(String message, String finishReason) {
        return Fault.raw(200, JSON_TYPE, """
                {"id": "chatcmpl-%s", "object": "chat.completion", "created": 1733000000,
                 "model": "gpt-4o-2024-08-06",
                 "choices": [{"index": 0, "finish_reason": "%s", "message": %s}],
                 "usage": {"prompt_tokens": 30, "completion_tokens": 10, "total_tokens": 40}}"""
                .formatted(finishReason, finishReason, message));
    }

    private static JsonNode body(ReceivedRequest request) throws Exception {
        return JSON.readTree(request.body());
    }

    @Test
    void givenAnAiServiceWithATool_whenAsked_thenTheWireCarriesTheToolTheCallAndItsResult() throws Exception {
        try (FaultServer server = FaultServer.openAi()
                .then(completion("""
                        {"role": "assistant", "content": null, "tool_calls": [{"id": "call_7", "type": "function",
                          "function": {"name": "temperature", "arguments": "{\\"arg0\\":\\"Paris\\"}"}}]}""",
                        "tool_calls"))
                .then(completion("{\"role\": \"assistant\", \"content\": \"21 °C in Paris.\"}", "stop"))
                .start();
                Router router = routerOn(server)) {
            Assistant assistant = AiServices.builder(Assistant.class)
                    .chatModel(RouterChatModel.builder(router, "gpt-4o").build())
                    .tools(new WeatherTools()).build();

            Result<String> result = assistant.chat("How warm is it in Paris?");

            assertThat(result.content()).isEqualTo("21 °C in Paris.");
            assertThat(result.finishReason()).isEqualTo(FinishReason.STOP);
            List<ReceivedRequest> sent = server.requests();
            assertThat(sent).hasSize(2);
            assertThat(sent.get(0).method()).isEqualTo("POST");
            assertThat(sent.get(0).path()).endsWith("/chat/completions");
            JsonNode tools = JSON.readTree("""
                    [{"type": "function", "function": {"name": "temperature",
                      "description": "Current temperature in a city, in degrees Celsius",
                      "parameters": {"type": "object",
                        "properties": {"arg0": {"type": "string", "description": "the city"}},
                        "required": ["arg0"]}}}]""");
            assertThat(body(sent.get(0))).isEqualTo(JSON.readTree("""
                    {"model": "gpt-4o",
                     "messages": [{"role": "user", "content": "How warm is it in Paris?"}]}""")
                    .<com.fasterxml.jackson.databind.node.ObjectNode>deepCopy().set("tools", tools));
            assertThat(body(sent.get(1))).isEqualTo(JSON.readTree("""
                    {"model": "gpt-4o",
                     "messages": [{"role": "user", "content": "How warm is it in Paris?"},
                                  {"role": "assistant", "content": null, "tool_calls": [{"id": "call_7", "type": "function",
                                    "function": {"name": "temperature", "arguments": "{\\"arg0\\":\\"Paris\\"}"}}]},
                                  {"role": "tool", "tool_call_id": "call_7", "content": "21"}]}""")
                    .<com.fasterxml.jackson.databind.node.ObjectNode>deepCopy().set("tools", tools));
        }
    }

    @Test
    void givenAStructuredOutputService_whenAsked_thenTheWireCarriesTheJsonSchemaResponseFormat() throws Exception {
        try (FaultServer server = FaultServer.openAi()
                .then(completion("{\"role\": \"assistant\", \"content\": \"{\\\"city\\\":\\\"Oslo\\\",\\\"celsius\\\":-3}\"}",
                        "stop"))
                .start();
                Router router = routerOn(server)) {
            WeatherReader reader = AiServices.create(WeatherReader.class,
                    RouterChatModel.builder(router, "gpt-4o").build());

            Weather weather = reader.read("Oslo, minus three");

            assertThat(weather).isEqualTo(new Weather("Oslo", -3));
            JsonNode format = body(server.requests().get(0)).path("response_format");
            assertThat(format).isEqualTo(JSON.readTree("""
                    {"type": "json_schema",
                     "json_schema": {"name": "Weather",
                       "schema": {"type": "object",
                         "properties": {"city": {"type": "string"}, "celsius": {"type": "integer"}}}}}"""));
        }
    }

    @Test
    void givenThePrimaryServerFailing_whenAsked_thenTheFallbackServerAnswers() {
        try (FaultServer primary = FaultServer.openAi().then(Fault.status(500)).start();
                FaultServer backup = FaultServer.openAi().then(Fault.ok("from the backup")).start();
                Router router = Router.builder().retryPolicy(retry -> retry.numRetries(0))
                        .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("primary")
                                .apiBase(primary.url()).apiKey(Secret.of("sk-primary")).build())
                        .deployment(Deployment.builder("gpt-4o-mini", "openai/gpt-4o-mini").id("backup")
                                .apiBase(backup.url()).apiKey(Secret.of("sk-backup")).build())
                        .fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", "gpt-4o-mini"))
                        .build()) {
            Assistant assistant = AiServices.create(Assistant.class,
                    RouterChatModel.builder(router, "gpt-4o").build());

            Result<String> result = assistant.chat("hello");

            assertThat(result.content()).isEqualTo("from the backup");
            RouterChatResponseMetadata metadata = (RouterChatResponseMetadata) result.finalResponse().metadata();
            assertThat(metadata.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "backup");
            assertThat(primary.callCount()).isEqualTo(1);
            assertThat(backup.callCount()).isEqualTo(1);
        }
    }

    @Test
    void givenAStreamedToolCall_whenStreaming_thenPartialToolCallsThenTheCompleteOneArrive() throws Exception {
        String sse = """
                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_3","type":"function","function":{"name":"temperature","arguments":""}}]},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"arg0\\":"}}]},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"Rome\\"}"}}]},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":8,"total_tokens":28}}

                data: [DONE]

                """;
        try (FaultServer server = FaultServer.openAi().then(Fault.raw(200, "text/event-stream", sse)).start();
                Router router = routerOn(server)) {
            RouterStreamingChatModel model = RouterStreamingChatModel.builder(router, "gpt-4o").build();
            List<String> partials = new CopyOnWriteArrayList<>();
            List<String> complete = new CopyOnWriteArrayList<>();
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();

            model.chat("Rome?", new StreamingChatResponseHandler() {
                @Override
                public void onPartialToolCall(PartialToolCall call) {
                    partials.add(call.index() + " " + call.id() + " " + call.name() + " " + call.partialArguments());
                }

                @Override
                public void onCompleteToolCall(CompleteToolCall call) {
                    complete.add(call.index() + " " + call.toolExecutionRequest().arguments());
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    done.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }
            });

            ChatResponse response = done.get(5, SECONDS);
            assertThat(partials).containsExactly("0 call_3 temperature {\"arg0\":",
                    "0 call_3 temperature \"Rome\"}");
            assertThat(complete).containsExactly("0 {\"arg0\":\"Rome\"}");
            assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
            assertThat(response.aiMessage().toolExecutionRequests()).singleElement()
                    .satisfies(call -> assertThat(call.name()).isEqualTo("temperature"));
            assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(28);
            assertThat(body(server.requests().get(0)).path("stream").asBoolean()).isTrue();
        }
    }
}
