package io.llmrouter.api.exception;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The provider is rate limiting this deployment (HTTP 429, or a vendor equivalent).
 *
 * <p>{@link #retryAfter()} is the delay the provider asked for ({@code retry-after-ms},
 * {@code retry-after} seconds or HTTP date), when it sent one. A quota or billing limit (OpenAI's
 * {@code insufficient_quota}, a request larger than the tier's tokens-per-minute) is a rate limit
 * that waiting does not cure: {@link #isRetryable()} is then {@code false}, though a fallback to
 * another deployment or group may still succeed.
 *
 * @since 0.1.0
 */
public class RateLimitException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;
    private final boolean retryable;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param retryAfter the delay the provider asked for, or null when it gave none
     * @param retryable false for quota and billing limits that waiting does not cure
     * @param cause the underlying cause, or null
     */
    public RateLimitException(String message, ErrorContext context, Duration retryAfter, boolean retryable,
            Throwable cause) {
        super(message, context, cause);
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
        }
        this.retryAfter = retryAfter;
        this.retryable = retryable;
    }

    /**
     * A retryable rate limit.
     *
     * @param message what happened, without secrets
     * @param context where it happened
     * @param retryAfter the delay the provider asked for, or null
     */
    public RateLimitException(String message, ErrorContext context, Duration retryAfter) {
        this(message, context, retryAfter, true, null);
    }

    /** The delay the provider asked for before the next request, when it sent one. */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }

    @Override
    public String toString() {
        String s = super.toString();
        return retryAfter == null ? s : s + " retryAfter=" + Objects.toString(retryAfter);
    }
}
