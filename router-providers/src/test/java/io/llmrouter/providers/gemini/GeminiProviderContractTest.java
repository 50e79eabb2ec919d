package io.llmrouter.providers.gemini;

import io.llmrouter.spi.Provider;
import io.llmrouter.testing.ProviderContractTest;
import java.util.Map;
import mockwebserver3.MockResponse;

/** The provider contract for {@link GeminiProvider}, on bodies written from the Gemini API reference. */
class GeminiProviderContractTest extends ProviderContractTest {

    @Override
    protected Provider provider() {
        return GeminiProvider.create();
    }

    @Override
    protected String route() {
        return "gemini/gemini-2.5-flash";
    }

    @Override
    protected String apiBase() {
        return server.url("/v1beta").toString();
    }

    @Override
    protected boolean reportsRequestId() {
        return false; // Google's error envelope carries none
    }

    @Override
    protected String expectedPath(boolean streaming) {
        return streaming ? "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
                : "/v1beta/models/gemini-2.5-flash:generateContent";
    }

    @Override
    protected Map<String, String> expectedHeaders(boolean streaming) {
        return Map.of("x-goog-api-key", KEY, "Content-Type", "application/json",
                "Accept", streaming ? "text/event-stream" : "application/json");
    }

    @Override
    protected String expectedBody(boolean streaming) {
        return """
                {"contents":[{"role":"user","parts":[{"text":"What is the weather in Paris?"}]}],
                 "systemInstruction":{"parts":[{"text":"Answer briefly."}]},
                 "tools":[{"functionDeclarations":[{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}]}],
                 "generationConfig":{"maxOutputTokens":100}}""";
    }

    @Override
    protected MockResponse textAnswer() {
        return json(200, """
                {"candidates":[{"content":{"parts":[{"text":"%s"}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":%d,"candidatesTokenCount":%d,"totalTokenCount":%d},
                 "modelVersion":"gemini-2.5-flash","responseId":"mH4aaPbdBsy1z7IPxLqMyAc"}"""
                .formatted(TEXT, PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + COMPLETION_TOKENS));
    }

    @Override
    protected MockResponse toolCallAnswer() {
        return json(200, """
                {"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}],
                  "role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":5,"totalTokenCount":45},
                 "modelVersion":"gemini-2.5-flash"}""");
    }

    @Override
    protected MockResponse textStream() {
        return sse(opening() + """
                data: {"candidates":[{"content":{"parts":[{"text":" the contract."}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":%d,"candidatesTokenCount":%d,"totalTokenCount":%d},"modelVersion":"gemini-2.5-flash"}

                """.formatted(PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + COMPLETION_TOKENS));
    }

    @Override
    protected MockResponse truncatedStream() {
        return sse(opening());
    }

    @Override
    protected MockResponse streamWithError() {
        return sse(opening() + """
                data: {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}

                """);
    }

    private static String opening() {
        return """
                data: {"candidates":[{"content":{"parts":[{"text":"Hello from"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":%d,"totalTokenCount":%d},"modelVersion":"gemini-2.5-flash"}

                """.formatted(PROMPT_TOKENS, PROMPT_TOKENS);
    }

    @Override
    protected MockResponse error(int status, String message) {
        String name = switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        };
        return json(status, """
                {"error":{"code":%d,"message":"%s","status":"%s"}}""".formatted(status, message, name));
    }

    @Override
    protected MockResponse contextWindowError() {
        return error(400, "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).");
    }
}
