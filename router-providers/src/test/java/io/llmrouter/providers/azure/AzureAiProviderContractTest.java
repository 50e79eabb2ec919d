package io.llmrouter.providers.azure;

import io.llmrouter.providers.openai.OpenAiFormatContract;
import io.llmrouter.spi.Provider;
import java.util.Map;

/**
 * The provider contract for {@link AzureAiProvider}: OpenAI's format on a serverless model inference
 * endpoint (the loopback server), so the key goes as {@code Authorization: Bearer}, with the default
 * {@code api-version} and no {@code stream_options}.
 */
class AzureAiProviderContractTest extends OpenAiFormatContract {

    @Override
    protected Provider provider() {
        return AzureAiProvider.create();
    }

    @Override
    protected String route() {
        return "azure_ai/Mistral-Large-2411";
    }

    @Override
    protected String requestIdHeader() {
        return "apim-request-id";
    }

    @Override
    protected String expectedPath(boolean streaming) {
        return "/chat/completions?api-version=" + AzureAiProvider.DEFAULT_API_VERSION;
    }

    @Override
    protected Map<String, String> expectedHeaders(boolean streaming) {
        return Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json",
                "Accept", streaming ? "text/event-stream" : "application/json");
    }

    @Override
    protected String expectedBody(boolean streaming) {
        return """
                {"model":"Mistral-Large-2411","messages":[{"role":"system","content":"Answer briefly."},
                  {"role":"user","content":"What is the weather in Paris?"}],
                 "max_tokens":100,
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}}]%s}"""
                .formatted(streaming ? ",\"stream\":true" : "");
    }
}
