package io.llmrouter.api.exception;

/**
 * The router was closed: a call made after {@code Router.close()}, or a call still in flight when
 * the router was closed (its HTTP call cancelled, its reservations released). Not retryable on
 * this router: build a new one.
 *
 * <p>Every entry point of a closed router fails this same way; the asynchronous ones through the
 * returned future, never by throwing.
 *
 * @since 0.1.0
 */
public class RouterClosedException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     */
    public RouterClosedException(String message, ErrorContext context) {
        super(message, context, null);
    }
}
