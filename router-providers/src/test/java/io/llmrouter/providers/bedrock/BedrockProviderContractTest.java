package io.llmrouter.providers.bedrock;

import static io.llmrouter.providers.bedrock.internal.EventStreamEncoder.event;
import static io.llmrouter.providers.bedrock.internal.EventStreamEncoder.exception;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.providers.bedrock.internal.EventStreamEncoder;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import io.llmrouter.testing.ProviderContractTest;
import java.util.Map;
import mockwebserver3.MockResponse;

/**
 * The provider contract for {@link BedrockProvider} (Converse and ConverseStream with a Bedrock API
 * key), on bodies and AWS event-stream frames written from the Bedrock Runtime API reference.
 */
class BedrockProviderContractTest extends ProviderContractTest {

    private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    @Override
    protected Provider provider() {
        return BedrockProvider.builder().environment(Map.<String, String>of()::get).build();
    }

    @Override
    protected String route() {
        return "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0";
    }

    @Override
    protected ProviderCall.Builder call(ChatRequest request) {
        return super.call(request).options(ProviderOptions.empty().with(BedrockProvider.REGION, "us-east-1"));
    }

    @Override
    protected String expectedPath(boolean streaming) {
        return "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/" + (streaming ? "converse-stream" : "converse");
    }

    @Override
    protected Map<String, String> expectedHeaders(boolean streaming) {
        return Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json",
                "Accept", streaming ? EVENT_STREAM : "application/json");
    }

    @Override
    protected String expectedBody(boolean streaming) {
        return """
                {"messages":[{"role":"user","content":[{"text":"What is the weather in Paris?"}]}],
                 "system":[{"text":"Answer briefly."}],
                 "inferenceConfig":{"maxTokens":100},
                 "toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}}}]}}""";
    }

    @Override
    protected MockResponse textAnswer() {
        return withRequestId(json(200, """
                {"output":{"message":{"role":"assistant","content":[{"text":"%s"}]}},"stopReason":"end_turn",
                 "usage":{"inputTokens":%d,"outputTokens":%d,"totalTokens":%d},"metrics":{"latencyMs":312}}"""
                .formatted(TEXT, PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + COMPLETION_TOKENS)));
    }

    @Override
    protected MockResponse toolCallAnswer() {
        return withRequestId(json(200, """
                {"output":{"message":{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
                   "name":"get_weather","input":{"city":"Paris"}}}]}},"stopReason":"tool_use",
                 "usage":{"inputTokens":40,"outputTokens":20,"totalTokens":60},"metrics":{"latencyMs":420}}"""));
    }

    @Override
    protected MockResponse textStream() {
        return eventStream(event("messageStart", "{\"role\":\"assistant\"}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello from\"}}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" the contract.\"}}"),
                event("contentBlockStop", "{\"contentBlockIndex\":0}"),
                event("messageStop", "{\"stopReason\":\"end_turn\"}"),
                event("metadata", "{\"usage\":{\"inputTokens\":%d,\"outputTokens\":%d,\"totalTokens\":%d},\"metrics\":{\"latencyMs\":90}}"
                        .formatted(PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + COMPLETION_TOKENS)));
    }

    @Override
    protected MockResponse truncatedStream() {
        return eventStream(event("messageStart", "{\"role\":\"assistant\"}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello from\"}}"));
    }

    @Override
    protected MockResponse streamWithError() {
        return eventStream(event("messageStart", "{\"role\":\"assistant\"}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello from\"}}"),
                exception("internalServerException", "{\"message\":\"The server encountered an internal error.\"}"));
    }

    private static MockResponse eventStream(byte[]... messages) {
        return withRequestId(new MockResponse.Builder().code(200).addHeader("Content-Type", EVENT_STREAM)
                .body(EventStreamEncoder.stream(messages)).build());
    }

    @Override
    protected MockResponse error(int status, String message) {
        String type = switch (status) {
            case 400 -> "ValidationException";
            case 401 -> "UnrecognizedClientException";
            case 403 -> "AccessDeniedException";
            case 404 -> "ResourceNotFoundException";
            case 429 -> "ThrottlingException";
            case 503 -> "ServiceUnavailableException";
            default -> "InternalServerException";
        };
        return withRequestId(json(status, "{\"message\":\"" + message + "\"}").newBuilder()
                .addHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/").build());
    }

    @Override
    protected MockResponse contextWindowError() {
        return error(400, "Input is too long for requested model.");
    }

    private static MockResponse withRequestId(MockResponse response) {
        return response.newBuilder().addHeader("x-amzn-RequestId", REQUEST_ID).build();
    }
}
