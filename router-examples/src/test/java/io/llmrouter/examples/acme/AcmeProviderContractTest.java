package io.llmrouter.examples.acme;

import io.llmrouter.spi.Provider;
import io.llmrouter.testing.ProviderContractTest;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import okhttp3.OkHttpClient;

/**
 * Proves {@link AcmeProvider}, a user's own adapter, with the contract every built-in adapter
 * passes. The bodies are Acme's wire format as its (made-up) API reference describes it, written
 * here rather than produced by the adapter.
 */
class AcmeProviderContractTest extends ProviderContractTest {

    @Override
    protected Provider provider() {
        return new AcmeProvider(new OkHttpClient(), name -> null);
    }

    @Override
    protected String route() {
        return "acme/acme-large";
    }

    @Override
    protected String expectedPath(boolean streaming) {
        return streaming ? "/v1/stream" : "/v1/generate";
    }

    @Override
    protected Map<String, String> expectedHeaders(boolean streaming) {
        return Map.of("x-acme-key", KEY, "Content-Type", "application/json; charset=utf-8",
                "Accept", streaming ? "application/x-ndjson" : "application/json");
    }

    @Override
    protected String expectedBody(boolean streaming) {
        return """
                {"model": "acme-large",
                 "instructions": "Answer briefly.",
                 "turns": [{"speaker": "human", "text": "What is the weather in Paris?"}],
                 "functions": [{"name": "get_weather",
                                "schema": {"type": "object", "properties": {"city": {"type": "string"}},
                                           "required": ["city"]}}],
                 "limits": {"max_output_tokens": 100}}""";
    }

    @Override
    protected MockResponse textAnswer() {
        return withRequestId(json(200, """
                {"id": "gen_01", "model": "acme-large-2025-01", "output": "%s", "stop": "done",
                 "tokens": {"in": %d, "out": %d}}""".formatted(TEXT, PROMPT_TOKENS, COMPLETION_TOKENS)));
    }

    @Override
    protected MockResponse toolCallAnswer() {
        return withRequestId(json(200, """
                {"id": "gen_02", "model": "acme-large-2025-01",
                 "calls": [{"id": "call_7", "function": "get_weather", "input": {"city": "Paris"}}],
                 "stop": "call", "tokens": {"in": 30, "out": 9}}"""));
    }

    @Override
    protected MockResponse textStream() {
        return ndjson("""
                {"delta": "Hello from "}
                {"delta": "the contract."}
                {"end": {"stop": "done", "tokens": {"in": %d, "out": %d}}}
                """.formatted(PROMPT_TOKENS, COMPLETION_TOKENS));
    }

    @Override
    protected MockResponse truncatedStream() {
        return ndjson("""
                {"delta": "Hello from "}
                """);
    }

    @Override
    protected MockResponse streamWithError() {
        return ndjson("""
                {"delta": "Hello from "}
                {"error": {"kind": "overloaded", "detail": "Acme is overloaded, try again"}}
                """);
    }

    @Override
    protected MockResponse error(int status, String message) {
        return withRequestId(json(status, """
                {"error": {"kind": "%s", "detail": "%s"}}""".formatted(kind(status), message)));
    }

    @Override
    protected MockResponse contextWindowError() {
        return withRequestId(json(400, """
                {"error": {"kind": "context_too_long",
                           "detail": "The turns hold 210000 tokens; acme-large reads 200000 at most"}}"""));
    }

    @Override
    protected Optional<MockResponse> contentFilterError() {
        return Optional.of(withRequestId(json(400, """
                {"error": {"kind": "blocked", "detail": "The request was blocked by Acme's safety filter"}}""")));
    }

    private static String kind(int status) {
        return switch (status) {
            case 401 -> "bad_key";
            case 403 -> "forbidden";
            case 404 -> "unknown_model";
            case 429 -> "rate_limited";
            default -> status >= 500 ? "server_error" : "bad_request";
        };
    }

    private static MockResponse ndjson(String lines) {
        return withRequestId(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-ndjson")
                .body(lines).build());
    }

    private static MockResponse withRequestId(MockResponse answer) {
        return answer.newBuilder().addHeader("acme-request-id", REQUEST_ID).build();
    }
}
