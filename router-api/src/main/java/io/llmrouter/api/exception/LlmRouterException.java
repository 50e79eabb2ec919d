package io.llmrouter.api.exception;

import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.internal.AttemptScope;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The root of every exception the router and its providers throw. Unchecked.
 *
 * <p>The subtype says what the caller should do next (see the exception table in the docs). Each
 * exception carries its {@link ErrorContext} (provider, deployment, model, HTTP status, provider
 * request id) and, when it is the router's final answer, the list of {@link #attempts()} that
 * led to it. Messages and context never contain an API key.
 *
 * <p>An exception that a provider adapter creates while the router calls it on the caller's thread
 * has no stack trace while the router handles it (a failed attempt that is retried or fallen back
 * from costs no stack walk): one the router hands to the caller gets its stack trace when the router
 * records its {@link #attempts()}, on the thread that ends the request (for the blocking calls,
 * usually the caller's). Its message, cause, context and every other field are unchanged.
 *
 * @since 0.1.0
 */
public class LlmRouterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorContext context;
    private volatile transient List<Attempt> attempts = List.of();
    /**
     * Whether the stack trace was skipped at creation (see the class comment). Set while
     * {@link Throwable}'s constructor runs, so it has no initializer (one would reset it).
     */
    private transient boolean traceDeferred;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause, or null
     */
    public LlmRouterException(String message, ErrorContext context, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.context = Objects.requireNonNull(context, "context");
        if (traceDeferred) {
            setStackTrace(NO_FRAMES); // an empty trace, not an unfilled one, until initAttempts fills it
        }
    }

    private static final StackTraceElement[] NO_FRAMES = new StackTraceElement[0];

    /**
     * Fills the stack trace, except while {@link Throwable}'s constructor runs inside a router attempt
     * (see the class comment): {@code context} is still null then, and is never null afterwards.
     *
     * @return this exception
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        if (context == null && AttemptScope.active()) {
            traceDeferred = true;
            return this;
        }
        return super.fillInStackTrace();
    }

    /**
     * The typed exception for an HTTP error status: the one status table every adapter follows
     * (it matches OpenAI's SDK and LiteLLM). 400, 409, 413, 422 and any other 4xx not named here:
     * bad request; 401 authentication; 402 (payment required) a rate limit that is not retryable;
     * 403 permission denied; 404 not found; 408 and 504 timeout; 429 rate limit (retryable); 503
     * and 529 (overloaded) service unavailable; 500, 502 and any other 5xx server error. Adapters
     * refine only within a status: a 4xx request error whose body names a context-window overflow
     * or a content filter, a 429 whose body names a quota that waiting does not cure.
     *
     * @param status the HTTP status (100-599)
     * @param message what happened, without secrets
     * @param context where it happened (its status is set to {@code status})
     * @param retryAfter the server-directed delay, or null; kept by the rate-limit and
     *     service-unavailable exceptions (see {@link #retryAfter()})
     * @return the exception, not thrown
     * @throws IllegalArgumentException if {@code status} is not 100-599 or {@code retryAfter} is negative
     */
    public static LlmRouterException ofStatus(int status, String message, ErrorContext context, Duration retryAfter) {
        ErrorContext ctx = context.toBuilder().statusCode(status).build();
        return switch (status) {
            case 401 -> new AuthenticationException(message, ctx);
            case 402 -> new RateLimitException(message, ctx, retryAfter, false, null);
            case 403 -> new PermissionDeniedException(message, ctx);
            case 404 -> new NotFoundException(message, ctx);
            case 408, 504 -> new RequestTimeoutException(message, ctx);
            case 429 -> new RateLimitException(message, ctx, retryAfter);
            case 503, 529 -> new ServiceUnavailableException(message, ctx, retryAfter, null);
            default -> status >= 500 ? new ProviderServerException(message, ctx) : new BadRequestException(message, ctx);
        };
    }

    /** Where the error happened. */
    public ErrorContext context() {
        return context;
    }

    /** The provider route prefix (e.g. {@code openai}). */
    public Optional<String> provider() {
        return context.provider();
    }

    /** The deployment that failed. */
    public Optional<String> deploymentId() {
        return context.deploymentId();
    }

    /** The model the request was for. */
    public Optional<String> model() {
        return context.model();
    }

    /**
     * The HTTP status of the provider's answer, when there was one; for an error the router
     * raised itself, the status LiteLLM's mapped error carries where there is one (a
     * {@link BadRequestException}: 400, a {@link RequestTimeoutException}: 408, a rate limit on
     * every deployment's rpm/tpm: 429), else empty. {@link #context()} holds only the provider's.
     */
    public OptionalInt statusCode() {
        return context.statusCode();
    }

    /** The provider's request id, when it sent one. */
    public Optional<String> providerRequestId() {
        return context.providerRequestId();
    }

    /**
     * Every attempt the router made before giving up, in order (empty for an exception that did
     * not come out of the router, e.g. straight from a provider adapter).
     */
    public List<Attempt> attempts() {
        return attempts;
    }

    /**
     * The delay the provider (or the router) asked for before the next try, when one was given: a
     * rate limit's or an overloaded provider's {@code retry-after-ms} / {@code retry-after}
     * (seconds or HTTP date), or, for {@link NoDeploymentAvailableException}, the last rate
     * limit's. Empty for errors where no delay applies, so one {@code catch (LlmRouterException e)}
     * can read it.
     *
     * @return the delay, never negative; empty by default
     * @since 0.2.0
     */
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    /**
     * Whether trying the same request again (on this or another deployment of the same group) may
     * succeed. Rate limits, timeouts, connection failures and server errors are retryable;
     * errors about the request itself are not.
     */
    public boolean isRetryable() {
        return false;
    }

    /**
     * Records the attempts that led to this exception. Called once by the router before it hands
     * the exception to the caller, much like {@link Throwable#initCause(Throwable)}. An exception
     * created without its stack trace inside a router attempt (see the class comment) gets it here,
     * from the calling thread.
     *
     * @param attempts the attempts, in order
     * @return this exception
     * @throws IllegalStateException if attempts were already recorded
     */
    public final LlmRouterException initAttempts(List<Attempt> attempts) {
        List<Attempt> copy = List.copyOf(attempts);
        synchronized (this) {
            if (!this.attempts.isEmpty()) {
                throw new IllegalStateException("attempts already recorded");
            }
            this.attempts = copy;
            if (traceDeferred) {
                traceDeferred = false;
                super.fillInStackTrace();
            }
        }
        return this;
    }

    @Override
    public String toString() {
        String s = getClass().getName() + ": " + getMessage();
        return context == ErrorContext.none() ? s : s + " " + context;
    }
}
