package io.llmrouter.providers.ollama.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.providers.internal.ErrorMapping;
import io.llmrouter.providers.internal.ErrorStatus;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.RetryAfter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one place where Ollama failures become typed exceptions: HTTP errors (Ollama's
 * {@code {"error":"<message>"}}, or {@code {"error":{"message"}}} from a proxy, an HTML page or an
 * empty body), an {@code {"error":...}} line inside a 200 NDJSON stream, malformed answers,
 * transport failures and requests Ollama cannot express.
 *
 * <p>Statuses follow the one table of {@link LlmRouterException#ofStatus} (404
 * {@code model '<name>' not found}: pull the model first → {@link io.llmrouter.api.exception.NotFoundException},
 * not retryable; 400 → {@link io.llmrouter.api.exception.BadRequestException}; 500 →
 * {@link ProviderServerException}, ...); a request error whose message says the input is too long
 * (a proxy's, or {@code /api/embed} with {@code truncate: false}) is a
 * {@link ContextWindowExceededException}. Every quoted text is redacted: the key never reaches a message.
 *
 * <p>Immutable and thread-safe.
 */
public final class OllamaErrorMapper extends ErrorMapping {

    /** Lower-case message fragments that mark a 4xx as a context-window overflow. */
    public static final List<String> CONTEXT_WINDOW_MESSAGES = List.of("context length", "context window",
            "maximum context", "input length exceeds", "too many tokens", "prompt is too long");

    /**
     * A mapper whose exceptions name {@code provider}.
     *
     * @param provider the provider name that prefixes messages and fills {@link ErrorContext#provider()}
     */
    public OllamaErrorMapper(String provider) {
        super(provider, List.of());
    }

    @Override
    public LlmRouterException httpError(HttpExchange exchange, ErrorContext context, Secret key, Instant now) {
        int status = exchange.status();
        Optional<String> error = errorMessage(exchange.body());
        ErrorContext ctx = withResponse(context, exchange, null, key);
        String message = error.map(e -> provider + ": " + quote(e, key) + " (HTTP " + status + ")")
                .orElseGet(() -> describeRaw(exchange, key));
        String text = error.map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
        Duration retryAfter = RetryAfter.fromHeaders(exchange, now).orElse(null);
        if (ErrorStatus.isRequestError(status) && containsAny(text, CONTEXT_WINDOW_MESSAGES)) {
            return new ContextWindowExceededException(message, ctx);
        }
        return LlmRouterException.ofStatus(status, message, ctx, retryAfter);
    }

    /**
     * The exception for an {@code {"error":...}} line inside a 200 stream (the model failed while
     * generating), or such an envelope sent instead of the stream: a retryable
     * {@link ProviderServerException} quoting the message (redacted).
     *
     * @param line the line's text
     * @param context the stream's context
     * @param key the credential sent, for redaction, or null
     * @return the exception, not thrown
     */
    public LlmRouterException streamError(String line, ErrorContext context, Secret key) {
        String message = errorMessage(line).map(e -> provider + ": error in the stream: " + quote(e, key))
                .orElseGet(() -> provider + ": error in the stream");
        return new ProviderServerException(message, context);
    }

    /** Whether a JSON object is Ollama's error envelope ({@code error} present). */
    public static boolean isErrorEnvelope(JsonNode tree) {
        return tree.has("error") && !tree.get("error").isNull();
    }

    /** The message of {@code {"error":"..."}} or {@code {"error":{"message":"..."}}}. */
    static Optional<String> errorMessage(String body) {
        return parseObject(body).map(root -> {
            JsonNode error = root.path("error");
            return error.isObject() ? text(error.get("message")) : text(error);
        });
    }
}
