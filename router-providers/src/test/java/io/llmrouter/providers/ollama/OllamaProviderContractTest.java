package io.llmrouter.providers.ollama;

import io.llmrouter.spi.Provider;
import io.llmrouter.testing.ProviderContractTest;
import java.util.Map;
import mockwebserver3.MockResponse;

/**
 * The provider contract for {@link OllamaProvider} (native {@code /api/chat}, plain and NDJSON
 * streams), on bodies written from Ollama's {@code docs/api.md}. Ollama's answers carry no request id.
 */
class OllamaProviderContractTest extends ProviderContractTest {

    @Override
    protected Provider provider() {
        return OllamaProvider.create();
    }

    @Override
    protected String route() {
        return "ollama_chat/llama3.2";
    }

    @Override
    protected String expectedPath(boolean streaming) {
        return "/api/chat";
    }

    @Override
    protected Map<String, String> expectedHeaders(boolean streaming) {
        return Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json",
                "Accept", streaming ? "application/x-ndjson" : "application/json");
    }

    @Override
    protected String expectedBody(boolean streaming) {
        return """
                {"model":"llama3.2","messages":[{"role":"system","content":"Answer briefly."},
                  {"role":"user","content":"What is the weather in Paris?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}}],
                 "options":{"num_predict":100},"stream":%s}""".formatted(streaming);
    }

    @Override
    protected MockResponse textAnswer() {
        return json(200, """
                {"model":"llama3.2","created_at":"2025-07-07T20:43:37.688511Z",
                 "message":{"role":"assistant","content":"%s"},
                 "done_reason":"stop","done":true,"total_duration":890771750,"load_duration":707634750,
                 "prompt_eval_count":%d,"prompt_eval_duration":91703208,"eval_count":%d,"eval_duration":90282125}"""
                .formatted(TEXT, PROMPT_TOKENS, COMPLETION_TOKENS));
    }

    @Override
    protected MockResponse toolCallAnswer() {
        return json(200, """
                {"model":"llama3.2","created_at":"2025-07-07T20:32:53.844124Z",
                 "message":{"role":"assistant","content":"",
                  "tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},
                 "done_reason":"stop","done":true,"prompt_eval_count":169,"eval_count":18}""");
    }

    private static MockResponse ndjson(String lines) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-ndjson").body(lines)
                .build();
    }

    private static String opening() {
        return """
                {"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":"Hello from"},"done":false}
                """;
    }

    @Override
    protected MockResponse textStream() {
        return ndjson(opening() + """
                {"model":"llama3.2","created_at":"2023-08-04T08:52:19.4Z","message":{"role":"assistant","content":" the contract."},"done":false}
                {"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":4883583458,"prompt_eval_count":%d,"eval_count":%d}
                """.formatted(PROMPT_TOKENS, COMPLETION_TOKENS));
    }

    @Override
    protected MockResponse truncatedStream() {
        return ndjson(opening());
    }

    @Override
    protected MockResponse streamWithError() {
        return ndjson(opening() + """
                {"error":"an error was encountered while running the model"}
                """);
    }

    @Override
    protected boolean reportsRequestId() {
        return false;
    }

    @Override
    protected MockResponse error(int status, String message) {
        return json(status, """
                {"error":"%s"}""".formatted(message));
    }

    @Override
    protected MockResponse contextWindowError() {
        return error(400, "input length exceeds maximum context length");
    }
}
