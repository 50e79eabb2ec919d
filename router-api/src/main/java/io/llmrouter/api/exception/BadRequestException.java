package io.llmrouter.api.exception;

import java.util.OptionalInt;

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


    /**
     * The HTTP status of the provider's answer when there was one, else 400: the router's own
     * request errors (validation, an unknown model group, no deployment with a needed capability,
     * a prompt larger than every context window) map to 400 Bad Request, as LiteLLM's mapped
     * errors do, so code switching on the status treats both alike.
     *
     * @since 0.2.0
     */
    @Override
    public OptionalInt statusCode() {
        OptionalInt status = super.statusCode();
        return status.isPresent() ? status : OptionalInt.of(400);
    }
}
