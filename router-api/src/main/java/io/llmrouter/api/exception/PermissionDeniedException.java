package io.llmrouter.api.exception;

/**
 * The credentials are valid but not allowed to use this model or resource (HTTP 403).
 *
 * @since 0.1.0
 */
public class PermissionDeniedException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause, or null
     */
    public PermissionDeniedException(String message, ErrorContext context, Throwable cause) {
        super(message, context, cause);
    }

    /** @param message what happened, without secrets
     *  @param context where it happened */
    public PermissionDeniedException(String message, ErrorContext context) {
        super(message, context, null);
    }

}
