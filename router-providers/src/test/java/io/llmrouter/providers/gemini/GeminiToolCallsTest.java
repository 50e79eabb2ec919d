package io.llmrouter.providers.gemini;

import static io.llmrouter.providers.gemini.GeminiTestSupport.call;
import static io.llmrouter.providers.gemini.GeminiTestSupport.json;
import static io.llmrouter.providers.gemini.GeminiTestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.providers.testsupport.StartedServers;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Function calling through the adapter: ids Gemini does not send, and results sent back by function name. */
@ExtendWith(StartedServers.class)
class GeminiToolCallsTest {

    private static final List<Tool> TOOLS = List.of(
            Tool.builder("get_weather").description("Current weather for a city").parameters(tree("""
                    {"type":"object","properties":{"city":{"type":"string"},
                     "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}""")).build(),
            Tool.builder("get_local_time").description("Local time in a city").parameters(tree("""
                    {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")).build());

    private final MockWebServer server = new MockWebServer();

    /** A provider with the default (random) id generator. */
    private GeminiProvider provider() {
        return GeminiProvider.builder().defaultApiBase(server.url("/v1beta").toString()).build();
    }

    @Test
    void givenModelCallsTwoFunctions_whenResultsSentBack_thenSecondRequestAnswersEachByNameAndFinalAnswerReturns()
            throws Exception {
        // given: the model asks for two function calls
        server.enqueue(json(200, resource("response-function-call.json")));
        server.enqueue(json(200, resource("response-final-answer.json")));
        Message question = Message.user("What is the weather and the local time in Lyon?");
        ChatRequest first = ChatRequest.builder("gemini-2.0-flash").addMessage(question).tools(TOOLS).build();
        ChatResponse calls = await(provider().completeAsync(call(first).build()));
        assertThat(calls.finishReason()).contains(FinishReason.TOOL_CALLS);
        List<ToolCall> toolCalls = calls.toolCalls();
        assertThat(toolCalls).extracting(ToolCall::name).containsExactly("get_weather", "get_local_time");
        // when: the caller runs them and sends the results back, by tool call id
        ChatRequest second = ChatRequest.builder("gemini-2.0-flash")
                .addMessage(question)
                .addMessage(calls.choices().get(0).message())
                .addMessage(Message.tool(toolCalls.get(0).id(), "{\"temperature_c\":21}"))
                .addMessage(Message.tool(toolCalls.get(1).id(), "14:05"))
                .tools(TOOLS)
                .build();
        ChatResponse answer = await(provider().completeAsync(call(second).build()));
        // then
        server.takeRequest(5, SECONDS);
        RecordedRequest secondSent = server.takeRequest(5, SECONDS);
        assertThat(tree(secondSent.getBody().utf8())).isEqualTo(tree(resource("request-tool-round-trip.json")));
        assertThat(answer.text()).isEqualTo("It is 21 °C in Lyon and the local time is 14:05.");
        assertThat(answer.finishReason()).contains(FinishReason.STOP);
        assertThat(answer.id()).isEqualTo("resp-llmrouter-tools-2");
    }

    @Test
    void givenFunctionCallsWithoutIds_whenComplete_thenGeneratedIdsAreUniqueAndCallShaped() throws Exception {
        // given: five calls, two of them identical
        server.enqueue(json(200, """
                {"candidates":[{"content":{"role":"model","parts":[
                  {"functionCall":{"name":"lookup","args":{"q":"a"}}},
                  {"functionCall":{"name":"lookup","args":{"q":"a"}}},
                  {"functionCall":{"name":"lookup","args":{"q":"b"}}},
                  {"functionCall":{"name":"now"}},
                  {"functionCall":{"name":"lookup","args":{"z":1,"a":{"y":[1,2],"b":null}}}}]},
                 "finishReason":"STOP"}]}"""));
        // when
        ChatResponse response = await(provider().completeAsync(call(ChatRequest.ofUser("gemini-2.0-flash", "go"))
                .build()));
        // then
        List<ToolCall> calls = response.toolCalls();
        assertThat(calls).hasSize(5);
        assertThat(calls).extracting(ToolCall::id).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).matches("call_[A-Za-z0-9]{24}"));
        assertThat(calls.get(3).arguments()).isEqualTo("{}");
        assertThat(calls.get(4).arguments()).as("compact, in received key order")
                .isEqualTo("{\"z\":1,\"a\":{\"y\":[1,2],\"b\":null}}");
    }

    @Test
    void givenFunctionCallWithIdAndThoughtSignature_whenReplayed_thenIdKeptAndSignatureReattached() throws Exception {
        // given
        server.enqueue(json(200, """
                {"candidates":[{"content":{"role":"model","parts":[
                  {"text":"I need the time first.","thought":true},
                  {"functionCall":{"id":"fc-7","name":"now","args":{}},"thoughtSignature":"c2lnbmF0dXJlLTE="}]},
                 "finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"thoughtsTokenCount":30,
                  "totalTokenCount":45}}"""));
        server.enqueue(json(200, resource("response-final-answer.json")));
        Message question = Message.user("How many days until New Year's Eve?");
        Tool now = Tool.function("now", tree("{\"type\":\"object\",\"properties\":{}}"));
        // when
        ChatResponse first = await(provider().completeAsync(call(ChatRequest.builder("gemini-2.5-pro")
                .addMessage(question).addTool(now).build()).build()));
        Message assistant = first.choices().get(0).message();
        await(provider().completeAsync(call(ChatRequest.builder("gemini-2.5-pro").addMessage(question)
                .addMessage(assistant).addMessage(Message.tool("fc-7", "{\"iso\":\"2025-06-01T12:00:00Z\"}"))
                .addTool(now).build()).build()));
        // then
        assertThat(first.toolCalls()).containsExactly(ToolCall.of("fc-7", "now", "{}"));
        assertThat(assistant.extraFields()).containsEntry(GeminiProvider.THOUGHT_SIGNATURES_FIELD,
                tree("{\"fc-7\":\"c2lnbmF0dXJlLTE=\"}"));
        assertThat(assistant.reasoningContent().orElseThrow())
                .isEqualTo("I need the time first.");
        assertThat(first.usage().orElseThrow().completionTokens()).isEqualTo(35);
        server.takeRequest(5, SECONDS);
        JsonNode contents = tree(server.takeRequest(5, SECONDS).getBody().utf8()).get("contents");
        assertThat(contents.get(1)).as("the thought is not replayed; the signature is").isEqualTo(tree("""
                {"role":"model","parts":[{"functionCall":{"name":"now","args":{}},
                 "thoughtSignature":"c2lnbmF0dXJlLTE="}]}"""));
        assertThat(contents.get(2)).isEqualTo(tree("""
                {"role":"user","parts":[{"functionResponse":{"name":"now",
                 "response":{"iso":"2025-06-01T12:00:00Z"}}}]}"""));
    }

    @Test
    void givenAssistantTextWithToolCallAndNonObjectResults_whenComplete_thenTextPartFirstAndResultsWrapped()
            throws Exception {
        server.enqueue(json(200, resource("response-final-answer.json")));
        ChatRequest request = ChatRequest.builder("gemini-2.0-flash")
                .addMessage(Message.user("Weather?"))
                .addMessage(Message.builder(Role.ASSISTANT).content("Checking.")
                        .toolCalls(List.of(ToolCall.of("a", "get_weather", "{\"city\":\"Lyon\"}"),
                                ToolCall.of("b", "get_weather", "")))
                        .build())
                .addMessage(Message.tool("a", "[21, 22]"))
                .addMessage(Message.tool("b", "sunny"))
                .addMessage(Message.user("Thanks, and tomorrow?"))
                .build();

        await(provider().completeAsync(call(request).build()));

        JsonNode contents = tree(server.takeRequest(5, SECONDS).getBody().utf8()).get("contents");
        assertThat(contents).isEqualTo(tree("""
                [{"role":"user","parts":[{"text":"Weather?"}]},
                 {"role":"model","parts":[{"text":"Checking."},
                   {"functionCall":{"name":"get_weather","args":{"city":"Lyon"}}},
                   {"functionCall":{"name":"get_weather","args":{}}}]},
                 {"role":"user","parts":[
                   {"functionResponse":{"name":"get_weather","response":{"output":[21,22]}}},
                   {"functionResponse":{"name":"get_weather","response":{"output":"sunny"}}},
                   {"text":"Thanks, and tomorrow?"}]}]"""));
    }
}
