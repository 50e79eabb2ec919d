package io.llmrouter.providers.openai;

import io.llmrouter.spi.Provider;
import java.util.Map;

/** The provider contract for {@link OpenAiProvider} (OpenAI itself, at a deployment apiBase). */
class OpenAiProviderContractTest extends OpenAiFormatContract {

    @Override
    protected Provider provider() {
        return OpenAiProvider.create();
    }

    @Override
    protected String route() {
        return "openai/gpt-4o";
    }

    @Override
    protected String apiBase() {
        return server.url("/v1").toString();
    }

    @Override
    protected String requestIdHeader() {
        return "x-request-id";
    }

    @Override
    protected String expectedPath(boolean streaming) {
        return "/v1/chat/completions";
    }

    @Override
    protected Map<String, String> expectedHeaders(boolean streaming) {
        return Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json",
                "Accept", streaming ? "text/event-stream" : "application/json");
    }

    @Override
    protected String expectedBody(boolean streaming) {
        return """
                {"model":"gpt-4o","messages":[{"role":"system","content":"Answer briefly."},
                  {"role":"user","content":"What is the weather in Paris?"}],
                 "max_tokens":100,
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}}]%s}"""
                .formatted(streaming ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "");
    }
}
