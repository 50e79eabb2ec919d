package io.llmrouter.api.exception;

/**
 * The model, deployment or endpoint does not exist (HTTP 404).
 *
 * @since 0.1.0
 */
public class NotFoundException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause, or null
     */
    public NotFoundException(String message, ErrorContext context, Throwable cause) {
        super(message, context, cause);
    }

    /** @param message what happened, without secrets
     *  @param context where it happened */
    public NotFoundException(String message, ErrorContext context) {
        super(message, context, null);
    }

}
