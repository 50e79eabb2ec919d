package io.llmrouter.api.exception;

/**
 * The caller gave up on the request: the thread blocked in a synchronous call was interrupted
 * (for example by {@code Future.cancel(true)} on the task running it). The HTTP call in flight is
 * cancelled, and its connection, in-flight count and budget reservation released; the thread's
 * interrupt flag is left set. Not retryable: nobody is waiting for the answer.
 *
 * <p>A cancelled future of an asynchronous call completes with the JDK's
 * {@link java.util.concurrent.CancellationException}, as {@code CompletableFuture.cancel} defines.
 *
 * @since 0.1.0
 */
public class RequestCancelledException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause (e.g. the {@link InterruptedException}), or null
     */
    public RequestCancelledException(String message, ErrorContext context, Throwable cause) {
        super(message, context, cause);
    }
}
