package io.llmrouter.providers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Headers;

/**
 * The one error-mapping type of the adapters: what every vendor's failures have in common (the
 * call's context, a malformed answer or event stream, a transport failure, a missing key, a request
 * that cannot be sent, the provider's request id from the response headers), written once. A vendor
 * extends it with its envelope parser and its status table in {@link #httpError}, and adds what only
 * it has (an error event inside a stream, an error envelope inside a 200).
 *
 * <p>Every quoted text, request id and kept cause is redacted ({@link Redaction}); messages start
 * with the provider name. Subclasses must be immutable and thread-safe.
 */
public abstract class ErrorMapping {

    /** The longest provider message quoted in an exception message, in characters. */
    public static final int MAX_MESSAGE = 1000;

    /** The longest envelope field (type, code, param) quoted in a message, in characters. */
    protected static final int MAX_FIELD = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The provider name that prefixes messages and fills {@link ErrorContext#provider()}. */
    protected final String provider;

    private final List<String> requestIdHeaders;

    /**
     * @param provider the provider name that prefixes messages and fills {@link ErrorContext#provider()}
     * @param requestIdHeaders the response headers carrying the provider's request id, first present wins
     */
    protected ErrorMapping(String provider, List<String> requestIdHeaders) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.requestIdHeaders = List.copyOf(requestIdHeaders);
    }

    /**
     * The base context of a call: provider, deployment and model.
     *
     * @param deploymentId the deployment called
     * @param model the provider model
     * @return the context
     */
    public final ErrorContext context(String deploymentId, String model) {
        return ErrorContext.builder().provider(provider).deploymentId(deploymentId).model(model).build();
    }

    /**
     * The typed exception for a non-2xx answer: the vendor's envelope parsed, its status table applied.
     *
     * @param exchange the answer
     * @param context the call's context (status and request id are added)
     * @param key the credential sent, for redaction, or null
     * @param now the current time, for an HTTP-date {@code retry-after}
     * @return the exception, not thrown
     */
    public abstract LlmRouterException httpError(HttpExchange exchange, ErrorContext context, Secret key, Instant now);

    /**
     * The context of a stream whose 2xx answer has opened: {@code context} with the provider's
     * request id from the response headers, so that an error in the middle of the stream names it too.
     *
     * @param context the call's context
     * @param headers the 2xx answer's headers
     * @param key the credential sent, for redaction, or null
     * @return the context
     */
    public final ErrorContext streamContext(ErrorContext context, Headers headers, Secret key) {
        Optional<String> id = requestId(headers::get);
        return id.isEmpty() ? context : context.toBuilder().providerRequestId(Redaction.header(id.get(), key)).build();
    }

    /**
     * The exception for a 2xx answer that is not a valid response.
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
        return new InvalidProviderResponseException(message, withResponse(context, exchange, null, key),
                Redaction.cause(cause, key));
    }

    /**
     * The exception for a successful answer whose event stream is not valid: an event that is not
     * JSON or lacks a field, an end before the terminal event.
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
        String message = provider + ": invalid event stream: "
                + Redaction.shorten(Redaction.text(problem, key), MAX_MESSAGE);
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
    public final LlmRouterException transportFailure(IOException e, ErrorContext context) {
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
    public final AuthenticationException missingKey(Secret key, ErrorContext context, Throwable cause) {
        String source = key.environmentVariable().map(v -> "environment variable " + v + " is not set")
                .orElse("the key is not available");
        return new AuthenticationException(provider + ": no API key: " + source, context, cause);
    }

    /**
     * The exception for a call to the vendor's own base with no key in the deployment nor in any of
     * the vendor's environment variables, raised before any network call.
     *
     * @param environmentVariables the variables tried, in order (not empty)
     * @param context the call's context
     * @return the exception, not thrown
     */
    public final AuthenticationException missingKey(List<String> environmentVariables, ErrorContext context) {
        String source = environmentVariables.size() == 1
                ? "environment variable " + environmentVariables.get(0) + " is not set"
                : "none of the environment variables " + String.join(", ", environmentVariables) + " is set";
        return new AuthenticationException(provider + ": no API key: " + source
                + " and the deployment has no apiKey", context);
    }

    /**
     * The exception for a request that cannot be sent: it cannot be translated to the vendor's
     * format, or a setting (base URL, header) is unusable.
     *
     * @param problem what is wrong
     * @param context the call's context
     * @param cause the underlying failure, or null
     * @return the exception, not thrown
     */
    public final BadRequestException unsendable(String problem, ErrorContext context, Throwable cause) {
        return new BadRequestException(provider + ": cannot send the request: " + Redaction.text(problem, null),
                context, Redaction.cause(cause, null));
    }

    /**
     * {@code context} with the answer's status and the provider's request id: from the first of the
     * request id headers present, else {@code bodyRequestId}.
     *
     * @param context the call's context
     * @param exchange the answer
     * @param bodyRequestId a request id the body carries, or null
     * @param key the credential sent, for redaction, or null
     * @return the context
     */
    protected final ErrorContext withResponse(ErrorContext context, HttpExchange exchange, String bodyRequestId,
            Secret key) {
        ErrorContext.Builder b = context.toBuilder();
        if (exchange.status() >= 100 && exchange.status() <= 599) {
            b.statusCode(exchange.status());
        }
        requestId(name -> exchange.header(name).orElse(null))
                .or(() -> Optional.ofNullable(bodyRequestId).filter(id -> !id.isBlank()))
                .map(id -> Redaction.header(id, key))
                .ifPresent(b::providerRequestId);
        return b.build();
    }

    private Optional<String> requestId(java.util.function.Function<String, String> header) {
        for (String name : requestIdHeaders) {
            String value = header.apply(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }

    /**
     * The message for an error answer whose body is no envelope: empty, an HTML page, JSON of
     * another shape, or other text.
     *
     * @param exchange the answer
     * @param key the credential sent, for redaction, or null
     * @return the message
     */
    protected String describeRaw(HttpExchange exchange, Secret key) {
        String prefix = provider + ": HTTP " + exchange.status();
        if (exchange.isBodyBlank()) {
            return prefix + " with an empty body";
        }
        String start = exchange.body().strip();
        String kind = exchange.isHtml() ? " with an HTML page: "
                : start.startsWith("{") || start.startsWith("[") ? " with an unexpected body: "
                : " with a non-JSON body: ";
        return prefix + kind + Redaction.excerpt(exchange.body(), key);
    }

    /**
     * The provider's message, redacted and shortened, or {@code (no message)}.
     *
     * @param message the envelope's message, or null
     * @param key the credential sent, for redaction, or null
     * @return the text to quote
     */
    protected static String quote(String message, Secret key) {
        String text = message == null || message.isBlank() ? "(no message)" : message;
        return Redaction.shorten(Redaction.text(text, key), MAX_MESSAGE);
    }

    /**
     * Appends {@code , name=value} (value redacted and shortened) when the value is not blank.
     *
     * @param sb the message being built
     * @param name the field's name
     * @param value its value, or null
     * @param key the credential sent, for redaction, or null
     */
    protected static void appendField(StringBuilder sb, String name, String value, Secret key) {
        if (value != null && !value.isBlank()) {
            sb.append(", ").append(name).append('=').append(Redaction.shorten(Redaction.text(value, key), MAX_FIELD));
        }
    }

    /**
     * {@code s} in lower case (ROOT locale).
     *
     * @param s the text
     * @return the lower-case text
     */
    protected static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the lower-case text contains one of the fragments.
     *
     * @param lowerCaseText the text, in lower case
     * @param fragments the lower-case fragments
     * @return whether one occurs
     */
    protected static boolean containsAny(String lowerCaseText, List<String> fragments) {
        for (String fragment : fragments) {
            if (lowerCaseText.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The body parsed as a JSON object, or empty when it is blank, not JSON, or not an object.
     *
     * @param body the body text
     * @return the object
     */
    protected static Optional<JsonNode> parseObject(String body) {
        return parseJson(body).filter(JsonNode::isObject);
    }

    /**
     * The body parsed as JSON, or empty when it is blank or not JSON.
     *
     * @param body the body text
     * @return the tree
     */
    protected static Optional<JsonNode> parseJson(String body) {
        if (body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readTree(body));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * A scalar's text, a structure's compact JSON, or null for null or absent.
     *
     * @param node the node, or null
     * @return its text, or null
     */
    protected static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
