package io.llmrouter.providers.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.audio.SpeechRequest;
import io.llmrouter.api.audio.SpeechResponse;
import io.llmrouter.api.audio.TranscriptionFormat;
import io.llmrouter.api.audio.TranscriptionRequest;
import io.llmrouter.api.audio.TranscriptionResponse;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.completion.TextCompletionResponse;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import io.llmrouter.api.json.OpenAiJson;
import io.llmrouter.api.responses.ResponsesRequest;
import io.llmrouter.api.responses.ResponsesResponse;
import io.llmrouter.providers.azure.AzureCalls.Target;
import io.llmrouter.providers.internal.ApiKeys;
import io.llmrouter.providers.internal.JsonHttp;
import io.llmrouter.providers.internal.SinkGate;
import io.llmrouter.providers.openai.OpenAiProvider;
import io.llmrouter.providers.openai.internal.OpenAiEndpointCodec;
import io.llmrouter.providers.openai.internal.OpenAiErrorMapper;
import io.llmrouter.providers.openai.internal.OpenAiRequestBody;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOption;
import io.llmrouter.spi.ChunkSource;
import io.llmrouter.spi.StreamHandle;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter for Azure OpenAI's Chat Completions (streaming or not) and Embeddings APIs (and text
 * completions, images, speech, transcription and the Responses API), route prefix
 * {@value #NAME}: the route {@code azure/<deployment>} names the Azure <em>deployment</em>, not the
 * model. Wire format, answers and errors are OpenAI's (shared with {@link OpenAiProvider}); what
 * differs is the URL, the credential and a few error details.
 *
 * <pre>{@code
 * Deployment.builder("gpt-4o", "azure/my-prod-deployment")
 *     .apiBase("https://my-resource.openai.azure.com")
 *     .apiKey(Secret.fromEnv("AZURE_API_KEY"))
 *     .baseModel("gpt-4o")                       // the deployment name says nothing about the price
 *     .build();
 * }</pre>
 *
 * <p><b>Base URL</b>: the deployment's {@code apiBase}, e.g. {@code https://my-resource.openai.azure.com};
 * else the first set of {@link #API_BASE_ENVS}; else the call fails with a
 * {@link io.llmrouter.api.exception.BadRequestException} before any network traffic. A base that
 * already ends in {@code /openai} or {@code /openai/v1} is not doubled. A query string on the base
 * (a gateway's parameters) is kept on every URL.
 *
 * <p><b>URL</b>, chosen by the deployment's {@link #API_STYLE} option:
 * <ul>
 * <li>{@link ApiStyle#DEPLOYMENTS} (the default):
 *     {@code {base}/openai/deployments/{deployment}/chat/completions?api-version={version}} (and
 *     {@code /embeddings}); the version is the {@link #API_VERSION} option, else the base's own
 *     {@code api-version} query parameter, else {@value #API_VERSION_ENV}, else
 *     {@value #DEFAULT_API_VERSION}.</li>
 * <li>{@link ApiStyle#V1}, also the default when the base ends in {@code /openai/v1}:
 *     {@code {base}/openai/v1/chat/completions} (and {@code /embeddings}) with no {@code api-version}
 *     unless the {@link #API_VERSION} option sets one (e.g. {@code preview}); the deployment name
 *     travels in the body's {@code model}.</li>
 * </ul>
 * The body is the same in both styles: OpenAI's, with {@code model} = the deployment name (which the
 * deployments style ignores), sent as given (no token-limit renaming: pick the fields your API
 * version and model accept).
 *
 * <p><b>Credential</b>: with the {@link #TOKEN_SUPPLIER} option, {@code Authorization: Bearer <token>}
 * from the supplier, asked once per request (the deployment's {@code apiKey} is then not sent);
 * else {@code api-key: <key>} from the deployment's {@code apiKey}, else from the first set of
 * {@link #API_KEY_ENVS}. Never both headers. No credential, or a failing supplier, fails the call
 * with an {@link io.llmrouter.api.exception.AuthenticationException} before any request is sent.
 *
 * <p><b>Answers</b>: {@link OpenAiJson#readResponse}; a missing {@code model} (Azure's REST examples
 * have none) becomes the deployment name. {@code finish_reason: content_filter} is a normal answer
 * with {@link io.llmrouter.api.chat.FinishReason#CONTENT_FILTER}; Azure's
 * {@code prompt_filter_results} and each choice's {@code content_filter_results} are kept in
 * {@code extraFields()}. Errors as {@link OpenAiProvider}'s, plus: 400 {@code content_filter} is a
 * {@link io.llmrouter.api.exception.ContentPolicyViolationException} whose {@code details()} is
 * {@code innererror.content_filter_result} (the categories and whether each was filtered), else the
 * whole {@code innererror}; 404 {@code DeploymentNotFound} a
 * {@link io.llmrouter.api.exception.NotFoundException}; 429 a
 * {@link io.llmrouter.api.exception.RateLimitException} with {@code retry-after-ms}, else
 * {@code retry-after}. The request id is {@value #REQUEST_ID_HEADER} (else {@code x-request-id}).
 *
 * <p>Instances are immutable and thread-safe; one serves every {@code azure/...} deployment. The
 * futures complete on an OkHttp dispatcher thread (or the token supplier's thread, when the token
 * fails): attach heavy work with the {@code ...Async(fn, executor)} methods.
 *
 * @since 0.1.0
 */
public final class AzureOpenAiProvider implements Provider {

    /** The provider name and route prefix. */
    public static final String NAME = "azure";

    /**
     * The {@code api-version} of the deployments style when neither {@link #API_VERSION} nor
     * {@value #API_VERSION_ENV} sets one: the newest GA (non-preview) version of the Azure OpenAI
     * data-plane inference API in Azure's REST specs, so it has a long support window and the
     * current chat, tools, structured output and embeddings fields. Set a newer (or preview)
     * version per deployment for newer features.
     */
    public static final String DEFAULT_API_VERSION = "2024-10-21";

    /** The environment variable read for the {@code api-version} when the option is not set: {@value}. */
    public static final String API_VERSION_ENV = "AZURE_API_VERSION";

    /** The environment variables read, in order, for the base URL when the deployment has no {@code apiBase}. */
    public static final List<String> API_BASE_ENVS = List.of("AZURE_API_BASE", "AZURE_OPENAI_ENDPOINT");

    /** The environment variables read, in order, for the key when the deployment has none and no token supplier. */
    public static final List<String> API_KEY_ENVS = List.of("AZURE_API_KEY", "AZURE_OPENAI_API_KEY");

    /** The response header carrying Azure's request id: {@value}. */
    public static final String REQUEST_ID_HEADER = "apim-request-id";

    /** The two URL forms of Azure OpenAI. */
    public enum ApiStyle {
        /**
         * {@code {base}/openai/deployments/{deployment}/chat/completions?api-version={version}}: the
         * classic, versioned API.
         */
        DEPLOYMENTS,
        /**
         * {@code {base}/openai/v1/chat/completions}: the v1 API (GA since August 2025), with no
         * {@code api-version} and the deployment name in the body's {@code model}.
         */
        V1
    }

    /**
     * The URL form. Default: {@link ApiStyle#V1} when the base URL ends in {@code /openai/v1}, else
     * {@link ApiStyle#DEPLOYMENTS}.
     */
    public static final ProviderOption<ApiStyle> API_STYLE = ProviderOption.of("azure.api_style", ApiStyle.class);

    /**
     * The {@code api-version} query parameter, e.g. {@code 2025-04-01-preview}. Default for the
     * deployments style: the base URL's own {@code api-version} parameter, else {@value #API_VERSION_ENV},
     * else {@value #DEFAULT_API_VERSION}; the v1 style sends one only when this option (or the base
     * URL) sets it.
     */
    public static final ProviderOption<String> API_VERSION = ProviderOption.of("azure.api_version", String.class);

    /**
     * Microsoft Entra ID authentication: the supplier's token is sent as
     * {@code Authorization: Bearer <token>} instead of an {@code api-key}.
     */
    public static final ProviderOption<AzureTokenSupplier> TOKEN_SUPPLIER = ProviderOption.of("azure.token_supplier",
            AzureTokenSupplier.class);

    /**
     * The oldest {@code api-version} sent {@code stream_options} when streaming: {@value}. Azure's
     * GA {@code 2024-10-21} accepts it; older versions (e.g. {@code 2024-02-01}, {@code 2023-05-15})
     * reject it as an unrecognized argument. Versions compare as their {@code yyyy-MM-dd} text, so
     * {@code 2024-09-01-preview} and later previews, and the v1 style without a version, send it.
     */
    public static final String STREAM_OPTIONS_SINCE_API_VERSION = "2024-09-01";

    private static final Logger log = LoggerFactory.getLogger(AzureOpenAiProvider.class);

    private final OkHttpClient client;
    private final Function<String, String> environment;
    private final OpenAiErrorMapper errors;
    private final AzureCalls calls;

    private AzureOpenAiProvider(Builder b) {
        this.environment = b.environment;
        this.errors = new OpenAiErrorMapper(NAME, Map.of(), List.of(REQUEST_ID_HEADER,
                OpenAiErrorMapper.REQUEST_ID_HEADER));
        JsonHttp http = new JsonHttp(b.httpClient, errors, b.clock, log);
        this.client = http.client();
        this.calls = new AzureCalls(http, errors);
    }

    /**
     * A provider with the shared default OkHttp client.
     *
     * @return the provider
     */
    public static AzureOpenAiProvider create() {
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

    /** The OkHttp client sent with (tests). */
    OkHttpClient httpClient() {
        return client;
    }

    /**
     * Sends the chat call without blocking:
     * {@code POST .../chat/completions}. The future completes with the response, or exceptionally
     * with the typed {@link LlmRouterException}; cancelling it cancels the token wait or the HTTP
     * call. The call's {@link ProviderCall#timeout()} bounds the whole call, token included.
     *
     * @param call the request (whose model is the deployment name) and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        String deployment = call.providerModel();
        ErrorContext context = errors.context(call.deploymentId(), deployment);
        Target target;
        byte[] body;
        try {
            target = target(call.endpoint(), deployment, "chat/completions", context);
            body = OpenAiRequestBody.bytes(call.request(), OpenAiRequestBody.PLAIN, errors, context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return calls.sendChat(target, body, call.endpoint(), context, deployment);
    }

    /**
     * Embeds the call's inputs without blocking: {@code POST .../embeddings} with
     * {@link OpenAiJson#embeddingRequestToJson} (base64 vectors asked for; float arrays accepted).
     * Same URL forms, credential, errors and threading as {@link #completeAsync}.
     *
     * @param call the request (whose model is the deployment name) and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<EmbeddingResponse> embedAsync(EmbeddingCall call) {
        Objects.requireNonNull(call, "call");
        String deployment = call.providerModel();
        ErrorContext context = errors.context(call.endpoint().deploymentId(), deployment);
        Target target;
        byte[] body;
        try {
            target = target(call.endpoint(), deployment, "embeddings", context);
            body = OpenAiRequestBody.embeddingBytes(call.request(), errors, context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return calls.send(target, body, call.endpoint(), context,
                tree -> OpenAiJsonCodec.readEmbeddingResponse(AzureCalls.withModel(tree, deployment)));
    }

    /**
     * Sends a legacy text completion without blocking: {@code POST .../completions} (same URL
     * forms, {@code api-version} and credential as {@link #completeAsync}) with the body of
     * {@link OpenAiProvider#textCompletionAsync}; an answer that names no model gets the deployment
     * name.
     *
     * @param call the request (whose model is the deployment name) and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<TextCompletionResponse> textCompletionAsync(EndpointCall<TextCompletionRequest> call) {
        Objects.requireNonNull(call, "call");
        return postEndpoint(call, "completions", OpenAiEndpointCodec.writeTextCompletion(call.request()),
                tree -> OpenAiEndpointCodec.readTextCompletion(AzureCalls.withModel(tree, call.providerModel())));
    }

    /**
     * Generates images without blocking: {@code POST .../images/generations} (same URL forms,
     * {@code api-version} and credential as {@link #completeAsync}) with the body of
     * {@link OpenAiProvider#generateImageAsync}.
     *
     * @param call the request (whose model is the deployment name) and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ImageResponse> generateImageAsync(EndpointCall<ImageRequest> call) {
        Objects.requireNonNull(call, "call");
        return postEndpoint(call, "images/generations", OpenAiEndpointCodec.writeImage(call.request()),
                tree -> OpenAiEndpointCodec.readImage(tree, call.providerModel()));
    }

    /**
     * Speaks the text without blocking: {@code POST .../audio/speech} (same URL forms,
     * {@code api-version} and credential as {@link #completeAsync}) with the body of
     * {@link OpenAiProvider#speechAsync}; the answer's bytes and {@code Content-Type} are the audio.
     *
     * @param call the request (whose model is the deployment name) and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<SpeechResponse> speechAsync(EndpointCall<SpeechRequest> call) {
        Objects.requireNonNull(call, "call");
        String deployment = call.providerModel();
        Endpoint endpoint = call.endpoint();
        ErrorContext context = errors.context(endpoint.deploymentId(), deployment);
        Target target;
        ObjectNode body;
        try {
            target = target(endpoint, deployment, "audio/speech", context);
            body = OpenAiEndpointCodec.writeSpeech(call.request());
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        JsonHttp http = calls.http();
        return calls.send(target, credential -> http.post(target.url(), body, "*/*", endpoint.deploymentId(),
                credential, context), endpoint, context,
                (exchange, credential) -> SpeechResponse.builder().model(deployment)
                        .audio(http.readBytes(exchange, context, credential))
                        .contentType(exchange.header("Content-Type").orElse("")).build());
    }

    /**
     * Transcribes the audio without blocking: {@code POST .../audio/transcriptions} (same URL forms,
     * {@code api-version} and credential as {@link #completeAsync}) with the multipart body of
     * {@link OpenAiProvider#transcribeAsync}; a {@code text} answer is read as text, the others as
     * JSON.
     *
     * @param call the request (whose model is the deployment name) and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<TranscriptionResponse> transcribeAsync(EndpointCall<TranscriptionRequest> call) {
        Objects.requireNonNull(call, "call");
        String deployment = call.providerModel();
        Endpoint endpoint = call.endpoint();
        TranscriptionRequest t = call.request();
        ErrorContext context = errors.context(endpoint.deploymentId(), deployment);
        Target target;
        RequestBody body;
        try {
            target = target(endpoint, deployment, "audio/transcriptions", context);
            body = OpenAiEndpointCodec.writeTranscription(t);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        JsonHttp http = calls.http();
        boolean text = t.responseFormat().orElse(null) == TranscriptionFormat.TEXT;
        return calls.send(target, credential -> new Request.Builder().url(target.url()).post(body)
                .header("Accept", JsonHttp.ACCEPT_JSON).header("User-Agent", JsonHttp.USER_AGENT), endpoint, context,
                (exchange, credential) -> text
                        ? TranscriptionResponse.builder().model(deployment).text(new String(
                                http.readBytes(exchange, context, credential), StandardCharsets.UTF_8).strip()).build()
                        : http.read(exchange, context, credential,
                                tree -> OpenAiEndpointCodec.readTranscription(tree, deployment)));
    }

    /**
     * Sends a Responses API call without blocking, with the body of
     * {@link OpenAiProvider#responsesAsync} (the model is the deployment name). Azure serves the
     * Responses API per resource, not per deployment: {@code {base}/openai/v1/responses} (the v1
     * style, and the deployments style without an explicit {@code api-version}), or
     * {@code {base}/openai/responses?api-version={version}} for the deployments style when the
     * {@link #API_VERSION} option or the base URL sets a version (e.g. {@code 2025-04-01-preview};
     * {@value #API_VERSION_ENV} and {@value #DEFAULT_API_VERSION}, which predate the Responses API,
     * are not used here). Same credential, errors and threading as {@link #completeAsync}.
     *
     * @param call the request (whose model is the deployment name) and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ResponsesResponse> responsesAsync(EndpointCall<ResponsesRequest> call) {
        Objects.requireNonNull(call, "call");
        String deployment = call.providerModel();
        ErrorContext context = errors.context(call.endpoint().deploymentId(), deployment);
        Target target;
        ObjectNode body;
        try {
            target = target(call.endpoint(), deployment, "responses", true, context);
            body = OpenAiEndpointCodec.writeResponses(call.request());
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return calls.send(target, body, call.endpoint(), context, OpenAiEndpointCodec::readResponses);
    }

    /** POSTs {@code body} to the deployment's {@code path} and reads the answer with {@code reader}. */
    private <T> CompletableFuture<T> postEndpoint(EndpointCall<?> call, String path, ObjectNode body,
            Function<JsonNode, T> reader) {
        String deployment = call.providerModel();
        ErrorContext context = errors.context(call.endpoint().deploymentId(), deployment);
        Target target;
        try {
            target = target(call.endpoint(), deployment, path, context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return calls.send(target, body, call.endpoint(), context, reader);
    }

    /**
     * Streams the chat call: the same {@code POST .../chat/completions} (same URL forms and
     * credential) with {@code "stream": true}, {@code "stream_options": {"include_usage": true}}
     * (unless the request sets its own) and {@code Accept: text/event-stream}. {@code stream_options}
     * is left out for an {@code api-version} older than {@value #STREAM_OPTIONS_SINCE_API_VERSION}
     * (older versions reject it with a 400; the stream then reports no usage, so no cost).
     *
     * <p>Chunks as {@link OpenAiProvider#streamAsync}'s, plus Azure's additions: the first chunk
     * ({@code id: ""}, {@code choices: []}, {@code prompt_filter_results} or the older
     * {@code prompt_annotations}) and annotation-only chunks (a choice with
     * {@code content_filter_results} and no {@code delta}, possibly after the finish chunk) are
     * skipped; a finish chunk with an empty {@code id} keeps the stream's id; chunks that name no
     * model get the deployment name. {@code finish_reason: content_filter} is a normal end with
     * {@link io.llmrouter.api.chat.FinishReason#CONTENT_FILTER} and the partial text (the router
     * sends it to a content-policy fallback when one is configured and nothing reached the caller
     * yet). {@code data: [DONE]} ends a stream normally, and so does the body's end once every
     * choice has sent its {@code finish_reason} (the one rule of every OpenAI-shaped vendor); a body
     * that ends before is cut. Every failure reaches {@code sink.onError} as a
     * typed exception (as {@link OpenAiProvider#streamAsync}), and nothing reaches the sink after
     * its end or after {@code cancel()}. With {@link #TOKEN_SUPPLIER} the request is sent once the
     * token arrives; {@code cancel()} before then sends nothing. Chunks arrive on the OkHttp thread
     * reading the body.
     *
     * @param call the request (whose model is the deployment name) and the deployment's settings
     * @param sink receives the chunks and the end
     * @return a handle whose {@code cancel()} stops the token wait or closes the HTTP call
     * @throws NullPointerException if {@code call} or {@code sink} is null
     */
    @Override
    public StreamHandle streamAsync(ProviderCall call, ChunkSink sink) {
        Objects.requireNonNull(call, "call");
        SinkGate gate = new SinkGate(Objects.requireNonNull(sink, "sink"));
        String deployment = call.providerModel();
        ErrorContext context = errors.context(call.deploymentId(), deployment);
        Endpoint endpoint = call.endpoint();
        Target target;
        byte[] body;
        try {
            target = target(endpoint, deployment, "chat/completions", context);
            String version = target.url().queryParameter("api-version");
            boolean withoutOptions = version != null && version.compareTo(STREAM_OPTIONS_SINCE_API_VERSION) < 0;
            body = OpenAiRequestBody.bytes(call.request(), withoutOptions ? OpenAiRequestBody.STREAMED_WITHOUT_OPTIONS
                    : OpenAiRequestBody.STREAMED, errors, context);
        } catch (LlmRouterException e) {
            gate.onError(e);
            return StreamHandle.NONE;
        }
        return calls.stream(target, body, endpoint, call.timeout(), context, deployment, gate);
    }

    /**
     * Opens the stream of {@link #streamAsync} to be read on the calling thread: with an API key
     * the request is sent here and each {@link ChunkSource#next()} parses the next event on the
     * thread that calls it (same chunks, ends and errors); with {@link #TOKEN_SUPPLIER} the
     * push-style stream behind a queue ({@link io.llmrouter.spi.Provider#openStream}'s default).
     *
     * @param call the request (whose model is the deployment name) and the deployment's settings
     * @return the open stream
     * @throws LlmRouterException when the request is unsendable, the answer is an HTTP error, or
     *     the connection fails; a {@link io.llmrouter.api.exception.RequestCancelledException} when
     *     cancelled or interrupted
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public ChunkSource openStream(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        String deployment = call.providerModel();
        ErrorContext context = errors.context(call.deploymentId(), deployment);
        Endpoint endpoint = call.endpoint();
        Target target = target(endpoint, deployment, "chat/completions", context);
        if (target.tokens() != null) {
            return Provider.super.openStream(call);
        }
        String version = target.url().queryParameter("api-version");
        boolean withoutOptions = version != null && version.compareTo(STREAM_OPTIONS_SINCE_API_VERSION) < 0;
        byte[] body = OpenAiRequestBody.bytes(call.request(), withoutOptions ? OpenAiRequestBody.STREAMED_WITHOUT_OPTIONS
                : OpenAiRequestBody.STREAMED, errors, context);
        return calls.pull(target, body, endpoint, call.timeout(), call.cancellation(), context, deployment, name());
    }

    // ------------------------------------------------------------------------------ request side

    private Target target(Endpoint endpoint, String deployment, String operation, ErrorContext context) {
        return target(endpoint, deployment, operation, false, context);
    }

    /** {@code perResource}: an operation served per resource (Responses), not under {@code deployments/{d}}. */
    private Target target(Endpoint endpoint, String deployment, String operation, boolean perResource,
            ErrorContext context) {
        HttpUrl base = calls.base(endpoint, API_BASE_ENVS, environment,
                "your resource's endpoint (https://<resource>.openai.azure.com)", context);
        List<String> segments = new ArrayList<>(base.pathSegments());
        segments.removeIf(String::isEmpty);
        int n = segments.size();
        boolean v1Base = n >= 2 && segments.get(n - 2).equals("openai") && segments.get(n - 1).equals("v1");
        if (v1Base) {
            segments.subList(n - 2, n).clear();
        } else if (n >= 1 && segments.get(n - 1).equals("openai")) {
            segments.remove(n - 1);
        }
        ApiStyle style = endpoint.options().get(API_STYLE).orElse(v1Base ? ApiStyle.V1 : ApiStyle.DEPLOYMENTS);
        Optional<String> version = endpoint.options().get(API_VERSION);
        if (version.isPresent() && version.get().isBlank()) {
            throw errors.unsendable("option " + API_VERSION.name() + " is blank", context, null);
        }
        // the base's own query parameters stay (a gateway's); its api-version is the default version
        HttpUrl.Builder url = base.newBuilder().fragment(null).encodedPath("/");
        segments.forEach(url::addPathSegment);
        url.addPathSegment("openai");
        if (style == ApiStyle.V1) {
            url.addPathSegment("v1");
        } else if (perResource) {
            version = version.or(() -> Optional.ofNullable(base.queryParameter("api-version")));
            if (version.isEmpty()) {
                url.addPathSegment("v1");
            }
        } else {
            url.addPathSegment("deployments").addPathSegment(deployment);
            version = version.or(() -> Optional.ofNullable(base.queryParameter("api-version")))
                    .or(() -> AzureCalls.env(environment, API_VERSION_ENV)).or(() -> Optional.of(DEFAULT_API_VERSION));
        }
        url.addPathSegments(operation);
        version.ifPresent(v -> url.setQueryParameter("api-version", v.strip()));

        Optional<AzureTokenSupplier> tokens = endpoint.options().get(TOKEN_SUPPLIER);
        if (tokens.isPresent()) {
            return new Target(url.build(), null, tokens.get(), "api-key", "", Map.of());
        }
        // Azure has no base of its own: the resource named by the deployment is the vendor's base.
        Secret key = ApiKeys.resolve(endpoint, true, API_KEY_ENVS, environment, false, errors, context).orElse(null);
        if (key == null) {
            throw errors.credentialFailure("no credential: the deployment has no apiKey and no "
                    + TOKEN_SUPPLIER.name() + " option, and none of the environment variables "
                    + String.join(", ", API_KEY_ENVS) + " is set", context, null);
        }
        return Target.withKey(url.build(), key, Map.of());
    }

    @Override
    public String toString() {
        return "AzureOpenAiProvider[" + NAME + "]";
    }

    /**
     * Builds an {@link AzureOpenAiProvider}. Not thread-safe; the built provider is immutable and
     * thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private OkHttpClient httpClient;
        private Function<String, String> environment = System::getenv;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The OkHttp client to send with, e.g. one with a proxy or custom TLS. Default: the client
         * shared by every provider of this module (see {@link OpenAiProvider.Builder#httpClient}).
         *
         * @param httpClient the client
         * @return this builder
         */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Where the environment variables are read from (tests); default {@link System#getenv(String)}. */
        Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** The clock for HTTP-date {@code retry-after} values (tests); default UTC system clock. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The provider.
         *
         * @return a new provider
         */
        public AzureOpenAiProvider build() {
            return new AzureOpenAiProvider(this);
        }
    }
}
