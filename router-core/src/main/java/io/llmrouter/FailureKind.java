package io.llmrouter;

import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ResponseRejectedException;
import java.util.Objects;

/**
 * The kinds of failure that {@link RetryPolicy} and {@link CooldownPolicy} give their own
 * numbers to (LiteLLM's {@code RetryPolicy} and {@code AllowedFailsPolicy} fields, plus the kinds
 * LiteLLM folds into others).
 *
 * @since 0.1.0
 */
public enum FailureKind {
    /** {@link BadRequestException} other than context window and content policy (400, 413, 422). */
    BAD_REQUEST(true),
    /** {@link ContextWindowExceededException}. */
    CONTEXT_WINDOW_EXCEEDED(true),
    /** {@link ContentPolicyViolationException}. */
    CONTENT_POLICY_VIOLATION(true),
    /** {@link AuthenticationException} (401, missing key). */
    AUTHENTICATION(false),
    /** {@link PermissionDeniedException} (403). */
    PERMISSION_DENIED(false),
    /** {@link NotFoundException} (404). */
    NOT_FOUND(false),
    /** {@link RateLimitException} (429). */
    RATE_LIMIT(false),
    /** {@link RequestTimeoutException} (client timeout, 408, 504). */
    TIMEOUT(false),
    /** {@link ProviderServerException} and its subtypes (5xx, 529). */
    SERVER_ERROR(false),
    /** {@link ProviderConnectionException}. */
    CONNECTION_ERROR(false),
    /** {@link InvalidProviderResponseException}: a malformed answer. */
    INVALID_RESPONSE(false),
    /** {@link NoDeploymentAvailableException}: the whole group is cooling down. */
    NO_DEPLOYMENT_AVAILABLE(false),
    /** {@link BudgetExceededException}. */
    BUDGET_EXCEEDED(true),
    /**
     * {@link ResponseRejectedException}: a {@link io.llmrouter.control.ResponseRule} rejected the
     * answer. Retryable; it counts toward a cooldown only when the rule says so
     * ({@link ResponseRejectedException#countsTowardCooldown()}).
     */
    RESPONSE_REJECTED(false),
    /** Anything else (an adapter's untyped failure). */
    OTHER(false);

    private final boolean aboutRequest;

    FailureKind(boolean aboutRequest) {
        this.aboutRequest = aboutRequest;
    }

    /**
     * Whether failures of this kind are about the request rather than the deployment: they never
     * count against a deployment's health.
     */
    public boolean isAboutRequest() {
        return aboutRequest;
    }

    /**
     * The kind of {@code error}.
     *
     * @param error a router exception
     * @return its kind, never null
     */
    public static FailureKind of(LlmRouterException error) {
        Objects.requireNonNull(error, "error");
        if (error instanceof ContextWindowExceededException) {
            return CONTEXT_WINDOW_EXCEEDED;
        }
        if (error instanceof ContentPolicyViolationException) {
            return CONTENT_POLICY_VIOLATION;
        }
        if (error instanceof BadRequestException) {
            return BAD_REQUEST;
        }
        if (error instanceof AuthenticationException) {
            return AUTHENTICATION;
        }
        if (error instanceof PermissionDeniedException) {
            return PERMISSION_DENIED;
        }
        if (error instanceof NotFoundException) {
            return NOT_FOUND;
        }
        if (error instanceof RateLimitException) {
            return RATE_LIMIT;
        }
        if (error instanceof RequestTimeoutException) {
            return TIMEOUT;
        }
        if (error instanceof ProviderServerException) {
            return SERVER_ERROR;
        }
        if (error instanceof ProviderConnectionException) {
            return CONNECTION_ERROR;
        }
        if (error instanceof InvalidProviderResponseException) {
            return INVALID_RESPONSE;
        }
        if (error instanceof NoDeploymentAvailableException) {
            return NO_DEPLOYMENT_AVAILABLE;
        }
        if (error instanceof BudgetExceededException) {
            return BUDGET_EXCEEDED;
        }
        if (error instanceof ResponseRejectedException) {
            return RESPONSE_REJECTED;
        }
        return OTHER;
    }
}
