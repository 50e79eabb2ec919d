package io.llmrouter.providers.vertex;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import io.llmrouter.testing.ProviderContractTest;
import java.util.Map;
import mockwebserver3.MockResponse;

/**
 * The provider contract for Gemini models on {@link VertexAiProvider}, on bodies written from the
 * Vertex AI reference ({@code projects.locations.publishers.models.generateContent} /
 * {@code streamGenerateContent}, {@code google.rpc.Status} errors).
 */
class VertexGeminiContractTest extends ProviderContractTest {

    static final String PROJECT = "my-project";
    static final String LOCATION = "europe-west4";

    @Override
    protected Provider provider() {
        return VertexAiProvider.builder().environment(name -> null).build();
    }

    @Override
    protected String route() {
        return "vertex_ai/gemini-2.5-flash";
    }

    @Override
    protected ProviderCall.Builder call(ChatRequest request) {
        return super.call(request).options(ProviderOptions.empty().with(VertexAiProvider.PROJECT, PROJECT)
                .with(VertexAiProvider.LOCATION, LOCATION));
    }

    @Override
    protected boolean reportsRequestId() {
        return false; // Google's error envelope carries none
    }

    @Override
    protected String expectedPath(boolean streaming) {
        String model = "/v1/projects/my-project/locations/europe-west4/publishers/google/models/gemini-2.5-flash";
        return streaming ? model + ":streamGenerateContent?alt=sse" : model + ":generateContent";
    }

    @Override
    protected Map<String, String> expectedHeaders(boolean streaming) {
        return Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json",
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
                {"candidates":[{"content":{"role":"model","parts":[{"text":"%s"}]},"finishReason":"STOP",
                  "avgLogprobs":-0.12}],
                 "usageMetadata":{"promptTokenCount":%d,"candidatesTokenCount":%d,"totalTokenCount":%d,
                  "trafficType":"ON_DEMAND"},
                 "modelVersion":"gemini-2.5-flash","createTime":"2025-06-20T10:15:30.123456Z",
                 "responseId":"IvNVaMXnB8mVm9IPu5jP2QE"}"""
                .formatted(TEXT, PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + COMPLETION_TOKENS));
    }

    @Override
    protected MockResponse toolCallAnswer() {
        return json(200, """
                {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather",
                  "args":{"city":"Paris"}}}]},"finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":5,"totalTokenCount":45},
                 "modelVersion":"gemini-2.5-flash"}""");
    }

    @Override
    protected MockResponse textStream() {
        return sse(opening() + """
                data: {"candidates":[{"content":{"role":"model","parts":[{"text":" the contract."}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":%d,"candidatesTokenCount":%d,"totalTokenCount":%d,"trafficType":"ON_DEMAND"},"modelVersion":"gemini-2.5-flash","createTime":"2025-06-20T10:15:30.123456Z","responseId":"IvNVaMXnB8mVm9IPu5jP2QE"}

                """.formatted(PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + COMPLETION_TOKENS));
    }

    @Override
    protected MockResponse truncatedStream() {
        return sse(opening());
    }

    @Override
    protected MockResponse streamWithError() {
        return sse(opening() + """
                data: {"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}

                """);
    }

    private static String opening() {
        return """
                data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Hello from"}]}}],"usageMetadata":{"trafficType":"ON_DEMAND"},"modelVersion":"gemini-2.5-flash","createTime":"2025-06-20T10:15:30.123456Z","responseId":"IvNVaMXnB8mVm9IPu5jP2QE"}

                """;
    }

    @Override
    protected MockResponse error(int status, String message) {
        return json(status, googleError(status, message));
    }

    /** Google's {@code google.rpc.Status} envelope, as Vertex AI sends it. */
    static String googleError(int status, String message) {
        String name = switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> "INTERNAL";
        };
        return """
                {"error":{"code":%d,"message":"%s","status":"%s"}}""".formatted(status, message, name);
    }

    @Override
    protected MockResponse contextWindowError() {
        return error(400, "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).");
    }
}
