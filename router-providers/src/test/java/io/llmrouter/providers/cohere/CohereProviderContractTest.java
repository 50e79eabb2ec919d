package io.llmrouter.providers.cohere;

import io.llmrouter.spi.Provider;
import io.llmrouter.testing.ProviderContractTest;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;

/** The provider contract for {@link CohereProvider} (Chat API v2, plain and streamed). */
class CohereProviderContractTest extends ProviderContractTest {

    @Override
    protected Provider provider() {
        return CohereProvider.create();
    }

    @Override
    protected String route() {
        return "cohere/command-a-03-2025";
    }

    @Override
    protected String expectedPath(boolean streaming) {
        return "/v2/chat";
    }

    @Override
    protected Map<String, String> expectedHeaders(boolean streaming) {
        return Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json",
                "Accept", streaming ? "text/event-stream" : "application/json");
    }

    @Override
    protected String expectedBody(boolean streaming) {
        return """
                {"model":"command-a-03-2025","messages":[{"role":"system","content":"Answer briefly."},
                  {"role":"user","content":"What is the weather in Paris?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}}],
                 "max_tokens":100,"stream":%s}""".formatted(streaming);
    }

    @Override
    protected MockResponse textAnswer() {
        return json(200, """
                {"id":"5a50480a-cf52-46f0-af01-53d18539bd31",
                 "message":{"role":"assistant","content":[{"type":"text","text":"%s"}]},
                 "finish_reason":"COMPLETE",
                 "usage":{"billed_units":{"input_tokens":%d,"output_tokens":%d},
                  "tokens":{"input_tokens":%d,"output_tokens":%d}}}"""
                .formatted(TEXT, PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS, COMPLETION_TOKENS));
    }

    @Override
    protected MockResponse toolCallAnswer() {
        return json(200, """
                {"id":"b7e1c2a4-0f7d-4a57-9a0e-3c4f5d6e7f80",
                 "message":{"role":"assistant","tool_plan":"I will look up the weather in Paris.",
                  "tool_calls":[{"id":"get_weather_6zv8xq2r0c1m","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                 "finish_reason":"TOOL_CALL",
                 "usage":{"billed_units":{"input_tokens":41,"output_tokens":23},
                  "tokens":{"input_tokens":1003,"output_tokens":61}}}""");
    }

    /** Written from Cohere's API reference (v2 chat, "Default-stream"), with the generation id {@link #REQUEST_ID}. */
    private static String opening() {
        return """
                event: message-start
                data: {"type":"message-start","id":"%s","delta":{"message":{"role":"assistant"}}}

                event: content-start
                data: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}}

                event: content-delta
                data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hello from"}}}}

                """.formatted(REQUEST_ID);
    }

    @Override
    protected MockResponse textStream() {
        return sse(opening() + """
                event: content-delta
                data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":" the contract."}}}}

                event: content-end
                data: {"type":"content-end","index":0}

                event: message-end
                data: {"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":%d,"output_tokens":%d},"tokens":{"input_tokens":%d,"output_tokens":%d}}}}

                data: [DONE]

                """.formatted(PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + 60, COMPLETION_TOKENS));
    }

    @Override
    protected MockResponse truncatedStream() {
        return sse(opening());
    }

    @Override
    protected MockResponse streamWithError() {
        return sse(opening() + """
                event: message-end
                data: {"type":"message-end","delta":{"finish_reason":"ERROR","usage":{"billed_units":{"input_tokens":12,"output_tokens":2}}}}

                """);
    }

    @Override
    protected MockResponse error(int status, String message) {
        return json(status, """
                {"id":"%s","message":"%s"}""".formatted(REQUEST_ID, message));
    }

    @Override
    protected MockResponse contextWindowError() {
        return error(400, "too many tokens: total number of tokens (prompt and prediction) cannot exceed 256000 - "
                + "received 260000. Try using a shorter prompt or a smaller max_tokens value.");
    }

    @Override
    protected Optional<MockResponse> contentFilterError() {
        return Optional.of(error(498, "blocked output: please adjust your prompt and try again, as it may be a "
                + "potential violation of our Usage Guidelines"));
    }
}
