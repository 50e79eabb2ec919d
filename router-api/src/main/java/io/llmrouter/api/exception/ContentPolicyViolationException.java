package io.llmrouter.api.exception;

/**
 * The provider refused the request under its content policy (e.g. Azure's 400 {@code content_filter}). Not retried; a fallback to another provider may succeed. A normal answer whose {@code finish_reason} is {@code content_filter} is a response, not this exception.
 *
 * @since 0.1.0
 */
public class ContentPolicyViolationException extends BadRequestException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause, or null
     */
    public ContentPolicyViolationException(String message, ErrorContext context, Throwable cause) {
        super(message, context, cause);
    }

    /** @param message what happened, without secrets
     *  @param context where it happened */
    public ContentPolicyViolationException(String message, ErrorContext context) {
        super(message, context, null);
    }

}
