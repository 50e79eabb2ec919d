package io.llmrouter.api.exception;

/**
 * The provider answered with something that is not a valid response: malformed or truncated JSON, an HTML error page, a missing required field. Retryable, since a proxy or load balancer in between is the usual cause.
 *
 * @since 0.1.0
 */
public class InvalidProviderResponseException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause, or null
     */
    public InvalidProviderResponseException(String message, ErrorContext context, Throwable cause) {
        super(message, context, cause);
    }

    /** @param message what happened, without secrets
     *  @param context where it happened */
    public InvalidProviderResponseException(String message, ErrorContext context) {
        super(message, context, null);
    }

    /** Always {@code true}: trying again, later or elsewhere, may succeed. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
