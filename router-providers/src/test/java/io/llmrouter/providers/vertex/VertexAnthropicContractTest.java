package io.llmrouter.providers.vertex;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import io.llmrouter.testing.ProviderContractTest;
import java.util.Map;
import mockwebserver3.MockResponse;

/**
 * The provider contract for Claude models on {@link VertexAiProvider}, on bodies written from the
 * Vertex AI reference for Anthropic's models ({@code rawPredict} / {@code streamRawPredict} with
 * {@code anthropic_version: vertex-2023-10-16} in the body and no {@code model}) and Anthropic's
 * Messages API answers and events. Errors of the Vertex front end come in Google's envelope; the
 * model's own (a too-long prompt) in Anthropic's.
 */
class VertexAnthropicContractTest extends ProviderContractTest {

    @Override
    protected Provider provider() {
        return VertexAiProvider.builder().environment(name -> null).build();
    }

    @Override
    protected String route() {
        return "vertex_ai/claude-sonnet-4-5@20250929";
    }

    @Override
    protected ProviderCall.Builder call(ChatRequest request) {
        return super.call(request).options(ProviderOptions.empty().with(VertexAiProvider.PROJECT, "my-project")
                .with(VertexAiProvider.LOCATION, "us-east5"));
    }

    @Override
    protected boolean reportsRequestId() {
        return false; // Google's envelope carries none
    }

    @Override
    protected String expectedPath(boolean streaming) {
        return "/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:"
                + (streaming ? "streamRawPredict" : "rawPredict");
    }

    @Override
    protected Map<String, String> expectedHeaders(boolean streaming) {
        return Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json",
                "Accept", streaming ? "text/event-stream" : "application/json");
    }

    @Override
    protected String expectedBody(boolean streaming) {
        return """
                {"anthropic_version":"vertex-2023-10-16","max_tokens":100,"system":"Answer briefly.",
                 "messages":[{"role":"user","content":"What is the weather in Paris?"}],
                 "tools":[{"name":"get_weather","input_schema":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}]%s}"""
                .formatted(streaming ? ",\"stream\":true" : "");
    }

    @Override
    protected MockResponse textAnswer() {
        return json(200, """
                {"id":"msg_vrtx_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant",
                 "model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"%s"}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":%d,"output_tokens":%d}}""".formatted(TEXT, PROMPT_TOKENS, COMPLETION_TOKENS));
    }

    @Override
    protected MockResponse toolCallAnswer() {
        return json(200, """
                {"id":"msg_vrtx_01Aq9w938a90dw8q","type":"message","role":"assistant",
                 "model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"tool_use","id":"toolu_vrtx_01A09q90qw90lq917835","name":"get_weather",
                   "input":{"city":"Paris"}}],
                 "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":30,"output_tokens":20}}""");
    }

    @Override
    protected MockResponse textStream() {
        return sse(opening() + """
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" the contract."}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":%d}}

                event: message_stop
                data: {"type":"message_stop"}

                """.formatted(COMPLETION_TOKENS));
    }

    @Override
    protected MockResponse truncatedStream() {
        return sse(opening());
    }

    @Override
    protected MockResponse streamWithError() {
        return sse(opening() + """
                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

                """);
    }

    private static String opening() {
        return """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_vrtx_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":%d,"output_tokens":1}}}

                event: ping
                data: {"type": "ping"}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello from"}}

                """.formatted(PROMPT_TOKENS);
    }

    @Override
    protected MockResponse error(int status, String message) {
        return json(status, VertexGeminiContractTest.googleError(status, message));
    }

    @Override
    protected MockResponse contextWindowError() {
        return json(400, """
                {"type":"error","error":{"type":"invalid_request_error",
                 "message":"prompt is too long: 208310 tokens > 200000 maximum"}}""");
    }
}
