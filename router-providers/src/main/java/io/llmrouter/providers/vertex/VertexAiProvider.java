package io.llmrouter.providers.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.providers.anthropic.AnthropicProvider;
import io.llmrouter.providers.anthropic.internal.AnthropicRequestBody;
import io.llmrouter.providers.anthropic.internal.AnthropicResponseReader;
import io.llmrouter.providers.anthropic.internal.AnthropicStreamReader;
import io.llmrouter.providers.bedrock.internal.BoundedFanOut;
import io.llmrouter.providers.gemini.internal.GeminiRequestBody;
import io.llmrouter.providers.gemini.internal.GeminiResponseReader;
import io.llmrouter.providers.gemini.internal.GeminiSseStream;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.HttpUrls;
import io.llmrouter.providers.internal.JsonHttp;
import io.llmrouter.providers.internal.PullHttpStream;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.internal.SinkGate;
import io.llmrouter.providers.internal.SseEventReader;
import io.llmrouter.providers.internal.TokenGate;
import io.llmrouter.providers.vertex.internal.GoogleAuthLibrary;
import io.llmrouter.providers.vertex.internal.VertexEmbeddings;
import io.llmrouter.providers.vertex.internal.VertexErrorMapper;
import io.llmrouter.providers.vertex.internal.VertexImagen;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.ChunkSource;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOption;
import io.llmrouter.spi.StreamHandle;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter for Google Cloud's Vertex AI, route prefix {@value #NAME} (LiteLLM's naming):
 * Gemini models ({@code vertex_ai/gemini-2.5-flash}), Anthropic's Claude models
 * ({@code vertex_ai/claude-sonnet-4-5@20250929}: every model whose id starts with
 * {@code claude}) and text embeddings ({@code vertex_ai/text-embedding-005},
 * {@code vertex_ai/gemini-embedding-001}).
 *
 * <p><b>URLs</b>: {@code POST {host}/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:{method}}
 * with the methods {@code generateContent} and {@code streamGenerateContent?alt=sse} (publisher
 * {@code google}), {@code rawPredict} and {@code streamRawPredict} (publisher {@code anthropic}) and
 * {@code predict} (embeddings). The host is {@code https://{location}-aiplatform.googleapis.com},
 * or {@code https://aiplatform.googleapis.com} for the location {@value #GLOBAL_LOCATION}; a
 * deployment's {@code apiBase} replaces it (a private endpoint, a proxy, tests), any path of its
 * own kept before {@code /v1}.
 *
 * <p><b>Project and location</b>: the deployment's {@link #PROJECT} and {@link #LOCATION}
 * options, else the first set of the environment variables {@link #PROJECT_ENVS} /
 * {@link #LOCATION_ENVS} (LiteLLM's); the location defaults to {@value #DEFAULT_LOCATION}. A
 * missing project or a location that is not a region name fails with a
 * {@link io.llmrouter.api.exception.BadRequestException} before any network traffic.
 *
 * <p><b>Credentials</b>, sent as {@code Authorization: Bearer <token>}, the first that applies:
 * the deployment's {@link #CREDENTIALS} option (a {@link VertexCredentials}: a service account, ADC
 * or a token source of your own); the deployment's {@code apiKey}, taken as an access token (e.g.
 * from {@code gcloud auth print-access-token}); the environment variables {@link #CREDENTIALS_ENVS}
 * (a service-account key file path, or the key's JSON text); Application Default Credentials. The
 * last two need Google's {@code google-auth-library-oauth2-http} on the class path (an optional
 * dependency): without it such a call fails with an {@link AuthenticationException} that says so.
 * Then the deployment's extra headers (which win).
 *
 * <p><b>Bodies</b>: Gemini models get the Gemini adapter's {@code generateContent} body and
 * answers (see {@link io.llmrouter.providers.gemini.GeminiProvider}); Claude models the Anthropic
 * adapter's Messages body (see {@link AnthropicProvider}) without {@code model} and with
 * {@code "anthropic_version": "}{@value #ANTHROPIC_VERSION}{@code "}, and its answers and event
 * stream; embeddings {@code {"instances":[{"content":...}],"parameters":{"outputDimensionality":N}}}
 * (extra body fields {@code task_type} and {@code title} go into each instance, the others into
 * {@code parameters}), one request for all inputs, except for {@code gemini-embedding-*} models,
 * which take one input per request: one request per input, at most
 * {@value #MAX_PARALLEL_EMBEDDING_CALLS} in flight, merged in order; usage from
 * {@code statistics.token_count}.
 *
 * <p><b>Errors</b>: Google's envelope ({@code RESOURCE_EXHAUSTED} a
 * {@link io.llmrouter.api.exception.RateLimitException} with the {@code RetryInfo} delay,
 * {@code UNAUTHENTICATED} an {@link AuthenticationException}, {@code PERMISSION_DENIED} a
 * {@link io.llmrouter.api.exception.PermissionDeniedException}, {@code INVALID_ARGUMENT} a
 * {@link io.llmrouter.api.exception.BadRequestException}) and Anthropic's (from the Claude models)
 * are both typed; malformed, truncated and HTML answers are
 * {@link io.llmrouter.api.exception.InvalidProviderResponseException}s. The token never appears in
 * a message or a log line.
 *
 * <p>Instances are immutable and thread-safe; one serves every {@code vertex_ai} deployment. The
 * futures complete on an OkHttp dispatcher thread (or the credentials' thread when a token had to
 * be fetched, or at once on the caller's when the request cannot be sent).
 *
 * @since 0.1.0
 */
public final class VertexAiProvider implements Provider {

    /** The provider name and route prefix: {@value}. */
    public static final String NAME = "vertex_ai";

    /** The location used when neither the deployment nor the environment names one: {@value}. */
    public static final String DEFAULT_LOCATION = "us-central1";

    /** The location served by the global endpoint {@code https://aiplatform.googleapis.com}: {@value}. */
    public static final String GLOBAL_LOCATION = "global";

    /** The environment variables read, in order, for a deployment without {@link #PROJECT}. */
    public static final List<String> PROJECT_ENVS = List.of("VERTEXAI_PROJECT", "VERTEX_PROJECT");

    /** The environment variables read, in order, for a deployment without {@link #LOCATION}. */
    public static final List<String> LOCATION_ENVS = List.of("VERTEXAI_LOCATION", "VERTEX_LOCATION");

    /**
     * The environment variables read, in order, for a deployment with neither {@link #CREDENTIALS}
     * nor an {@code apiKey}: a service-account key file path, or the key's JSON text.
     */
    public static final List<String> CREDENTIALS_ENVS = List.of("VERTEXAI_CREDENTIALS", "VERTEX_CREDENTIALS");

    /**
     * The most {@code :predict} calls one embeddings request keeps in flight for models that take
     * one input per request ({@code gemini-embedding-*}): {@value}.
     */
    public static final int MAX_PARALLEL_EMBEDDING_CALLS = 8;

    /** The {@code anthropic_version} body field of Claude models on Vertex AI: {@value}. */
    public static final String ANTHROPIC_VERSION = "vertex-2023-10-16";

    /** The Google Cloud project, e.g. {@code my-project}; else {@link #PROJECT_ENVS}. */
    public static final ProviderOption<String> PROJECT = ProviderOption.of("vertex_ai.project", String.class);

    /** The location (region), e.g. {@code europe-west4} or {@value #GLOBAL_LOCATION}; else {@link #LOCATION_ENVS}. */
    public static final ProviderOption<String> LOCATION = ProviderOption.of("vertex_ai.location", String.class);

    /** The source of access tokens; see {@link VertexCredentials}. */
    public static final ProviderOption<VertexCredentials> CREDENTIALS = ProviderOption.of("vertex_ai.credentials",
            VertexCredentials.class);

    private static final Logger log = LoggerFactory.getLogger(VertexAiProvider.class);
    private static final String ONE_INSTANCE_MODELS = "gemini-embedding";

    private final JsonHttp http;
    private final VertexErrorMapper errors = new VertexErrorMapper(NAME);
    private final Function<String, String> environment;
    private final Supplier<VertexCredentials> applicationDefault;
    private final Function<Path, VertexCredentials> serviceAccountFile;
    private final Function<Secret, VertexCredentials> serviceAccountJson;
    private final RandomGenerator random;
    private final int defaultMaxTokens;
    private final BooleanSupplier googleAuthPresent;
    private final AtomicReference<DefaultCredentials> defaults = new AtomicReference<>();

    private VertexAiProvider(Builder b) {
        this.http = new JsonHttp(b.httpClient, errors, b.clock, log);
        this.environment = b.environment;
        this.applicationDefault = b.applicationDefault;
        this.serviceAccountFile = b.serviceAccountFile;
        this.serviceAccountJson = b.serviceAccountJson;
        this.random = b.random;
        this.defaultMaxTokens = b.defaultMaxTokens;
        this.googleAuthPresent = b.googleAuthPresent;
    }

    /**
     * A provider with the default settings: the shared default OkHttp client.
     *
     * @return the provider
     */
    public static VertexAiProvider create() {
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
     * Sends the chat call without blocking: {@code generateContent} for Gemini models,
     * {@code rawPredict} for Claude models. The future completes with the response, or
     * exceptionally with the typed {@link LlmRouterException}; cancelling it cancels the token
     * wait or the HTTP call. {@link ProviderCall#timeout()} bounds the whole call, token included.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        Endpoint endpoint = call.endpoint();
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        Prepared p;
        try {
            p = prepare(endpoint, call.providerModel(), call.timeout(), context,
                    t -> chatBody(call, t, false, context));
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        Target target = p.target();
        ObjectNode body = p.body();
        HttpUrl url = target.url(target.anthropic() ? "rawPredict" : "generateContent");
        return TokenGate.send(p.token(), call.timeout(), (value, left) -> {
            Secret secret = Secret.of(value);
            Request request = request(url, body, secret, JsonHttp.ACCEPT_JSON, endpoint, context);
            return http.send(request, left, endpoint.maxResponseBytes(), context,
                    exchange -> http.read(exchange, context, secret, tree -> chatAnswer(tree, target, exchange,
                            context, secret)));
        });
    }

    /**
     * Streams the chat call: {@code streamGenerateContent?alt=sse} for Gemini models, read as the
     * Gemini adapter reads it (see {@link io.llmrouter.providers.gemini.GeminiProvider#streamAsync});
     * {@code streamRawPredict} with {@code "stream": true} for Claude models, read as the Anthropic
     * adapter reads it (see {@link AnthropicProvider#streamAsync}). The request is sent once the
     * token is there; a {@code cancel()} before then sends nothing. Each failure reaches
     * {@link ChunkSink#onError} once, typed, and nothing follows it.
     *
     * @param call the request and the deployment's settings
     * @param sink receives the stream's events
     * @return a handle that cancels the token wait or the stream
     * @throws NullPointerException if an argument is null
     */
    @Override
    public StreamHandle streamAsync(ProviderCall call, ChunkSink sink) {
        Objects.requireNonNull(call, "call");
        SinkGate gate = new SinkGate(Objects.requireNonNull(sink, "sink"));
        Endpoint endpoint = call.endpoint();
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        Prepared p;
        try {
            p = prepare(endpoint, call.providerModel(), call.timeout(), context,
                    t -> chatBody(call, t, true, context));
        } catch (LlmRouterException e) {
            gate.onError(e);
            return StreamHandle.NONE;
        }
        Target target = p.target();
        ObjectNode body = p.body();
        BiFunction<Secret, Duration, StreamHandle> open = target.anthropic()
                ? (secret, left) -> openAnthropicStream(target, body, secret, left, endpoint, context, gate)
                : (secret, left) -> GeminiSseStream.open(http, errors.google(),
                        request(target.url("streamGenerateContent").newBuilder().addQueryParameter("alt", "sse")
                                .build(), body, secret, JsonHttp.ACCEPT_EVENT_STREAM, endpoint, context),
                        left, endpoint.maxResponseBytes(), endpoint.maxStreamEventBytes(), gate, target.modelId(),
                        context, secret, this::random, log);
        return TokenGate.stream(p.token(), call.timeout(), gate, (value, left) -> open.apply(Secret.of(value), left));
    }

    /**
     * Opens the stream of {@link #streamAsync} to be read on the calling thread, when the access
     * token is already there (a key, or a cached token): the request is sent with a synchronous
     * call here, and each {@link ChunkSource#next()} reads and handles the next event on the thread
     * that calls it, with the Gemini or Anthropic adapter's own event handling. Same body, headers,
     * chunks and typed failures as {@link #streamAsync}; an unsendable request, a non-2xx answer
     * and a connection failure are thrown here. While a token is still being fetched, the
     * push-style stream behind a queue ({@link io.llmrouter.spi.Provider#openStream}'s default),
     * which sends the request once the token arrives.
     *
     * @param call the request (the router sets {@code stream}) and the deployment's settings
     * @return the open stream
     * @throws LlmRouterException when the stream cannot be opened
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public ChunkSource openStream(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        Endpoint endpoint = call.endpoint();
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        Prepared p = prepare(endpoint, call.providerModel(), call.timeout(), context,
                t -> chatBody(call, t, true, context));
        String token = TokenGate.ready(p.token());
        if (token == null) {
            return Provider.super.openStream(call);
        }
        Secret secret = Secret.of(token);
        Target target = p.target();
        PullHttpStream stream = new PullHttpStream(name(), call.cancellation(), context);
        if (target.anthropic()) {
            long maxEventBytes = endpoint.maxStreamEventBytes();
            return http.openStream(stream, request(target.url("streamRawPredict"), p.body(), secret,
                    JsonHttp.ACCEPT_EVENT_STREAM, endpoint, context), call.timeout(), endpoint.maxResponseBytes(),
                    context, secret, VertexAiProvider::isAnthropicEnvelope,
                    (text, streamContext) -> errors.anthropic().streamError(text, streamContext, secret),
                    (responseBody, streamContext) -> new AnthropicStreamReader(stream.gate(), streamContext,
                            errors.anthropic(), secret).start(new SseEventReader(responseBody.source(), maxEventBytes))
                            ::step);
        }
        return GeminiSseStream.pull(http, errors.google(), stream,
                request(target.url("streamGenerateContent").newBuilder().addQueryParameter("alt", "sse").build(),
                        p.body(), secret, JsonHttp.ACCEPT_EVENT_STREAM, endpoint, context),
                call.timeout(), endpoint.maxResponseBytes(), endpoint.maxStreamEventBytes(), target.modelId(), context,
                secret, this::random, log);
    }

    /**
     * Embeds the call's inputs with {@code :predict} without blocking. Same URL rules, credentials,
     * errors and threading as {@link #completeAsync}.
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
        int inputs = call.request().inputs().size();
        Prepared p;
        try {
            p = prepare(endpoint, call.providerModel(), endpoint.timeout(), context,
                    t -> http.translate(() -> VertexEmbeddings.predictBody(call.request()), context));
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        Target target = p.target();
        ObjectNode body = p.body();
        HttpUrl url = target.url("predict");
        // gemini-embedding models take one instance per request: one request per input, merged
        List<ObjectNode> bodies = inputs > 1 && target.modelId().startsWith(ONE_INSTANCE_MODELS)
                ? VertexEmbeddings.perInstance(body) : List.of(body);
        return TokenGate.send(p.token(), endpoint.timeout(), (value, left) -> {
            Secret secret = Secret.of(value);
            List<Supplier<CompletableFuture<EmbeddingResponse>>> calls = new ArrayList<>(bodies.size());
            for (ObjectNode part : bodies) {
                Request request = request(url, part, secret, JsonHttp.ACCEPT_JSON, endpoint, context);
                int count = part.get("instances").size();
                calls.add(() -> http.send(request, left, endpoint.maxResponseBytes(), context,
                        exchange -> http.read(exchange, context, secret,
                                tree -> VertexEmbeddings.readPredictions(tree, target.modelId(), count))));
            }
            return calls.size() == 1 ? calls.get(0).get()
                    : BoundedFanOut.run(calls, MAX_PARALLEL_EMBEDDING_CALLS)
                            .thenApply(parts -> VertexEmbeddings.merge(parts, target.modelId()));
        });
    }

    /**
     * Generates images with an Imagen model ({@code vertex_ai/imagen-3.0-generate-002}) without
     * blocking: {@code POST .../publishers/google/models/{model}:predict} with
     * {@code {"instances": [{"prompt"}], "parameters": {"sampleCount", "aspectRatio"?}}}. {@code n}
     * becomes {@code sampleCount} (default 1); {@code size} becomes the aspect ratio it reduces to
     * ({@code 1024x1024} → {@code 1:1}, {@code 1920x1080} → {@code 16:9}), or of Imagen's own output
     * size ({@code 1408x768} → {@code 16:9}); {@code quality} and {@code user} are not sent. The
     * answer's {@code predictions[].bytesBase64Encoded} become base64 images (filtered predictions,
     * without bytes, are left out; an answer without any image, every one filtered, is a
     * {@link io.llmrouter.api.exception.ContentPolicyViolationException}). A model that is not Imagen, a size that is not one of Imagen's
     * aspect ratios ({@code 1:1}, {@code 9:16}, {@code 16:9}, {@code 3:4}, {@code 4:3}) and a request
     * for URLs fail with a {@link io.llmrouter.api.exception.BadRequestException} before any network
     * call. Same URL rules, credentials, errors and threading as {@link #completeAsync}.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ImageResponse> generateImageAsync(EndpointCall<ImageRequest> call) {
        Objects.requireNonNull(call, "call");
        Endpoint endpoint = call.endpoint();
        ErrorContext context = errors.context(endpoint.deploymentId(), call.providerModel());
        Prepared p;
        try {
            p = prepare(endpoint, call.providerModel(), endpoint.timeout(), context, t -> imagenBody(call, t, context));
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        Target target = p.target();
        ObjectNode body = p.body();
        HttpUrl url = target.url("predict");
        return TokenGate.send(p.token(), endpoint.timeout(), (value, left) -> {
            Secret secret = Secret.of(value);
            Request request = request(url, body, secret, JsonHttp.ACCEPT_JSON, endpoint, context);
            return http.send(request, left, endpoint.maxResponseBytes(), context,
                    exchange -> http.read(exchange, context, secret, tree -> VertexImagen.read(tree, target.modelId(),
                            http.clock().instant().getEpochSecond(), NAME, context)));
        });
    }

    private ObjectNode imagenBody(EndpointCall<ImageRequest> call, Target target, ErrorContext context) {
        if (!VertexImagen.isImagen(target.modelId())) {
            throw errors.unsendable("model '" + target.modelId() + "' is not an Imagen model (imagen-*): image"
                    + " generation on Vertex AI serves Imagen only", context, null);
        }
        try {
            return VertexImagen.body(call.request());
        } catch (VertexImagen.UnsupportedImageRequestException e) {
            throw errors.unsendable(e.getMessage(), context, e);
        }
    }

    // ------------------------------------------------------------------------------ request side

    /** A call ready to send once its token is there. */
    private record Prepared(Target target, ObjectNode body, CompletableFuture<String> token) {
    }

    /** Where the call goes, its body and its token; anything unsendable as a typed exception, thrown. */
    private Prepared prepare(Endpoint endpoint, String model, Duration timeout, ErrorContext context,
            Function<Target, ObjectNode> body) {
        Target target = target(endpoint, model, context);
        return new Prepared(target, body.apply(target), token(endpoint, timeout, context));
    }

    /** Where a call goes: the model's resource URL (methods are appended) and its publisher. */
    private record Target(HttpUrl model, String modelId, boolean anthropic) {
        HttpUrl url(String method) {
            List<String> segments = model.pathSegments();
            return model.newBuilder().setPathSegment(segments.size() - 1, modelId + ":" + method).build();
        }
    }

    private Target target(Endpoint endpoint, String model, ErrorContext context) {
        String modelId = http.translate(() -> GeminiRequestBody.modelId(model), context);
        boolean anthropic = modelId.startsWith("claude");
        String project = setting(endpoint, PROJECT, PROJECT_ENVS, context).orElseThrow(() -> errors.unsendable(
                "no project: set the deployment's option " + PROJECT.name() + " or one of the environment variables "
                        + String.join(", ", PROJECT_ENVS), context, null));
        String location = setting(endpoint, LOCATION, LOCATION_ENVS, context).orElse(DEFAULT_LOCATION);
        if (!isRegionName(location)) {
            throw errors.unsendable("location '" + location + "' is not a region name such as us-central1 or "
                    + GLOBAL_LOCATION, context, null);
        }
        String host = location.equals(GLOBAL_LOCATION) ? "https://aiplatform.googleapis.com"
                : "https://" + location + "-aiplatform.googleapis.com";
        String base = endpoint.apiBase().map(HttpUrls::withoutTrailingSlash).orElse(host);
        HttpUrl url = http.url(base, context).newBuilder()
                .addPathSegment("v1").addPathSegment("projects").addPathSegment(project)
                .addPathSegment("locations").addPathSegment(location)
                .addPathSegment("publishers").addPathSegment(anthropic ? "anthropic" : "google")
                .addPathSegment("models").addPathSegment(modelId).build();
        return new Target(url, modelId, anthropic);
    }

    /** The option's value, else the first environment variable set; blank counts as unset. */
    private Optional<String> setting(Endpoint endpoint, ProviderOption<String> option, List<String> envs,
            ErrorContext context) {
        Optional<String> value = endpoint.options().get(option);
        if (value.isPresent()) {
            if (value.get().isBlank()) {
                throw errors.unsendable("option " + option.name() + " is blank", context, null);
            }
            return Optional.of(value.get().strip());
        }
        for (String variable : envs) {
            String v = environment.apply(variable);
            if (v != null && !v.isBlank()) {
                return Optional.of(v.strip());
            }
        }
        return Optional.empty();
    }

    /** {@code [a-z0-9]+(-[a-z0-9]+)*}, checked without a regex (once per call). */
    private static boolean isRegionName(String location) {
        char previous = '-';
        for (int i = 0; i < location.length(); i++) {
            char c = location.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (!alnum && (c != '-' || previous == '-')) {
                return false;
            }
            previous = c;
        }
        return previous != '-';
    }

    private ObjectNode chatBody(ProviderCall call, Target target, boolean streaming, ErrorContext context) {
        if (!target.anthropic()) {
            return http.translate(() -> GeminiRequestBody.generateContent(call.request()), context);
        }
        ObjectNode body = http.translate(() -> AnthropicRequestBody.of(call.request(), defaultMaxTokens), context);
        body.remove("model");
        body.put("anthropic_version", ANTHROPIC_VERSION);
        if (streaming) {
            body.put("stream", true);
        }
        return body;
    }

    private Request request(HttpUrl url, ObjectNode body, Secret token, String accept, Endpoint endpoint,
            ErrorContext context) {
        Request.Builder b = http.post(url, body, accept, endpoint.deploymentId(), token, context);
        http.credentialHeader(b, "Authorization", "Bearer " + token.reveal(), "the access token", context);
        http.headers(b, endpoint.headers(), context);
        return b.build();
    }

    // ------------------------------------------------------------------------------ credentials

    /** The call's access token, bounded by {@code timeout}; every failure an {@link AuthenticationException}. */
    private CompletableFuture<String> token(Endpoint endpoint, Duration timeout, ErrorContext context) {
        Optional<VertexCredentials> option = endpoint.options().get(CREDENTIALS);
        if (option.isEmpty() && endpoint.apiKey().isPresent()) {
            Secret key = endpoint.apiKey().get();
            try {
                return CompletableFuture.completedFuture(key.reveal());
            } catch (IllegalStateException e) {
                throw errors.missingKey(key, context, e);
            }
        }
        VertexCredentials credentials = option.orElseGet(() -> defaultCredentials(context));
        CompletableFuture<String> supplied;
        try {
            supplied = credentials.token();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(tokenFailure(e, timeout, context));
        }
        if (supplied == null) {
            return CompletableFuture.failedFuture(new AuthenticationException(
                    NAME + ": the credentials returned no token future", context));
        }
        return TokenGate.bounded(supplied, timeout, failure -> tokenFailure(failure, timeout, context),
                () -> new AuthenticationException(NAME + ": the credentials returned no token", context));
    }

    private AuthenticationException tokenFailure(Throwable failure, Duration timeout, ErrorContext context) {
        String problem = failure instanceof TimeoutException ? "gave no token within " + timeout
                : "failed (" + failure.getClass().getSimpleName()
                        + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")";
        return new AuthenticationException(NAME + ": the credentials " + Redaction.text(problem, null), context,
                failure);
    }

    /** The credentials of a deployment with neither option nor apiKey: the environment's, else ADC. */
    private VertexCredentials defaultCredentials(ErrorContext context) {
        String source = "";
        for (String variable : CREDENTIALS_ENVS) {
            String v = environment.apply(variable);
            if (v != null && !v.isBlank()) {
                source = v;
                break;
            }
        }
        DefaultCredentials memo = defaults.get();
        if (memo != null && memo.source().equals(source)) {
            return memo.credentials();
        }
        String what = source.isEmpty() ? "Application Default Credentials"
                : "a service-account key from " + String.join(" / ", CREDENTIALS_ENVS);
        if (!googleAuthPresent.getAsBoolean()) {
            throw new AuthenticationException(NAME + ": no credential: the deployment has no apiKey and no "
                    + CREDENTIALS.name() + " option, and " + GoogleAuthLibrary.missing(what), context);
        }
        VertexCredentials credentials;
        if (source.isEmpty()) {
            credentials = applicationDefault.get();
        } else if (source.strip().startsWith("{")) {
            credentials = serviceAccountJson.apply(Secret.of(source.strip()));
        } else {
            try {
                Path file = Path.of(source.strip());
                if (!Files.isRegularFile(file)) {
                    throw new AuthenticationException(NAME + ": " + String.join(" / ", CREDENTIALS_ENVS)
                            + " names no readable file and is not a JSON key", context);
                }
                credentials = serviceAccountFile.apply(file);
            } catch (InvalidPathException e) {
                throw new AuthenticationException(NAME + ": " + String.join(" / ", CREDENTIALS_ENVS)
                        + " is neither a file path nor a JSON key", context);
            }
        }
        defaults.set(new DefaultCredentials(source, credentials));
        return credentials;
    }

    private record DefaultCredentials(String source, VertexCredentials credentials) {
        @Override
        public String toString() {
            return "DefaultCredentials[" + credentials + "]";
        }
    }

    // ------------------------------------------------------------------------------ sending

    private StreamHandle openAnthropicStream(Target target, ObjectNode body, Secret secret, Duration timeout,
            Endpoint endpoint, ErrorContext context, SinkGate gate) {
        Request request = request(target.url("streamRawPredict"), body, secret, JsonHttp.ACCEPT_EVENT_STREAM,
                endpoint, context);
        return http.stream(request, timeout, endpoint.maxResponseBytes(), context, secret,
                VertexAiProvider::isAnthropicEnvelope,
                (text, streamContext) -> errors.anthropic().streamError(text, streamContext, secret),
                (responseBody, streamContext) -> new AnthropicStreamReader(gate, streamContext, errors.anthropic(),
                        secret).read(new SseEventReader(responseBody.source(), endpoint.maxStreamEventBytes())),
                gate::onError);
    }

    // ------------------------------------------------------------------------------ answer side

    private ChatResponse chatAnswer(JsonNode tree, Target target, HttpExchange exchange, ErrorContext context,
            Secret secret) {
        long created = http.clock().instant().getEpochSecond();
        if (!target.anthropic()) {
            return GeminiResponseReader.readChat(tree, target.modelId(), created, random());
        }
        if (isAnthropicEnvelope(tree)) {
            throw errors.anthropic().errorInSuccess(exchange, context, secret);
        }
        return AnthropicResponseReader.read(tree, created);
    }

    /** Whether a JSON answer is Anthropic's error envelope, {@code {"type":"error",...}}. */
    private static boolean isAnthropicEnvelope(JsonNode tree) {
        return "error".equals(tree.path("type").textValue());
    }

    private RandomGenerator random() {
        return random != null ? random : ThreadLocalRandom.current();
    }

    @Override
    public String toString() {
        return "VertexAiProvider[defaultMaxTokens=" + defaultMaxTokens + "]";
    }

    /**
     * Builds a {@link VertexAiProvider}. Not thread-safe; the built provider is immutable and
     * thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private OkHttpClient httpClient;
        private Function<String, String> environment = System::getenv;
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random;
        private int defaultMaxTokens = AnthropicProvider.DEFAULT_MAX_TOKENS;
        private Supplier<VertexCredentials> applicationDefault = VertexCredentials::applicationDefault;
        private Function<Path, VertexCredentials> serviceAccountFile = VertexCredentials::serviceAccount;
        private Function<Secret, VertexCredentials> serviceAccountJson = VertexCredentials::serviceAccount;
        private BooleanSupplier googleAuthPresent = GoogleAuthLibrary::isPresent;

        private Builder() {
        }

        /**
         * The OkHttp client to send with, e.g. one with a proxy, custom TLS or interceptors.
         * Default: the client shared by every provider of this module (connect timeout 10 s, no
         * read/write timeout, 256 concurrent calls per host). Works with OkHttp 4.12 and 5.x.
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
         * The {@code max_tokens} sent to Claude models when a request sets no output limit; default
         * {@link AnthropicProvider#DEFAULT_MAX_TOKENS}.
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

        /** Where the environment variables are read from (tests); default {@link System#getenv(String)}. */
        Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** The clock for {@code created} and HTTP-date retry-after values (tests); default UTC system clock. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The source of generated ids (tests); default {@link ThreadLocalRandom}. */
        Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The default credential sources (tests): ADC, a key file, a key's JSON text. */
        Builder defaultCredentials(Supplier<VertexCredentials> applicationDefault,
                Function<Path, VertexCredentials> serviceAccountFile,
                Function<Secret, VertexCredentials> serviceAccountJson) {
            this.applicationDefault = Objects.requireNonNull(applicationDefault, "applicationDefault");
            this.serviceAccountFile = Objects.requireNonNull(serviceAccountFile, "serviceAccountFile");
            this.serviceAccountJson = Objects.requireNonNull(serviceAccountJson, "serviceAccountJson");
            return this;
        }

        /** Whether google-auth-library-oauth2-http is on the class path (tests); default: looked up. */
        Builder googleAuthPresent(BooleanSupplier googleAuthPresent) {
            this.googleAuthPresent = Objects.requireNonNull(googleAuthPresent, "googleAuthPresent");
            return this;
        }

        /**
         * The provider.
         *
         * @return a new provider
         */
        public VertexAiProvider build() {
            return new VertexAiProvider(this);
        }
    }
}
