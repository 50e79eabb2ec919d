package io.llmrouter.providers.ollama;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.providers.internal.ApiKeys;
import io.llmrouter.providers.internal.HttpUrls;
import io.llmrouter.providers.internal.JsonHttp;
import io.llmrouter.providers.internal.NdjsonReader;
import io.llmrouter.providers.internal.SinkGate;
import io.llmrouter.providers.ollama.internal.OllamaChatCodec;
import io.llmrouter.providers.ollama.internal.OllamaErrorMapper;
import io.llmrouter.providers.ollama.internal.OllamaStreamReader;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOption;
import io.llmrouter.spi.StreamHandle;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter for Ollama's native API ({@code POST {apiBase}/api/chat}, plain and streamed as
 * NDJSON, and {@code POST {apiBase}/api/embed}), for the route prefix {@value #NAME}
 * ({@code ollama_chat/llama3.2}). Ollama's OpenAI-compatible endpoint stays served by the
 * {@code ollama/} prefix of the OpenAI adapter.
 *
 * <p><b>Base URL</b>: the deployment's {@code apiBase} (the server root, without {@code /api});
 * else the environment variable {@value #API_BASE_ENV} (a trailing {@code /v1}, as the
 * OpenAI-compatible {@code ollama/} route may have it, is dropped); else
 * {@link Builder#defaultApiBase(String)}, which defaults to {@value #DEFAULT_API_BASE}.
 *
 * <p><b>Key</b>: none needed by a local server. The deployment's key, else for calls to the
 * default base the environment variable {@value #API_KEY_ENV} when set, is sent as
 * {@code Authorization: Bearer} (Ollama's cloud, or a proxy in front of Ollama).
 *
 * <p><b>Request</b>: see {@code src-docs/providers/ollama.md}: messages with images as base64 (an
 * image by http(s) URL, {@code tool_choice} {@code required} or a named function, and {@code n}
 * above 1 fail with a {@link io.llmrouter.api.exception.BadRequestException} before any call),
 * tools, {@code format} for JSON mode, sampling in {@code options} ({@code max_tokens} →
 * {@code num_predict}), the deployment's {@link #KEEP_ALIVE}, {@code "stream": false} for a plain
 * call (Ollama streams by default).
 *
 * <p><b>Answers</b>: tool-call arguments (objects) serialized as JSON strings, with generated ids;
 * {@code done_reason} {@code stop} → stop (tool_calls when there are tool calls), {@code length} →
 * length; usage {@code prompt_eval_count} → prompt tokens, {@code eval_count} → completion tokens;
 * the durations as response extra fields. Errors ({@code {"error":"..."}}) as the typed
 * {@link LlmRouterException} subtypes; an error line inside a 200 stream is a retryable
 * {@link io.llmrouter.api.exception.ProviderServerException}.
 *
 * <p>Instances are immutable and thread-safe; one serves every {@code ollama_chat} deployment. The
 * returned futures complete on an OkHttp dispatcher thread: attach heavy work with the
 * {@code ...Async(fn, executor)} methods. Stream sinks are called on the OkHttp thread that reads
 * the body.
 *
 * @since 0.1.0
 */
public final class OllamaProvider implements Provider {

    /** The provider name and route prefix (LiteLLM's). */
    public static final String NAME = "ollama_chat";

    /** A local Ollama server, used when a deployment sets no {@code apiBase}. */
    public static final String DEFAULT_API_BASE = "http://localhost:11434";

    /** The environment variable that overrides {@link #DEFAULT_API_BASE}. */
    public static final String API_BASE_ENV = "OLLAMA_API_BASE";

    /** The environment variable holding an optional key for calls to the default base. */
    public static final String API_KEY_ENV = "OLLAMA_API_KEY";

    /** The {@code Accept} value of a streamed call: Ollama's NDJSON. */
    public static final String ACCEPT_NDJSON = "application/x-ndjson";

    /**
     * How long Ollama keeps the model loaded after the call, sent as {@code keep_alive} with chat
     * and embeddings: a duration string ({@code "10m"}, {@code "24h"}), {@code "0"} to unload at
     * once, {@code "-1"} to keep it loaded. Unset: Ollama's default (5 minutes). Set it with
     * {@code Deployment.builder(..).option(OllamaProvider.KEEP_ALIVE, "30m")}.
     */
    public static final ProviderOption<String> KEEP_ALIVE = ProviderOption.of("ollama.keep_alive", String.class);

    private static final Logger log = LoggerFactory.getLogger(OllamaProvider.class);

    private final JsonHttp http;
    private final String defaultApiBase;
    private final Function<String, String> environment;
    private final RandomGenerator random;
    private final OllamaErrorMapper errors = new OllamaErrorMapper(NAME);

    private OllamaProvider(Builder b) {
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
    public static OllamaProvider create() {
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
     * Sends the chat call without blocking: {@code POST {apiBase}/api/chat} with
     * {@code "stream": false}. The future completes on an OkHttp thread with the response, or
     * exceptionally with the typed {@link LlmRouterException}; cancelling it cancels the HTTP call.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        String model = call.providerModel();
        Secret key;
        Request request;
        try {
            key = key(call.endpoint(), context);
            request = chatRequest(call, key, false, context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(request, call.timeout(), call.endpoint().maxResponseBytes(), context,
                exchange -> http.read(exchange, context, key, tree -> {
                    if (OllamaErrorMapper.isErrorEnvelope(tree)) {
                        throw errors.streamError(exchange.body(), context, key);
                    }
                    return OllamaChatCodec.readResponse(tree, model, http.clock().instant().getEpochSecond(),
                            random());
                }));
    }

    /**
     * Streams the chat call without blocking: the same body with {@code "stream": true} and
     * {@code Accept: application/x-ndjson}, each NDJSON line read into chunks (text, thinking as
     * reasoning, whole tool calls, then a finish chunk and one usage chunk from the
     * {@code done: true} line). An {@code {"error":...}} line fails the stream with a retryable
     * {@link io.llmrouter.api.exception.ProviderServerException}; a malformed line and a stream that
     * ends before {@code done: true} with an
     * {@link io.llmrouter.api.exception.InvalidProviderResponseException}. The call's
     * {@link ProviderCall#timeout()} bounds the whole stream.
     *
     * @param call the request and the deployment's settings
     * @param sink receives the chunks and the terminal event
     * @return a handle that cancels the stream
     * @throws NullPointerException if an argument is null
     */
    @Override
    public StreamHandle streamAsync(ProviderCall call, ChunkSink sink) {
        Objects.requireNonNull(call, "call");
        SinkGate guarded = new SinkGate(Objects.requireNonNull(sink, "sink"));
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        String model = call.providerModel();
        Secret key;
        Request request;
        try {
            key = key(call.endpoint(), context);
            request = chatRequest(call, key, true, context);
        } catch (LlmRouterException e) {
            guarded.onError(e);
            return StreamHandle.NONE;
        }
        StreamHandle handle = http.stream(request, call.timeout(), call.endpoint().maxResponseBytes(), context, key,
                OllamaErrorMapper::isErrorEnvelope, (text, streamContext) -> errors.streamError(text, streamContext, key),
                (body, streamContext) -> new OllamaStreamReader(guarded, streamContext, errors, key, model, random())
                        .read(new NdjsonReader(body.source(), call.endpoint().maxStreamEventBytes())),
                guarded::onError);
        return () -> {
            guarded.cancel();
            handle.cancel();
        };
    }

    /**
     * Embeds the call's inputs without blocking: {@code POST {apiBase}/api/embed} with
     * {@code input} (every text), {@code dimensions} when set and the deployment's
     * {@link #KEEP_ALIVE}. Same base URL, key, errors and threading as {@link #completeAsync}.
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
        String model = call.providerModel();
        int count = call.request().inputs().size();
        Secret key;
        Request request;
        try {
            key = key(endpoint, context);
            ObjectNode body = OllamaChatCodec.writeEmbedRequest(call.request(),
                    endpoint.options().get(KEEP_ALIVE).orElse(null));
            request = request("/api/embed", body, endpoint, key, context, JsonHttp.ACCEPT_JSON);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(request, endpoint.timeout(), endpoint.maxResponseBytes(), context,
                exchange -> http.read(exchange, context, key,
                        tree -> OllamaChatCodec.readEmbedResponse(tree, model, count)));
    }

    // ------------------------------------------------------------------------------ request side

    private String base(Endpoint endpoint) {
        if (endpoint.apiBase().isPresent()) {
            return HttpUrls.withoutTrailingSlash(endpoint.apiBase().get());
        }
        String fromEnv = environment.apply(API_BASE_ENV);
        if (fromEnv == null || fromEnv.isBlank()) {
            return defaultApiBase;
        }
        // the variable is shared with the OpenAI-compatible ollama/ route, whose base may end in /v1
        String root = HttpUrls.withoutTrailingSlash(fromEnv.strip());
        return root.endsWith("/v1") ? root.substring(0, root.length() - 3) : root;
    }

    private Secret key(Endpoint endpoint, ErrorContext context) {
        return ApiKeys.resolve(endpoint, ApiKeys.isVendorBase(endpoint, defaultApiBase), List.of(API_KEY_ENV),
                environment, false, errors, context).orElse(null);
    }

    /** The {@code /api/chat} request, plain or streamed; a request Ollama cannot express fails here. */
    private Request chatRequest(ProviderCall call, Secret key, boolean stream, ErrorContext context) {
        String keepAlive = call.endpoint().options().get(KEEP_ALIVE).orElse(null);
        ObjectNode body = http.translate(() -> OllamaChatCodec.writeRequest(call.request(), keepAlive, stream),
                context);
        return request("/api/chat", body, call.endpoint(), key, context, stream ? ACCEPT_NDJSON : JsonHttp.ACCEPT_JSON);
    }

    private Request request(String path, ObjectNode json, Endpoint endpoint, Secret key, ErrorContext context,
            String accept) {
        Request.Builder b = http.post(http.url(HttpUrls.appendPath(base(endpoint), path), context), json, accept,
                endpoint.deploymentId(), key, context);
        http.apiKeyHeader(b, "Authorization", "Bearer ", key, context);
        http.headers(b, endpoint.headers(), context);
        return b.build();
    }

    private RandomGenerator random() {
        return random != null ? random : ThreadLocalRandom.current();
    }

    @Override
    public String toString() {
        return "OllamaProvider[defaultApiBase=" + defaultApiBase + "]";
    }

    /**
     * Builds an {@link OllamaProvider}. Not thread-safe; the built provider is immutable and
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
         * Default: the client shared by every provider of this module. Each call's
         * {@link ProviderCall#timeout()} bounds the whole exchange.
         *
         * @param httpClient the client
         * @return this builder
         */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * The server root for deployments that set no {@code apiBase} when {@value #API_BASE_ENV}
         * is not set either; default {@value OllamaProvider#DEFAULT_API_BASE}. {@code /api/chat} and
         * {@code /api/embed} are appended.
         *
         * @param defaultApiBase an absolute http(s) URL
         * @return this builder
         * @throws IllegalArgumentException if it is not an absolute http(s) URL
         */
        public Builder defaultApiBase(String defaultApiBase) {
            this.defaultApiBase = HttpUrls.checkedBase(defaultApiBase, "defaultApiBase");
            return this;
        }

        /** Where {@value #API_BASE_ENV} and {@value #API_KEY_ENV} are read from (tests); default {@link System#getenv(String)}. */
        Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** The clock for {@code created} when an answer has no {@code created_at} (tests); default UTC. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The source of generated ids (tests); default {@link ThreadLocalRandom#current()}. */
        Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The provider.
         *
         * @return a new provider
         */
        public OllamaProvider build() {
            return new OllamaProvider(this);
        }
    }
}
