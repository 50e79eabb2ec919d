package io.llmrouter.providers.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.providers.internal.ErrorMapping;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.internal.RetryAfter;
import io.llmrouter.providers.openai.OpenAiCompatibleVendor.StatusMeaning;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where failures of an OpenAI-shaped API become typed exceptions: HTTP errors
 * (classified by status and the {@code {"error":{"message","type","param","code"}}} envelope),
 * errors reported inside a 2xx stream ({@link #streamError}), malformed answers and streams,
 * transport failures and a missing API key.
 *
 * <p>Also reads the envelope variants of OpenAI-compatible servers: a numeric {@code code} and a
 * {@code metadata} object (OpenRouter), a string {@code error} (Ollama), a top-level
 * {@code message}, or FastAPI's {@code detail} (a string, or Mistral's and DeepSeek's 422 list of
 * {@code {loc, msg, type}}). A context-window overflow is recognised by OpenAI's code or by any of
 * the vendors' messages ({@link #CONTEXT_WINDOW_MESSAGES}). Azure's {@code innererror} (or
 * {@code inner_error}) is read too: its {@code code} is quoted, and its {@code content_filter_result}
 * becomes the {@link ContentPolicyViolationException#details()} of a {@code content_filter} error. A
 * vendor's {@link StatusMeaning}s override the usual reading of their statuses. Every quoted text is redacted
 * ({@link Redaction#text}); the key never reaches a message.
 *
 * <p>Immutable and thread-safe.
 */
public final class OpenAiErrorMapper extends ErrorMapping {

    /** The response header carrying OpenAI's request id. */
    public static final String REQUEST_ID_HEADER = "x-request-id";

    /**
     * Lower-case message fragments that mark a 4xx as a context-window overflow: OpenAI, DeepSeek,
     * vLLM and OpenRouter ("maximum context length"), LM Studio and others ("context length"), xAI
     * ("maximum prompt length"), Groq and Cerebras ("reduce the length of the messages"), llama.cpp
     * ("too many tokens"), Anthropic-backed routes and Fireworks ("prompt is too long"), and
     * "exceeds the context window".
     */
    public static final List<String> CONTEXT_WINDOW_MESSAGES = List.of("maximum context length", "context length",
            "context_length_exceeded", "maximum prompt length", "reduce the length of the messages",
            "too many tokens", "prompt is too long", "exceeds the context window");

    private final Map<Integer, StatusMeaning> meanings;

    /**
     * A mapper with the usual reading of every status.
     *
     * @param provider the provider name that prefixes messages and fills {@link ErrorContext#provider()}
     */
    public OpenAiErrorMapper(String provider) {
        this(provider, Map.of());
    }

    /**
     * A mapper with a vendor's own reading of some statuses.
     *
     * @param provider the provider name that prefixes messages and fills {@link ErrorContext#provider()}
     * @param meanings statuses whose meaning differs from the usual reading
     */
    public OpenAiErrorMapper(String provider, Map<Integer, StatusMeaning> meanings) {
        this(provider, meanings, List.of(REQUEST_ID_HEADER));
    }

    /**
     * A mapper with a vendor's own reading of some statuses and its own request id headers.
     *
     * @param provider the provider name that prefixes messages and fills {@link ErrorContext#provider()}
     * @param meanings statuses whose meaning differs from the usual reading
     * @param requestIdHeaders the response headers carrying the provider's request id, first present wins
     *     (Azure: {@code apim-request-id}, then {@code x-request-id})
     */
    public OpenAiErrorMapper(String provider, Map<Integer, StatusMeaning> meanings, List<String> requestIdHeaders) {
        super(provider, requestIdHeaders);
        this.meanings = Map.copyOf(meanings);
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
        ErrorContext ctx = withResponse(context, exchange, null, key);
        Optional<ProviderError> error = ProviderError.parse(exchange.body());
        String message = error.map(e -> describe(e, status, key)).orElseGet(() -> describeRaw(exchange, key));
        Duration retryAfter = RetryAfter.fromHeaders(exchange, now)
                .or(() -> RetryAfter.fromRateLimitReset(exchange.header("x-ratelimit-remaining-requests").orElse(null),
                        exchange.header("x-ratelimit-reset-requests").orElse(null),
                        exchange.header("x-ratelimit-remaining-tokens").orElse(null),
                        exchange.header("x-ratelimit-reset-tokens").orElse(null)))
                .orElse(null);
        String code = error.map(ProviderError::code).map(OpenAiErrorMapper::lower).orElse("");
        String type = error.map(ProviderError::type).map(OpenAiErrorMapper::lower).orElse("");
        String text = error.map(ProviderError::message).map(OpenAiErrorMapper::lower).orElse("");
        StatusMeaning meaning = meanings.get(status);
        if (meaning != null) {
            return byMeaning(meaning, message, ctx, retryAfter, error, key);
        }
        return byStatus(status, message, ctx, retryAfter, error, code, type, text, key);
    }

    /**
     * The typed exception for an error reported inside a 2xx stream: OpenAI's
     * {@code data: {"error":{...}}} event (no {@code [DONE]} follows), OpenRouter's error chunk
     * (numeric {@code code} = the HTTP status it stands for), or a bare {@code {"error":"..."}}.
     * OpenRouter's numeric code is classified like that status; otherwise the envelope's
     * {@code code}/{@code type} decide: rate limit ({@code rate_limit_exceeded}, retryable unless
     * {@code insufficient_quota}), context window, content policy, {@code invalid_request_error}
     * (bad request), overloaded (service unavailable); anything else, OpenAI's
     * {@code server_error} included, is a retryable
     * {@link io.llmrouter.api.exception.ProviderServerException}. The context's status is the
     * stream's 200 (or OpenRouter's code).
     *
     * @param data the event's data (JSON with a top-level {@code error})
     * @param context the call's context
     * @param key the credential sent, for redaction, or null
     * @return the exception, not thrown
     */
    public LlmRouterException streamError(String data, ErrorContext context, Secret key) {
        Optional<ProviderError> error = ProviderError.parse(data);
        String message = provider + ": error in the stream after HTTP 200: " + error.map(e -> details(e, key))
                .orElseGet(() -> Redaction.excerpt(data, key));
        String code = error.map(ProviderError::code).map(OpenAiErrorMapper::lower).orElse("");
        String type = error.map(ProviderError::type).map(OpenAiErrorMapper::lower).orElse("");
        String text = error.map(ProviderError::message).map(OpenAiErrorMapper::lower).orElse("");
        if (code.matches("[45][0-9][0-9]")) {
            int status = Integer.parseInt(code);
            ErrorContext ctx = context.toBuilder().statusCode(status).build();
            StatusMeaning meaning = meanings.get(status);
            if (meaning != null) {
                return byMeaning(meaning, message, ctx, null, error, key);
            }
            return byStatus(status, message, ctx, null, error, code, type, text, key);
        }
        ErrorContext ctx = context.toBuilder().statusCode(200).build();
        if (code.equals("rate_limit_exceeded") || type.equals("rate_limit_error") || code.equals("insufficient_quota")
                || type.equals("insufficient_quota")) {
            boolean quota = code.equals("insufficient_quota") || type.equals("insufficient_quota");
            return new RateLimitException(message, ctx, null, !quota, null);
        }
        if (code.equals("context_length_exceeded") || containsAny(text, CONTEXT_WINDOW_MESSAGES)) {
            return new ContextWindowExceededException(message, ctx);
        }
        if (code.equals("content_filter") || code.equals("invalid_prompt")) {
            return new ContentPolicyViolationException(message, ctx,
                    Redaction.json(error.map(ProviderError::filterDetails).orElse(null), key), null);
        }
        if (type.equals("invalid_request_error")) {
            return new BadRequestException(message, ctx);
        }
        if (type.contains("overloaded") || code.contains("overloaded")) {
            return new ServiceUnavailableException(message, ctx);
        }
        return new ProviderServerException(message, ctx);
    }

    /**
     * The exception for a stream whose choice ended with {@code finish_reason: "error"} (Mistral,
     * OpenRouter) without an error envelope: a retryable
     * {@link io.llmrouter.api.exception.ProviderServerException}.
     *
     * @param context the call's context
     * @return the exception, not thrown
     */
    public LlmRouterException finishedWithError(ErrorContext context) {
        return new ProviderServerException(provider + ": the stream ended a choice with finish_reason \"error\""
                + " after HTTP 200", context.toBuilder().statusCode(200).build());
    }

    /**
     * The exception for a 2xx stream that is not a valid stream: a malformed event, or an end
     * without the terminal event.
     *
     * @param problem what is wrong (redacted here)
     * @param event the offending event's data, quoted as a short excerpt, or null
     * @param context the call's context
     * @param key the credential sent, for redaction, or null
     * @param cause the parse failure, or null
     * @return the exception, not thrown
     */
    @Override
    public InvalidProviderResponseException invalidStream(String problem, String event, ErrorContext context,
            Secret key, Throwable cause) {
        String message = provider + ": invalid stream (HTTP 200): " + Redaction.shorten(Redaction.text(problem, key),
                MAX_MESSAGE);
        if (event != null && !event.isBlank()) {
            message += "; event: " + Redaction.excerpt(event, key);
        }
        return new InvalidProviderResponseException(message, context.toBuilder().statusCode(200).build(),
                Redaction.cause(cause, key));
    }

    private LlmRouterException byMeaning(StatusMeaning meaning, String message, ErrorContext ctx, Duration retryAfter,
            Optional<ProviderError> error, Secret key) {
        return switch (meaning) {
            case OVERLOADED -> new ServiceUnavailableException(message, ctx, retryAfter, null);
            case OUT_OF_CREDIT -> new RateLimitException(message, ctx, retryAfter, false, null);
            case CONTENT_POLICY -> new ContentPolicyViolationException(message, ctx,
                    Redaction.json(error.map(ProviderError::metadata).orElse(null), key), null);
        };
    }

    private LlmRouterException byStatus(int status, String message, ErrorContext ctx, Duration retryAfter,
            Optional<ProviderError> error, String code, String type, String text, Secret key) {
        if (status == 429) {
            boolean quota = code.equals("insufficient_quota") || type.equals("insufficient_quota")
                    || text.startsWith("request too large");
            return new RateLimitException(message, ctx, retryAfter, !quota, null);
        }
        if (isRequestError(status)) {
            if (code.equals("context_length_exceeded") || containsAny(text, CONTEXT_WINDOW_MESSAGES)) {
                return new ContextWindowExceededException(message, ctx);
            }
            if (code.equals("content_filter") || code.equals("invalid_prompt")) {
                return new ContentPolicyViolationException(message, ctx,
                        Redaction.json(error.map(ProviderError::filterDetails).orElse(null), key), null);
            }
        }
        return LlmRouterException.ofStatus(status, message, ctx, retryAfter);
    }

    /**
     * The exception for a call whose credential cannot be had, raised before any network call: no
     * key anywhere, or a token source that failed.
     *
     * @param problem what is missing or failed, without the credential (redacted here)
     * @param context the call's context
     * @param cause the token source's failure, or null
     * @return the exception, not thrown
     */
    public AuthenticationException credentialFailure(String problem, ErrorContext context, Throwable cause) {
        return new AuthenticationException(provider + ": " + Redaction.shorten(Redaction.text(problem, null),
                MAX_MESSAGE), context, Redaction.cause(cause, null));
    }

    private String describe(ProviderError error, int status, Secret key) {
        String text = error.message() == null || error.message().isBlank() ? "(no message)" : error.message();
        String quoted = Redaction.shorten(Redaction.text(text, key), MAX_MESSAGE);
        // Sized for the whole message at once: growing from the default doubled and copied it about
        // five times for a typical rate-limit text, once per failed attempt.
        StringBuilder sb = new StringBuilder(provider.length() + quoted.length() + 160).append(provider).append(": ");
        sb.append(quoted).append(" (HTTP ").append(status);
        appendField(sb, "type", error.type(), key);
        appendField(sb, "code", error.code(), key);
        appendField(sb, "param", error.param(), key);
        if (error.innerError() != null) {
            appendField(sb, "innererror.code", text(error.innerError().get("code")), key);
        }
        return sb.append(')').toString();
    }

    /** The envelope's message and its type, code and param, without the provider prefix or status. */
    private static String details(ProviderError error, Secret key) {
        String text = error.message() == null || error.message().isBlank() ? "(no message)" : error.message();
        String message = Redaction.shorten(Redaction.text(text, key), MAX_MESSAGE);
        StringBuilder fields = new StringBuilder();
        appendField(fields, "type", error.type(), key);
        appendField(fields, "code", error.code(), key);
        appendField(fields, "param", error.param(), key);
        return fields.length() == 0 ? message : message + " (" + fields.substring(2) + ")";
    }

    /** 4xx statuses that are about the request itself (not auth, not found, timeout or rate limit). */
    private static boolean isRequestError(int status) {
        return status >= 400 && status < 500 && status != 401 && status != 403 && status != 404 && status != 408
                && status != 429;
    }

    /**
     * The fields of an error envelope; any may be null ({@code metadata}: OpenRouter's details object;
     * {@code innerError}: Azure's {@code innererror}, spelled {@code inner_error} in its REST spec).
     */
    record ProviderError(String message, String type, String param, String code, JsonNode metadata,
            JsonNode innerError) {

        ProviderError(String message, String type, String param, String code, JsonNode metadata) {
            this(message, type, param, code, metadata, null);
        }

        /**
         * What a content filter said: Azure's {@code innererror.content_filter_result} (the wire
         * spelling; {@code content_filter_results} in its REST spec), else the whole inner error, else
         * OpenRouter-style {@code metadata}; null when the envelope has none.
         */
        JsonNode filterDetails() {
            if (innerError != null) {
                for (String name : List.of("content_filter_result", "content_filter_results")) {
                    JsonNode result = innerError.get(name);
                    if (result != null && result.isObject()) {
                        return result;
                    }
                }
                return innerError;
            }
            return metadata;
        }

        static Optional<ProviderError> parse(String body) {
            JsonNode root = parseObject(body).orElse(null);
            if (root == null) {
                return Optional.empty();
            }
            JsonNode error = root.path("error");
            if (error.isObject()) {
                JsonNode metadata = error.get("metadata");
                JsonNode inner = error.has("innererror") ? error.get("innererror") : error.get("inner_error");
                return Optional.of(new ProviderError(text(error.get("message")), text(error.get("type")),
                        text(error.get("param")), text(error.get("code")),
                        metadata != null && metadata.isObject() ? metadata : null,
                        inner != null && inner.isObject() ? inner : null));
            }
            if (error.isTextual()) {
                return Optional.of(new ProviderError(error.asText(), null, null, text(root.get("code")), null));
            }
            String message = text(root.get("message"));
            if (message == null) {
                message = detail(root.get("detail"));
            }
            return message == null ? Optional.empty()
                    : Optional.of(new ProviderError(message, text(root.get("type")), null, text(root.get("code")), null));
        }

        /**
         * FastAPI's {@code detail}: a string, or a list of {@code {loc, msg, type}} rendered as
         * {@code body.messages: Field required; ...}; anything else as compact JSON.
         */
        private static String detail(JsonNode detail) {
            if (detail == null || !detail.isArray() || detail.isEmpty()) {
                return text(detail);
            }
            StringBuilder sb = new StringBuilder();
            for (JsonNode item : detail) {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                JsonNode msg = item.get("msg");
                if (msg == null || !msg.isTextual()) {
                    sb.append(item);
                    continue;
                }
                StringBuilder loc = new StringBuilder();
                for (JsonNode part : item.path("loc")) {
                    if (loc.length() > 0) {
                        loc.append('.');
                    }
                    loc.append(part.asText());
                }
                if (loc.length() > 0) {
                    sb.append(loc).append(": ");
                }
                sb.append(msg.textValue());
            }
            return sb.toString();
        }

    }
}
