package io.llmrouter.providers.azure;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.providers.openai.OpenAiFormatContract;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import java.util.Map;

/** The provider contract for {@link AzureOpenAiProvider}: OpenAI's format on Azure's deployment URLs and key header. */
class AzureOpenAiProviderContractTest extends OpenAiFormatContract {

    private static final String API_VERSION = "2024-10-21";

    @Override
    protected Provider provider() {
        return AzureOpenAiProvider.create();
    }

    @Override
    protected String route() {
        return "azure/my-gpt-4o";
    }

    @Override
    protected String answerModel() {
        return "gpt-4o-2024-08-06";
    }

    @Override
    protected ProviderCall.Builder call(ChatRequest request) {
        return super.call(request).options(ProviderOptions.empty().with(AzureOpenAiProvider.API_VERSION, API_VERSION));
    }

    @Override
    protected String requestIdHeader() {
        return "apim-request-id";
    }

    @Override
    protected String expectedPath(boolean streaming) {
        return "/openai/deployments/my-gpt-4o/chat/completions?api-version=" + API_VERSION;
    }

    @Override
    protected Map<String, String> expectedHeaders(boolean streaming) {
        return Map.of("api-key", KEY, "Content-Type", "application/json",
                "Accept", streaming ? "text/event-stream" : "application/json");
    }

    @Override
    protected String expectedBody(boolean streaming) {
        return """
                {"model":"my-gpt-4o","messages":[{"role":"system","content":"Answer briefly."},
                  {"role":"user","content":"What is the weather in Paris?"}],
                 "max_tokens":100,
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}}]%s}"""
                .formatted(streaming ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "");
    }
}
