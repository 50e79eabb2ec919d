package io.llmrouter.providers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.spi.StreamHandle;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import org.slf4j.Logger;

/**
 * The one JSON-over-HTTP core every adapter builds on: the client, the request body written from
 * the vendor's translation (a translation that refuses the request is a typed
 * {@link io.llmrouter.api.exception.BadRequestException} before any network traffic), the JSON
 * POST with the library's {@code User-Agent}, credential and extra headers that fail without
 * quoting their values, the answer read into a value or its typed exception through the vendor's
 * {@link ErrorMapping}, and a stream whose 2xx body reaches the vendor's reader with a context that
 * already names the provider's request id (from the response headers), so that a failure in the
 * middle of the stream names it too.
 *
 * <p>A vendor adapter supplies only its mapping: URL, credential header, body translation, answer
 * reader, stream reader and its {@link ErrorMapping}. Bodies are logged only at TRACE, redacted and
 * cut to {@value #MAX_TRACE_BODY} characters, under the adapter's logger. Immutable and thread-safe.
 */
public final class JsonHttp {

    /** The longest body excerpt logged at TRACE, in characters. */
    public static final int MAX_TRACE_BODY = 2000;

    /** The {@code User-Agent} header sent with every call. */
    public static final String USER_AGENT = "llmrouter/0.1.0";

    /** The {@code Accept} value of a call answered with JSON. */
    public static final String ACCEPT_JSON = "application/json";

    /** The {@code Accept} value of a streamed call. */
    public static final String ACCEPT_EVENT_STREAM = "text/event-stream";

    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OkHttpClient client;
    private final ErrorMapping errors;
    private final Clock clock;
    private final Logger log;

    /**
     * @param client the client to send with, or null for {@link DefaultHttpClient#shared()}
     * @param errors the adapter's error mapping
     * @param clock the clock for HTTP-date {@code retry-after} values
     * @param log the adapter's logger, for the TRACE body lines
     */
    public JsonHttp(OkHttpClient client, ErrorMapping errors, Clock clock, Logger log) {
        this.client = client != null ? client : DefaultHttpClient.shared();
        this.errors = Objects.requireNonNull(errors, "errors");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The client sent with. */
    public OkHttpClient client() {
        return client;
    }

    /** The clock for {@code created} and HTTP-date {@code retry-after} values. */
    public Clock clock() {
        return clock;
    }

    // ------------------------------------------------------------------------------ request side

    /**
     * The vendor's body for the call: a translation that throws {@link IllegalArgumentException}
     * (a request the vendor cannot express, a model the endpoint cannot name) becomes the typed
     * failure, raised before any network traffic.
     *
     * @param translation writes the body
     * @param context the call's context
     * @param <T> the body type
     * @return the body
     * @throws io.llmrouter.api.exception.BadRequestException if the translation refuses
     */
    public <T> T translate(Supplier<T> translation, ErrorContext context) {
        try {
            return translation.get();
        } catch (IllegalArgumentException e) {
            throw errors.unsendable(e.getMessage(), context, e);
        }
    }

    /**
     * {@code url} parsed, or the typed failure naming it.
     *
     * @param url an absolute http(s) URL
     * @param context the call's context
     * @return the URL
     * @throws io.llmrouter.api.exception.BadRequestException if it is not an http(s) URL
     */
    public HttpUrl url(String url, ErrorContext context) {
        HttpUrl parsed = HttpUrls.parse(url);
        if (parsed == null) {
            throw errors.unsendable("apiBase is not an http(s) URL: '" + url + "'", context, null);
        }
        return parsed;
    }

    /**
     * A POST of {@code json} to {@code url} with the given {@code Accept} and the library's
     * {@code User-Agent}; the caller adds the credential and any other header.
     *
     * @param url the target
     * @param json the body
     * @param accept the {@code Accept} value, {@link #ACCEPT_JSON} or {@link #ACCEPT_EVENT_STREAM}
     * @param deploymentId the deployment, for the TRACE line
     * @param credential the credential that will be sent, for redaction of the TRACE line, or null
     * @param context the call's context
     * @return the request builder
     * @throws io.llmrouter.api.exception.BadRequestException if the body cannot be written
     */
    public Request.Builder post(HttpUrl url, JsonNode json, String accept, String deploymentId, Secret credential,
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
                .header("Accept", accept)
                .header("User-Agent", USER_AGENT);
    }

    /**
     * A POST of a body already written as UTF-8 JSON (e.g. straight with a generator) to {@code url},
     * with the given {@code Accept} and the library's {@code User-Agent}; the caller adds the credential
     * and any other header. The TRACE line is redacted as for {@link #post(HttpUrl, JsonNode, String,
     * String, Secret, ErrorContext)}.
     *
     * @param url the target
     * @param json the body, UTF-8 JSON; sent as it is, not copied
     * @param accept the {@code Accept} value, {@link #ACCEPT_JSON} or {@link #ACCEPT_EVENT_STREAM}
     * @param deploymentId the deployment, for the TRACE line
     * @param credential the credential that will be sent, for redaction of the TRACE line, or null
     * @return the request builder
     */
    public Request.Builder post(HttpUrl url, byte[] json, String accept, String deploymentId, Secret credential) {
        if (log.isTraceEnabled()) {
            log.trace("{} request body: {}", deploymentId, Redaction.shorten(
                    Redaction.text(new String(json, java.nio.charset.StandardCharsets.UTF_8), credential),
                    MAX_TRACE_BODY));
        }
        return new Request.Builder()
                .url(url)
                .post(RequestBody.create(json, JSON_TYPE))
                .header("Accept", accept)
                .header("User-Agent", USER_AGENT);
    }

    /**
     * Sets the API key header, {@code prefix} + the revealed key; nothing when {@code key} is null.
     *
     * @param b the request
     * @param name the header, e.g. {@code x-api-key}
     * @param prefix what precedes the key, e.g. {@code "Bearer "}, or empty
     * @param key the key, or null for none
     * @param context the call's context
     * @throws io.llmrouter.api.exception.AuthenticationException if the key cannot be read
     * @throws io.llmrouter.api.exception.BadRequestException if it is not a valid header value
     */
    public void apiKeyHeader(Request.Builder b, String name, String prefix, Secret key, ErrorContext context) {
        if (key == null) {
            return;
        }
        String revealed;
        try {
            revealed = key.reveal();
        } catch (IllegalStateException e) {
            throw errors.missingKey(key, context, e);
        }
        credentialHeader(b, name, prefix + revealed, "the API key", context);
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
     * Sets the deployment's extra headers, which win over the adapter's.
     *
     * @param b the request
     * @param headers the deployment's headers
     * @param context the call's context
     * @throws io.llmrouter.api.exception.BadRequestException if a name or value is not valid
     */
    public void headers(Request.Builder b, Map<String, String> headers, ErrorContext context) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            header(b, h.getKey(), h.getValue(), context);
        }
    }

    // ------------------------------------------------------------------------------ answer side

    /**
     * Sends {@code request} without blocking; the answer goes through {@link #read}, transport
     * failures through the error mapping.
     *
     * @param request the request
     * @param timeout the whole call's limit
     * @param maxBytes the most body bytes read
     * @param context the call's context
     * @param answer turns the complete answer into the value (normally through {@link #read})
     * @param <T> the value type
     * @return the future, completed on an OkHttp thread
     */
    public <T> CompletableFuture<T> send(Request request, Duration timeout, long maxBytes, ErrorContext context,
            Function<HttpExchange, T> answer) {
        return AsyncHttpCall.enqueue(client, request, timeout, maxBytes, answer,
                e -> errors.transportFailure(e, context));
    }

    /**
     * Reads a complete answer: a 2xx JSON body goes through {@code reader}; every other answer, and
     * a reader failure, becomes its typed exception (a reader may throw an
     * {@link LlmRouterException} itself, e.g. for an error envelope inside a 200).
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
        checkSuccess(exchange, context, credential);
        return readTree(exchange, context, credential, reader);
    }

    /**
     * Reads a complete answer as {@link #read(HttpExchange, ErrorContext, Secret, Function)} does, trying
     * {@code fastReader} on the 2xx body's UTF-8 bytes first (no tree): when it gives up (null), the
     * same bytes go through {@code reader} as a tree. Error answers, blank and HTML bodies, TRACE
     * logging and malformed bodies are handled exactly as by {@code read}; a fast reader must give
     * up, not throw, on anything it is not sure to read as {@code reader} does, so that a bad body
     * keeps the tree reader's error.
     *
     * @param exchange the answer
     * @param context the call's context
     * @param credential the credential sent, for redaction, or null
     * @param fastReader reads the body's bytes (not to be modified) into the value, or null to give up
     * @param reader turns the body's tree into the value; throws {@link IllegalArgumentException}
     *     naming the JSON path when the body is malformed
     * @param <T> the value type
     * @return the value
     * @throws LlmRouterException for an error answer or a malformed body
     */
    public <T> T read(HttpExchange exchange, ErrorContext context, Secret credential, Function<byte[], T> fastReader,
            Function<JsonNode, T> reader) {
        checkSuccess(exchange, context, credential);
        T value;
        try {
            value = fastReader.apply(exchange.utf8());
        } catch (LlmRouterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw malformed(e, exchange, context, credential);
        }
        return value != null ? value : readTree(exchange, context, credential, reader);
    }

    private <T> T readTree(HttpExchange exchange, ErrorContext context, Secret credential,
            Function<JsonNode, T> reader) {
        JsonNode tree;
        try {
            tree = exchange.json();
        } catch (RuntimeException e) {
            throw malformed(e, exchange, context, credential);
        }
        try {
            return reader.apply(tree);
        } catch (LlmRouterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw malformed(e, exchange, context, credential);
        }
    }

    /**
     * Reads a complete binary answer (speech audio): a 2xx body's bytes; every other answer its
     * typed exception, and a 2xx answer that is empty, JSON or an HTML page an
     * {@link io.llmrouter.api.exception.InvalidProviderResponseException}.
     *
     * @param exchange the answer
     * @param context the call's context
     * @param credential the credential sent, for redaction, or null
     * @return the body's bytes
     * @throws LlmRouterException for an error answer or a body that is not binary
     */
    public byte[] readBytes(HttpExchange exchange, ErrorContext context, Secret credential) {
        if (!exchange.isSuccessful()) {
            traceBody(exchange, credential);
            throw errors.httpError(exchange, context, credential, clock.instant());
        }
        String type = exchange.header("Content-Type").orElse("");
        if (exchange.isBodyBlank() || exchange.isHtml() || Redaction.containsIgnoreCase(type, "json")) {
            traceBody(exchange, credential);
            throw errors.invalidResponse("expected audio bytes, got " + (exchange.isBodyBlank() ? "an empty body"
                    : type), exchange, context, credential, null);
        }
        return exchange.bytes();
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
        traceBody(exchange, credential);
        if (exchange.isSuccessful()) {
            return errors.invalidResponse("the stream has no body", exchange, context, credential, null);
        }
        return errors.httpError(exchange, context, credential, clock.instant());
    }

    /** Reads a 2xx streamed body, on the OkHttp thread. */
    @FunctionalInterface
    public interface StreamReader {
        /**
         * Reads the event stream to its end.
         *
         * @param body the body; closed by the caller afterwards
         * @param context the call's context with the provider's request id from the response headers
         * @throws IOException when reading fails
         */
        void read(ResponseBody body, ErrorContext context) throws IOException;
    }

    /**
     * Sends a streamed call. A 2xx event stream goes to {@code reader} with the context naming the
     * provider's request id; a 2xx JSON body (an error envelope when {@code isErrorEnvelope} says
     * so, mapped by {@code envelopeError}) or HTML page instead of a stream, a non-2xx answer, a
     * transport failure (also while reading) and a reader that throws a runtime exception all reach
     * {@code onError} as typed exceptions.
     *
     * @param request the request
     * @param timeout the whole stream's limit
     * @param maxBytes the most bytes of a body that is not a stream
     * @param context the call's context
     * @param credential the credential sent, for redaction, or null
     * @param isErrorEnvelope whether a JSON body instead of a stream is the vendor's error envelope
     * @param envelopeError the failure for such an envelope (the body text, the stream's context)
     * @param reader reads the event stream
     * @param onError receives each failure (the caller makes it terminal)
     * @return a handle that cancels the call
     */
    public StreamHandle stream(Request request, Duration timeout, long maxBytes, ErrorContext context,
            Secret credential, Predicate<JsonNode> isErrorEnvelope,
            BiFunction<String, ErrorContext, LlmRouterException> envelopeError,
            StreamReader reader, Consumer<LlmRouterException> onError) {
        return AsyncHttpCall.stream(client, request, timeout, maxBytes,
                (body, headers) -> readStream(body, headers, maxBytes, context, credential, isErrorEnvelope,
                        envelopeError, reader, onError),
                exchange -> onError.accept(streamRefused(exchange, context, credential)),
                e -> onError.accept(errors.transportFailure(e, context)));
    }

    private void readStream(ResponseBody body, Headers headers, long maxBytes, ErrorContext callContext,
            Secret credential, Predicate<JsonNode> isErrorEnvelope,
            BiFunction<String, ErrorContext, LlmRouterException> envelopeError,
            StreamReader reader, Consumer<LlmRouterException> onError) {
        ErrorContext context = errors.streamContext(callContext, headers, credential);
        LlmRouterException notAStream = notAStream(body, maxBytes, context, credential, isErrorEnvelope,
                envelopeError);
        if (notAStream != null) {
            onError.accept(notAStream);
            return;
        }
        try {
            reader.read(body, context);
        } catch (IOException e) {
            // Reported here, not left to AsyncHttpCall: OkHttp marks a call that hit its timeout as
            // cancelled, and AsyncHttpCall.stream drops failures of cancelled calls. A cancel by our
            // own handle has already closed the sink, which then ignores this.
            onError.accept(errors.transportFailure(e, context));
        } catch (LlmRouterException e) {
            onError.accept(e);
        } catch (RuntimeException e) {
            onError.accept(readerFailure(e, context, credential));
        }
    }

    /** A reader that threw (a sink that threw, or a reader bug): still a typed, terminal failure. */
    private LlmRouterException readerFailure(RuntimeException e, ErrorContext context, Secret credential) {
        return errors.invalidStream("the stream could not be processed: " + e, null, context, credential, e);
    }

    /**
     * The failure for a 2xx answer that is a JSON body or an HTML page instead of an event stream
     * (read whole, up to {@code maxBytes}), or null when the body is a stream.
     */
    private LlmRouterException notAStream(ResponseBody body, long maxBytes, ErrorContext context, Secret credential,
            Predicate<JsonNode> isErrorEnvelope,
            BiFunction<String, ErrorContext, LlmRouterException> envelopeError) {
        MediaType type = body.contentType();
        String subtype = type == null ? "" : type.subtype().toLowerCase(Locale.ROOT);
        if (!subtype.equals("json") && !subtype.equals("html")) {
            return null;
        }
        String text;
        try {
            text = BoundedBody.text(body, maxBytes);
        } catch (IOException e) {
            return errors.transportFailure(e, context);
        }
        if (log.isTraceEnabled()) {
            log.trace("{} stream answered with {}: {}", context.deploymentId().orElse(""), type,
                    Redaction.shorten(Redaction.text(text, credential), MAX_TRACE_BODY));
        }
        if (subtype.equals("json") && isEnvelope(text, isErrorEnvelope)) {
            return envelopeError.apply(text, context);
        }
        return errors.invalidStream("expected an event stream, the provider sent " + type, text, context, credential,
                null);
    }

    /** Reads a 2xx event stream one event at a time, on the thread that pulls ({@link #openStream}). */
    @FunctionalInterface
    public interface StreamSteps {
        /**
         * Starts reading the event stream.
         *
         * @param body the body (released by the stream)
         * @param context the call's context with the provider's request id from the response headers
         * @return reads and handles the next event; false once the stream has ended or was closed
         */
        Step start(ResponseBody body, ErrorContext context);
    }

    /** One step of a pulled stream: reads and handles the next event. */
    @FunctionalInterface
    public interface Step {
        /**
         * Reads and handles the next event, telling the stream's gate what it says.
         *
         * @return false once the stream has ended (the gate heard its end) or was closed
         * @throws IOException when reading fails
         */
        boolean next() throws IOException;
    }

    /**
     * Opens the pull-style twin of {@link #stream}: sends the call on the calling thread, then
     * reads one event per {@link io.llmrouter.spi.ChunkSource#next()}. The same failures as
     * {@link #stream}, thrown instead of reported: a non-2xx answer, a 2xx JSON envelope or HTML
     * page instead of a stream and a connection failure from this method; a read failure, an
     * event's failure and a step that throws from {@code next()}.
     *
     * @param stream the stream, whose {@link PullHttpStream#gate()} the steps tell their events to
     * @param request the request
     * @param timeout the whole stream's limit
     * @param maxBytes the most bytes of a body that is not a stream
     * @param context the call's context
     * @param credential the credential sent, for redaction, or null
     * @param isErrorEnvelope whether a JSON body instead of a stream is the vendor's error envelope
     * @param envelopeError the failure for such an envelope (the body text, the stream's context)
     * @param steps starts reading the event stream
     * @return the open stream
     * @throws LlmRouterException when the stream cannot be opened
     */
    public PullHttpStream openStream(PullHttpStream stream, Request request, Duration timeout, long maxBytes,
            ErrorContext context, Secret credential, Predicate<JsonNode> isErrorEnvelope,
            BiFunction<String, ErrorContext, LlmRouterException> envelopeError,
            StreamSteps steps) {
        SinkGate gate = stream.gate();
        PullHttpStream.EventReader events = new PullHttpStream.EventReader() {
            private ErrorContext streamContext = context;
            private Step step;

            @Override
            public void start(ResponseBody body, Headers headers) {
                streamContext = errors.streamContext(context, headers, credential);
                LlmRouterException notAStream = notAStream(body, maxBytes, streamContext, credential,
                        isErrorEnvelope, envelopeError);
                if (notAStream != null) {
                    throw notAStream;
                }
                step = steps.start(body, streamContext);
            }

            @Override
            public boolean step() {
                try {
                    return step.next();
                } catch (IOException e) {
                    gate.onError(errors.transportFailure(e, streamContext)); // dropped after a close
                } catch (LlmRouterException e) {
                    gate.onError(e);
                } catch (RuntimeException e) {
                    gate.onError(readerFailure(e, streamContext, credential));
                }
                return false;
            }
        };
        return stream.open(client, request, timeout, maxBytes, events,
                exchange -> streamRefused(exchange, context, credential), e -> errors.transportFailure(e, context));
    }

    private static boolean isEnvelope(String text, Predicate<JsonNode> isErrorEnvelope) {
        try {
            JsonNode tree = JSON.readTree(text);
            return tree != null && isErrorEnvelope.test(tree);
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** Returns for a 2xx answer with a body that may be JSON; every other answer becomes its typed exception. */
    private void checkSuccess(HttpExchange exchange, ErrorContext context, Secret credential) {
        traceBody(exchange, credential);
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
    }

    private void traceBody(HttpExchange exchange, Secret credential) {
        if (log.isTraceEnabled()) {
            log.trace("response body (HTTP {}): {}", exchange.status(),
                    Redaction.shorten(Redaction.text(exchange.body(), credential), MAX_TRACE_BODY));
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
