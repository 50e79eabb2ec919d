package io.llmrouter.providers.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.rerank.RerankResponse;
import io.llmrouter.providers.cohere.internal.CohereChatCodec;
import io.llmrouter.providers.cohere.internal.CohereEmbedCodec;
import io.llmrouter.providers.cohere.internal.CohereErrorMapper;
import io.llmrouter.providers.cohere.internal.CohereStreamReader;
import io.llmrouter.providers.internal.ApiKeys;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.HttpUrls;
import io.llmrouter.providers.internal.JsonHttp;
import io.llmrouter.providers.internal.RerankCodec;
import io.llmrouter.providers.internal.SinkGate;
import io.llmrouter.providers.internal.SseEventReader;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOption;
import io.llmrouter.spi.StreamHandle;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter for Cohere's v2 Chat ({@code POST {apiBase}/v2/chat}, plain and streamed) and Embed
 * ({@code POST {apiBase}/v2/embed}) APIs, for the route prefix {@value #NAME}
 * ({@code cohere/command-a-03-2025}).
 *
 * <p><b>Base URL</b>: the deployment's {@code apiBase} (the API root, without {@code /v2}); else
 * {@link Builder#defaultApiBase(String)}, which defaults to {@value #DEFAULT_API_BASE}.
 *
 * <p><b>Key</b>: the deployment's; else, for calls to the default base (no deployment
 * {@code apiBase}, or one equal to the default), the first of the environment variables
 * {@link #API_KEY_ENVS} ({@code COHERE_API_KEY}, then {@code CO_API_KEY}, the one Cohere's SDKs
 * read) that is set. A deployment {@code apiBase} elsewhere (a proxy, a gateway) never receives a
 * key from the environment, only the deployment's own, as with the OpenAI adapter. Without a key
 * the call fails with an {@link io.llmrouter.api.exception.AuthenticationException} before any
 * network traffic. Sent as {@code Authorization: Bearer}.
 *
 * <p><b>Request</b>: messages stay in the list ({@code developer} → {@code system}); images as
 * {@code image_url} parts; assistant tool calls OpenAI-shaped (with the message's
 * {@value #TOOL_PLAN_FIELD} extra field sent back as {@code tool_plan}); tool results as
 * {@code {"role":"tool","tool_call_id","content"}}. {@code temperature} above 1 and more than 5
 * stop sequences, {@code n} above 1 and a forced function missing from the tools fail with a
 * {@link io.llmrouter.api.exception.BadRequestException} before the call; {@code top_p} is sent as
 * {@code p} clamped to [0.01, 0.99] (so OpenAI's default 1.0 works). Headers: {@code Authorization},
 * {@code Accept}, {@code User-Agent}, the deployment's {@link #CLIENT_NAME} option as
 * {@code X-Client-Name}, then the deployment's extra headers (which win).
 *
 * <p><b>Answers</b>: text content concatenated; tool calls passed through;
 * {@code finish_reason} {@code COMPLETE}/{@code STOP_SEQUENCE} → stop, {@code MAX_TOKENS} →
 * length, {@code TOOL_CALL} → tool_calls (raw value kept), while {@code ERROR} and {@code TIMEOUT}
 * fail the call with a {@link io.llmrouter.api.exception.ProviderServerException} or
 * {@link io.llmrouter.api.exception.RequestTimeoutException}; usage from
 * {@code usage.billed_units} (what Cohere bills), {@code usage.tokens} kept as the
 * {@value #USAGE_TOKENS_FIELD} extra field of the response; {@code tool_plan}, thinking and
 * citations as the message's {@value #TOOL_PLAN_FIELD} extra field, {@code reasoningContent()} and
 * {@value #CITATIONS_FIELD} extra fields. The response's model is the request's (Cohere does not
 * echo it) and {@code created} is the time the answer was read. HTTP errors, timeouts, connection
 * failures and malformed answers come back as the typed {@link LlmRouterException} subtypes
 * (see {@code src-docs/providers/cohere.md}); the API key never appears in a message.
 *
 * <p><b>Streaming</b> ({@link #streamAsync}): server-sent events read into chunks (see there);
 * {@code usage.tokens} is not reported for streams.
 *
 * <p>Instances are immutable and thread-safe; one serves every {@code cohere} deployment. The
 * returned futures complete on an OkHttp dispatcher thread: attach heavy work with the
 * {@code ...Async(fn, executor)} methods. Stream sinks are called on the OkHttp thread that reads
 * the body.
 *
 * @since 0.1.0
 */
public final class CohereProvider implements Provider {

    /** The provider name and route prefix. */
    public static final String NAME = "cohere";

    /** Cohere's API root, used when a deployment sets no {@code apiBase}. */
    public static final String DEFAULT_API_BASE = "https://api.cohere.com";

    /** The environment variables read, in order, when a deployment has no key. */
    public static final List<String> API_KEY_ENVS = List.of("COHERE_API_KEY", "CO_API_KEY");

    /** The {@code User-Agent} header sent with every call. */
    public static final String USER_AGENT = "llmrouter/0.1.0";

    /** The {@code input_type} of embeddings when the deployment and request set none: {@value}. */
    public static final String DEFAULT_EMBEDDING_INPUT_TYPE = "search_document";

    /**
     * The project name sent as {@code X-Client-Name}. Set it with
     * {@code Deployment.builder(..).option(CohereProvider.CLIENT_NAME, "my-app")}.
     */
    public static final ProviderOption<String> CLIENT_NAME = ProviderOption.of("cohere.client_name", String.class);

    /**
     * The embeddings {@code input_type} of a deployment ({@code search_document}, {@code search_query},
     * {@code classification}, {@code clustering}); default {@value #DEFAULT_EMBEDDING_INPUT_TYPE}. A
     * request's {@code extraBody} {@code input_type} wins.
     */
    public static final ProviderOption<String> EMBEDDING_INPUT_TYPE = ProviderOption.of("cohere.embedding_input_type",
            String.class);

    /** The assistant message extra field holding Cohere's {@code tool_plan}; sent back on the next turn. */
    public static final String TOOL_PLAN_FIELD = CohereChatCodec.TOOL_PLAN;

    /**
     * The wire key of the model's thinking content, else its tool plan: {@value}.
     *
     * @deprecated the thinking is {@link Message#reasoningContent()}, its wire key
     *     {@link Message#REASONING_CONTENT}; this alias goes in a later release
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static final String REASONING_CONTENT_FIELD = Message.REASONING_CONTENT;

    /** The assistant message extra field holding Cohere's {@code citations}. */
    public static final String CITATIONS_FIELD = CohereChatCodec.CITATIONS;

    /** The response extra field holding Cohere's raw model token counts ({@code usage.tokens}). */
    public static final String USAGE_TOKENS_FIELD = CohereChatCodec.USAGE_TOKENS;

    private static final Logger log = LoggerFactory.getLogger(CohereProvider.class);

    private final JsonHttp http;
    private final String defaultApiBase;
    private final Function<String, String> environment;
    private final CohereErrorMapper errors = new CohereErrorMapper(NAME);

    private CohereProvider(Builder b) {
        this.http = new JsonHttp(b.httpClient, errors, b.clock, log);
        this.defaultApiBase = b.defaultApiBase;
        this.environment = b.environment;
    }

    /**
     * A provider with the default settings: the shared default OkHttp client and
     * {@link #DEFAULT_API_BASE}.
     *
     * @return the provider
     */
    public static CohereProvider create() {
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
     * Sends the chat call without blocking. The future completes on an OkHttp thread with the
     * response, or exceptionally with the typed {@link LlmRouterException}; cancelling it cancels the
     * HTTP call. The call's {@link ProviderCall#timeout()} bounds the whole exchange.
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
            ObjectNode body = http.translate(() -> CohereChatCodec.writeRequest(call.request()), context);
            request = request("/v2/chat", body, call.endpoint(), key, context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(request, call.timeout(), call.endpoint().maxResponseBytes(), context,
                exchange -> chatAnswer(exchange, context, key, model));
    }

    /**
     * Embeds the call's inputs without blocking: {@code POST {apiBase}/v2/embed} with float
     * vectors asked for and the deployment's {@link #EMBEDDING_INPUT_TYPE}; {@code dimensions} is
     * sent as {@code output_dimension}. Same base URL, key, headers, errors and threading as
     * {@link #completeAsync}.
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
            String inputType = endpoint.options().get(EMBEDDING_INPUT_TYPE).orElse(DEFAULT_EMBEDDING_INPUT_TYPE);
            ObjectNode body = CohereEmbedCodec.writeRequest(call.request(), inputType);
            request = request("/v2/embed", body, endpoint, key, context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(request, endpoint.timeout(), endpoint.maxResponseBytes(), context,
                exchange -> embeddingAnswer(exchange, context, key, model, count));
    }

    /**
     * Streams the chat call without blocking: the same body as {@link #completeAsync} with
     * {@code "stream": true} and {@code Accept: text/event-stream}, its server-sent events read into
     * chunks: text, tool plan pieces as reasoning (the whole plan also as the message's
     * {@value #TOOL_PLAN_FIELD} extra field), tool-call fragments at Cohere's tool-call index, one
     * finish chunk, then one usage chunk from {@code usage.billed_units}. A {@code message-end} with
     * {@code finish_reason} {@code ERROR} or {@code TIMEOUT} fails the stream with a retryable
     * {@link io.llmrouter.api.exception.ProviderServerException} or
     * {@link io.llmrouter.api.exception.RequestTimeoutException}; an error status, an error
     * envelope or HTML page instead of the stream, a malformed event and a stream that ends before
     * {@code message-end} fail it with their typed exceptions. The sink is called on the OkHttp
     * thread that reads the body; the call's {@link ProviderCall#timeout()} bounds the whole stream.
     *
     * @param call the request and the deployment's settings
     * @param sink receives the chunks and the terminal event
     * @return a handle that cancels the stream
     * @throws NullPointerException if an argument is null
     * @since 0.1.0
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
            ObjectNode body = http.translate(() -> CohereChatCodec.writeRequest(call.request()), context);
            body.put("stream", true);
            request = request("/v2/chat", body, call.endpoint(), key, context, JsonHttp.ACCEPT_EVENT_STREAM);
        } catch (LlmRouterException e) {
            guarded.onError(e);
            return StreamHandle.NONE;
        }
        StreamHandle handle = http.stream(request, call.timeout(), call.endpoint().maxResponseBytes(), context, key,
                CohereErrorMapper::isErrorEnvelope,
                (text, streamContext) -> errors.envelopeInStream(text, streamContext, key),
                (body, streamContext) -> new CohereStreamReader(guarded, streamContext, errors, key, model)
                        .read(new SseEventReader(body.source(), call.endpoint().maxStreamEventBytes())),
                guarded::onError);
        return () -> {
            guarded.cancel();
            handle.cancel();
        };
    }

    /**
     * Ranks the documents without blocking: {@code POST {apiBase}/v2/rerank} with {@code model},
     * {@code query}, {@code documents} and {@code top_n} (Cohere v2 returns no document texts: when
     * the request asks for them they are taken from the request). The answer's
     * {@code results[].index/relevance_score} and {@code meta.billed_units.search_units} are read.
     * Same base URL, key, headers, errors and threading as {@link #completeAsync}.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<RerankResponse> rerankAsync(EndpointCall<RerankRequest> call) {
        Objects.requireNonNull(call, "call");
        Endpoint endpoint = call.endpoint();
        ErrorContext context = errors.context(endpoint.deploymentId(), call.providerModel());
        Secret key;
        Request request;
        try {
            key = key(endpoint, context);
            request = request("/v2/rerank", RerankCodec.writeRequest(call.request(), false), endpoint, key, context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(request, endpoint.timeout(), endpoint.maxResponseBytes(), context,
                exchange -> http.read(exchange, context, key, tree -> RerankCodec.readResponse(tree, call.request())));
    }

    // ------------------------------------------------------------------------------ request side

    private Secret key(Endpoint endpoint, ErrorContext context) {
        return ApiKeys.resolve(endpoint, ApiKeys.isVendorBase(endpoint, defaultApiBase), API_KEY_ENVS, environment, true,
                errors, context).orElse(null);
    }

    private Request request(String path, ObjectNode json, Endpoint endpoint, Secret key, ErrorContext context) {
        return request(path, json, endpoint, key, context, JsonHttp.ACCEPT_JSON);
    }

    private Request request(String path, ObjectNode json, Endpoint endpoint, Secret key, ErrorContext context,
            String accept) {
        String base = HttpUrls.withoutTrailingSlash(endpoint.apiBase().orElse(defaultApiBase));
        HttpUrl url = HttpUrls.parse(HttpUrls.appendPath(base, path));
        if (url == null) {
            throw errors.unsendable("apiBase is not an http(s) URL: '" + base + "'", context, null);
        }
        Request.Builder b = http.post(url, json, accept, endpoint.deploymentId(), key, context);
        http.apiKeyHeader(b, "Authorization", "Bearer ", key, context);
        Optional<String> clientName = endpoint.options().get(CLIENT_NAME);
        if (clientName.isPresent()) {
            http.header(b, "X-Client-Name", clientName.get(), context);
        }
        http.headers(b, endpoint.headers(), context);
        return b.build();
    }

    // ------------------------------------------------------------------------------ answer side

    private ChatResponse chatAnswer(HttpExchange exchange, ErrorContext context, Secret key, String model) {
        return http.read(exchange, context, key, tree -> {
            JsonNode finish = tree.path("finish_reason");
            JsonNode id = tree.path("id");
            Optional<LlmRouterException> failed = errors.failedGeneration(finish.isTextual() ? finish.textValue()
                    : null, id.isTextual() ? id.textValue() : null, exchange, context, key);
            if (failed.isPresent()) {
                throw failed.get();
            }
            return CohereChatCodec.readResponse(tree, model, http.clock().instant().getEpochSecond());
        });
    }

    private EmbeddingResponse embeddingAnswer(HttpExchange exchange, ErrorContext context, Secret key, String model,
            int count) {
        return http.read(exchange, context, key, tree -> CohereEmbedCodec.readResponse(tree, model, count));
    }

    @Override
    public String toString() {
        return "CohereProvider[defaultApiBase=" + defaultApiBase + "]";
    }

    /**
     * Builds a {@link CohereProvider}. Not thread-safe; the built provider is immutable and
     * thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private OkHttpClient httpClient;
        private String defaultApiBase = DEFAULT_API_BASE;
        private Function<String, String> environment = System::getenv;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The OkHttp client to send with, e.g. one with a proxy, custom TLS or interceptors.
         * Default: the client shared by every provider of this module (connect timeout 10 s, no
         * read/write timeout, 256 concurrent calls per host). Each call's
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
         * The API root for deployments that set no {@code apiBase}; default
         * {@value CohereProvider#DEFAULT_API_BASE}. {@code /v2/chat} and {@code /v2/embed} are
         * appended. Useful for a gateway in front of Cohere, and for tests.
         *
         * @param defaultApiBase an absolute http(s) URL
         * @return this builder
         * @throws IllegalArgumentException if it is not an absolute http(s) URL
         */
        public Builder defaultApiBase(String defaultApiBase) {
            this.defaultApiBase = HttpUrls.checkedBase(defaultApiBase, "defaultApiBase");
            return this;
        }

        /** Where the key variables are read from (tests); default {@link System#getenv(String)}. */
        Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** The clock for {@code created} and HTTP-date {@code retry-after} values (tests); default UTC. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The provider.
         *
         * @return a new provider
         */
        public CohereProvider build() {
            return new CohereProvider(this);
        }
    }
}
