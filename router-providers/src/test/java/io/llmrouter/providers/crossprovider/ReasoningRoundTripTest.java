package io.llmrouter.providers.crossprovider;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.providers.anthropic.AnthropicProvider;
import io.llmrouter.providers.gemini.GeminiProvider;
import io.llmrouter.providers.openai.OpenAiCompatibleVendor;
import io.llmrouter.providers.openai.OpenAiProvider;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.testing.RecordingSink;
import java.io.IOException;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model's reasoning survives a multi-turn conversation, streamed or not: the assistant message
 * an adapter returns carries {@link Message#reasoningContent()} (and the vendor's signatures), and
 * sending it back with the tool's result writes the vendor's own fields in the next request, checked
 * here to the exact JSON body. Bodies written from DeepSeek's, Anthropic's and Gemini's API references.
 */
@ExtendWith(StartedServers.class)
class ReasoningRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Tool WEATHER = Tool.function("get_weather", tree("""
            {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    private final MockWebServer server = new MockWebServer();

    // ------------------------------------------------------------------------------ DeepSeek (OpenAI-compatible)

    @ParameterizedTest(name = "streamed: {0}")
    @ValueSource(booleans = {false, true})
    void givenDeepSeekReasoningWithToolCall_whenSentBack_thenReasoningContentIsWrittenBack(boolean streamed)
            throws Exception {
        // given: turn 1 answers with reasoning and a tool call
        server.enqueue(streamed ? sse("""
                data: {"id":"ds-1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":"I need the "},"finish_reason":null}]}

                data: {"id":"ds-1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{"reasoning_content":"weather first."},"finish_reason":null}]}

                data: {"id":"ds-1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_0","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},"finish_reason":null}]}

                data: {"id":"ds-1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

                data: [DONE]

                """) : json("""
                {"id":"ds-1","object":"chat.completion","created":1,"model":"deepseek-reasoner",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,
                  "reasoning_content":"I need the weather first.",
                  "tool_calls":[{"id":"call_0","type":"function","function":{"name":"get_weather",
                   "arguments":"{\\"city\\":\\"Paris\\"}"}}]},"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}"""));
        server.enqueue(json("""
                {"id":"ds-2","object":"chat.completion","created":2,"model":"deepseek-reasoner",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"It is sunny."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25}}"""));
        Provider provider = OpenAiProvider.of(OpenAiCompatibleVendor.DEEPSEEK);
        ChatRequest first = ChatRequest.builder("deepseek-reasoner").addMessage(Message.user("Weather in Paris?"))
                .addTool(WEATHER).build();
        // when
        JsonNode second = secondTurnAfterToolCall(provider, "deepseek/deepseek-reasoner", server.url("/v1").toString(), first, streamed, "call_0");
        // then
        assertThat(second).isEqualTo(tree("""
                {"model":"deepseek-reasoner","messages":[
                  {"role":"user","content":"Weather in Paris?"},
                  {"role":"assistant","content":null,"reasoning_content":"I need the weather first.",
                   "tool_calls":[{"id":"call_0","type":"function","function":{"name":"get_weather",
                    "arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","content":"sunny","tool_call_id":"call_0"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}}]}"""));
    }

    // ------------------------------------------------------------------------------ Anthropic

    @ParameterizedTest(name = "streamed: {0}")
    @ValueSource(booleans = {false, true})
    void givenAnthropicThinkingWithSignature_whenSentBack_thenThinkingBlockPrecedesToolUse(boolean streamed)
            throws Exception {
        // given
        server.enqueue(streamed ? sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"I need the "}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"weather first."}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDdM5wfE9Pfw=="}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\":\\"Paris\\"}"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":1}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":30}}

                event: message_stop
                data: {"type":"message_stop"}

                """) : json("""
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"thinking","thinking":"I need the weather first.",
                   "signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDdM5wfE9Pfw=="},
                  {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}}],
                 "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":30}}"""));
        server.enqueue(json("""
                {"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"text","text":"It is sunny."}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":50,"output_tokens":5}}"""));
        Provider provider = AnthropicProvider.create();
        ChatRequest first = ChatRequest.builder("claude-sonnet-4-5").addMessage(Message.user("Weather in Paris?"))
                .addTool(WEATHER).maxTokens(2048).build();
        // when
        JsonNode second = secondTurnAfterToolCall(provider, "anthropic/claude-sonnet-4-5", server.url("/").toString(), first, streamed, "toolu_01");
        // then
        assertThat(second).isEqualTo(tree("""
                {"model":"claude-sonnet-4-5","max_tokens":2048,"messages":[
                  {"role":"user","content":"Weather in Paris?"},
                  {"role":"assistant","content":[
                    {"type":"thinking","thinking":"I need the weather first.",
                     "signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxDdM5wfE9Pfw=="},
                    {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"sunny"}]}],
                 "tools":[{"name":"get_weather","input_schema":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}]}"""));
    }

    // ------------------------------------------------------------------------------ Gemini

    @ParameterizedTest(name = "streamed: {0}")
    @ValueSource(booleans = {false, true})
    void givenGeminiThoughtSignature_whenSentBack_thenSignatureIsReattachedToTheFunctionCall(boolean streamed)
            throws Exception {
        // given
        server.enqueue(streamed ? sse("""
                data: {"candidates":[{"content":{"parts":[{"text":"I need the weather first.","thought":true}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash"}

                data: {"candidates":[{"content":{"parts":[{"functionCall":{"id":"fc_1","name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"CiIBVKhc7oTsig=="}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"totalTokenCount":15},"modelVersion":"gemini-2.5-flash"}

                """) : json("""
                {"candidates":[{"content":{"parts":[{"text":"I need the weather first.","thought":true},
                   {"functionCall":{"id":"fc_1","name":"get_weather","args":{"city":"Paris"}},
                    "thoughtSignature":"CiIBVKhc7oTsig=="}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"totalTokenCount":15},
                 "modelVersion":"gemini-2.5-flash"}"""));
        server.enqueue(json("""
                {"candidates":[{"content":{"parts":[{"text":"It is sunny."}],"role":"model"},"finishReason":"STOP",
                  "index":0}],"usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":4,"totalTokenCount":24}}"""));
        Provider provider = GeminiProvider.create();
        ChatRequest first = ChatRequest.builder("gemini-2.5-flash").addMessage(Message.user("Weather in Paris?"))
                .addTool(WEATHER).build();
        String base = server.url("/v1beta").toString();
        // when
        JsonNode second = secondTurnAfterToolCall(provider, "gemini/gemini-2.5-flash", base, first, streamed, "fc_1");
        // then
        assertThat(second).isEqualTo(tree("""
                {"contents":[
                  {"role":"user","parts":[{"text":"Weather in Paris?"}]},
                  {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}},
                    "thoughtSignature":"CiIBVKhc7oTsig=="}]},
                  {"role":"user","parts":[{"functionResponse":{"name":"get_weather",
                    "response":{"output":"sunny"}}}]}],
                 "tools":[{"functionDeclarations":[{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}]}]}"""));
    }

    // ------------------------------------------------------------------------------ helpers

    /** One turn, streamed (accumulated as the router does) or not; the assistant message it returns. */
    private static Message turn(Provider provider, String route, String apiBase, ChatRequest request, boolean streamed)
            throws Exception {
        ProviderCall call = ProviderCall.builder(request).deploymentId("reasoning").modelGroup("reasoning")
                .providerRoute(route).apiBase(apiBase).apiKey(Secret.of("sk-test-0123456789"))
                .timeout(Duration.ofSeconds(5)).build();
        if (!streamed) {
            return provider.completeAsync(call).get(5, SECONDS).choices().get(0).message();
        }
        RecordingSink sink = new RecordingSink();
        provider.streamAsync(call, sink);
        return sink.awaitCompletion().choices().get(0).message();
    }

    /**
     * Two turns: the first (streamed or not) answers with reasoning and a call of get_weather; the
     * second sends that answer back with the tool's result. The second request's body.
     */
    private JsonNode secondTurnAfterToolCall(Provider provider, String route, String apiBase, ChatRequest first,
            boolean streamed, String toolCallId) throws Exception {
        Message answer = turn(provider, route, apiBase, first, streamed);
        server.takeRequest(5, SECONDS);
        assertThat(answer.reasoningContent()).contains("I need the weather first.");
        turn(provider, route, apiBase, first.toBuilder().addMessage(answer)
                .addMessage(Message.tool(toolCallId, "sunny")).build(), false);
        RecordedRequest request = server.takeRequest(5, SECONDS);
        assertThat(request).as("the second turn's request").isNotNull();
        return tree(request.getBody().utf8());
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static MockResponse sse(String events) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(events).build();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
