package io.llmrouter.providers.bedrock.internal;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.llmrouter.providers.internal.ErrorMapping;
import io.llmrouter.providers.internal.ErrorStatus;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.internal.RetryAfter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one place where Bedrock failures become typed exceptions: HTTP errors (classified by the
 * error type in the {@code x-amzn-errortype} header, falling back to {@code __type} in the body,
 * then to the status), exception messages inside a ConverseStream (classified by
 * {@code :exception-type} the same way), malformed answers and streams, transport failures,
 * missing settings and credentials.
 *
 * <p>Bedrock's error body is {@code {"message": "..."}} (some front-door errors say
 * {@code Message}); the header reads {@code ValidationException:http://internal.amazon.com/coral/...}
 * and is cut at the first {@code :}. The request id comes from {@code x-amzn-requestid}. Every
 * quoted text is redacted of the call's secrets ({@link Redaction}); no credential reaches a
 * message.
 *
 * <p>Immutable and thread-safe.
 */
public final class BedrockErrorMapper extends ErrorMapping {

    /** The response header carrying Bedrock's request id. */
    public static final String REQUEST_ID_HEADER = "x-amzn-requestid";

    /** The response header carrying the error type. */
    public static final String ERROR_TYPE_HEADER = "x-amzn-errortype";

    /**
     * Lower-case fragments that mark a {@code ValidationException} as a context-window overflow:
     * Bedrock's own "Input is too long for requested model.", Anthropic's "prompt is too long: N
     * tokens > M maximum" and "input length and `max_tokens` exceed context limit", Llama's and
     * Mistral's "maximum context length", and the generic "context window" / "too many input tokens".
     */
    public static final List<String> CONTEXT_WINDOW_MESSAGES = List.of("input is too long", "prompt is too long",
            "exceed context limit", "exceeds the context", "context window", "maximum context length",
            "too many input tokens");

    /** Error types of AWS's front door that mean the credentials or signature were rejected. */
    public static final Set<String> AUTHENTICATION_TYPES = Set.of("UnrecognizedClientException",
            "InvalidSignatureException", "ExpiredTokenException", "IncompleteSignatureException",
            "MissingAuthenticationTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch");

    /**
     * @param provider the provider name that prefixes messages and fills {@link ErrorContext#provider()}
     */
    public BedrockErrorMapper(String provider) {
        super(provider, List.of(REQUEST_ID_HEADER));
    }

    /**
     * The typed exception for a non-2xx answer: by its status, the one table of
     * {@link LlmRouterException#ofStatus}, refined by the error type: AWS's signature and
     * credential types ({@link #AUTHENTICATION_TYPES}) are an {@link AuthenticationException} (AWS
     * answers them with 400 or 403), {@code ServiceQuotaExceededException} a rate limit that is
     * not retryable, {@code ModelErrorException} (424) a {@link ProviderServerException}, and a
     * request error whose message says the input is too long a {@link ContextWindowExceededException}.
     *
     * @param exchange the answer
     * @param context the call's context (status and request id are added)
     * @param secrets the call's credentials, for redaction
     * @param now the current time, for an HTTP-date {@code retry-after}
     * @return the exception, not thrown
     */
    @Override
    public LlmRouterException httpError(HttpExchange exchange, ErrorContext context, Secret key, Instant now) {
        return httpError(exchange, context, key == null ? List.of() : List.of(key), now);
    }

    /**
     * {@link #httpError(HttpExchange, ErrorContext, Secret, Instant)} for a call signed with several
     * credentials (SigV4's key id, secret and session token).
     *
     * @param exchange the answer
     * @param context the call's context (status and request id are added)
     * @param secrets the call's credentials, for redaction
     * @param now the current time, for an HTTP-date {@code retry-after}
     * @return the exception, not thrown
     */
    public LlmRouterException httpError(HttpExchange exchange, ErrorContext context, List<Secret> secrets,
            Instant now) {
        int status = exchange.status();
        ErrorContext ctx = withResponse(context, exchange, secrets);
        JsonNode body = parseObject(exchange.body()).orElse(null);
        String type = errorType(exchange, body);
        String text = body == null ? null : firstText(body, "message", "Message");
        String message = text != null ? describe(text, status, type, secrets) : describeRaw(exchange, type, secrets);
        String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
        // Bedrock itself sends no retry-after (the delay of a 429 is then the router's backoff); a
        // proxy in front of it may.
        Duration retryAfter = RetryAfter.fromHeaders(exchange, now).orElse(null);
        if (!ErrorStatus.isError(status)) {
            LlmRouterException typed = type == null ? null : byType(type, lower, message, ctx);
            return typed != null ? typed : new ProviderServerException(message, ctx);
        }
        if (type != null && AUTHENTICATION_TYPES.contains(type)) {
            return new AuthenticationException(message, ctx);
        }
        if (status < 500 && "ServiceQuotaExceededException".equals(type)) {
            return new RateLimitException(message, ctx, retryAfter, false, null);
        }
        if (status < 500 && ("ModelErrorException".equals(type) || "ModelStreamErrorException".equals(type))) {
            return new ProviderServerException(message, ctx);
        }
        if (ErrorStatus.isRequestError(status) && containsAny(lower, CONTEXT_WINDOW_MESSAGES)) {
            return new ContextWindowExceededException(message, ctx);
        }
        return LlmRouterException.ofStatus(status, message, ctx, retryAfter);
    }

    /**
     * The typed exception for an exception message inside a 200 ConverseStream
     * ({@code :message-type: exception}), classified as the HTTP error of the same name:
     * {@code throttlingException} → a retryable {@link RateLimitException},
     * {@code modelStreamErrorException} and {@code internalServerException} →
     * {@link ProviderServerException}, {@code serviceUnavailableException} →
     * {@link ServiceUnavailableException}, {@code validationException} → {@link BadRequestException}
     * (or {@link ContextWindowExceededException} when the input is too long),
     * {@code modelTimeoutException} → {@link RequestTimeoutException}; an unknown type →
     * {@link ProviderServerException}.
     *
     * @param exceptionType the {@code :exception-type} header, e.g. {@code throttlingException}; may be blank
     * @param payload the payload, normally {@code {"message": "..."}}
     * @param context the call's context
     * @param secrets the call's credentials, for redaction
     * @return the exception, not thrown
     */
    public LlmRouterException streamException(String exceptionType, String payload, ErrorContext context,
            List<Secret> secrets) {
        JsonNode body = parseObject(payload).orElse(null);
        String text = body == null ? null : firstText(body, "message", "Message");
        if (text == null && !payload.isBlank()) {
            text = payload;
        }
        return streamFailure(exceptionType, text, "exception", context, secrets);
    }

    /**
     * The typed exception for an unmodeled error message inside a 200 ConverseStream
     * ({@code :message-type: error}, with {@code :error-code} and {@code :error-message}),
     * classified like {@link #streamException}.
     *
     * @param code the {@code :error-code} header; may be blank
     * @param text the {@code :error-message} header; may be blank
     * @param context the call's context
     * @param secrets the call's credentials, for redaction
     * @return the exception, not thrown
     */
    public LlmRouterException streamError(String code, String text, ErrorContext context, List<Secret> secrets) {
        return streamFailure(code, text, "error", context, secrets);
    }

    /**
     * The exception for a 2xx stream that is not a valid ConverseStream: a corrupted frame, an
     * event that cannot be read, a stream that ends before its terminal event.
     *
     * @param problem what is wrong (redacted here)
     * @param data the offending payload, quoted shortened and redacted; or null
     * @param context the call's context
     * @param secrets the call's credentials, for redaction
     * @param cause the underlying failure, or null
     * @return the exception, not thrown
     */
    public InvalidProviderResponseException invalidStream(String problem, String data, ErrorContext context,
            List<Secret> secrets, Throwable cause) {
        String message = provider + ": invalid event stream: " + Redaction.shorten(redact(problem, secrets),
                MAX_MESSAGE);
        if (data != null && !data.isBlank()) {
            message += "; data: " + Redaction.shorten(redact(data, secrets), Redaction.MAX_EXCERPT);
        }
        return new InvalidProviderResponseException(message, context, Redaction.redactCause(cause, secrets));
    }

    /**
     * The exception for a 2xx answer that is not a valid response.
     *
     * @param problem what is wrong (redacted here)
     * @param exchange the answer
     * @param context the call's context (status and request id are added)
     * @param secrets the call's credentials, for redaction
     * @param cause the parse failure, or null
     * @return the exception, not thrown
     */
    public InvalidProviderResponseException invalidResponse(String problem, HttpExchange exchange,
            ErrorContext context, List<Secret> secrets, Throwable cause) {
        String message = provider + ": invalid response (HTTP " + exchange.status() + "): "
                + Redaction.shorten(redact(problem, secrets), MAX_MESSAGE);
        if (!exchange.isBodyBlank()) {
            message += "; body: " + Redaction.shorten(redact(exchange.body(), secrets), Redaction.MAX_EXCERPT);
        }
        return new InvalidProviderResponseException(message, withResponse(context, exchange, secrets),
                Redaction.redactCause(cause, secrets));
    }

    /**
     * The exception for a call without usable credentials, raised before any network call.
     *
     * @param problem what is missing, naming settings and variables, never values
     * @param context the call's context
     * @param cause why, or null
     * @return the exception, not thrown
     */
    public AuthenticationException missingCredentials(String problem, ErrorContext context, Throwable cause) {
        return new AuthenticationException(provider + ": no credentials: " + Redaction.text(problem, null), context,
                Redaction.cause(cause, null));
    }

    /** {@code text} with every one of {@code secrets} and every key-shaped token masked. */
    public static String redact(String text, List<Secret> secrets) {
        return Redaction.redact(text, secrets);
    }

    private LlmRouterException streamFailure(String type, String text, String kind, ErrorContext context,
            List<Secret> secrets) {
        String shownType = type == null || type.isBlank() ? null : type.strip();
        String shownText = text == null || text.isBlank() ? "(no message)" : text;
        StringBuilder message = new StringBuilder(provider).append(": ")
                .append(Redaction.shorten(redact(shownText, secrets), MAX_MESSAGE))
                .append(" (stream ").append(kind);
        if (shownType != null) {
            message.append(' ').append(Redaction.shorten(redact(shownType, secrets), 100));
        }
        String described = message.append(')').toString();
        if (shownType != null) {
            // the stream's member names are the error shapes' names with a lower-case first letter
            String shape = Character.toUpperCase(shownType.charAt(0)) + shownType.substring(1);
            LlmRouterException typed = byType(shape, text == null ? "" : text.toLowerCase(Locale.ROOT), described,
                    context);
            if (typed != null) {
                return typed;
            }
        }
        return new ProviderServerException(described, context);
    }

    /** The exception for a known Bedrock error type, or null for an unknown one. */
    private static LlmRouterException byType(String type, String lowerCaseText, String message, ErrorContext ctx) {
        if (AUTHENTICATION_TYPES.contains(type)) {
            return new AuthenticationException(message, ctx);
        }
        return switch (type) {
            case "ValidationException" -> containsAny(lowerCaseText, CONTEXT_WINDOW_MESSAGES)
                    ? new ContextWindowExceededException(message, ctx)
                    : new BadRequestException(message, ctx);
            case "ServiceQuotaExceededException" -> new RateLimitException(message, ctx, null, false, null);
            case "AccessDeniedException" -> new PermissionDeniedException(message, ctx);
            case "ResourceNotFoundException" -> new NotFoundException(message, ctx);
            case "ModelTimeoutException" -> new RequestTimeoutException(message, ctx);
            case "ModelErrorException", "ModelStreamErrorException", "InternalServerException" ->
                    new ProviderServerException(message, ctx);
            case "ThrottlingException", "ModelNotReadyException" -> new RateLimitException(message, ctx, null, true,
                    null);
            case "ServiceUnavailableException" -> new ServiceUnavailableException(message, ctx);
            default -> null;
        };
    }

    /** The error type: the header's value up to the first {@code :}, else the body's {@code __type} after {@code #}. */
    static String errorType(HttpExchange exchange, JsonNode body) {
        String header = exchange.header(ERROR_TYPE_HEADER).map(String::strip).orElse("");
        if (!header.isEmpty()) {
            int colon = header.indexOf(':');
            return colon < 0 ? header : header.substring(0, colon);
        }
        String type = body == null ? null : firstText(body, "__type", "code");
        if (type == null || type.isBlank()) {
            return null;
        }
        int hash = type.lastIndexOf('#');
        type = hash < 0 ? type : type.substring(hash + 1);
        int colon = type.indexOf(':');
        return colon < 0 ? type : type.substring(0, colon);
    }

    private ErrorContext withResponse(ErrorContext context, HttpExchange exchange, List<Secret> secrets) {
        ErrorContext.Builder b = context.toBuilder();
        if (exchange.status() >= 100 && exchange.status() <= 599) {
            b.statusCode(exchange.status());
        }
        exchange.header(REQUEST_ID_HEADER).filter(id -> !id.isBlank()).map(String::strip)
                .map(id -> Redaction.redact(id, secrets)).ifPresent(b::providerRequestId);
        return b.build();
    }

    private String describe(String text, int status, String type, List<Secret> secrets) {
        String shown = text.isBlank() ? "(no message)" : text;
        StringBuilder sb = new StringBuilder(provider).append(": ")
                .append(Redaction.shorten(redact(shown, secrets), MAX_MESSAGE))
                .append(" (HTTP ").append(status);
        if (type != null) {
            sb.append(", type=").append(Redaction.shorten(redact(type, secrets), 100));
        }
        return sb.append(')').toString();
    }

    private String describeRaw(HttpExchange exchange, String type, List<Secret> secrets) {
        String prefix = provider + ": HTTP " + exchange.status() + (type == null ? "" : " " + type);
        if (exchange.isBodyBlank()) {
            return prefix + " with an empty body";
        }
        String kind = exchange.isHtml() ? " with an HTML page: " : " with a non-JSON body: ";
        return prefix + kind + Redaction.shorten(redact(exchange.body(), secrets), Redaction.MAX_EXCERPT);
    }

    private static String firstText(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode v = node.get(name);
            if (v != null && v.isTextual()) {
                return v.textValue();
            }
        }
        return null;
    }
}
