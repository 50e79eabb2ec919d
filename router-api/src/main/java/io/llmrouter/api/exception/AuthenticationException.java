package io.llmrouter.api.exception;

/**
 * The provider rejected the credentials (HTTP 401), or the deployment's key is missing. Not retried; the deployment needs a valid key.
 *
 * @since 0.1.0
 */
public class AuthenticationException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause, or null
     */
    public AuthenticationException(String message, ErrorContext context, Throwable cause) {
        super(message, context, cause);
    }

    /** @param message what happened, without secrets
     *  @param context where it happened */
    public AuthenticationException(String message, ErrorContext context) {
        super(message, context, null);
    }

}
