package io.llmrouter.providers.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.rerank.RerankResponse;
import io.llmrouter.providers.bedrock.internal.BedrockEmbeddings;
import io.llmrouter.providers.bedrock.internal.BedrockErrorMapper;
import io.llmrouter.providers.bedrock.internal.BedrockImages;
import io.llmrouter.providers.bedrock.internal.BedrockRerank;
import io.llmrouter.providers.bedrock.internal.BoundedFanOut;
import io.llmrouter.providers.bedrock.internal.ConverseRequestBody;
import io.llmrouter.providers.bedrock.internal.ConverseResponseReader;
import io.llmrouter.providers.bedrock.internal.ConverseStreamReader;
import io.llmrouter.providers.bedrock.internal.EventStreamDecoder;
import io.llmrouter.providers.bedrock.internal.SigV4;
import io.llmrouter.providers.internal.AsyncHttpCall;
import io.llmrouter.providers.internal.BoundedBody;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.HttpUrls;
import io.llmrouter.providers.internal.JsonHttp;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.internal.SinkGate;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOption;
import io.llmrouter.spi.StreamHandle;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter for Amazon Bedrock: chat through the Converse API
 * ({@code POST {endpoint}/model/{modelId}/converse}) and ConverseStream
 * ({@code POST {endpoint}/model/{modelId}/converse-stream}, AWS event-stream framing), and
 * embeddings through InvokeModel ({@code POST {endpoint}/model/{modelId}/invoke}) with Titan and
 * Cohere bodies, image generation through InvokeModel (Titan Image Generator, Nova Canvas, Stability
 * SD3 and Stable Image, see {@link #generateImageAsync}), and rerank through the Rerank API of Agents for Amazon Bedrock
 * ({@code POST https://bedrock-agent-runtime.{region}.amazonaws.com/rerank}, see {@link #rerankAsync}). No AWS SDK: requests are signed with SigV4 (service {@value #SIGNING_NAME}) here.
 *
 * <p><b>Model id</b>: the route after {@code bedrock/}, e.g. {@code anthropic.claude-3-5-sonnet-20240620-v1:0},
 * an inference profile {@code us.anthropic.claude-3-5-sonnet-20240620-v1:0} or an ARN; it is sent
 * as one path segment ({@code :} as {@code %3A}, {@code /} as {@code %2F}).
 *
 * <p><b>Region</b>: the deployment's {@link #REGION} option, else {@value #REGION_ENV}, else
 * {@value #DEFAULT_REGION_ENV}; without one a call fails with a
 * {@link io.llmrouter.api.exception.BadRequestException} before any network traffic.
 *
 * <p><b>Endpoint</b>: the deployment's {@code apiBase} (a VPC endpoint, a proxy, a test server),
 * else {@link Builder#defaultEndpoint(String)}, else {@code https://bedrock-runtime.{region}.amazonaws.com}
 * ({@code .amazonaws.com.cn} for {@code cn-} regions). SigV4 always signs for the region.
 *
 * <p><b>Credentials</b>, first found wins:
 * <ol>
 * <li>the deployment's {@code apiKey}: a Bedrock API key, sent as {@code Authorization: Bearer};</li>
 * <li>the deployment's {@link #CREDENTIALS} option: SigV4 with those (or the supplier's) credentials;</li>
 * <li>{@value #BEARER_TOKEN_ENV}: a Bedrock API key, as Bearer;</li>
 * <li>{@value #ACCESS_KEY_ID_ENV} and {@value #SECRET_ACCESS_KEY_ENV} (plus {@value #SESSION_TOKEN_ENV}
 *     for temporary credentials): SigV4.</li>
 * </ol>
 * With none, a call fails with an {@link io.llmrouter.api.exception.AuthenticationException} before
 * any network traffic. Explicit deployment settings win over the environment, as in the AWS SDKs.
 * SigV4 signs {@code content-type}, {@code host}, {@code x-amz-date}, with a session token
 * {@code x-amz-security-token}, and the deployment's extra headers (except {@code user-agent},
 * {@code accept-encoding} and other hop-by-hop headers); an extra header cannot replace the
 * adapter's own {@code Authorization}, {@code Content-Type}, {@code Host} or {@code X-Amz-*}
 * headers. No {@code x-amz-content-sha256} is sent: Bedrock does not require it.
 *
 * <p><b>Mapping</b>: see {@code src-docs/providers/bedrock.md} (roles, content blocks, tools,
 * {@code inferenceConfig}, JSON schema output, {@code extraBody}, stop reasons, usage). Converse answers have no id: the
 * response id is Bedrock's {@code x-amzn-requestid}, else a generated {@code chatcmpl-<uuid>}; the
 * model is the model id; {@code created} is the time of the answer.
 *
 * <p><b>Errors</b>: classified by the {@code x-amzn-errortype} header (then the status); the
 * credentials never appear in a message, not even when the provider echoes them.
 *
 * <p><b>Streaming</b> ({@link #streamAsync}): the Converse body to {@code converse-stream}; the
 * binary event stream is decoded (both CRC32s checked) into text, tool-call fragments, a finish
 * chunk and a usage chunk. An exception message inside the 200 stream is a typed failure, as is a
 * stream that ends before {@code messageStop} (after it, without {@code metadata}, the answer is
 * whole and ends normally, without usage).
 *
 * <p>Instances are immutable and thread-safe; one serves every {@code bedrock/...} deployment. The
 * returned futures complete on an OkHttp dispatcher thread: attach heavy work with the
 * {@code ...Async(fn, executor)} methods. Stream sinks are called on the OkHttp thread that reads
 * the body.
 *
 * @since 0.1.0
 */
public final class BedrockProvider implements Provider {

    /** The provider name and route prefix: {@value}. */
    public static final String NAME = "bedrock";

    /** The SigV4 signing name of Bedrock Runtime: {@value} (not {@code bedrock-runtime}). */
    public static final String SIGNING_NAME = "bedrock";

    /** The environment variable giving the region: {@value}. */
    public static final String REGION_ENV = "AWS_REGION";

    /** The environment variable giving the region when {@value #REGION_ENV} is unset: {@value}. */
    public static final String DEFAULT_REGION_ENV = "AWS_DEFAULT_REGION";

    /** The environment variable holding a Bedrock API key: {@value}. */
    public static final String BEARER_TOKEN_ENV = "AWS_BEARER_TOKEN_BEDROCK";

    /** The environment variable holding the access key id: {@value}. */
    public static final String ACCESS_KEY_ID_ENV = "AWS_ACCESS_KEY_ID";

    /** The environment variable holding the secret access key: {@value}. */
    public static final String SECRET_ACCESS_KEY_ENV = "AWS_SECRET_ACCESS_KEY";

    /** The environment variable holding the session token of temporary credentials: {@value}. */
    public static final String SESSION_TOKEN_ENV = "AWS_SESSION_TOKEN";

    /** The {@code User-Agent} header sent with every call. */
    public static final String USER_AGENT = "llmrouter/0.1.0";

    /**
     * The most InvokeModel calls one embeddings request keeps in flight: {@value} (Titan embeds one
     * text per call, Cohere 96).
     */
    public static final int MAX_PARALLEL_EMBEDDING_CALLS = 8;

    /**
     * The AWS region of a deployment, e.g. {@code us-east-1}; default from {@value #REGION_ENV},
     * then {@value #DEFAULT_REGION_ENV}.
     */
    public static final ProviderOption<String> REGION = ProviderOption.of("bedrock.region", String.class);

    /**
     * The AWS credentials of a deployment, for SigV4: fixed {@link AwsCredentials} or an
     * {@link AwsCredentialsSupplier} asked on every call. Default: the environment (see the class
     * documentation for the order).
     */
    public static final ProviderOption<AwsCredentialsSupplier> CREDENTIALS = ProviderOption.of("bedrock.credentials",
            AwsCredentialsSupplier.class);

    private static final Logger log = LoggerFactory.getLogger(BedrockProvider.class);
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final String CONTENT_TYPE = "application/json";
    private static final String ACCEPT_JSON = "application/json";
    private static final String ACCEPT_EVENT_STREAM = "application/vnd.amazon.eventstream";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REGION_PATTERN = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** InvokeModel answers carry their input tokens here (Titan and Cohere alike). */
    private static final String INPUT_TOKENS_HEADER = "x-amzn-bedrock-input-token-count";
    /**
     * Deployment headers left out of the signature: the ones this adapter sets itself (its values
     * win) and the ones HTTP clients and proxies add or rewrite.
     */
    private static final Set<String> UNSIGNED_HEADERS = Set.of("authorization", "content-type", "host", "x-amz-date",
            "x-amz-security-token", "content-length", "connection", "expect", "transfer-encoding", "accept-encoding",
            "user-agent", "x-amzn-trace-id");

    private final JsonHttp http;
    private final OkHttpClient client;
    private final String defaultEndpoint;
    private final Function<String, String> environment;
    private final Clock clock;
    private final BedrockErrorMapper errors = new BedrockErrorMapper(NAME);

    private BedrockProvider(Builder b) {
        this.http = new JsonHttp(b.httpClient, errors, b.clock, log);
        this.client = http.client();
        this.defaultEndpoint = b.defaultEndpoint;
        this.environment = b.environment;
        this.clock = b.clock;
    }

    /**
     * A provider with the default settings: the shared default OkHttp client and the regional
     * Bedrock Runtime endpoints.
     *
     * @return the provider
     */
    public static BedrockProvider create() {
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

    /** Always {@value #NAME}. */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * Sends the chat call to Converse without blocking. The future completes on an OkHttp thread
     * with the response, or exceptionally with the typed {@link LlmRouterException}; cancelling it
     * cancels the HTTP call. A missing region or unsupported request fails it with a
     * {@link io.llmrouter.api.exception.BadRequestException}, missing credentials with an
     * {@link io.llmrouter.api.exception.AuthenticationException}, both before any network call.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        String modelId = call.providerModel();
        ErrorContext context = errors.context(call.deploymentId(), modelId);
        Target target;
        Request request;
        try {
            target = target(call.endpoint(), modelId, "converse", context);
            request = request(target, converseBody(call, context), call.endpoint(), clock.instant(), context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(request, call.timeout(), call.endpoint().maxResponseBytes(), context,
                exchange -> chatAnswer(exchange, modelId, context, target.secrets()));
    }

    /**
     * Streams the chat call through ConverseStream ({@code POST .../model/{modelId}/converse-stream},
     * the Converse body, signed the same way, {@code Accept: application/vnd.amazon.eventstream}).
     * The answer, an AWS binary event stream, becomes chunks: text, tool-call fragments (index = the
     * call's position among the message's tool calls), a finish chunk at {@code messageStop}, then
     * a usage chunk at {@code metadata}, the terminal event, after which {@code onComplete}. Every
     * chunk carries a generated id {@code chatcmpl-<uuid>} (Converse has no id) and the model id.
     * An exception message inside the 200 stream fails the sink with its typed exception
     * ({@code throttlingException} → a retryable
     * {@link io.llmrouter.api.exception.RateLimitException}); a corrupted frame (length or CRC), and
     * a stream that ends before {@code messageStop}, with an
     * {@link io.llmrouter.api.exception.InvalidProviderResponseException} (one that ends after
     * {@code messageStop} without {@code metadata} completes, without usage). A non-2xx answer fails
     * as in {@link #completeAsync}; timeouts and connection failures as
     * {@link io.llmrouter.api.exception.RequestTimeoutException} and
     * {@link io.llmrouter.api.exception.ProviderConnectionException}. Settings and request
     * problems fail the sink at once, without network traffic, and return {@link StreamHandle#NONE}.
     *
     * <p>The sink is called on the OkHttp thread that reads the body (it may block for
     * backpressure); it hears at most one terminal event, and nothing after the handle's
     * {@code cancel()}, which also closes the connection.
     *
     * @param call the request and the deployment's settings
     * @param sink receives the chunks and the terminal event
     * @return a handle that cancels the stream
     * @throws NullPointerException if {@code call} or {@code sink} is null
     */
    @Override
    public StreamHandle streamAsync(ProviderCall call, ChunkSink sink) {
        Objects.requireNonNull(call, "call");
        SinkGate guarded = new SinkGate(Objects.requireNonNull(sink, "sink"));
        String modelId = call.providerModel();
        ErrorContext context = errors.context(call.deploymentId(), modelId);
        Target target;
        Request request;
        try {
            target = target(call.endpoint(), modelId, "converse-stream", context);
            request = request(target, converseBody(call, context), call.endpoint(), clock.instant(), context,
                    ACCEPT_EVENT_STREAM);
        } catch (LlmRouterException e) {
            guarded.onError(e);
            return StreamHandle.NONE;
        }
        String id = "chatcmpl-" + UUID.randomUUID();
        List<Secret> secrets = target.secrets();
        StreamHandle handle = AsyncHttpCall.stream(client, request, call.timeout(), call.endpoint().maxResponseBytes(),
                (body, headers) -> readStream(body, guarded, id, modelId,
                        errors.streamContext(context, headers, secrets.isEmpty() ? null : secrets.get(0)), secrets,
                        call.endpoint()),
                exchange -> guarded.onError(streamRefused(exchange, context, secrets)),
                e -> guarded.onError(errors.transportFailure(e, context)));
        return () -> {
            guarded.cancel();
            handle.cancel();
        };
    }

    /**
     * Embeds the call's inputs without blocking, through InvokeModel with the model family's body:
     * Titan ({@code amazon.titan-embed-*}, one call per input) or Cohere ({@code cohere.embed-*},
     * one call per 96 inputs), at most
     * {@value #MAX_PARALLEL_EMBEDDING_CALLS} calls in flight, each with the deployment's timeout.
     * The first failed call fails the future and cancels the others. Other model families fail
     * with a {@link io.llmrouter.api.exception.BadRequestException} before any network call, as does
     * a request without inputs. Usage:
     * the input tokens of every call (Titan's {@code inputTextTokenCount}, else the
     * {@code x-amzn-bedrock-input-token-count} header), absent when a call reports none.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<EmbeddingResponse> embedAsync(EmbeddingCall call) {
        Objects.requireNonNull(call, "call");
        Endpoint endpoint = call.endpoint();
        String modelId = call.providerModel();
        ErrorContext context = errors.context(endpoint.deploymentId(), modelId);
        BedrockEmbeddings.Family family;
        Target target;
        List<Request> requests = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        try {
            family = BedrockEmbeddings.family(modelId).orElseThrow(() -> errors.unsendable("model '" + modelId
                    + "' is not a supported embedding model: use amazon.titan-embed-* or cohere.embed-*", context,
                    null));
            if (call.request().inputs().isEmpty()) {
                throw errors.unsendable("no inputs to embed", context, null);
            }
            target = target(endpoint, modelId, "invoke", context);
            Instant now = clock.instant();
            for (List<String> batch : BedrockEmbeddings.batches(family, call.request().inputs())) {
                requests.add(request(target, BedrockEmbeddings.body(family, batch, call.request()), endpoint, now,
                        context));
                sizes.add(batch.size());
            }
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<Supplier<CompletableFuture<BatchAnswer>>> calls = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            int size = sizes.get(i);
            calls.add(() -> AsyncHttpCall.enqueue(client, request, endpoint.timeout(), endpoint.maxResponseBytes(),
                    exchange -> batchAnswer(exchange, family, size, context, target.secrets()),
                    e -> errors.transportFailure(e, context)));
        }
        return BoundedFanOut.run(calls, MAX_PARALLEL_EMBEDDING_CALLS)
                .thenApply(answers -> embeddingResponse(modelId, answers));
    }

    /**
     * Generates images without blocking through InvokeModel ({@code POST {endpoint}/model/{modelId}/invoke}),
     * with the model family's body: Amazon Titan Image Generator and Nova Canvas
     * ({@code taskType: TEXT_IMAGE}, {@code textToImageParams.text}, {@code imageGenerationConfig}
     * with {@code numberOfImages} = n (default 1), {@code width}/{@code height} from the size,
     * {@code quality} {@code standard} or {@code premium} for {@code hd}), or Stability AI SD3 and
     * Stable Image ({@code prompt}, {@code mode: text-to-image}, {@code aspect_ratio} from the size;
     * one image per call). The answer's {@code images[]} become base64 images; a filtered answer
     * (Titan's {@code error}, Stability's {@code finish_reasons}) is a
     * {@link io.llmrouter.api.exception.ContentPolicyViolationException}. Other model families, a
     * request for URLs, an unknown quality, and for Stability n &gt; 1 or a size that is not one of
     * its aspect ratios fail with a {@link io.llmrouter.api.exception.BadRequestException} before
     * any network call. Signed, authenticated and mapped like {@link #completeAsync}.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ImageResponse> generateImageAsync(EndpointCall<ImageRequest> call) {
        Objects.requireNonNull(call, "call");
        Endpoint endpoint = call.endpoint();
        String modelId = call.providerModel();
        ErrorContext context = errors.context(endpoint.deploymentId(), modelId);
        Target target;
        Request request;
        try {
            BedrockImages.Family family = BedrockImages.family(modelId).orElseThrow(() -> errors.unsendable("model '"
                    + modelId + "' is not a supported image model: use amazon.titan-image-generator-*,"
                    + " amazon.nova-canvas-*, stability.sd3-* or stability.stable-image-*", context, null));
            ObjectNode body;
            try {
                body = BedrockImages.body(family, call.request());
            } catch (BedrockImages.UnsupportedImageRequestException e) {
                throw errors.unsendable(e.getMessage(), context, e);
            }
            target = target(endpoint, modelId, "invoke", context);
            request = request(target, body, endpoint, clock.instant(), context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(request, endpoint.timeout(), endpoint.maxResponseBytes(), context, exchange -> {
            JsonNode tree = successBody(exchange, context, target.secrets());
            try {
                return BedrockImages.read(tree, modelId, clock.instant().getEpochSecond(), NAME, context);
            } catch (RuntimeException e) {
                throw malformed(e, exchange, context, target.secrets());
            }
        });
    }

    /**
     * Ranks the documents without blocking through the Rerank API of Agents for Amazon Bedrock:
     * {@code POST {endpoint}/rerank}, where the endpoint is the deployment's {@code apiBase}, else
     * {@link Builder#defaultEndpoint(String)}, else {@code https://bedrock-agent-runtime.{region}.amazonaws.com};
     * signed like {@link #completeAsync} (SigV4 service {@value #SIGNING_NAME}). The body holds one
     * {@code TEXT} query, the documents as {@code INLINE} {@code TEXT} sources and a
     * {@code BEDROCK_RERANKING_MODEL} configuration with {@code numberOfResults} (top N, else every
     * document) and the model ARN {@code arn:aws:bedrock:{region}::foundation-model/{modelId}} (a
     * model id that is an ARN is sent as is). The answer's {@code results[].index/relevanceScore}
     * (and {@code document.textDocument.text} when documents are asked for, else the request's
     * text) are read; the id is the {@code x-amzn-requestid} header. Search units: one query per
     * {@value io.llmrouter.providers.bedrock.internal.BedrockRerank#DOCUMENTS_PER_QUERY} documents,
     * as Bedrock bills. More than {@value io.llmrouter.providers.bedrock.internal.BedrockRerank#MAX_DOCUMENTS}
     * documents, or a missing region, fail with a
     * {@link io.llmrouter.api.exception.BadRequestException}, missing credentials with an
     * {@link io.llmrouter.api.exception.AuthenticationException}, all before any network call. A
     * {@code nextToken} in the answer (more results than fit) is not followed: the results of the
     * first page are returned.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<RerankResponse> rerankAsync(EndpointCall<RerankRequest> call) {
        Objects.requireNonNull(call, "call");
        Endpoint endpoint = call.endpoint();
        String modelId = call.providerModel();
        ErrorContext context = errors.context(endpoint.deploymentId(), modelId);
        Target target;
        Request request;
        try {
            if (call.request().documents().size() > BedrockRerank.MAX_DOCUMENTS) {
                throw errors.unsendable("Bedrock reranks at most " + BedrockRerank.MAX_DOCUMENTS + " documents per"
                        + " call, the request has " + call.request().documents().size(), context, null);
            }
            target = target(endpoint, modelId, "bedrock-agent-runtime", "/rerank", context);
            request = request(target, BedrockRerank.body(call.request(), BedrockRerank.modelArn(modelId,
                    target.region())), endpoint, clock.instant(), context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(request, endpoint.timeout(), endpoint.maxResponseBytes(), context, exchange -> {
            JsonNode tree = successBody(exchange, context, target.secrets());
            try {
                return BedrockRerank.read(tree, call.request(), responseId(exchange, target.secrets(), "rerank-"));
            } catch (RuntimeException e) {
                throw malformed(e, exchange, context, target.secrets());
            }
        });
    }

    // ------------------------------------------------------------------------------ request side

    /** How a call authenticates. */
    private sealed interface Auth permits BearerAuth, SigV4Auth {
    }

    /** A Bedrock API key, revealed. */
    private record BearerAuth(String token) implements Auth {
        @Override
        public String toString() {
            return "BearerAuth[****]";
        }
    }

    /** SigV4 credentials, revealed; {@code sessionToken} may be null. */
    private record SigV4Auth(String accessKeyId, String secretAccessKey, String sessionToken) implements Auth {
        @Override
        public String toString() {
            return "SigV4Auth[" + accessKeyId + "]";
        }
    }

    /** Where a call goes and how it authenticates; {@code secrets}: what to redact from answers. */
    private record Target(HttpUrl url, String region, Auth auth, List<Secret> secrets) {
    }

    private Target target(Endpoint endpoint, String modelId, String operation, ErrorContext context) {
        return target(endpoint, modelId, "bedrock-runtime", "/model/" + SigV4.encodeLabel(modelId) + "/" + operation,
                context);
    }

    /** {@code service}: the first label of the regional host ({@code bedrock-runtime}, {@code bedrock-agent-runtime}). */
    private Target target(Endpoint endpoint, String modelId, String service, String path, ErrorContext context) {
        if (modelId.isBlank()) {
            throw errors.unsendable("the route has no model id after 'bedrock/'", context, null);
        }
        String region = region(endpoint, context);
        List<Secret> secrets = new ArrayList<>();
        Auth auth = auth(endpoint, context, secrets);
        String base = endpoint.apiBase().orElse(defaultEndpoint);
        if (base == null) {
            base = "https://" + service + "." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "");
        }
        base = HttpUrls.withoutTrailingSlash(base);
        HttpUrl url = HttpUrls.parse(HttpUrls.appendPath(base, path));
        if (url == null) {
            throw errors.unsendable("apiBase is not an http(s) URL: '" + base + "'", context, null);
        }
        return new Target(url, region, auth, List.copyOf(secrets));
    }

    private String region(Endpoint endpoint, ErrorContext context) {
        String region = endpoint.options().get(REGION)
                .or(() -> env(REGION_ENV))
                .or(() -> env(DEFAULT_REGION_ENV))
                .map(String::strip)
                .orElseThrow(() -> errors.unsendable("no AWS region: set the deployment option "
                        + REGION.name() + " (BedrockProvider.REGION) or the environment variable " + REGION_ENV
                        + " or " + DEFAULT_REGION_ENV, context, null));
        if (!REGION_PATTERN.matcher(region).matches()) {
            throw errors.unsendable("invalid AWS region '" + region + "'", context, null);
        }
        return region;
    }

    private Auth auth(Endpoint endpoint, ErrorContext context, List<Secret> secrets) {
        Optional<Secret> apiKey = endpoint.apiKey();
        if (apiKey.isPresent()) {
            secrets.add(apiKey.get());
            return new BearerAuth(reveal(apiKey.get(), "the deployment's apiKey", context));
        }
        Optional<AwsCredentialsSupplier> supplier = endpoint.options().get(CREDENTIALS);
        if (supplier.isPresent()) {
            AwsCredentials credentials;
            try {
                credentials = supplier.get().credentials();
            } catch (RuntimeException e) {
                throw errors.missingCredentials("the " + CREDENTIALS.name() + " supplier failed ("
                        + e.getClass().getSimpleName() + ")", context, e);
            }
            if (credentials == null) {
                throw errors.missingCredentials("the " + CREDENTIALS.name() + " supplier returned none", context,
                        null);
            }
            return sigV4(credentials, "the " + CREDENTIALS.name() + " option", context, secrets);
        }
        Secret bearer = Secret.fromEnv(BEARER_TOKEN_ENV, environment);
        if (bearer.isAvailable()) {
            secrets.add(bearer);
            return new BearerAuth(reveal(bearer, BEARER_TOKEN_ENV, context));
        }
        Optional<String> accessKeyId = env(ACCESS_KEY_ID_ENV);
        Secret secretKey = Secret.fromEnv(SECRET_ACCESS_KEY_ENV, environment);
        if (accessKeyId.isPresent() && secretKey.isAvailable()) {
            Secret token = Secret.fromEnv(SESSION_TOKEN_ENV, environment);
            AwsCredentials credentials = token.isAvailable()
                    ? AwsCredentials.of(accessKeyId.get(), secretKey, token)
                    : AwsCredentials.of(accessKeyId.get(), secretKey);
            return sigV4(credentials, "the environment", context, secrets);
        }
        String problem = accessKeyId.isPresent() ? ACCESS_KEY_ID_ENV + " is set but " + SECRET_ACCESS_KEY_ENV
                + " is not"
                : "the deployment has no apiKey and no " + CREDENTIALS.name() + " option, and none of the environment"
                        + " variables " + BEARER_TOKEN_ENV + " or " + ACCESS_KEY_ID_ENV + " + " + SECRET_ACCESS_KEY_ENV
                        + " is set";
        throw errors.missingCredentials(problem, context, null);
    }

    private SigV4Auth sigV4(AwsCredentials credentials, String source, ErrorContext context, List<Secret> secrets) {
        secrets.add(credentials.secretAccessKey());
        credentials.sessionToken().ifPresent(secrets::add);
        String secret = reveal(credentials.secretAccessKey(), "the secret access key from " + source, context);
        String token = credentials.sessionToken().map(t -> reveal(t, "the session token from " + source, context))
                .orElse(null);
        return new SigV4Auth(credentials.accessKeyId(), secret, token);
    }

    private String reveal(Secret secret, String what, ErrorContext context) {
        try {
            return secret.reveal();
        } catch (IllegalStateException e) {
            String why = secret.environmentVariable().map(v -> "environment variable " + v + " is not set")
                    .orElse("it is not available");
            throw errors.missingCredentials(what + ": " + why, context, e);
        }
    }

    private Optional<String> env(String name) {
        return Optional.ofNullable(environment.apply(name)).filter(v -> !v.isBlank());
    }

    private Request request(Target target, ObjectNode json, Endpoint endpoint, Instant now, ErrorContext context) {
        return request(target, json, endpoint, now, context, ACCEPT_JSON);
    }

    private Request request(Target target, ObjectNode json, Endpoint endpoint, Instant now, ErrorContext context,
            String accept) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(json);
            if (log.isTraceEnabled()) {
                log.trace("{} request body: {}", endpoint.deploymentId(), Redaction.shorten(
                        BedrockErrorMapper.redact(JSON.writeValueAsString(json), target.secrets()), JsonHttp.MAX_TRACE_BODY));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw errors.unsendable("the request cannot be written as JSON", context, e);
        }
        Request.Builder b = new Request.Builder().url(target.url()).post(RequestBody.create(body, JSON_TYPE))
                .header("Accept", accept).header("User-Agent", USER_AGENT);
        List<Map.Entry<String, String>> signed = new ArrayList<>();
        for (Map.Entry<String, String> h : endpoint.headers().entrySet()) {
            header(b, h.getKey(), h.getValue(), context);
            String name = h.getKey().strip().toLowerCase(Locale.ROOT);
            if (!UNSIGNED_HEADERS.contains(name)) {
                signed.add(Map.entry(name, h.getValue()));
            }
        }
        if (target.auth() instanceof BearerAuth bearer) {
            header(b, "Authorization", "Bearer " + bearer.token(), "the API key contains characters not allowed"
                    + " in an HTTP header", context);
            return b.build();
        }
        SigV4Auth sig = (SigV4Auth) target.auth();
        String host = hostHeader(target.url());
        String amzDate = SigV4.amzDate(now);
        signed.add(Map.entry("content-type", CONTENT_TYPE));
        signed.add(Map.entry("host", host));
        signed.add(Map.entry("x-amz-date", amzDate));
        if (sig.sessionToken() != null) {
            signed.add(Map.entry("x-amz-security-token", sig.sessionToken()));
        }
        String query = target.url().encodedQuery();
        SigV4.Signature signature = SigV4.sign(
                new SigV4.Request("POST", target.url().encodedPath(), query == null ? "" : query, signed, body),
                new SigV4.Signer(sig.accessKeyId(), sig.secretAccessKey(), target.region(), SIGNING_NAME), now);
        b.header("Host", host).header("X-Amz-Date", amzDate);
        if (sig.sessionToken() != null) {
            header(b, "X-Amz-Security-Token", sig.sessionToken(), "the session token contains characters not allowed"
                    + " in an HTTP header", context);
        }
        header(b, "Authorization", signature.authorization(), "the access key id contains characters not allowed"
                + " in an HTTP header", context);
        return b.build();
    }

    private ObjectNode converseBody(ProviderCall call, ErrorContext context) {
        try {
            return ConverseRequestBody.write(call.request());
        } catch (ConverseRequestBody.UnsupportedRequestException e) {
            throw errors.unsendable(e.getMessage(), context, e);
        }
    }

    /** The {@code Host} header OkHttp would send: host, with the port when it is not the scheme's default. */
    private static String hostHeader(HttpUrl url) {
        String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
        return url.port() == HttpUrl.defaultPort(url.scheme()) ? host : host + ":" + url.port();
    }

    private void header(Request.Builder b, String name, String value, ErrorContext context) {
        header(b, name, value, "invalid header '" + name + "'", context);
    }

    private void header(Request.Builder b, String name, String value, String problem, ErrorContext context) {
        try {
            b.header(name, value);
        } catch (IllegalArgumentException e) {
            // OkHttp's message would quote the value; say what is wrong without it.
            throw errors.unsendable(problem, context, null);
        }
    }

    // ------------------------------------------------------------------------------ answer side

    private ChatResponse chatAnswer(HttpExchange exchange, String modelId, ErrorContext context,
            List<Secret> secrets) {
        JsonNode tree = successBody(exchange, context, secrets);
        String id = responseId(exchange, secrets, "chatcmpl-");
        try {
            return ConverseResponseReader.read(tree, id, modelId, clock.instant().getEpochSecond());
        } catch (RuntimeException e) {
            throw malformed(e, exchange, context, secrets);
        }
    }

    /** Bedrock's request id header, else {@code prefix} and a random UUID. */
    private static String responseId(HttpExchange exchange, List<Secret> secrets, String prefix) {
        return exchange.header(BedrockErrorMapper.REQUEST_ID_HEADER).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> BedrockErrorMapper.redact(s, secrets)).orElseGet(() -> prefix + UUID.randomUUID());
    }

    private void readStream(ResponseBody body, SinkGate sink, String id, String modelId, ErrorContext context,
            List<Secret> secrets, Endpoint endpoint) throws IOException {
        MediaType type = body.contentType();
        String subtype = type == null ? "" : type.subtype().toLowerCase(Locale.ROOT);
        if (type != null && (subtype.equals("json") || subtype.equals("html") || type.type().equals("text"))) {
            // a proxy's page or an error body with a 200: not an event stream
            String text;
            try {
                text = BoundedBody.text(body, endpoint.maxResponseBytes());
            } catch (IOException e) {
                sink.onError(errors.transportFailure(e, context));
                return;
            }
            if (log.isTraceEnabled()) {
                log.trace("{} stream answered with {}: {}", context.deploymentId().orElse(""), type,
                        Redaction.shorten(BedrockErrorMapper.redact(text, secrets), JsonHttp.MAX_TRACE_BODY));
            }
            sink.onError(errors.invalidStream("expected an AWS event stream (" + ACCEPT_EVENT_STREAM
                    + "), the provider sent " + type, text, context, secrets, null));
            return;
        }
        EventStreamDecoder decoder = new EventStreamDecoder(body.source(),
                problem -> errors.invalidStream(problem, null, context, secrets, null), endpoint.maxStreamEventBytes());
        try {
            new ConverseStreamReader(sink, id, modelId, context, errors, secrets).read(decoder);
        } catch (IOException e) {
            // Reported here, not left to AsyncHttpCall: OkHttp marks a call that hit its timeout as
            // cancelled, and AsyncHttpCall.stream drops failures of cancelled calls. A cancel by our
            // own handle has already closed the sink, which then ignores this.
            sink.onError(errors.transportFailure(e, context));
        } catch (RuntimeException e) {
            // a sink that threw, or a reader bug: still a typed, terminal failure for the sink
            sink.onError(errors.invalidStream("the stream could not be processed: " + e, null, context, secrets, e));
        }
    }

    /** The exception for a stream call answered without a stream: a non-2xx answer, or a 2xx without a body. */
    private LlmRouterException streamRefused(HttpExchange exchange, ErrorContext context, List<Secret> secrets) {
        if (log.isTraceEnabled()) {
            log.trace("response body (HTTP {}): {}", exchange.status(),
                    Redaction.shorten(BedrockErrorMapper.redact(exchange.body(), secrets), JsonHttp.MAX_TRACE_BODY));
        }
        if (exchange.isSuccessful()) {
            return errors.invalidResponse("empty body", exchange, context, secrets, null);
        }
        return errors.httpError(exchange, context, secrets, clock.instant());
    }

    /** The vectors of one InvokeModel answer and the input tokens it reports, when it does. */
    private record BatchAnswer(List<float[]> vectors, Optional<Integer> inputTokens) {
    }

    private BatchAnswer batchAnswer(HttpExchange exchange, BedrockEmbeddings.Family family, int size,
            ErrorContext context, List<Secret> secrets) {
        JsonNode tree = successBody(exchange, context, secrets);
        try {
            List<float[]> vectors = BedrockEmbeddings.vectors(family, tree, size);
            Optional<Integer> tokens = BedrockEmbeddings.inputTokens(family, tree)
                    .or(() -> exchange.header(INPUT_TOKENS_HEADER).flatMap(BedrockProvider::nonNegativeInt));
            return new BatchAnswer(vectors, tokens);
        } catch (RuntimeException e) {
            throw malformed(e, exchange, context, secrets);
        }
    }

    private static EmbeddingResponse embeddingResponse(String modelId, List<BatchAnswer> answers) {
        EmbeddingResponse.Builder b = EmbeddingResponse.builder().model(modelId);
        int index = 0;
        int tokens = 0;
        boolean counted = true;
        for (BatchAnswer answer : answers) {
            for (float[] vector : answer.vectors()) {
                b.addEmbedding(Embedding.of(index++, vector));
            }
            if (answer.inputTokens().isPresent()) {
                tokens += answer.inputTokens().get();
            } else {
                counted = false;
            }
        }
        if (counted) {
            b.usage(Usage.of(tokens, 0));
        }
        return b.build();
    }

    private static Optional<Integer> nonNegativeInt(String value) {
        try {
            int n = Integer.parseInt(value.strip());
            return n >= 0 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The parsed body of a 2xx answer; every other answer becomes its typed exception. */
    private JsonNode successBody(HttpExchange exchange, ErrorContext context, List<Secret> secrets) {
        if (log.isTraceEnabled()) {
            log.trace("response body (HTTP {}): {}", exchange.status(),
                    Redaction.shorten(BedrockErrorMapper.redact(exchange.body(), secrets), JsonHttp.MAX_TRACE_BODY));
        }
        if (!exchange.isSuccessful()) {
            throw errors.httpError(exchange, context, secrets, clock.instant());
        }
        if (exchange.isBodyBlank()) {
            throw errors.invalidResponse("empty body", exchange, context, secrets, null);
        }
        if (exchange.isHtml()) {
            throw errors.invalidResponse("the provider returned an HTML page, not JSON", exchange, context, secrets,
                    null);
        }
        try {
            return JSON.readTree(exchange.body());
        } catch (JsonProcessingException e) {
            throw errors.invalidResponse("malformed JSON: " + e.getOriginalMessage(), exchange, context, secrets, e);
        }
    }

    private LlmRouterException malformed(RuntimeException e, HttpExchange exchange, ErrorContext context,
            List<Secret> secrets) {
        if (e instanceof LlmRouterException typed) {
            return typed;
        }
        String problem = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return errors.invalidResponse(problem, exchange, context, secrets, e);
    }

    @Override
    public String toString() {
        return "BedrockProvider[defaultEndpoint=" + (defaultEndpoint == null ? "regional" : defaultEndpoint) + "]";
    }

    /**
     * Builds a {@link BedrockProvider}. Not thread-safe; the built provider is immutable and
     * thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private OkHttpClient httpClient;
        private String defaultEndpoint;
        private Function<String, String> environment = System::getenv;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The OkHttp client to send with, e.g. one with a proxy, custom TLS or interceptors.
         * Default: the client shared by every provider of this module (connect timeout 10 s, no
         * read/write timeout, 256 concurrent calls per host). An interceptor must not change the
         * signed headers ({@code Content-Type}, {@code Host}, {@code X-Amz-Date},
         * {@code X-Amz-Security-Token}) or the body, or Bedrock rejects the signature.
         *
         * @param httpClient the client
         * @return this builder
         */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * The endpoint for deployments that set no {@code apiBase}, replacing the regional
         * {@code https://bedrock-runtime.{region}.amazonaws.com} (e.g. a VPC endpoint shared by
         * every deployment, or a test server). Requests are still signed for the deployment's region.
         *
         * @param defaultEndpoint an absolute http(s) URL
         * @return this builder
         * @throws IllegalArgumentException if it is not an absolute http(s) URL
         */
        public Builder defaultEndpoint(String defaultEndpoint) {
            this.defaultEndpoint = HttpUrls.checkedBase(defaultEndpoint, "defaultEndpoint");
            return this;
        }

        /** Where region and credential variables are read from (tests); default {@link System#getenv(String)}. */
        Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** The clock for signing times and {@code created} (tests); default UTC system clock. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The provider.
         *
         * @return a new provider
         */
        public BedrockProvider build() {
            return new BedrockProvider(this);
        }
    }
}
