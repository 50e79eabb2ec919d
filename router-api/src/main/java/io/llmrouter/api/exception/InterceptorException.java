package io.llmrouter.api.exception;

import java.util.Objects;

/**
 * A request interceptor or response rule threw (a bug in it, not a verdict): the request ends with
 * this exception, the thrown one as its cause. The request is never sent again because of it: no
 * retry, no fallback, and no deployment's health counts it.
 *
 * @since 0.1.0
 */
public class InterceptorException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    private final String interceptor;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param interceptor the name of the interceptor or rule that threw
     * @param cause what it threw
     */
    public InterceptorException(String message, ErrorContext context, String interceptor, Throwable cause) {
        super(message, context, cause);
        this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
    }

    /** The name of the interceptor or response rule that threw. */
    public String interceptor() {
        return interceptor;
    }
}
