package io.llmrouter.providers.anthropic;

import io.llmrouter.spi.Provider;
import io.llmrouter.testing.ProviderContractTest;
import java.util.Map;
import mockwebserver3.MockResponse;

/** The provider contract for {@link AnthropicProvider}, on bodies written from Anthropic's Messages API reference. */
class AnthropicProviderContractTest extends ProviderContractTest {

    @Override
    protected Provider provider() {
        return AnthropicProvider.create();
    }

    @Override
    protected String route() {
        return "anthropic/claude-sonnet-4-5";
    }

    @Override
    protected String expectedPath(boolean streaming) {
        return "/v1/messages";
    }

    @Override
    protected Map<String, String> expectedHeaders(boolean streaming) {
        return Map.of("x-api-key", KEY, "anthropic-version", "2023-06-01", "Content-Type",
                "application/json", "Accept", streaming ? "text/event-stream" : "application/json");
    }

    @Override
    protected String expectedBody(boolean streaming) {
        return """
                {"model":"claude-sonnet-4-5","max_tokens":100,"system":"Answer briefly.",
                 "messages":[{"role":"user","content":"What is the weather in Paris?"}],
                 "tools":[{"name":"get_weather","input_schema":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}]%s}"""
                .formatted(streaming ? ",\"stream\":true" : "");
    }

    @Override
    protected MockResponse textAnswer() {
        return withRequestId(json(200, """
                {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"text","text":"%s"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":%d,"output_tokens":%d}}""".formatted(TEXT, PROMPT_TOKENS, COMPLETION_TOKENS)));
    }

    @Override
    protected MockResponse toolCallAnswer() {
        return withRequestId(json(200, """
                {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"text","text":"Let me check."},
                  {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"city":"Paris"}}],
                 "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":30,"output_tokens":20}}"""));
    }

    @Override
    protected MockResponse textStream() {
        return withRequestId(sse(opening() + """
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" the contract."}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":%d}}

                event: message_stop
                data: {"type":"message_stop"}

                """.formatted(COMPLETION_TOKENS)));
    }

    @Override
    protected MockResponse truncatedStream() {
        return withRequestId(sse(opening()));
    }

    @Override
    protected MockResponse streamWithError() {
        return withRequestId(sse(opening() + """
                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

                """));
    }

    /** message_start, a text block's start and its first piece. */
    private static String opening() {
        return """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":%d,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello from"}}

                """.formatted(PROMPT_TOKENS);
    }

    @Override
    protected MockResponse error(int status, String message) {
        String type = switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> "api_error";
        };
        return withRequestId(json(status, """
                {"type":"error","error":{"type":"%s","message":"%s"},"request_id":"%s"}"""
                .formatted(type, message, REQUEST_ID)));
    }

    @Override
    protected MockResponse contextWindowError() {
        return error(400, "prompt is too long: 208310 tokens > 200000 maximum");
    }

    private static MockResponse withRequestId(MockResponse response) {
        return response.newBuilder().addHeader("request-id", REQUEST_ID).build();
    }
}
