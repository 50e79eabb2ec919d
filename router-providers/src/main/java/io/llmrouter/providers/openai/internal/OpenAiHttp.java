package io.llmrouter.providers.openai.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.openai.OpenAiProvider;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;

/**
 * The HTTP side of a call to an OpenAI-shaped API, shared by the adapters that speak it (OpenAI and
 * its compatible vendors, Azure OpenAI): writes the JSON POST with the common headers, and reads
 * the answer, turning every non-2xx, empty, HTML or malformed answer into its typed exception
 * through the adapter's {@link OpenAiErrorMapper}. The credential header is the adapter's business
 * ({@link #credentialHeader}).
 *
 * <p>Bodies are logged only at TRACE, redacted and cut to {@value #MAX_TRACE_BODY} characters, under
 * the adapter's logger. Immutable and thread-safe.
 */
public final class OpenAiHttp {

    /** The longest body excerpt logged at TRACE, in characters. */
    public static final int MAX_TRACE_BODY = 2000;

    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAiErrorMapper errors;
    private final Clock clock;
    private final Logger log;

    /**
     * @param errors the adapter's error mapper
     * @param clock the clock for HTTP-date {@code retry-after} values
     * @param log the adapter's logger, for the TRACE body lines
     */
    public OpenAiHttp(OpenAiErrorMapper errors, Clock clock, Logger log) {
        this.errors = Objects.requireNonNull(errors, "errors");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * A POST of {@code json} to {@code url} with {@code Accept: application/json} and the library's
     * {@code User-Agent}; the caller adds the credential and any other header.
     *
     * @param url the target
     * @param json the body
     * @param deploymentId the deployment, for the TRACE line
     * @param credential the credential that will be sent, for redaction of the TRACE line, or null
     * @param context the call's context
     * @return the request builder
     * @throws io.llmrouter.api.exception.BadRequestException if the body cannot be written
     */
    public Request.Builder post(HttpUrl url, ObjectNode json, String deploymentId, Secret credential,
            ErrorContext context) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(json);
            if (log.isTraceEnabled()) {
                log.trace("{} request body: {}", deploymentId,
                        Redaction.shorten(Redaction.text(JSON.writeValueAsString(json), credential), MAX_TRACE_BODY));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw errors.unsendable("the request cannot be written as JSON", context, e);
        }
        return new Request.Builder()
                .url(url)
                .post(RequestBody.create(body, JSON_TYPE))
                .header("Accept", "application/json")
                .header("User-Agent", OpenAiProvider.USER_AGENT);
    }

    /**
     * Sets a header carrying a credential; a value OkHttp rejects fails without quoting it.
     *
     * @param b the request
     * @param name the header, e.g. {@code Authorization} or {@code api-key}
     * @param value the header's value, with the revealed credential
     * @param what what the credential is, for the message, e.g. {@code the API key}
     * @param context the call's context
     * @throws io.llmrouter.api.exception.BadRequestException if the value is not a valid header value
     */
    public void credentialHeader(Request.Builder b, String name, String value, String what, ErrorContext context) {
        try {
            b.header(name, value);
        } catch (IllegalArgumentException e) {
            // OkHttp's message would quote the value; say what is wrong without it.
            throw errors.unsendable(what + " contains characters not allowed in an HTTP header", context, null);
        }
    }

    /**
     * Sets a header that carries no credential.
     *
     * @param b the request
     * @param name the header
     * @param value its value
     * @param context the call's context
     * @throws io.llmrouter.api.exception.BadRequestException if the name or value is not valid
     */
    public void header(Request.Builder b, String name, String value, ErrorContext context) {
        try {
            b.header(name, value);
        } catch (IllegalArgumentException e) {
            throw errors.unsendable("invalid header '" + name + "'", context, null);
        }
    }

    /**
     * Reads a complete answer: a 2xx JSON body goes through {@code reader}; every other answer, and
     * a reader failure, becomes its typed exception.
     *
     * @param exchange the answer
     * @param context the call's context
     * @param credential the credential sent, for redaction, or null
     * @param reader turns the body's tree into the value; throws {@link IllegalArgumentException}
     *     naming the JSON path when the body is malformed
     * @param <T> the value type
     * @return the value
     * @throws LlmRouterException for an error answer or a malformed body
     */
    public <T> T read(HttpExchange exchange, ErrorContext context, Secret credential, Function<JsonNode, T> reader) {
        JsonNode tree = successBody(exchange, context, credential);
        try {
            return reader.apply(tree);
        } catch (LlmRouterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw malformed(e, exchange, context, credential);
        }
    }

    /**
     * The typed exception for an answer to a streaming call that carries no stream: a non-2xx
     * answer (mapped as for {@link #read}, {@code retry-after} included), or a 2xx one without a body.
     *
     * @param exchange the answer, read whole
     * @param context the call's context
     * @param credential the credential sent, for redaction, or null
     * @return the exception, not thrown
     */
    public LlmRouterException streamRefused(HttpExchange exchange, ErrorContext context, Secret credential) {
        if (log.isTraceEnabled()) {
            log.trace("response body (HTTP {}): {}", exchange.status(),
                    Redaction.shorten(Redaction.text(exchange.body(), credential), MAX_TRACE_BODY));
        }
        if (exchange.isSuccessful()) {
            return errors.invalidResponse("the stream has no body", exchange, context, credential, null);
        }
        return errors.httpError(exchange, context, credential, clock.instant());
    }

    /** The parsed body of a 2xx answer; every other answer becomes its typed exception. */
    private JsonNode successBody(HttpExchange exchange, ErrorContext context, Secret credential) {
        if (log.isTraceEnabled()) {
            log.trace("response body (HTTP {}): {}", exchange.status(),
                    Redaction.shorten(Redaction.text(exchange.body(), credential), MAX_TRACE_BODY));
        }
        if (!exchange.isSuccessful()) {
            throw errors.httpError(exchange, context, credential, clock.instant());
        }
        if (exchange.isBodyBlank()) {
            throw errors.invalidResponse("empty body", exchange, context, credential, null);
        }
        if (exchange.isHtml()) {
            throw errors.invalidResponse("the provider returned an HTML page, not JSON", exchange, context,
                    credential, null);
        }
        try {
            return exchange.json();
        } catch (RuntimeException e) {
            throw malformed(e, exchange, context, credential);
        }
    }

    private LlmRouterException malformed(RuntimeException e, HttpExchange exchange, ErrorContext context,
            Secret credential) {
        // IllegalArgumentException naming the JSON path; anything else would be a codec bug,
        // still reported as a bad answer rather than leaking out of the future untyped.
        String problem = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return errors.invalidResponse(problem, exchange, context, credential, e);
    }
}
