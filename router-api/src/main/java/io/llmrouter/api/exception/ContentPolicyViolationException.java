package io.llmrouter.api.exception;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The provider refused the request under its content policy (e.g. Azure's 400 {@code content_filter},
 * OpenAI's {@code invalid_prompt}). Not retried; a fallback to another provider may succeed. A normal
 * answer whose {@code finish_reason} is {@code content_filter} is a response, not this exception.
 *
 * <p>{@link #details()} keeps what the provider said about the decision, e.g. Azure's
 * {@code innererror.content_filter_result} with each category's {@code filtered} flag and
 * {@code severity}.
 *
 * @since 0.1.0
 */
public class ContentPolicyViolationException extends BadRequestException {

    private static final long serialVersionUID = 1L;

    private final transient JsonNode details;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param details the provider's filter result (copied), or null
     * @param cause the underlying cause, or null
     */
    public ContentPolicyViolationException(String message, ErrorContext context, JsonNode details, Throwable cause) {
        super(message, context, cause);
        this.details = details == null ? null : details.deepCopy();
    }

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause, or null
     */
    public ContentPolicyViolationException(String message, ErrorContext context, Throwable cause) {
        this(message, context, null, cause);
    }

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     */
    public ContentPolicyViolationException(String message, ErrorContext context) {
        this(message, context, null, null);
    }

    /** The provider's account of the decision (a copy), when it gave one. */
    public Optional<JsonNode> details() {
        return details == null ? Optional.empty() : Optional.of(details.deepCopy());
    }
}
