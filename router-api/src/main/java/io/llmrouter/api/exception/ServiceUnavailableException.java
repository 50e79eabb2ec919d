package io.llmrouter.api.exception;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The provider is overloaded or temporarily unavailable (HTTP 503, Anthropic 529). Retryable.
 *
 * <p>{@link #retryAfter()} is the delay the provider asked for ({@code retry-after-ms},
 * {@code retry-after} seconds or HTTP date), when it sent one.
 *
 * @since 0.1.0
 */
public class ServiceUnavailableException extends ProviderServerException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param retryAfter the delay the provider asked for, or null when it gave none
     * @param cause the underlying cause, or null
     * @throws IllegalArgumentException if {@code retryAfter} is negative
     * @since 0.2.0
     */
    public ServiceUnavailableException(String message, ErrorContext context, Duration retryAfter, Throwable cause) {
        super(message, context, cause);
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
        }
        this.retryAfter = retryAfter;
    }

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause, or null
     */
    public ServiceUnavailableException(String message, ErrorContext context, Throwable cause) {
        this(message, context, null, cause);
    }

    /** @param message what happened, without secrets
     *  @param context where it happened */
    public ServiceUnavailableException(String message, ErrorContext context) {
        this(message, context, null, null);
    }

    /** The delay the provider asked for before the next request, when it sent one. */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Always {@code true}: trying again, later or elsewhere, may succeed. */
    @Override
    public boolean isRetryable() {
        return true;
    }

    @Override
    public String toString() {
        String s = super.toString();
        return retryAfter == null ? s : s + " retryAfter=" + Objects.toString(retryAfter);
    }
}
