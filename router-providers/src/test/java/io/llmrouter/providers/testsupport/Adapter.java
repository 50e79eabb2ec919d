package io.llmrouter.providers.testsupport;

import io.llmrouter.Deployment;
import io.llmrouter.api.Secret;
import io.llmrouter.providers.azure.AzureOpenAiProvider;
import io.llmrouter.providers.bedrock.BedrockProvider;
import io.llmrouter.providers.vertex.VertexAiProvider;
import java.util.Map;
import mockwebserver3.MockResponse;

/**
 * Every HTTP adapter as the tests drive it: a deployment aimed at a loopback server, and an error
 * answer in the vendor's own shape (envelope, error type, request-id header) for a status.
 */
public enum Adapter {

    OPENAI("openai", "openai/gpt-4o", "x-request-id"),
    OPENAI_COMPATIBLE("deepseek", "deepseek/deepseek-chat", "x-request-id"),
    AZURE("azure", "azure/my-gpt-4o", "apim-request-id"),
    ANTHROPIC("anthropic", "anthropic/claude-sonnet-4-5", "request-id"),
    GEMINI("gemini", "gemini/gemini-2.0-flash", null),
    COHERE("cohere", "cohere/command-a-03-2025", null),
    OLLAMA("ollama_chat", "ollama_chat/llama3.2", null),
    AZURE_AI("azure_ai", "azure_ai/DeepSeek-R1", "apim-request-id"),
    BEDROCK("bedrock", "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "x-amzn-requestid"),
    VERTEX_AI("vertex_ai", "vertex_ai/gemini-2.5-flash", null);

    private final String provider;
    private final String route;
    private final String requestIdHeader;

    Adapter(String provider, String route, String requestIdHeader) {
        this.provider = provider;
        this.route = route;
        this.requestIdHeader = requestIdHeader;
    }

    /** The provider name exceptions carry. */
    public String provider() {
        return provider;
    }

    /** Whether the adapter surfaces a request id for an error (from a header or, Cohere, the body). */
    public boolean hasRequestId() {
        return requestIdHeader != null || this == COHERE;
    }

    /**
     * A deployment of group {@code group} sending to {@code apiBase} with {@code key} (Bedrock: as
     * its API key, sent as Bearer), or without a key when it is null.
     */
    public Deployment.Builder deployment(String group, String apiBase, Secret key) {
        String base = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
        Deployment.Builder b = Deployment.builder(group, route).id(provider + "-1")
                .apiBase(this == GEMINI ? base + "/v1beta" : base);
        if (key != null) {
            b.apiKey(key);
        }
        if (this == AZURE) {
            b.option(AzureOpenAiProvider.API_VERSION, "2024-10-21");
        }
        if (this == BEDROCK) {
            b.option(BedrockProvider.REGION, "us-east-1");
        }
        if (this == VERTEX_AI) {
            b.option(VertexAiProvider.PROJECT, "my-project");
        }
        return b;
    }

    /**
     * The vendor's error answer for {@code status}: its envelope with {@code message}, the error
     * type its API sends with that status, and the request id {@code requestId} where the vendor
     * sends one; 502 is a proxy's HTML page.
     */
    public MockResponse error(int status, String message, String requestId, Map<String, String> headers) {
        MockResponse.Builder b = new MockResponse.Builder().code(status);
        headers.forEach(b::addHeader);
        if (requestIdHeader != null) {
            b.addHeader(requestIdHeader, requestId);
        }
        if (status == 502) {
            return b.addHeader("Content-Type", "text/html").body("<html><head><title>502 Bad Gateway</title></head>"
                    + "<body><h1>502 Bad Gateway</h1><p>" + message + "</p></body></html>").build();
        }
        b.addHeader("Content-Type", "application/json");
        String m = quote(message);
        return switch (this) {
            case OPENAI, OPENAI_COMPATIBLE, AZURE, AZURE_AI -> {
                String[] typeAndCode = openAiTypeAndCode(status);
                yield b.body("{\"error\":{\"message\":" + m + ",\"type\":" + quoteOrNull(typeAndCode[0])
                        + ",\"param\":null,\"code\":" + quoteOrNull(typeAndCode[1]) + "}}").build();
            }
            case ANTHROPIC -> b.body("{\"type\":\"error\",\"error\":{\"type\":\"" + anthropicType(status)
                    + "\",\"message\":" + m + "},\"request_id\":" + quote(requestId) + "}").build();
            case GEMINI, VERTEX_AI -> b.body("{\"error\":{\"code\":" + status + ",\"message\":" + m + ",\"status\":\""
                    + googleStatus(status) + "\"}}").build();
            case COHERE -> b.body("{\"id\":" + quote(requestId) + ",\"message\":" + m + "}").build();
            case OLLAMA -> b.body("{\"error\":" + m + "}").build();
            case BEDROCK -> {
                String type = bedrockType(status);
                if (type != null) {
                    b.addHeader("x-amzn-errortype", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
                }
                yield b.body("{\"message\":" + m + "}").build();
            }
        };
    }

    private static String[] openAiTypeAndCode(int status) {
        return switch (status) {
            case 401 -> new String[] {"invalid_request_error", "invalid_api_key"};
            case 403 -> new String[] {"invalid_request_error", "unsupported_country_region_territory"};
            case 404 -> new String[] {"invalid_request_error", "model_not_found"};
            case 429 -> new String[] {"requests", "rate_limit_exceeded"};
            case 500, 503, 504, 529 -> new String[] {"server_error", null};
            default -> new String[] {"invalid_request_error", null};
        };
    }

    private static String anthropicType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 408, 504 -> "timeout_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    private static String googleStatus(int status) {
        return switch (status) {
            case 401 -> "UNAUTHENTICATED";
            case 402 -> "FAILED_PRECONDITION";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 408, 504 -> "DEADLINE_EXCEEDED";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503, 529 -> "UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
        };
    }

    private static String bedrockType(int status) {
        return switch (status) {
            case 400, 422 -> "ValidationException";
            case 401 -> "UnrecognizedClientException";
            case 403 -> "AccessDeniedException";
            case 404 -> "ResourceNotFoundException";
            case 408 -> "ModelTimeoutException";
            case 409 -> "ConflictException";
            case 429 -> "ThrottlingException";
            case 500 -> "InternalServerException";
            case 503 -> "ServiceUnavailableException";
            default -> null; // the front door or a proxy: no type
        };
    }

    /** {@code s} as a JSON string. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static String quoteOrNull(String s) {
        return s == null ? "null" : quote(s);
    }
}
