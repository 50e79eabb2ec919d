package io.llmrouter.api.exception;

/**
 * The prompt (plus {@code max_tokens}) does not fit the model's context window. Not retried on the same group; a fallback to a larger-context group may succeed.
 *
 * @since 0.1.0
 */
public class ContextWindowExceededException extends BadRequestException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause, or null
     */
    public ContextWindowExceededException(String message, ErrorContext context, Throwable cause) {
        super(message, context, cause);
    }

    /** @param message what happened, without secrets
     *  @param context where it happened */
    public ContextWindowExceededException(String message, ErrorContext context) {
        super(message, context, null);
    }

}
