package io.llmrouter.proxy.internal;

import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.RouterClosedException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import java.time.Duration;
import java.time.Instant;

/**
 * The router's typed exceptions as HTTP statuses and OpenAI error types, in one place.
 *
 * <table>
 *   <caption>exception to status</caption>
 *   <tr><td>BadRequestException (context window, content policy, refused)</td><td>400</td></tr>
 *   <tr><td>AuthenticationException (the upstream refused the deployment's key)</td><td>401</td></tr>
 *   <tr><td>PermissionDeniedException</td><td>403</td></tr>
 *   <tr><td>NotFoundException (unknown model)</td><td>404</td></tr>
 *   <tr><td>RequestTimeoutException</td><td>408</td></tr>
 *   <tr><td>RateLimitException, BudgetExceededException</td><td>429 with retry-after when known</td></tr>
 *   <tr><td>ServiceUnavailableException, NoDeploymentAvailableException, RouterClosedException</td><td>503</td></tr>
 *   <tr><td>other provider failures (connection, server, invalid answer)</td><td>502</td></tr>
 *   <tr><td>anything else</td><td>500</td></tr>
 * </table>
 */
final class ErrorMapping {

    /** How the router's message for a model group it does not have starts. */
    private static final String UNKNOWN_GROUP = "unknown model group '";

    private ErrorMapping() {
    }

    static ProxyError map(Throwable e, Instant now) {
        if (e instanceof ProxyError p) {
            return p;
        }
        if (e instanceof IllegalArgumentException) {
            return ProxyError.badRequest(e.getMessage());
        }
        if (!(e instanceof LlmRouterException r)) {
            return new ProxyError(500, "internal_error", null, "internal error");
        }
        String message = r.getMessage();
        if (r instanceof ContextWindowExceededException) {
            return new ProxyError(400, "invalid_request_error", "context_length_exceeded", message);
        }
        if (r instanceof ContentPolicyViolationException) {
            return new ProxyError(400, "invalid_request_error", "content_policy_violation", message);
        }
        if (r instanceof BadRequestException && message != null && message.startsWith(UNKNOWN_GROUP)) {
            // The router's message lists every group: not for a key limited to some of them.
            return new ProxyError(404, "not_found_error", "model_not_found",
                    "The model '" + r.model().orElse("") + "' does not exist");
        }
        if (r instanceof BadRequestException) {
            return ProxyError.badRequest(message);
        }
        if (r instanceof AuthenticationException) {
            return new ProxyError(401, "authentication_error", "upstream_authentication_failed", message);
        }
        if (r instanceof PermissionDeniedException) {
            return new ProxyError(403, "permission_error", null, message);
        }
        if (r instanceof NotFoundException) {
            return new ProxyError(404, "not_found_error", "model_not_found", message);
        }
        if (r instanceof RequestTimeoutException) {
            return new ProxyError(408, "timeout_error", "request_timeout", message);
        }
        if (r instanceof BudgetExceededException b) {
            Duration wait = b.resetsAt().map(t -> Duration.between(now, t)).filter(d -> !d.isNegative()).orElse(null);
            return new ProxyError(429, "budget_exceeded", "budget_exceeded", null, message, ProxyError.seconds(wait));
        }
        if (r instanceof RateLimitException) {
            return ProxyError.rateLimited(message, r.retryAfter().orElse(null));
        }
        if (r instanceof ServiceUnavailableException || r instanceof NoDeploymentAvailableException
                || r instanceof RouterClosedException) {
            return new ProxyError(503, "service_unavailable", null, null, message,
                    ProxyError.seconds(r.retryAfter().orElse(null)));
        }
        return new ProxyError(502, "upstream_error", null, message);
    }
}
