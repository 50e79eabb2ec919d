package io.llmrouter.providers.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.providers.gemini.internal.GeminiErrorMapper;
import io.llmrouter.providers.gemini.internal.GeminiRequestBody;
import io.llmrouter.providers.gemini.internal.GeminiResponseReader;
import io.llmrouter.providers.gemini.internal.GeminiSseStream;
import io.llmrouter.providers.internal.ApiKeys;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.HttpUrls;
import io.llmrouter.providers.internal.JsonHttp;
import io.llmrouter.providers.internal.PullHttpStream;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.ChunkSource;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.StreamHandle;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter for Google's Gemini API on Google AI Studio ({@code generativelanguage.googleapis.com}):
 * chat through {@code POST {apiBase}/models/{model}:generateContent}, streamed chat through
 * {@code POST {apiBase}/models/{model}:streamGenerateContent?alt=sse} (see {@link #streamAsync}) and
 * embeddings through {@code POST {apiBase}/models/{model}:batchEmbedContents}. Route prefix {@value #NAME},
 * e.g. {@code gemini/gemini-2.5-flash}; a leading {@code models/} in the model is dropped.
 *
 * <p><b>Base URL</b>: the deployment's {@code apiBase}, else {@link Builder#defaultApiBase(String)},
 * which defaults to {@value #DEFAULT_API_BASE}.
 *
 * <p><b>Key</b>, sent only as the {@value #API_KEY_HEADER} header (never in the URL): the
 * deployment's, else the first of the environment variables {@link #API_KEY_ENVS} that is set.
 * Without one the call fails with an {@link io.llmrouter.api.exception.AuthenticationException}
 * naming them, before any network traffic. Then the deployment's extra headers (which win).
 *
 * <p><b>Translation</b>: system and developer messages become {@code systemInstruction}; user and
 * assistant messages {@code user} and {@code model} turns, consecutive ones of the same role
 * merged; tool results {@code functionResponse} parts named after the assistant tool call they
 * answer; images {@code inlineData} ({@code data:} URLs) or {@code fileData} (any other URL, which
 * Gemini accepts only for files it knows: Files API URIs, YouTube); sampling settings, JSON output,
 * tools and the tool choice their {@code generationConfig} / {@code tools} / {@code toolConfig}
 * equivalents; the extra body is merged last (objects field by field). Answers: candidates become
 * choices, thought text goes to the message's {@code reasoningContent()},
 * function calls become tool calls with generated {@code call_...} ids (Gemini sends none), and
 * their thought signatures are kept in {@value #THOUGHT_SIGNATURES_FIELD} and sent back when the
 * message is replayed. A blocked prompt is a normal answer with finish {@code content_filter}.
 *
 * <p><b>Errors</b>: HTTP errors, timeouts, connection failures, malformed answers and untranslatable
 * requests come back as the typed {@link LlmRouterException} subtypes (an invalid API key, which
 * Google answers with HTTP 400, is an authentication error; a 429's delay is read from
 * {@code RetryInfo}; a per-day quota is not retryable). The API key never appears in a message.
 *
 * <p>Instances are immutable and thread-safe; one serves every {@code gemini} deployment. The
 * returned futures complete on an OkHttp dispatcher thread (or at once on the caller's, when the
 * request cannot be sent): attach heavy work with the {@code ...Async(fn, executor)} methods.
 *
 * @since 0.1.0
 */
public final class GeminiProvider implements Provider {

    /** The provider name and route prefix: {@value}. */
    public static final String NAME = "gemini";

    /** Google AI Studio's Gemini API base URL, used when a deployment sets no {@code apiBase}. */
    public static final String DEFAULT_API_BASE = "https://generativelanguage.googleapis.com/v1beta";

    /** The environment variables read, in order, for a deployment without a key. */
    public static final List<String> API_KEY_ENVS = List.of("GEMINI_API_KEY", "GOOGLE_API_KEY");

    /** The header carrying the API key: {@value}. */
    public static final String API_KEY_HEADER = "x-goog-api-key";

    /** The {@code User-Agent} header sent with every call. */
    public static final String USER_AGENT = "llmrouter/0.1.0";

    /**
     * The wire key of the model's thought summary (text parts marked {@code thought: true}), which
     * is not part of the content: {@value}.
     *
     * @deprecated the thought summary is {@link Message#reasoningContent()}, its wire key
     *     {@link Message#REASONING_CONTENT}; this alias goes in a later release
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static final String REASONING_CONTENT_FIELD = Message.REASONING_CONTENT;

    /**
     * The assistant message extra field holding the {@code thoughtSignature} of each function call,
     * as an object from tool call id to signature: {@value}. Sending the message back in a later
     * request re-attaches each signature to its {@code functionCall} part, which Gemini 3 models
     * require.
     */
    public static final String THOUGHT_SIGNATURES_FIELD = "thought_signatures";

    private static final Logger log = LoggerFactory.getLogger(GeminiProvider.class);
    private static final String JSON_ACCEPT = JsonHttp.ACCEPT_JSON;
    private static final String EVENT_STREAM_ACCEPT = JsonHttp.ACCEPT_EVENT_STREAM;

    private final JsonHttp http;
    private final String defaultApiBase;
    private final Function<String, String> environment;
    private final RandomGenerator random;
    private final GeminiErrorMapper errors = new GeminiErrorMapper(NAME);

    private GeminiProvider(Builder b) {
        this.http = new JsonHttp(b.httpClient, errors, b.clock, log);
        this.defaultApiBase = b.defaultApiBase;
        this.environment = b.environment;
        this.random = b.random;
    }

    /**
     * A provider with the default settings: the shared default OkHttp client and
     * {@link #DEFAULT_API_BASE}.
     *
     * @return the provider
     */
    public static GeminiProvider create() {
        return builder().build();
    }

    /**
     * A builder for a provider with custom settings.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@value #NAME}. */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * Sends the chat call to {@code generateContent} without blocking. The future completes on an
     * OkHttp thread with the response, or exceptionally with the typed {@link LlmRouterException};
     * a request that cannot be translated (for example a tool result whose {@code tool_call_id}
     * matches no earlier tool call, or tool call arguments that are not a JSON object) fails with a
     * {@link io.llmrouter.api.exception.BadRequestException} before any network traffic. Cancelling
     * the future cancels the HTTP call; {@link ProviderCall#timeout()} bounds the whole exchange.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        Prepared chat;
        try {
            chat = chat(call, false, context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(chat.request(), call.timeout(), call.endpoint().maxResponseBytes(), context,
                exchange -> chatAnswer(exchange, chat.modelId(), context, chat.key()));
    }

    /**
     * Streams the chat call from {@code POST {apiBase}/models/{model}:streamGenerateContent?alt=sse}
     * (same body, key and headers as {@link #completeAsync}, plus {@code Accept: text/event-stream}).
     * Each server-sent event is a {@code GenerateContentResponse}; the sink hears, in order and on an
     * OkHttp thread:
     *
     * <ul>
     *   <li>per candidate, a first chunk with role {@code assistant}, then its text (thought parts
     *       left out), its function calls as whole {@link io.llmrouter.api.chat.ToolCallDelta}s
     *       (generated {@code call_...} ids unique within the stream, compact JSON arguments, indexes
     *       in order of appearance) and its finish reason, mapped as in {@link #completeAsync}
     *       ({@code STOP} after a function call is {@code tool_calls}; the safety family is
     *       {@code content_filter}; the raw value kept); a blocked prompt is a {@code content_filter}
     *       finish of choice 0;</li>
     *   <li>when the body ends, one chunk with the last (cumulative) {@code usageMetadata}, then
     *       {@link ChunkSink#onComplete()}.</li>
     * </ul>
     *
     * <p>Gemini's stream has no terminator: it ends when the connection closes, so a body that ends
     * before every candidate has its {@code finishReason} is an
     * {@link io.llmrouter.api.exception.InvalidProviderResponseException}, as is an event that is not
     * a JSON {@code GenerateContentResponse}. An error envelope inside the stream is mapped like an HTTP
     * error with its {@code code}; a non-2xx answer (a 429's delay from {@code RetryInfo}), a timeout
     * ({@link ProviderCall#timeout()} bounds the whole stream) or a connection failure as in
     * {@link #completeAsync}. Each failure reaches {@link ChunkSink#onError} once, and nothing follows
     * it, {@code onComplete} or the handle's {@code cancel()}, which closes the connection. A request
     * that cannot be sent fails on the caller's thread, before this method returns.
     *
     * @param call the request and the deployment's settings
     * @param sink receives the stream's events
     * @return a handle that cancels the stream
     * @throws NullPointerException if an argument is null
     */
    @Override
    public StreamHandle streamAsync(ProviderCall call, ChunkSink sink) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(sink, "sink");
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        Prepared chat;
        try {
            chat = chat(call, true, context);
        } catch (LlmRouterException e) {
            sink.onError(e);
            return StreamHandle.NONE;
        }
        return GeminiSseStream.open(http, errors, chat.request(), call.timeout(), call.endpoint().maxResponseBytes(),
                call.endpoint().maxStreamEventBytes(), sink, chat.modelId(), context, chat.key(), this::random, log);
    }

    /**
     * Opens the same stream as {@link #streamAsync} to be read on the calling thread: the request
     * is sent with a synchronous call here, and each {@link ChunkSource#next()} reads and handles
     * the next event on the thread that calls it (the same event handling as {@link #streamAsync}).
     * Same body, headers, chunks, usage chunk, end-of-stream rule and typed failures: an unsendable
     * request, a non-2xx answer and a connection failure are thrown here; an error envelope inside
     * the stream, a malformed event, a body that ends before every finish reason and the call's
     * {@link ProviderCall#timeout()} (which bounds the whole stream) from {@code next()}. Cancelling
     * the call's {@link ProviderCall#cancellation()} or closing the source closes the connection; a
     * blocked {@code next()} then throws a {@link io.llmrouter.api.exception.RequestCancelledException}.
     *
     * @param call the request (the router sets {@code stream}) and the deployment's settings
     * @return the open stream
     * @throws LlmRouterException when the stream cannot be opened
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public ChunkSource openStream(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        Prepared chat = chat(call, true, context);
        return GeminiSseStream.pull(http, errors, new PullHttpStream(name(), call.cancellation(), context),
                chat.request(), call.timeout(), call.endpoint().maxResponseBytes(),
                call.endpoint().maxStreamEventBytes(), chat.modelId(), context, chat.key(), this::random, log);
    }

    /**
     * Embeds the call's inputs with {@code batchEmbedContents} without blocking: one request per
     * input, {@code outputDimensionality} from the request's dimensions, and the request's extra
     * body (e.g. {@code taskType}) merged into each. Same base URL, key, headers, errors and
     * threading as {@link #completeAsync}. Usage is empty unless Gemini reports it.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<EmbeddingResponse> embedAsync(EmbeddingCall call) {
        Objects.requireNonNull(call, "call");
        Endpoint endpoint = call.endpoint();
        ErrorContext context = errors.context(endpoint.deploymentId(), call.providerModel());
        Secret key;
        Request request;
        String modelId;
        int inputs = call.request().inputs().size();
        try {
            modelId = modelId(call.providerModel(), context);
            key = key(endpoint, context);
            ObjectNode body = http.translate(() -> GeminiRequestBody.batchEmbedContents(call.request(), modelId), context);
            request = request(endpoint, url(endpoint, modelId, "batchEmbedContents", context), body, key, JSON_ACCEPT,
                    context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(request, endpoint.timeout(), endpoint.maxResponseBytes(), context,
                exchange -> embeddingAnswer(exchange, modelId, inputs, context, key));
    }

    // ------------------------------------------------------------------------------ request side

    /** A chat call ready to send: the model id it names, its key (null: none) and the request. */
    private record Prepared(String modelId, Secret key, Request request) {
    }

    /** The {@code generateContent} request of {@code call}, or the {@code streamGenerateContent} one. */
    private Prepared chat(ProviderCall call, boolean streaming, ErrorContext context) {
        String modelId = modelId(call.providerModel(), context);
        Secret key = key(call.endpoint(), context);
        ObjectNode body = http.translate(() -> GeminiRequestBody.generateContent(call.request()), context);
        HttpUrl url = url(call.endpoint(), modelId, streaming ? "streamGenerateContent" : "generateContent", context);
        if (streaming) {
            url = url.newBuilder().addQueryParameter("alt", "sse").build();
        }
        return new Prepared(modelId, key, request(call.endpoint(), url, body, key,
                streaming ? EVENT_STREAM_ACCEPT : JSON_ACCEPT, context));
    }

    private String modelId(String model, ErrorContext context) {
        return http.translate(() -> GeminiRequestBody.modelId(model), context);
    }

    private Secret key(Endpoint endpoint, ErrorContext context) {
        return ApiKeys.resolve(endpoint, ApiKeys.isVendorBase(endpoint, defaultApiBase), API_KEY_ENVS, environment, true,
                errors, context).orElse(null);
    }

    /** {@code {apiBase}/models/{modelId}:{method}}. */
    private HttpUrl url(Endpoint endpoint, String modelId, String method, ErrorContext context) {
        String base = endpoint.apiBase().map(HttpUrls::withoutTrailingSlash).orElse(defaultApiBase);
        return http.url(base, context).newBuilder().addPathSegment("models").addPathSegment(modelId + ":" + method).build();
    }

    private Request request(Endpoint endpoint, HttpUrl url, ObjectNode json, Secret key, String accept,
            ErrorContext context) {
        Request.Builder b = http.post(url, json, accept, endpoint.deploymentId(), key, context);
        http.apiKeyHeader(b, API_KEY_HEADER, "", key, context);
        http.headers(b, endpoint.headers(), context);
        return b.build();
    }

    // ------------------------------------------------------------------------------ answer side

    private ChatResponse chatAnswer(HttpExchange exchange, String modelId, ErrorContext context, Secret key) {
        return http.read(exchange, context, key,
                tree -> GeminiResponseReader.readChat(tree, modelId, http.clock().instant().getEpochSecond(), random()));
    }

    private EmbeddingResponse embeddingAnswer(HttpExchange exchange, String modelId, int inputs,
            ErrorContext context, Secret key) {
        return http.read(exchange, context, key, tree -> GeminiResponseReader.readEmbeddings(tree, modelId, inputs));
    }

    private RandomGenerator random() {
        return random != null ? random : ThreadLocalRandom.current();
    }

    @Override
    public String toString() {
        return "GeminiProvider[defaultApiBase=" + defaultApiBase + "]";
    }

    /**
     * Builds a {@link GeminiProvider}. Not thread-safe; the built provider is immutable and
     * thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private OkHttpClient httpClient;
        private String defaultApiBase = DEFAULT_API_BASE;
        private Function<String, String> environment = System::getenv;
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random;

        private Builder() {
        }

        /**
         * The OkHttp client to send with, e.g. one with a proxy, custom TLS or interceptors.
         * Default: the client shared by every provider of this module (connect timeout 10 s, no
         * read/write timeout, 256 concurrent calls per host). The client's own call timeout, if any,
         * adds to each call's {@link ProviderCall#timeout()}. Works with OkHttp 4.12 and 5.x.
         *
         * @param httpClient the client
         * @return this builder
         */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * The base URL for deployments that set no {@code apiBase}; default
         * {@value GeminiProvider#DEFAULT_API_BASE}. Useful for a gateway in front of Gemini, and for
         * tests.
         *
         * @param defaultApiBase an absolute http(s) URL
         * @return this builder
         * @throws IllegalArgumentException if it is not an absolute http(s) URL
         */
        public Builder defaultApiBase(String defaultApiBase) {
            this.defaultApiBase = HttpUrls.checkedBase(defaultApiBase, "defaultApiBase");
            return this;
        }

        /** Where the key's environment variables are read from (tests); default {@link System#getenv(String)}. */
        Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** The clock for {@code created} and HTTP-date retry-after values (tests); default UTC system clock. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The source of generated ids (tests); default {@link ThreadLocalRandom}. The provider uses
         * it from OkHttp threads, so a generator given here must tolerate that.
         */
        Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The provider.
         *
         * @return a new provider
         */
        public GeminiProvider build() {
            return new GeminiProvider(this);
        }
    }
}
