package io.llmrouter.api.exception;

import java.util.Objects;

/**
 * A stream failed after its first chunk reached the caller, whatever ended it: the connection was
 * cut, it stalled past the idle timeout, the deployment's whole-call timeout or the request's
 * deadline passed, an event was malformed, or it ended with neither its finish reason nor its
 * terminal event. Never reported as a normal end. Carries the text received so far and the number
 * of chunks; the cause says what went wrong (a {@link RequestTimeoutException} for the three
 * timers). Not retried (the caller has seen part of an answer).
 *
 * @since 0.1.0
 */
public class StreamInterruptedException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    private final String partialText;
    private final int chunksReceived;

    /**
     * @param message what happened
     * @param context where it happened
     * @param partialText the text received before the failure
     * @param chunksReceived how many chunks the caller received
     * @param cause the failure
     */
    public StreamInterruptedException(String message, ErrorContext context, String partialText, int chunksReceived,
            Throwable cause) {
        super(message, context, cause);
        this.partialText = Objects.requireNonNull(partialText, "partialText");
        this.chunksReceived = chunksReceived;
    }

    /** The text received before the failure. */
    public String partialText() {
        return partialText;
    }

    /** How many chunks the caller received. */
    public int chunksReceived() {
        return chunksReceived;
    }
}
