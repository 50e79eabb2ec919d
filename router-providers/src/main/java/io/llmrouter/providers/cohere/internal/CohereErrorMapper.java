package io.llmrouter.providers.cohere.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.providers.internal.ErrorStatus;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.internal.TransportFailures;
import io.llmrouter.providers.internal.RetryAfter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place where Cohere failures become typed exceptions: HTTP errors (Cohere's
 * {@code {"id","message"}} envelope, or {@code {"message"}}, an HTML page or an empty body),
 * {@code finish_reason} {@code ERROR} / {@code TIMEOUT} inside an HTTP 200, malformed answers,
 * transport failures, a missing API key and requests Cohere cannot express.
 *
 * <p>Statuses follow the one table of {@link LlmRouterException#ofStatus} (400, 413, 422 →
 * {@link BadRequestException}; 401 → {@link AuthenticationException}; 402 → a
 * {@link RateLimitException} that is not retryable (billing); 403 → {@link PermissionDeniedException};
 * 404 → {@link NotFoundException}; 429 → {@link RateLimitException} with the {@code retry-after-ms} /
 * {@code retry-after} delay; 500, 502 → {@link ProviderServerException}; 503 →
 * {@link ServiceUnavailableException}; 504 → {@link RequestTimeoutException}), refined: a request
 * error whose message says the input is too long is a {@link ContextWindowExceededException} (see
 * {@link #CONTEXT_WINDOW_MESSAGES}); a 429 naming a monthly limit is not retryable (see
 * {@link #MONTHLY_LIMIT_MESSAGES}). Cohere's own statuses: 498 (blocked output) →
 * {@link ContentPolicyViolationException}; 499 (request cancelled before Cohere answered) →
 * {@link ProviderConnectionException}, retryable. The body's {@code id} becomes the
 * {@linkplain ErrorContext#providerRequestId() provider request id}. Every quoted text is redacted
 * ({@link Redaction#text}): the key never reaches a message.
 *
 * <p>Immutable and thread-safe.
 */
public final class CohereErrorMapper {

    /** The longest provider message quoted in an exception message, in characters. */
    public static final int MAX_MESSAGE = 1000;

    /** Cohere's blocked-output status (CO-SPEC: "Blocked Input or Output"). */
    public static final int STATUS_BLOCKED = 498;

    /** Cohere's "client closed request" status. */
    public static final int STATUS_CANCELLED = 499;

    /**
     * Lower-case message fragments that mark a 4xx as a context-window overflow. Cohere's own text
     * is {@code too many tokens: total number of tokens (prompt and prediction) cannot exceed N -
     * received M}; the others cover gateways and future wordings.
     */
    public static final List<String> CONTEXT_WINDOW_MESSAGES = List.of("too many tokens", "context length",
            "context window", "maximum context", "prompt is too long", "input is too long");

    /** Lower-case fragments of a 429 message about a monthly (trial) quota, which waiting does not cure. */
    public static final List<String> MONTHLY_LIMIT_MESSAGES = List.of("/ month", "per month", "monthly limit");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String provider;

    /**
     * A mapper whose exceptions name {@code provider}.
     *
     * @param provider the provider name that prefixes messages and fills {@link ErrorContext#provider()}
     */
    public CohereErrorMapper(String provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    /**
     * The base context of a call: provider, deployment and model.
     *
     * @param deploymentId the deployment called
     * @param model the provider model
     * @return the context
     */
    public ErrorContext context(String deploymentId, String model) {
        return ErrorContext.builder().provider(provider).deploymentId(deploymentId).model(model).build();
    }

    /**
     * The typed exception for a non-2xx answer.
     *
     * @param exchange the answer
     * @param context the call's context (status and request id are added)
     * @param key the credential sent, for redaction, or null
     * @param now the current time, for an HTTP-date {@code retry-after}
     * @return the exception, not thrown
     */
    public LlmRouterException httpError(HttpExchange exchange, ErrorContext context, Secret key, Instant now) {
        int status = exchange.status();
        Optional<CohereError> error = CohereError.parse(exchange.body());
        ErrorContext ctx = withResponse(context, exchange, error.map(CohereError::id).orElse(null), key);
        String message = error.map(e -> describe(e, status, key)).orElseGet(() -> describeRaw(exchange, key));
        String text = error.map(CohereError::message).map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
        Duration retryAfter = RetryAfter.fromHeaders(exchange, now).orElse(null);
        if (status == STATUS_BLOCKED) {
            return new ContentPolicyViolationException(message, ctx);
        }
        if (status == STATUS_CANCELLED) {
            return new ProviderConnectionException(message, ctx);
        }
        if (ErrorStatus.isRequestError(status) && containsAny(text, CONTEXT_WINDOW_MESSAGES)) {
            return new ContextWindowExceededException(message, ctx);
        }
        if (status == 429 && containsAny(text, MONTHLY_LIMIT_MESSAGES)) {
            return new RateLimitException(message, ctx, retryAfter, false, null);
        }
        return LlmRouterException.ofStatus(status, message, ctx, retryAfter);
    }

    /**
     * The exception for an HTTP 200 whose {@code finish_reason} says the generation failed:
     * {@code ERROR} → {@link ProviderServerException}, {@code TIMEOUT} → {@link RequestTimeoutException}
     * (both retryable). A partial answer is never returned as a success.
     *
     * @param finishReason the raw {@code finish_reason}
     * @param responseId the response's {@code id}, or null
     * @param exchange the answer
     * @param context the call's context
     * @param key the credential sent, for redaction of the response id, or null
     * @return the exception, or empty when {@code finishReason} is not a failure
     */
    public Optional<LlmRouterException> failedGeneration(String finishReason, String responseId,
            HttpExchange exchange, ErrorContext context, Secret key) {
        if (!"ERROR".equals(finishReason) && !"TIMEOUT".equals(finishReason)) {
            return Optional.empty();
        }
        ErrorContext ctx = withResponse(context, exchange, responseId, key);
        String message = provider + ": the generation failed with finish_reason " + finishReason
                + " (HTTP " + exchange.status() + ")";
        return Optional.of("ERROR".equals(finishReason) ? new ProviderServerException(message, ctx)
                : new RequestTimeoutException(message, ctx));
    }

    /**
     * The exception for a 2xx answer that is not a valid response.
     *
     * @param problem what is wrong, e.g. {@code message.content: expected an array} (redacted here)
     * @param exchange the answer
     * @param context the call's context (status is added)
     * @param key the credential sent, for redaction, or null
     * @param cause the parse failure, or null
     * @return the exception, not thrown
     */
    public InvalidProviderResponseException invalidResponse(String problem, HttpExchange exchange,
            ErrorContext context, Secret key, Throwable cause) {
        String message = provider + ": invalid response (HTTP " + exchange.status() + "): "
                + Redaction.shorten(Redaction.text(problem, key), MAX_MESSAGE);
        if (!exchange.isBodyBlank()) {
            message += "; body: " + Redaction.excerpt(exchange.body(), key);
        }
        return new InvalidProviderResponseException(message, withResponse(context, exchange, null, key),
                Redaction.cause(cause, key));
    }

    /**
     * The exception for a call that got no complete answer: a timeout, or a connection failure.
     *
     * @param e the transport failure, kept as the cause
     * @param context the call's context
     * @return the exception, not thrown
     */
    public LlmRouterException transportFailure(IOException e, ErrorContext context) {
        return TransportFailures.of(provider, e, context);
    }

    /**
     * The exception for a deployment key that is not available, raised before any network call.
     *
     * @param key the unavailable key (its variable name is quoted; it has no value)
     * @param context the call's context
     * @param cause why the key could not be read, or null
     * @return the exception, not thrown
     */
    public AuthenticationException missingKey(Secret key, ErrorContext context, Throwable cause) {
        String source = key.environmentVariable().map(v -> "environment variable " + v + " is not set")
                .orElse("the key is not available");
        return new AuthenticationException(provider + ": no API key: " + source, context, cause);
    }

    /**
     * The exception for a call with no key in the deployment nor in any of the environment
     * variables, raised before any network call.
     *
     * @param environmentVariables the variables tried, in order (not empty)
     * @param context the call's context
     * @return the exception, not thrown
     */
    public AuthenticationException missingKey(List<String> environmentVariables, ErrorContext context) {
        return new AuthenticationException(provider + ": no API key: the deployment has no apiKey and none of the "
                + "environment variables " + String.join(", ", environmentVariables) + " is set", context);
    }

    /**
     * The exception for a call to a deployment {@code apiBase} other than the default base with no
     * key of its own: the environment's key is only sent to the default base. Raised before any
     * network call.
     *
     * @param environmentVariables the variables that are not used for this base
     * @param context the call's context
     * @return the exception, not thrown
     */
    public AuthenticationException missingKeyForApiBase(List<String> environmentVariables, ErrorContext context) {
        return new AuthenticationException(provider + ": no API key: the deployment sets an apiBase other than the "
                + "default base and has no apiKey; " + String.join(" and ", environmentVariables)
                + " are only sent to the default base", context);
    }

    /**
     * The exception for a request that cannot be sent: a value Cohere does not accept, or an
     * unusable base URL or header.
     *
     * @param problem what is wrong
     * @param context the call's context
     * @param cause the underlying failure, or null
     * @return the exception, not thrown
     */
    public BadRequestException unsendable(String problem, ErrorContext context, Throwable cause) {
        return new BadRequestException(provider + ": cannot send the request: " + Redaction.text(problem, null),
                context, Redaction.cause(cause, null));
    }

    private static ErrorContext withResponse(ErrorContext context, HttpExchange exchange, String requestId,
            Secret key) {
        ErrorContext.Builder b = context.toBuilder();
        if (exchange.status() >= 100 && exchange.status() <= 599) {
            b.statusCode(exchange.status());
        }
        if (requestId != null && !requestId.isBlank()) {
            b.providerRequestId(Redaction.header(requestId, key));
        }
        return b.build();
    }

    private String describe(CohereError error, int status, Secret key) {
        String text = error.message() == null || error.message().isBlank() ? "(no message)" : error.message();
        return provider + ": " + Redaction.shorten(Redaction.text(text, key), MAX_MESSAGE) + " (HTTP " + status + ")";
    }

    private String describeRaw(HttpExchange exchange, Secret key) {
        String prefix = provider + ": HTTP " + exchange.status();
        if (exchange.isBodyBlank()) {
            return prefix + " with an empty body";
        }
        String kind = exchange.isHtml() ? " with an HTML page: " : " with a non-JSON body: ";
        return prefix + kind + Redaction.excerpt(exchange.body(), key);
    }

    private static boolean containsAny(String lowerCaseText, List<String> fragments) {
        for (String fragment : fragments) {
            if (lowerCaseText.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    /** Cohere's error envelope; {@code id} may be null. */
    record CohereError(String message, String id) {

        /**
         * Reads {@code {"id","message"}}, {@code {"message"}}, and for gateways in front of Cohere
         * {@code {"error":"..."}} or {@code {"error":{"message"}}}.
         */
        static Optional<CohereError> parse(String body) {
            if (body.isBlank()) {
                return Optional.empty();
            }
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                return Optional.empty();
            }
            if (root == null || !root.isObject()) {
                return Optional.empty();
            }
            String id = text(root.get("id"));
            String message = text(root.get("message"));
            if (message == null) {
                JsonNode error = root.path("error");
                message = error.isObject() ? text(error.get("message")) : text(error);
            }
            return message == null ? Optional.empty() : Optional.of(new CohereError(message, id));
        }

        private static String text(JsonNode node) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
            return node.isValueNode() ? node.asText() : node.toString();
        }
    }
}
