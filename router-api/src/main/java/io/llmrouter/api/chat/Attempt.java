package io.llmrouter.api.chat;

import io.llmrouter.api.exception.LlmRouterException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One call the router made to one deployment while serving a request: which deployment, of which
 * model group, when it started, how long it took and, when it failed, the error's type, status,
 * message and the retry-after the provider asked for.
 *
 * <p>The error is kept as its type name, status and message rather than the exception object,
 * so attempts can be logged, serialized and compared without dragging stack traces along.
 * Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Attempt {

    private final String deploymentId;
    private final String modelGroup;
    private final String providerRoute;
    private final Instant startedAt;
    private final Duration duration;
    private final String errorType;
    private final String errorMessage;
    private final int statusCode;
    private final Duration retryAfter;

    private Attempt(String deploymentId, String modelGroup, String providerRoute, Instant startedAt,
            Duration duration, String errorType, String errorMessage, int statusCode, Duration retryAfter) {
        this.deploymentId = Objects.requireNonNull(deploymentId, "deploymentId");
        this.modelGroup = Objects.requireNonNull(modelGroup, "modelGroup");
        this.providerRoute = Objects.requireNonNull(providerRoute, "providerRoute");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.duration = Objects.requireNonNull(duration, "duration");
        this.errorType = errorType;
        this.errorMessage = errorMessage;
        this.statusCode = statusCode;
        this.retryAfter = retryAfter;
    }

    /**
     * A successful attempt.
     *
     * @param deploymentId the deployment that answered
     * @param modelGroup its model group
     * @param providerRoute its provider route, e.g. {@code openai/gpt-4o}
     * @param startedAt when the call started (router clock)
     * @param duration how long the call took
     * @return the attempt
     */
    public static Attempt success(String deploymentId, String modelGroup, String providerRoute, Instant startedAt,
            Duration duration) {
        return new Attempt(deploymentId, modelGroup, providerRoute, startedAt, duration, null, null, 0, null);
    }

    /**
     * A failed attempt.
     *
     * @param deploymentId the deployment that failed
     * @param modelGroup its model group
     * @param providerRoute its provider route
     * @param startedAt when the call started (router clock)
     * @param duration how long the call took
     * @param error the error
     * @return the attempt
     */
    public static Attempt failure(String deploymentId, String modelGroup, String providerRoute, Instant startedAt,
            Duration duration, LlmRouterException error) {
        Objects.requireNonNull(error, "error");
        return new Attempt(deploymentId, modelGroup, providerRoute, startedAt, duration,
                error.getClass().getSimpleName(), error.getMessage(), error.statusCode().orElse(0),
                error.retryAfter().orElse(null));
    }

    /** The deployment called. */
    public String deploymentId() {
        return deploymentId;
    }

    /** The model group the deployment serves. */
    public String modelGroup() {
        return modelGroup;
    }

    /** The deployment's provider route. */
    public String providerRoute() {
        return providerRoute;
    }

    /** When the call started, by the router's clock. */
    public Instant startedAt() {
        return startedAt;
    }

    /**
     * The delay asked for before the next call, when one was given: the error's
     * {@link LlmRouterException#retryAfter()} (a 429's or 503's retry-after).
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** How long the call took. */
    public Duration duration() {
        return duration;
    }

    /** Whether the call succeeded. */
    public boolean isSuccess() {
        return errorType == null;
    }

    /** The simple name of the exception type, e.g. {@code RateLimitException}; empty on success. */
    public Optional<String> errorType() {
        return Optional.ofNullable(errorType);
    }

    /** The error message; empty on success. */
    public Optional<String> errorMessage() {
        return Optional.ofNullable(errorMessage);
    }

    /** The HTTP status of a failed call, when there was one. */
    public OptionalInt statusCode() {
        return statusCode > 0 ? OptionalInt.of(statusCode) : OptionalInt.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attempt a && statusCode == a.statusCode && deploymentId.equals(a.deploymentId)
                && modelGroup.equals(a.modelGroup) && providerRoute.equals(a.providerRoute)
                && startedAt.equals(a.startedAt) && duration.equals(a.duration)
                && Objects.equals(retryAfter, a.retryAfter) && Objects.equals(errorType, a.errorType)
                && Objects.equals(errorMessage, a.errorMessage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deploymentId, modelGroup, providerRoute, duration, errorType, statusCode);
    }

    @Override
    public String toString() {
        return "Attempt[" + deploymentId + " (" + modelGroup + ", " + providerRoute + ") "
                + (errorType == null ? "ok" : errorType + (statusCode > 0 ? " " + statusCode : ""))
                + (retryAfter == null ? "" : " retryAfter=" + retryAfter) + " in " + duration.toMillis() + "ms]";
    }
}
