package io.llmrouter.providers.anthropic.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.providers.internal.ErrorMapping;
import io.llmrouter.providers.internal.ErrorStatus;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.internal.RetryAfter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one place where failures of Anthropic's Messages API become typed exceptions: HTTP errors
 * (classified by the envelope's {@code error.type}, else by status), an error envelope inside a
 * 200, an {@code event: error} inside a stream, malformed answers and event streams, transport
 * failures, a missing API key and requests that cannot be translated.
 *
 * <p>The envelope is {@code {"type":"error","error":{"type","message"},"request_id"}}; the request
 * id comes from the {@code request-id} header, else the body. Error types:
 * {@code invalid_request_error} → {@link BadRequestException}, or
 * {@link ContextWindowExceededException} when the message is one of
 * {@link #CONTEXT_WINDOW_MESSAGES}; {@code authentication_error} → {@link AuthenticationException};
 * {@code permission_error} → {@link PermissionDeniedException}; {@code not_found_error} →
 * {@link NotFoundException}; {@code request_too_large} → {@link BadRequestException};
 * {@code rate_limit_error} → {@link RateLimitException} (retryable, {@code retry-after} seconds);
 * {@code billing_error} → {@link RateLimitException} that is not retryable (as OpenAI's
 * {@code insufficient_quota}); {@code api_error} → {@link ProviderServerException};
 * {@code overloaded_error} → {@link ServiceUnavailableException}; {@code timeout_error} →
 * {@link RequestTimeoutException}. These types decide only for an error inside a 2xx (an error
 * envelope in a 200, an {@code event: error}); an HTTP error goes by its status, the one table of
 * {@link LlmRouterException#ofStatus} (a 503 is a {@link ServiceUnavailableException} whatever its
 * type), refined only into a context-window overflow (a request error with one of those messages)
 * or, for {@code billing_error}, a rate limit that is not retryable. Every quoted text, the request
 * id and every kept cause are redacted ({@link Redaction}).
 *
 * <p>Immutable and thread-safe.
 */
public final class AnthropicErrorMapper extends ErrorMapping {

    /** The response header carrying Anthropic's request id. */
    public static final String REQUEST_ID_HEADER = "request-id";

    /**
     * Lower-case fragments of an {@code invalid_request_error} message that mean the context window
     * is exceeded: {@code prompt is too long: N tokens > M maximum} and
     * {@code input length and `max_tokens` exceed context limit: ...}.
     */
    public static final List<String> CONTEXT_WINDOW_MESSAGES = List.of("prompt is too long",
            "exceed context limit");

    /**
     * A mapper for one provider name.
     *
     * @param provider the name that prefixes messages and fills {@link ErrorContext#provider()}
     */
    public AnthropicErrorMapper(String provider) {
        super(provider, List.of(REQUEST_ID_HEADER));
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
        Optional<ProviderError> error = ProviderError.parse(exchange.body());
        ErrorContext ctx = withResponse(context, exchange, error.map(ProviderError::requestId).orElse(null), key);
        String message = error.map(e -> describe(e, exchange.status(), key)).orElseGet(() -> describeRaw(exchange, key));
        Duration retryAfter = RetryAfter.fromHeaders(exchange, now).orElse(null);
        return classify(exchange.status(), error, message, ctx, retryAfter);
    }

    /**
     * The typed exception for a 2xx answer whose body is an error envelope
     * ({@code {"type":"error",...}}), classified by its error type; an unknown type is a
     * {@link ProviderServerException}.
     *
     * @param exchange the answer
     * @param context the call's context (status and request id are added)
     * @param key the credential sent, for redaction, or null
     * @return the exception, not thrown
     */
    public LlmRouterException errorInSuccess(HttpExchange exchange, ErrorContext context, Secret key) {
        Optional<ProviderError> error = ProviderError.parse(exchange.body());
        ErrorContext ctx = withResponse(context, exchange, error.map(ProviderError::requestId).orElse(null), key);
        String message = error.map(e -> describe(e, exchange.status(), key)).orElseGet(() -> describeRaw(exchange, key));
        return classify(exchange.status(), error, message, ctx, null);
    }

    /**
     * The typed exception for an {@code event: error} inside a successful event stream (e.g.
     * {@code {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}}),
     * classified by its error type as an HTTP error would be: {@code overloaded_error} →
     * {@link ServiceUnavailableException}, and so on. Data that is not an error envelope, or an
     * unknown type, gives a {@link ProviderServerException}. The context gets no status code (the
     * stream's own status was 2xx); the request id comes from the envelope's {@code request_id}.
     *
     * @param data the event's data
     * @param context the call's context
     * @param key the credential sent, for redaction, or null
     * @return the exception, not thrown
     */
    public LlmRouterException streamError(String data, ErrorContext context, Secret key) {
        Optional<ProviderError> error = ProviderError.parse(data);
        ErrorContext.Builder ctx = context.toBuilder();
        error.map(ProviderError::requestId).filter(id -> !id.isBlank()).map(id -> Redaction.header(id, key))
                .ifPresent(ctx::providerRequestId);
        String message = error.map(e -> describe(e, "error event in the stream", key))
                .orElseGet(() -> provider + ": error event in the stream: " + Redaction.excerpt(data, key));
        return classify(200, error, message, ctx.build(), null);
    }

    /**
     * An HTTP error (4xx, 5xx) is classified by its status, the one table of
     * {@link LlmRouterException#ofStatus}; the body only refines a request error into a
     * context-window overflow and a {@code billing_error} into a rate limit that is not retryable.
     * An error inside a 2xx (an error envelope in a 200, an {@code event: error}) has no status of
     * its own: its error type decides.
     */
    private static LlmRouterException classify(int status, Optional<ProviderError> error, String message,
            ErrorContext ctx, Duration retryAfter) {
        String type = error.map(ProviderError::type).map(AnthropicErrorMapper::lower).orElse("");
        String text = error.map(ProviderError::message).map(AnthropicErrorMapper::lower).orElse("");
        if (ErrorStatus.isError(status)) {
            if (ErrorStatus.isRequestError(status) && containsAny(text, CONTEXT_WINDOW_MESSAGES)) {
                return new ContextWindowExceededException(message, ctx);
            }
            if (status < 500 && type.equals("billing_error")) {
                return new RateLimitException(message, ctx, retryAfter, false, null);
            }
            return LlmRouterException.ofStatus(status, message, ctx, retryAfter);
        }
        if (type.equals("invalid_request_error") && containsAny(text, CONTEXT_WINDOW_MESSAGES)) {
            return new ContextWindowExceededException(message, ctx);
        }
        return switch (type) {
            case "invalid_request_error", "request_too_large" -> new BadRequestException(message, ctx);
            case "authentication_error" -> new AuthenticationException(message, ctx);
            case "permission_error" -> new PermissionDeniedException(message, ctx);
            case "not_found_error" -> new NotFoundException(message, ctx);
            case "rate_limit_error" -> new RateLimitException(message, ctx, retryAfter, true, null);
            case "billing_error" -> new RateLimitException(message, ctx, retryAfter, false, null);
            case "overloaded_error" -> new ServiceUnavailableException(message, ctx, retryAfter, null);
            case "timeout_error" -> new RequestTimeoutException(message, ctx);
            default -> new ProviderServerException(message, ctx);
        };
    }

    private String describe(ProviderError error, int status, Secret key) {
        return describe(error, "HTTP " + status, key);
    }

    private String describe(ProviderError error, String where, Secret key) {
        StringBuilder sb = new StringBuilder(provider).append(": ").append(quote(error.message(), key))
                .append(" (").append(where);
        appendField(sb, "type", error.type(), key);
        return sb.append(')').toString();
    }

    /** The fields of an error envelope; any may be null. */
    record ProviderError(String type, String message, String requestId) {

        static Optional<ProviderError> parse(String body) {
            JsonNode root = parseObject(body).orElse(null);
            if (root == null) {
                return Optional.empty();
            }
            JsonNode error = root.path("error");
            if (error.isObject()) {
                return Optional.of(new ProviderError(text(error.get("type")), text(error.get("message")),
                        text(root.get("request_id"))));
            }
            String message = text(root.get("message"));
            return message == null ? Optional.empty()
                    : Optional.of(new ProviderError(null, message, text(root.get("request_id"))));
        }
    }
}
