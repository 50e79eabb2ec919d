package io.llmrouter.providers.anthropic.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
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
public final class AnthropicErrorMapper {

    /** The longest provider message quoted in an exception message, in characters. */
    public static final int MAX_MESSAGE = 1000;

    /** The response header carrying Anthropic's request id. */
    public static final String REQUEST_ID_HEADER = "request-id";

    /**
     * Lower-case fragments of an {@code invalid_request_error} message that mean the context window
     * is exceeded: {@code prompt is too long: N tokens > M maximum} and
     * {@code input length and `max_tokens` exceed context limit: ...}.
     */
    public static final List<String> CONTEXT_WINDOW_MESSAGES = List.of("prompt is too long",
            "exceed context limit");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String provider;

    /**
     * A mapper for one provider name.
     *
     * @param provider the name that prefixes messages and fills {@link ErrorContext#provider()}
     */
    public AnthropicErrorMapper(String provider) {
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
        Optional<ProviderError> error = ProviderError.parse(exchange.body());
        ErrorContext ctx = withResponse(context, exchange, error, key);
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
        ErrorContext ctx = withResponse(context, exchange, error, key);
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
            if (ErrorStatus.isRequestError(status) && isContextWindowMessage(text)) {
                return new ContextWindowExceededException(message, ctx);
            }
            if (status < 500 && type.equals("billing_error")) {
                return new RateLimitException(message, ctx, retryAfter, false, null);
            }
            return LlmRouterException.ofStatus(status, message, ctx, retryAfter);
        }
        if (type.equals("invalid_request_error") && isContextWindowMessage(text)) {
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

    private static boolean isContextWindowMessage(String lowerCaseText) {
        for (String fragment : CONTEXT_WINDOW_MESSAGES) {
            if (lowerCaseText.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The exception for a 2xx answer that is not a valid Messages response.
     *
     * @param problem what is wrong (redacted here)
     * @param exchange the answer
     * @param context the call's context (status and request id are added)
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
        return new InvalidProviderResponseException(message, withResponse(context, exchange, Optional.empty(), key),
                Redaction.cause(cause, key));
    }

    /**
     * The exception for a successful answer whose event stream is not a valid Messages stream: an
     * event that is not JSON or lacks a field, a delta for a block that never started, an end
     * without {@code message_stop}.
     *
     * @param problem what is wrong (redacted here)
     * @param data the offending event's data, quoted as an excerpt, or null
     * @param context the call's context
     * @param key the credential sent, for redaction, or null
     * @param cause the parse failure, or null
     * @return the exception, not thrown
     */
    public InvalidProviderResponseException invalidStream(String problem, String data, ErrorContext context,
            Secret key, Throwable cause) {
        String message = provider + ": invalid event stream: " + Redaction.shorten(Redaction.text(problem, key),
                MAX_MESSAGE);
        if (data != null && !data.isBlank()) {
            message += "; data: " + Redaction.excerpt(data, key);
        }
        return new InvalidProviderResponseException(message, context, Redaction.cause(cause, key));
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
     * The exception for a deployment whose own key cannot be read (an unset environment variable),
     * raised before any network call.
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
     * The exception for a call to Anthropic's base with no key in the deployment nor in the
     * environment, raised before any network call.
     *
     * @param environmentVariable the variable tried
     * @param context the call's context
     * @return the exception, not thrown
     */
    public AuthenticationException missingKey(String environmentVariable, ErrorContext context) {
        return new AuthenticationException(provider + ": no API key: environment variable " + environmentVariable
                + " is not set and the deployment has no apiKey", context);
    }

    /**
     * The exception for a request that cannot be sent: it cannot be translated to Anthropic's
     * format, or a setting (base URL, header) is unusable.
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

    private static ErrorContext withResponse(ErrorContext context, HttpExchange exchange,
            Optional<ProviderError> error, Secret key) {
        ErrorContext.Builder b = context.toBuilder();
        if (exchange.status() >= 100 && exchange.status() <= 599) {
            b.statusCode(exchange.status());
        }
        exchange.header(REQUEST_ID_HEADER).filter(id -> !id.isBlank())
                .or(() -> error.map(ProviderError::requestId).filter(id -> !id.isBlank()))
                .map(id -> Redaction.header(id, key))
                .ifPresent(b::providerRequestId);
        return b.build();
    }

    private String describe(ProviderError error, int status, Secret key) {
        return describe(error, "HTTP " + status, key);
    }

    private String describe(ProviderError error, String where, Secret key) {
        StringBuilder sb = new StringBuilder(provider).append(": ");
        String text = error.message() == null || error.message().isBlank() ? "(no message)" : error.message();
        sb.append(Redaction.shorten(Redaction.text(text, key), MAX_MESSAGE)).append(" (").append(where);
        if (error.type() != null && !error.type().isBlank()) {
            sb.append(", type=").append(Redaction.shorten(Redaction.text(error.type(), key), 100));
        }
        return sb.append(')').toString();
    }

    private String describeRaw(HttpExchange exchange, Secret key) {
        String prefix = provider + ": HTTP " + exchange.status();
        if (exchange.isBodyBlank()) {
            return prefix + " with an empty body";
        }
        String kind = exchange.isHtml() ? " with an HTML page: " : " with a non-JSON body: ";
        return prefix + kind + Redaction.excerpt(exchange.body(), key);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** The fields of an error envelope; any may be null. */
    record ProviderError(String type, String message, String requestId) {

        static Optional<ProviderError> parse(String body) {
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
            JsonNode error = root.path("error");
            if (error.isObject()) {
                return Optional.of(new ProviderError(text(error.get("type")), text(error.get("message")),
                        text(root.get("request_id"))));
            }
            String message = text(root.get("message"));
            return message == null ? Optional.empty()
                    : Optional.of(new ProviderError(null, message, text(root.get("request_id"))));
        }

        /** A scalar's text, a structure's compact JSON, or null for null/absent. */
        private static String text(JsonNode node) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
            return node.isValueNode() ? node.asText() : node.toString();
        }
    }
}
