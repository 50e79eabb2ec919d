package io.llmrouter.providers.internal;

import java.io.IOException;

/**
 * A response body or a streamed event went past its size limit, and reading stopped there. An
 * {@link IOException} so that it leaves the reading code (Okio sources, {@link SseEventReader}) the
 * way a read failure does; each adapter's error mapper turns it into an
 * {@code InvalidProviderResponseException} with this message, which names the limit.
 */
public final class ResponseTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    private ResponseTooLargeException(String message, long limit) {
        super(message);
        this.limit = limit;
    }

    /** A body longer than {@code limit} bytes (its announced length, when known, or -1). */
    static ResponseTooLargeException body(long limit, long announced) {
        return new ResponseTooLargeException("the response body " + (announced >= 0 ? "of " + announced + " bytes " : "")
                + "exceeds the limit of " + limit + " bytes (maxResponseBytes); reading stopped there", limit);
    }

    /** A streamed event longer than {@code limit} bytes. */
    public static ResponseTooLargeException event(long limit) {
        return new ResponseTooLargeException("a stream event exceeds the limit of " + limit
                + " bytes (maxStreamEventBytes); reading stopped there", limit);
    }

    /** The limit that was exceeded, in bytes. */
    public long limit() {
        return limit;
    }
}
