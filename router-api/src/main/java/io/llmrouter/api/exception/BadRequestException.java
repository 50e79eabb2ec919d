package io.llmrouter.api.exception;

/**
 * The request is invalid (HTTP 400, 413, 422, or rejected by the router before any network call). Not retried; fix the request. Subtypes name the reasons that a fallback to another model group can cure.
 *
 * @since 0.1.0
 */
public class BadRequestException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause, or null
     */
    public BadRequestException(String message, ErrorContext context, Throwable cause) {
        super(message, context, cause);
    }

    /** @param message what happened, without secrets
     *  @param context where it happened */
    public BadRequestException(String message, ErrorContext context) {
        super(message, context, null);
    }

}
