package io.llmrouter.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.providers.anthropic.internal.AnthropicErrorMapper;
import io.llmrouter.providers.anthropic.internal.AnthropicRequestBody;
import io.llmrouter.providers.anthropic.internal.AnthropicResponseReader;
import io.llmrouter.providers.anthropic.internal.AnthropicStreamReader;
import io.llmrouter.providers.internal.ApiKeys;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.HttpUrls;
import io.llmrouter.providers.internal.JsonHttp;
import io.llmrouter.providers.internal.PullHttpStream;
import io.llmrouter.providers.internal.SinkGate;
import io.llmrouter.providers.internal.SseEventReader;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.ChunkSource;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOption;
import io.llmrouter.spi.StreamHandle;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter for Anthropic's Messages API ({@code POST {apiBase}/v1/messages}), plain and
 * streamed, route prefix {@value #NAME} (e.g. {@code anthropic/claude-sonnet-4-5}).
 *
 * <p><b>Base URL</b>: the deployment's {@code apiBase}, else {@link Builder#defaultApiBase(String)}
 * (default {@value #DEFAULT_API_BASE}). The path {@code /v1/messages} is appended, or only
 * {@code /messages} to a base ending in {@code /v1}; a base already ending in {@code /v1/messages}
 * is used as it is.
 *
 * <p><b>Key</b>: the deployment's, sent as {@code x-api-key}. Without one, calls to the default
 * base read {@value #API_KEY_ENV}, and fail with an
 * {@link io.llmrouter.api.exception.AuthenticationException} before any network traffic when it
 * is unset. A deployment {@code apiBase} elsewhere (a gateway) never receives the key from the
 * environment, only the deployment's own; without one, no {@code x-api-key} is sent.
 *
 * <p><b>Headers</b>: {@code anthropic-version:} {@value #ANTHROPIC_VERSION},
 * {@code content-type: application/json}, {@code anthropic-beta} from the deployment's
 * {@link #BETA} option, then the deployment's extra headers (which win).
 *
 * <p><b>Body</b>: the request translated from OpenAI's shape: system and developer messages lifted
 * to {@code system}, consecutive same-role turns merged, tool calls and results as
 * {@code tool_use}/{@code tool_result} blocks, images as base64 or URL sources, {@code max_tokens}
 * always sent (the request's {@code max_completion_tokens}, else its {@code max_tokens}, else
 * {@link Builder#defaultMaxTokens(int)}, default {@value #DEFAULT_MAX_TOKENS}), {@code stop} as
 * {@code stop_sequences}, {@code user} as {@code metadata.user_id}, {@code response_format}
 * {@code json_schema} as {@code output_config.format}, and {@code extraBody} merged at the top
 * level (an object merged into an object the adapter wrote, e.g. {@code output_config}). A
 * message's {@code cache_control} extra field marks a prompt-caching breakpoint on its last block.
 * A request Anthropic cannot honour ({@code temperature} above 1, {@code n} above 1, {@code seed},
 * penalties, {@code json_object}, tool-call arguments that are not a JSON object) fails with a
 * {@link io.llmrouter.api.exception.BadRequestException} before any network traffic.
 *
 * <p><b>Answers</b>: text blocks concatenated into the content, {@code tool_use} blocks as tool
 * calls (arguments: the compact JSON of {@code input}), thinking kept out of the content: its text as
 * the message's {@code reasoningContent()}, its blocks in the {@code thinking_blocks} extra field,
 * {@code stop_reason} mapped to OpenAI's finish reasons (raw value kept), usage with cache reads
 * as {@code cachedTokens} and cache writes as {@code cacheCreationTokens}, both inside
 * {@code promptTokens}. HTTP errors, timeouts, connection failures and malformed answers come
 * back as the typed {@link LlmRouterException} subtypes; the API key never appears in a message.
 *
 * <p><b>Streaming</b> ({@link #streamAsync}): the same body with {@code "stream": true}, read as
 * server-sent events into chunks: text, tool-call fragments (index = the call's position among
 * the message's tool calls), a finish chunk, then one usage chunk (Anthropic always reports usage;
 * no {@code stream_options} is sent). Thinking streams as reasoning pieces, its blocks (with
 * signatures) as the message's {@code thinking_blocks} extra field. An {@code event: error} inside the
 * 200 stream is a typed failure ({@code overloaded_error} → a retryable
 * {@link io.llmrouter.api.exception.ServiceUnavailableException}), as is a stream that ends without
 * {@code message_stop} before its stop reason
 * ({@link io.llmrouter.api.exception.InvalidProviderResponseException}); after the stop reason the
 * answer is whole and a missing {@code message_stop} is a normal end. {@link #openStream} reads the
 * same stream on the caller's thread (pull-style), with the same chunks and failures.
 *
 * <p>Instances are immutable and thread-safe; one serves every {@code anthropic/...} deployment.
 * The returned futures complete on an OkHttp dispatcher thread: attach heavy work with the
 * {@code ...Async(fn, executor)} methods. Stream sinks are called on the OkHttp thread that reads
 * the body.
 *
 * @since 0.1.0
 */
public final class AnthropicProvider implements Provider {

    /** The provider name and route prefix. */
    public static final String NAME = "anthropic";

    /** Anthropic's API base URL, used when a deployment sets no {@code apiBase}. */
    public static final String DEFAULT_API_BASE = "https://api.anthropic.com";

    /** The environment variable holding the key for calls to the default base URL. */
    public static final String API_KEY_ENV = "ANTHROPIC_API_KEY";

    /** The {@code anthropic-version} header sent with every call (the only version of the Messages API). */
    public static final String ANTHROPIC_VERSION = "2023-06-01";

    /** The {@code User-Agent} header sent with every call. */
    public static final String USER_AGENT = "llmrouter/0.1.0";

    /**
     * The {@code max_tokens} sent when a request sets neither {@code max_completion_tokens} nor
     * {@code max_tokens}: {@value}. Anthropic requires the field; 4096 is the largest output limit
     * every Claude model accepts (Claude 3 Haiku and Opus allow no more), so the default never
     * makes a call fail, and it is long enough for ordinary chat answers. Set a request limit, or
     * {@link Builder#defaultMaxTokens(int)}, for longer outputs or extended thinking.
     */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    /**
     * Beta features, sent as the {@code anthropic-beta} header (comma-separated, duplicates
     * dropped). Each element may itself be a comma-separated list, so a configuration string can
     * be passed as {@code List.of("a,b")}. Set it with
     * {@code Deployment.builder(..).option(AnthropicProvider.BETA, List.of("context-1m-2025-08-07"))}.
     */
    public static final ProviderOption<List<String>> BETA = listOption("anthropic.beta");

    private static final Logger log = LoggerFactory.getLogger(AnthropicProvider.class);
    private static final String MESSAGES_PATH = "/v1/messages";

    private final JsonHttp http;
    private final String defaultApiBase;
    private final Function<String, String> environment;
    private final int defaultMaxTokens;
    private final AnthropicErrorMapper errors = new AnthropicErrorMapper(NAME);

    private AnthropicProvider(Builder b) {
        this.http = new JsonHttp(b.httpClient, errors, b.clock, log);
        this.defaultApiBase = b.defaultApiBase;
        this.environment = b.environment;
        this.defaultMaxTokens = b.defaultMaxTokens;
    }

    @SuppressWarnings("unchecked")
    private static ProviderOption<List<String>> listOption(String name) {
        return ProviderOption.of(name, (Class<List<String>>) (Class<?>) List.class);
    }

    /**
     * A provider with the default settings: the shared default OkHttp client and
     * {@link #DEFAULT_API_BASE}.
     *
     * @return the provider
     */
    public static AnthropicProvider create() {
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

    /** The route prefix, {@value #NAME}. */
    @Override
    public String name() {
        return NAME;
    }

    /** The OkHttp client sent with (tests). */
    OkHttpClient httpClient() {
        return http.client();
    }

    /**
     * Sends the chat call without blocking. The future completes on an OkHttp thread with the
     * response, or exceptionally with the typed {@link LlmRouterException}; cancelling it cancels
     * the HTTP call. The call's {@link ProviderCall#timeout()} bounds the whole exchange.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        Target target;
        Request request;
        try {
            target = target(call.endpoint(), context);
            request = request(target, body(call, context), call.endpoint(), context, JsonHttp.ACCEPT_JSON);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(request, call.timeout(), call.endpoint().maxResponseBytes(), context,
                exchange -> http.read(exchange, context, target.key(), tree -> answer(tree, exchange, context,
                        target.key())));
    }

    /**
     * Streams the chat call without blocking: sends the translated body with
     * {@code "stream": true} and {@code Accept: text/event-stream}, and feeds the events to
     * {@code sink} as chunks, on the OkHttp thread reading the body (a slow sink slows the read:
     * backpressure).
     *
     * <p>Chunks: the first carries the role {@code assistant}; text pieces; for each
     * {@code tool_use} block a fragment with its id and name, then its {@code input_json_delta}
     * fragments verbatim; a finish chunk at {@code message_delta} (raw {@code stop_reason} kept);
     * at {@code message_stop} a usage chunk (prompt = input + cache writes + cache reads, cached =
     * cache reads, cache creation = cache writes, the last value of each field), then
     * {@link ChunkSink#onComplete()}. Nothing is emitted for {@code message_start}, so an error
     * right after it can still fail over. Thinking text goes out as reasoning pieces, and when a
     * thinking block stops, the blocks so far (with signatures) as the {@code thinking_blocks}
     * extra field; {@code stop_sequence} and {@code stop_details} are not carried by chunks.
     *
     * <p>Failures go to {@link ChunkSink#onError} as typed {@link LlmRouterException}s: a request
     * that cannot be sent (at once, on the caller's thread); a non-2xx answer, mapped as for
     * {@link #completeAsync}; an {@code event: error} in the stream, mapped by its error type; a
     * malformed event or an end without {@code message_stop} before the stop reason
     * ({@link io.llmrouter.api.exception.InvalidProviderResponseException}); a cut connection
     * ({@link io.llmrouter.api.exception.ProviderConnectionException}) or the call's
     * {@link ProviderCall#timeout()}, which bounds the whole stream
     * ({@link io.llmrouter.api.exception.RequestTimeoutException}). The sink hears nothing after
     * its terminal event or after the handle is cancelled.
     *
     * @param call the request and the deployment's settings
     * @param sink receives the chunks and the terminal event
     * @return a handle whose {@code cancel()} closes the HTTP call
     * @throws NullPointerException if {@code call} or {@code sink} is null
     */
    @Override
    public StreamHandle streamAsync(ProviderCall call, ChunkSink sink) {
        Objects.requireNonNull(call, "call");
        SinkGate guarded = new SinkGate(Objects.requireNonNull(sink, "sink"));
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        Target target;
        Request request;
        try {
            target = target(call.endpoint(), context);
            ObjectNode body = body(call, context);
            body.put("stream", true);
            request = request(target, body, call.endpoint(), context, JsonHttp.ACCEPT_EVENT_STREAM);
        } catch (LlmRouterException e) {
            guarded.onError(e);
            return StreamHandle.NONE;
        }
        Secret key = target.key();
        StreamHandle handle = http.stream(request, call.timeout(), call.endpoint().maxResponseBytes(), context, key,
                AnthropicProvider::isErrorEnvelope, (text, streamContext) -> errors.streamError(text, streamContext, key),
                (body, streamContext) -> new AnthropicStreamReader(guarded, streamContext, errors, key)
                        .read(new SseEventReader(body.source(), call.endpoint().maxStreamEventBytes())),
                guarded::onError);
        return () -> {
            guarded.cancel();
            handle.cancel();
        };
    }

    /**
     * Opens the same stream as {@link #streamAsync} to be read on the calling thread: the request
     * is sent with a synchronous call here, and each {@link ChunkSource#next()} reads and handles
     * the next event on the thread that calls it (the same event reader as {@link #streamAsync}).
     * Same body, headers, chunks, usage, end-of-stream rule and typed failures: an unsendable
     * request, a non-2xx answer, a JSON error envelope or HTML page instead of a stream and a
     * connection failure are thrown here; an {@code event: error}, a malformed event, a cut or
     * unterminated stream and the call's {@link ProviderCall#timeout()} (which bounds the whole
     * stream) from {@code next()}. Cancelling the call's {@link ProviderCall#cancellation()} or
     * closing the source closes the connection; a blocked {@code next()} then throws a
     * {@link io.llmrouter.api.exception.RequestCancelledException}.
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
        Target target = target(call.endpoint(), context);
        ObjectNode body = body(call, context);
        body.put("stream", true);
        Request request = request(target, body, call.endpoint(), context, JsonHttp.ACCEPT_EVENT_STREAM);
        Secret key = target.key();
        PullHttpStream stream = new PullHttpStream(name(), call.cancellation(), context);
        long maxEventBytes = call.endpoint().maxStreamEventBytes();
        return http.openStream(stream, request, call.timeout(), call.endpoint().maxResponseBytes(), context, key,
                AnthropicProvider::isErrorEnvelope, (text, streamContext) -> errors.streamError(text, streamContext, key),
                (responseBody, streamContext) -> new AnthropicStreamReader(stream.gate(), streamContext, errors, key)
                        .start(new SseEventReader(responseBody.source(), maxEventBytes))::step);
    }

    // ------------------------------------------------------------------------------ request side

    private ObjectNode body(ProviderCall call, ErrorContext context) {
        return http.translate(() -> AnthropicRequestBody.of(call.request(), defaultMaxTokens), context);
    }

    /** Where a call goes and with which key (null: none). */
    private record Target(String url, Secret key) {
    }

    private Target target(Endpoint endpoint, ErrorContext context) {
        String base = endpoint.apiBase().map(HttpUrls::withoutTrailingSlash).orElse(defaultApiBase);
        Secret key = ApiKeys.resolve(endpoint, ApiKeys.isVendorBase(endpoint, defaultApiBase), List.of(API_KEY_ENV),
                environment, true, errors, context).orElse(null);
        return new Target(messagesUrl(base), key);
    }

    private static String messagesUrl(String base) {
        String path = HttpUrls.withoutQuery(base); // a query string stays after the path
        if (path.endsWith(MESSAGES_PATH)) {
            return base;
        }
        if (path.endsWith("/v1")) {
            return HttpUrls.appendPath(base, "/messages");
        }
        return HttpUrls.appendPath(base, MESSAGES_PATH);
    }

    private Request request(Target target, ObjectNode json, Endpoint endpoint, ErrorContext context, String accept) {
        Request.Builder b = http.post(http.url(target.url(), context), json, accept, endpoint.deploymentId(),
                target.key(), context).header("anthropic-version", ANTHROPIC_VERSION);
        http.apiKeyHeader(b, "x-api-key", "", target.key(), context);
        Optional<List<String>> betas = endpoint.options().get(BETA);
        if (betas.isPresent()) {
            String beta = betaHeader(betas.get(), context);
            if (!beta.isEmpty()) {
                http.header(b, "anthropic-beta", beta, context);
            }
        }
        http.headers(b, endpoint.headers(), context);
        return b.build();
    }

    private String betaHeader(List<String> betas, ErrorContext context) {
        List<?> values = betas;
        Set<String> names = new LinkedHashSet<>();
        for (Object value : values) {
            if (!(value instanceof String s)) {
                throw errors.unsendable("option " + BETA.name() + " must hold strings, held a "
                        + (value == null ? "null" : value.getClass().getName()), context, null);
            }
            for (String name : s.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.strip());
                }
            }
        }
        return String.join(",", names);
    }

    // ------------------------------------------------------------------------------ answer side

    private ChatResponse answer(JsonNode tree, HttpExchange exchange, ErrorContext context, Secret key) {
        if (isErrorEnvelope(tree)) {
            throw errors.errorInSuccess(exchange, context, key);
        }
        return AnthropicResponseReader.read(tree, http.clock().instant().getEpochSecond());
    }

    /** Whether a JSON answer is Anthropic's error envelope, {@code {"type":"error",...}}. */
    private static boolean isErrorEnvelope(JsonNode tree) {
        return "error".equals(tree.path("type").textValue());
    }

    @Override
    public String toString() {
        return "AnthropicProvider[defaultApiBase=" + defaultApiBase + ", defaultMaxTokens=" + defaultMaxTokens + "]";
    }

    /**
     * Builds an {@link AnthropicProvider}. Not thread-safe; the built provider is immutable and
     * thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private OkHttpClient httpClient;
        private String defaultApiBase = DEFAULT_API_BASE;
        private Function<String, String> environment = System::getenv;
        private Clock clock = Clock.systemUTC();
        private int defaultMaxTokens = DEFAULT_MAX_TOKENS;

        private Builder() {
        }

        /**
         * The OkHttp client to send with, e.g. one with a proxy, custom TLS or interceptors.
         * Default: a shared client (connect timeout 10 s, no read/write timeout, 256 concurrent
         * calls per host) used by every provider of this module. This is the only place where an
         * OkHttp type appears in the API: it works with OkHttp 4.12 and 5.x.
         *
         * @param httpClient the client
         * @return this builder
         * @throws NullPointerException if {@code httpClient} is null
         */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * The base URL for deployments that set no {@code apiBase}; default
         * {@value AnthropicProvider#DEFAULT_API_BASE}. Calls to it are treated as calls to
         * Anthropic itself: the key falls back to {@value AnthropicProvider#API_KEY_ENV}. Useful
         * for a gateway in front of Anthropic, and for tests.
         *
         * @param defaultApiBase an absolute http(s) URL
         * @return this builder
         * @throws IllegalArgumentException if it is not an absolute http(s) URL
         */
        public Builder defaultApiBase(String defaultApiBase) {
            this.defaultApiBase = HttpUrls.checkedBase(defaultApiBase, "defaultApiBase");
            return this;
        }

        /**
         * The {@code max_tokens} sent when a request sets no output limit; default
         * {@value AnthropicProvider#DEFAULT_MAX_TOKENS}.
         *
         * @param defaultMaxTokens a positive token count
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder defaultMaxTokens(int defaultMaxTokens) {
            if (defaultMaxTokens < 1) {
                throw new IllegalArgumentException("defaultMaxTokens must be positive, was " + defaultMaxTokens);
            }
            this.defaultMaxTokens = defaultMaxTokens;
            return this;
        }

        /** Where {@value AnthropicProvider#API_KEY_ENV} is read from (tests); default {@link System#getenv(String)}. */
        Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** The clock for {@code created} and HTTP-date {@code retry-after} values (tests); default UTC system clock. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The provider.
         *
         * @return a new provider
         */
        public AnthropicProvider build() {
            return new AnthropicProvider(this);
        }
    }
}
