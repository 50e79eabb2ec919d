package io.llmrouter.proxy.internal;

import java.time.Duration;

/**
 * A failure the proxy answers with OpenAI's error JSON: {@code {"error":{"message","type","param","code"}}}.
 * Messages never hold a key (only masked names and token hashes).
 */
final class ProxyError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    final String code;
    final String param;
    /** Seconds for {@code retry-after}, or -1. */
    final long retryAfterSeconds;

    ProxyError(int status, String type, String code, String message) {
        this(status, type, code, null, message, -1);
    }

    ProxyError(int status, String type, String code, String param, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static ProxyError badRequest(String message) {
        return new ProxyError(400, "invalid_request_error", null, message);
    }

    static ProxyError unauthorized(String message) {
        return new ProxyError(401, "authentication_error", "invalid_api_key", message);
    }

    static ProxyError forbidden(String message) {
        return new ProxyError(403, "permission_error", "model_not_allowed", message);
    }

    static ProxyError notFound(String message) {
        return new ProxyError(404, "not_found_error", null, message);
    }

    static ProxyError rateLimited(String message, Duration retryAfter) {
        return new ProxyError(429, "rate_limit_error", "rate_limit_exceeded", null, message, seconds(retryAfter));
    }

    static ProxyError tooLarge(long max) {
        return new ProxyError(413, "invalid_request_error", "request_too_large",
                "request body larger than " + max + " bytes");
    }

    static long seconds(Duration d) {
        if (d == null) {
            return -1;
        }
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }
}
