package io.llmrouter.api.exception;

import java.util.OptionalInt;

/**
 * The provider did not answer in time (client timeout, HTTP 408 or 504). Retryable.
 *
 * @since 0.1.0
 */
public class RequestTimeoutException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause, or null
     */
    public RequestTimeoutException(String message, ErrorContext context, Throwable cause) {
        super(message, context, cause);
    }

    /** @param message what happened, without secrets
     *  @param context where it happened */
    public RequestTimeoutException(String message, ErrorContext context) {
        super(message, context, null);
    }

    /** Always {@code true}: trying again, later or elsewhere, may succeed. */
    @Override
    public boolean isRetryable() {
        return true;
    }

    /**
     * The HTTP status of the provider's answer when there was one (408, 504, or a vendor's
     * timeout error's), else 408: a client-side timeout (no answer in time, the router's per-call,
     * first-token, stream-idle or whole-request limit) maps to 408 Request Timeout, as LiteLLM's
     * {@code Timeout} error does, so code switching on the status treats both alike.
     *
     * @since 0.2.0
     */
    @Override
    public OptionalInt statusCode() {
        OptionalInt status = super.statusCode();
        return status.isPresent() ? status : OptionalInt.of(408);
    }
}
