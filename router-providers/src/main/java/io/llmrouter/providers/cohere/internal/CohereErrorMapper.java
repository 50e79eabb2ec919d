package io.llmrouter.providers.cohere.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderConnectionException;
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
public final class CohereErrorMapper extends ErrorMapping {

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

    /**
     * A mapper whose exceptions name {@code provider}.
     *
     * @param provider the provider name that prefixes messages and fills {@link ErrorContext#provider()}
     */
    public CohereErrorMapper(String provider) {
        super(provider, List.of());
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
     * The exception for a stream whose {@code message-end} says the generation failed, as
     * {@link #failedGeneration} for a complete answer: {@code ERROR} → {@link ProviderServerException},
     * {@code TIMEOUT} → {@link RequestTimeoutException} (both retryable). The generation id from
     * {@code message-start} is the provider request id when the response headers named none.
     *
     * @param finishReason the raw {@code finish_reason}, or null
     * @param generationId the stream's {@code message-start} id, or null
     * @param context the stream's context
     * @param key the credential sent, for redaction, or null
     * @return the exception, or empty when {@code finishReason} is not a failure
     */
    public Optional<LlmRouterException> failedStream(String finishReason, String generationId,
            ErrorContext context, Secret key) {
        if (!"ERROR".equals(finishReason) && !"TIMEOUT".equals(finishReason)) {
            return Optional.empty();
        }
        ErrorContext ctx = context;
        if (context.providerRequestId().isEmpty() && generationId != null) {
            ctx = context.toBuilder().providerRequestId(Redaction.header(generationId, key)).build();
        }
        String message = provider + ": the streamed generation failed with finish_reason " + finishReason;
        return Optional.of("ERROR".equals(finishReason) ? new ProviderServerException(message, ctx)
                : new RequestTimeoutException(message, ctx));
    }

    /**
     * Whether a JSON body sent instead of a stream is Cohere's error envelope ({@code message} a
     * string, as in {@code {"id","message"}}), not a chat answer.
     *
     * @param tree the body
     * @return whether it is an error envelope
     */
    public static boolean isErrorEnvelope(JsonNode tree) {
        return tree.path("message").isTextual() || tree.has("error");
    }

    /**
     * The exception for an error envelope in a 2xx answer to a streaming call: a retryable
     * {@link ProviderServerException} quoting the message (redacted), naming the envelope's {@code id}.
     *
     * @param body the envelope's text
     * @param context the stream's context
     * @param key the credential sent, for redaction, or null
     * @return the exception, not thrown
     */
    public LlmRouterException envelopeInStream(String body, ErrorContext context, Secret key) {
        Optional<CohereError> error = CohereError.parse(body);
        ErrorContext ctx = context;
        String id = error.map(CohereError::id).orElse(null);
        if (context.providerRequestId().isEmpty() && id != null && !id.isBlank()) {
            ctx = context.toBuilder().providerRequestId(Redaction.header(id, key)).build();
        }
        String message = provider + ": error instead of the stream: "
                + error.map(e -> quote(e.message(), key)).orElseGet(() -> Redaction.excerpt(body, key));
        return new ProviderServerException(message, ctx);
    }

    private String describe(CohereError error, int status, Secret key) {
        return provider + ": " + quote(error.message(), key) + " (HTTP " + status + ")";
    }

    /** Cohere's error envelope; {@code id} may be null. */
    record CohereError(String message, String id) {

        /**
         * Reads {@code {"id","message"}}, {@code {"message"}}, and for gateways in front of Cohere
         * {@code {"error":"..."}} or {@code {"error":{"message"}}}.
         */
        static Optional<CohereError> parse(String body) {
            JsonNode root = parseObject(body).orElse(null);
            if (root == null) {
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
    }
}
