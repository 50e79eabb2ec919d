package io.llmrouter.providers.azure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import io.llmrouter.providers.azure.AzureCalls.Target;
import io.llmrouter.providers.internal.ApiKeys;
import io.llmrouter.providers.internal.JsonHttp;
import io.llmrouter.providers.internal.SinkGate;
import io.llmrouter.providers.openai.internal.OpenAiErrorMapper;
import io.llmrouter.providers.openai.internal.OpenAiRequestBody;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOption;
import io.llmrouter.spi.StreamHandle;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter for Azure AI Foundry's model inference API (chat completions, streamed or not, and
 * embeddings), route prefix {@value #NAME}: {@code azure_ai/<model>} names the model deployed in the
 * Foundry resource ({@code azure_ai/DeepSeek-R1}, {@code azure_ai/Mistral-Large-2411}) or served by a
 * serverless endpoint. The wire format, answers, streams and errors are OpenAI's (shared with
 * {@link AzureOpenAiProvider}, Azure's content-filter annotations included); what differs is the
 * URL and the credential.
 *
 * <pre>{@code
 * Deployment.builder("deepseek", "azure_ai/DeepSeek-R1")
 *     .apiBase("https://my-foundry.services.ai.azure.com/models")
 *     .apiKey(Secret.fromEnv("AZURE_AI_API_KEY"))
 *     .build();
 * }</pre>
 *
 * <p><b>Base URL</b>: the deployment's {@code apiBase}, else {@value #API_BASE_ENV}; else the call
 * fails with a {@link io.llmrouter.api.exception.BadRequestException} before any network traffic.
 *
 * <p><b>URL</b>: {@code {base}/chat/completions?api-version={version}} (and {@code /embeddings}),
 * where a Foundry resource's bare host ({@code https://<resource>.services.ai.azure.com} or
 * {@code .cognitiveservices.azure.com}) gets {@code /models} first: the model inference endpoint
 * ({@code .../models/chat/completions}); any other base, e.g. a serverless endpoint
 * ({@code https://<name>.<region>.models.ai.azure.com}), is used as given. The version is the
 * {@link #API_VERSION} option, else the base's own {@code api-version} query parameter, else
 * {@value #API_VERSION_ENV}, else {@value #DEFAULT_API_VERSION}. A base ending in {@code /v1} is
 * an OpenAI-style route and gets no {@code api-version} unless the option sets one. The body is
 * OpenAI's with {@code model} = the route's model, sent as given (no token-limit renaming);
 * {@code stream_options} is not sent (it is not part of the model inference API; streams carry
 * usage where the endpoint reports it on its last chunk).
 *
 * <p><b>Credential</b>: with the {@link #TOKEN_SUPPLIER} option, {@code Authorization: Bearer <token>}
 * from the supplier (Microsoft Entra ID), asked once per request; refreshing is the supplier's job.
 * Else the deployment's {@code apiKey}, else {@value #API_KEY_ENV}: as {@code api-key} for a Foundry
 * resource host ({@code .services.ai.azure.com}, {@code .cognitiveservices.azure.com},
 * {@code .openai.azure.com}), as {@code Authorization: Bearer} for every other host (serverless
 * endpoints). No credential fails the call with an
 * {@link io.llmrouter.api.exception.AuthenticationException} before any request is sent. Neither
 * key nor token appears in a message, log line or {@code toString}.
 *
 * <p><b>Extra parameters</b>: the {@code extra-parameters} header tells the service what to do with
 * body fields outside its API ({@link #EXTRA_PARAMETERS}); by default {@code pass-through} is sent
 * when the request has {@code extraBody} fields (so that they reach the model, as Azure's SDKs do),
 * and nothing otherwise.
 *
 * <p>Instances are immutable and thread-safe; one serves every {@code azure_ai/...} deployment. The
 * futures complete on an OkHttp dispatcher thread (or the token supplier's thread, when the token
 * fails); stream sinks are called on the OkHttp thread that reads the body.
 *
 * @since 0.1.0
 */
public final class AzureAiProvider implements Provider {

    /** The provider name and route prefix (LiteLLM's). */
    public static final String NAME = "azure_ai";

    /**
     * The {@code api-version} sent when neither {@link #API_VERSION}, the base URL nor
     * {@value #API_VERSION_ENV} sets one: the model inference API version Azure's inference SDKs send.
     */
    public static final String DEFAULT_API_VERSION = "2024-05-01-preview";

    /** The environment variable read for the {@code api-version} when the option is not set: {@value}. */
    public static final String API_VERSION_ENV = "AZURE_AI_API_VERSION";

    /** The environment variable read for the base URL when the deployment has no {@code apiBase}: {@value}. */
    public static final String API_BASE_ENV = "AZURE_AI_API_BASE";

    /** The environment variable read for the key when the deployment has none and no token supplier: {@value}. */
    public static final String API_KEY_ENV = "AZURE_AI_API_KEY";

    /** The {@code extra-parameters} value sent by default when a request has {@code extraBody} fields: {@value}. */
    public static final String DEFAULT_EXTRA_PARAMETERS = "pass-through";

    /**
     * The OAuth scope of Entra ID tokens for serverless and managed online endpoints: {@value}
     * (Foundry resources take {@link AzureTokenSupplier#COGNITIVE_SERVICES_SCOPE}).
     */
    public static final String ML_SCOPE = "https://ml.azure.com/.default";

    /** The {@code api-version} query parameter, e.g. {@code 2024-05-01-preview}. */
    public static final ProviderOption<String> API_VERSION = ProviderOption.of("azure_ai.api_version", String.class);

    /**
     * Microsoft Entra ID authentication: the supplier's token is sent as
     * {@code Authorization: Bearer <token>} instead of a key. The supplier is called once per
     * request and must return a valid token (it caches and refreshes; see {@link AzureTokenSupplier}).
     */
    public static final ProviderOption<AzureTokenSupplier> TOKEN_SUPPLIER = ProviderOption.of(
            "azure_ai.token_supplier", AzureTokenSupplier.class);

    /**
     * The {@code extra-parameters} header: {@code pass-through} (fields outside the API reach the
     * model), {@code drop} (they are dropped) or {@code error} (a 400). Default:
     * {@value #DEFAULT_EXTRA_PARAMETERS} when the request has {@code extraBody} fields, else no header.
     */
    public static final ProviderOption<String> EXTRA_PARAMETERS = ProviderOption.of("azure_ai.extra_parameters",
            String.class);

    private static final Logger log = LoggerFactory.getLogger(AzureAiProvider.class);
    private static final List<String> KEY_HEADER_HOSTS = List.of(".services.ai.azure.com",
            ".cognitiveservices.azure.com", ".openai.azure.com");

    private final Function<String, String> environment;
    private final OpenAiErrorMapper errors;
    private final AzureCalls calls;
    private final OkHttpClient client;

    private AzureAiProvider(Builder b) {
        this.environment = b.environment;
        this.errors = new OpenAiErrorMapper(NAME, Map.of(), List.of(AzureOpenAiProvider.REQUEST_ID_HEADER,
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
    public static AzureAiProvider create() {
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
     * Sends the chat call without blocking: {@code POST .../chat/completions}. The future completes
     * with the response, or exceptionally with the typed {@link LlmRouterException}; cancelling it
     * cancels the token wait or the HTTP call. The call's {@link ProviderCall#timeout()} bounds the
     * whole call, token included.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        String model = call.providerModel();
        ErrorContext context = errors.context(call.deploymentId(), model);
        Target target;
        byte[] body;
        try {
            target = target(call.endpoint(), "chat/completions", !call.request().extraBody().isEmpty(), context);
            body = OpenAiRequestBody.bytes(call.request(), OpenAiRequestBody.PLAIN, errors, context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return calls.sendChat(target, body, call.endpoint(), context, model);
    }

    /**
     * Embeds the call's inputs without blocking: {@code POST .../embeddings} with OpenAI's body.
     * Same URL rules, credential, errors and threading as {@link #completeAsync}.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<EmbeddingResponse> embedAsync(EmbeddingCall call) {
        Objects.requireNonNull(call, "call");
        String model = call.providerModel();
        ErrorContext context = errors.context(call.endpoint().deploymentId(), model);
        Target target;
        byte[] body;
        try {
            target = target(call.endpoint(), "embeddings", !call.request().extraBody().isEmpty(), context);
            body = OpenAiRequestBody.embeddingBytes(call.request(), errors, context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return calls.send(target, body, call.endpoint(), context,
                tree -> OpenAiJsonCodec.readEmbeddingResponse(AzureCalls.withModel(tree, model)));
    }

    /**
     * Streams the chat call: the same URL and credential with {@code "stream": true} and
     * {@code Accept: text/event-stream} (no {@code stream_options}). Chunks as
     * {@link AzureOpenAiProvider#streamAsync}'s (filter annotations skipped, {@code data: [DONE]} or
     * the body's end after every finish reason ends the stream, a body cut before is an
     * {@link io.llmrouter.api.exception.InvalidProviderResponseException}); every failure reaches
     * {@code sink.onError} as a typed exception.
     *
     * @param call the request and the deployment's settings
     * @param sink receives the chunks and the end
     * @return a handle whose {@code cancel()} stops the token wait or closes the HTTP call
     * @throws NullPointerException if {@code call} or {@code sink} is null
     */
    @Override
    public StreamHandle streamAsync(ProviderCall call, ChunkSink sink) {
        Objects.requireNonNull(call, "call");
        SinkGate gate = new SinkGate(Objects.requireNonNull(sink, "sink"));
        String model = call.providerModel();
        ErrorContext context = errors.context(call.deploymentId(), model);
        Target target;
        byte[] body;
        try {
            target = target(call.endpoint(), "chat/completions", !call.request().extraBody().isEmpty(), context);
            body = OpenAiRequestBody.bytes(call.request(), OpenAiRequestBody.STREAMED_WITHOUT_OPTIONS, errors,
                    context);
        } catch (LlmRouterException e) {
            gate.onError(e);
            return StreamHandle.NONE;
        }
        return calls.stream(target, body, call.endpoint(), call.timeout(), context, model, gate);
    }

    // ------------------------------------------------------------------------------ request side

    private Target target(Endpoint endpoint, String operation, boolean hasExtraBody, ErrorContext context) {
        HttpUrl base = calls.base(endpoint, List.of(API_BASE_ENV), environment, "your Foundry endpoint"
                + " (https://<resource>.services.ai.azure.com/models, or a serverless endpoint's URL)", context);
        List<String> segments = new ArrayList<>(base.pathSegments());
        segments.removeIf(String::isEmpty);
        String host = base.host().toLowerCase(Locale.ROOT);
        boolean resourceHost = KEY_HEADER_HOSTS.stream().anyMatch(host::endsWith);
        if (segments.isEmpty() && resourceHost) {
            segments.add("models");
        }
        boolean openAiStyle = !segments.isEmpty() && segments.get(segments.size() - 1).equals("v1");
        Optional<String> version = endpoint.options().get(API_VERSION);
        if (version.isPresent() && version.get().isBlank()) {
            throw errors.unsendable("option " + API_VERSION.name() + " is blank", context, null);
        }
        if (!openAiStyle) {
            version = version.or(() -> Optional.ofNullable(base.queryParameter("api-version")))
                    .or(() -> AzureCalls.env(environment, API_VERSION_ENV)).or(() -> Optional.of(DEFAULT_API_VERSION));
        }
        HttpUrl.Builder url = base.newBuilder().fragment(null).encodedPath("/");
        segments.forEach(url::addPathSegment);
        url.addPathSegments(operation);
        version.ifPresent(v -> url.setQueryParameter("api-version", v.strip()));

        Map<String, String> headers = endpoint.options().get(EXTRA_PARAMETERS)
                .or(() -> hasExtraBody ? Optional.of(DEFAULT_EXTRA_PARAMETERS) : Optional.empty())
                .map(v -> Map.of("extra-parameters", v)).orElse(Map.of());
        Optional<AzureTokenSupplier> tokens = endpoint.options().get(TOKEN_SUPPLIER);
        if (tokens.isPresent()) {
            return new Target(url.build(), null, tokens.get(), "Authorization", "Bearer ", headers);
        }
        // Like Azure OpenAI, Foundry has no base of its own: the deployment's endpoint is the vendor's base.
        Secret key = ApiKeys.resolve(endpoint, true, List.of(API_KEY_ENV), environment, false, errors, context)
                .orElse(null);
        if (key == null) {
            throw errors.credentialFailure("no credential: the deployment has no apiKey and no "
                    + TOKEN_SUPPLIER.name() + " option, and the environment variable " + API_KEY_ENV
                    + " is not set", context, null);
        }
        return resourceHost ? Target.withKey(url.build(), key, headers)
                : new Target(url.build(), key, null, "Authorization", "Bearer ", headers);
    }

    @Override
    public String toString() {
        return "AzureAiProvider[" + NAME + "]";
    }

    /**
     * Builds an {@link AzureAiProvider}. Not thread-safe; the built provider is immutable and
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
         * shared by every provider of this module.
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
        public AzureAiProvider build() {
            return new AzureAiProvider(this);
        }
    }
}
