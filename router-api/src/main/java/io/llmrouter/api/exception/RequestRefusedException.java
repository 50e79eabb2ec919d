package io.llmrouter.api.exception;

import java.util.Objects;

/**
 * A request interceptor refused the request before it was sent (a policy said no: personal data, a
 * cost limit, a blocked topic). It is about the request: not retried, no fallback is tried, and no
 * deployment's health counts it. As a {@link BadRequestException} it maps to HTTP 400, as
 * LiteLLM's guardrail refusals do.
 *
 * @since 0.1.0
 */
public class RequestRefusedException extends BadRequestException {

    private static final long serialVersionUID = 1L;

    private final String interceptor;
    private final String reason;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param interceptor the name of the interceptor that refused
     * @param reason the interceptor's reason
     */
    public RequestRefusedException(String message, ErrorContext context, String interceptor, String reason) {
        super(message, context, null);
        this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The name of the interceptor that refused the request. */
    public String interceptor() {
        return interceptor;
    }

    /** The interceptor's reason, as it gave it. */
    public String reason() {
        return reason;
    }
}
