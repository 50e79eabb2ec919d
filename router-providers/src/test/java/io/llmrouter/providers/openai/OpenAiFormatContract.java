package io.llmrouter.providers.openai;

import io.llmrouter.testing.ProviderContractTest;
import java.util.Optional;
import mockwebserver3.MockResponse;

/**
 * The provider contract's bodies in OpenAI's Chat Completions format (API reference: chat object,
 * chat completion chunk, error object), shared by the adapters that speak it: OpenAI and its
 * compatible vendors, and Azure OpenAI. Subclasses say where the request goes and how it
 * authenticates.
 */
public abstract class OpenAiFormatContract extends ProviderContractTest {

    /** The header carrying the vendor's request id. */
    protected abstract String requestIdHeader();

    /** The model the answers name. */
    protected String answerModel() {
        return model();
    }

    @Override
    protected MockResponse textAnswer() {
        return withRequestId(json(200, """
                {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,
                 "model":"%s","choices":[{"index":0,"message":{"role":"assistant","content":"%s","refusal":null},
                 "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                .formatted(answerModel(), TEXT, PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + COMPLETION_TOKENS)));
    }

    @Override
    protected MockResponse toolCallAnswer() {
        return withRequestId(json(200, """
                {"id":"chatcmpl-abc123","object":"chat.completion","created":1699896916,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_abc123",
                 "type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                 "logprobs":null,"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":82,"completion_tokens":17,"total_tokens":99}}""".formatted(answerModel())));
    }

    @Override
    protected MockResponse textStream() {
        return withRequestId(sse(opening() + """
                data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"%1$s","choices":[{"index":0,"delta":{"content":" the contract."},"logprobs":null,"finish_reason":null}]}

                data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"%1$s","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}

                data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"%1$s","choices":[],"usage":{"prompt_tokens":%2$d,"completion_tokens":%3$d,"total_tokens":%4$d}}

                data: [DONE]

                """.formatted(answerModel(), PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + COMPLETION_TOKENS)));
    }

    @Override
    protected MockResponse truncatedStream() {
        return withRequestId(sse(opening()));
    }

    @Override
    protected MockResponse streamWithError() {
        return withRequestId(sse(opening() + """
                data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}

                """));
    }

    private String opening() {
        return """
                data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"%s","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello from"},"logprobs":null,"finish_reason":null}]}

                """.formatted(answerModel());
    }

    @Override
    protected MockResponse error(int status, String message) {
        String type = switch (status) {
            case 400, 404 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> "server_error";
        };
        return errorBody(status, message, type, null);
    }

    @Override
    protected MockResponse contextWindowError() {
        return errorBody(400, "This model's maximum context length is 128000 tokens. However, your messages resulted "
                + "in 130000 tokens. Please reduce the length of the messages.", "invalid_request_error",
                "context_length_exceeded");
    }

    @Override
    protected Optional<MockResponse> contentFilterError() {
        return Optional.of(errorBody(400, "The response was filtered due to the prompt triggering the content "
                + "management policy.", "invalid_request_error", "content_filter"));
    }

    private MockResponse errorBody(int status, String message, String type, String code) {
        return withRequestId(json(status, """
                {"error":{"message":"%s","type":"%s","param":null,"code":%s}}"""
                .formatted(message, type, code == null ? "null" : "\"" + code + "\"")));
    }

    /** {@code response} with {@value #REQUEST_ID} in the vendor's request id header. */
    protected final MockResponse withRequestId(MockResponse response) {
        return response.newBuilder().addHeader(requestIdHeader(), REQUEST_ID).build();
    }
}
