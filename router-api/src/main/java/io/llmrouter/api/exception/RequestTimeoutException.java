package io.llmrouter.api.exception;

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
}
