package io.llmrouter.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.audio.SpeechRequest;
import io.llmrouter.api.audio.SpeechResponse;
import io.llmrouter.api.audio.TranscriptionFormat;
import io.llmrouter.api.audio.TranscriptionRequest;
import io.llmrouter.api.audio.TranscriptionResponse;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.completion.TextCompletionResponse;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import io.llmrouter.api.internal.OpenAiJsonCodec.FastResponse;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.api.json.OpenAiJson;
import io.llmrouter.api.moderation.ModerationRequest;
import io.llmrouter.api.moderation.ModerationResponse;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.rerank.RerankResponse;
import io.llmrouter.api.responses.ResponsesRequest;
import io.llmrouter.api.responses.ResponsesResponse;
import io.llmrouter.providers.internal.ApiKeys;
import io.llmrouter.providers.internal.AsyncHttpCall;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.HttpUrls;
import io.llmrouter.providers.internal.PullHttpStream;
import io.llmrouter.providers.internal.JsonHttp;
import io.llmrouter.providers.internal.RerankCodec;
import io.llmrouter.providers.internal.SinkGate;
import io.llmrouter.providers.openai.internal.OpenAiEndpointCodec;
import io.llmrouter.providers.openai.internal.OpenAiErrorMapper;
import io.llmrouter.providers.openai.internal.OpenAiRequestBody;
import io.llmrouter.providers.openai.internal.OpenAiStreamReader;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter for OpenAI's Chat Completions ({@code POST {apiBase}/chat/completions}), streaming or
 * not, Embeddings ({@code POST {apiBase}/embeddings}), legacy Completions ({@code /completions})
 * and Moderations ({@code /moderations}) APIs, for OpenAI itself and for
 * every OpenAI-compatible vendor declared as an {@link OpenAiCompatibleVendor} (Groq, Mistral,
 * DeepSeek, OpenRouter, Ollama, vLLM, ...). One instance serves one vendor.
 *
 * <p><b>Base URL</b>, per call: the deployment's {@code apiBase}; else the vendor's
 * {@linkplain OpenAiCompatibleVendor#apiBaseEnv() base variable} when set; else
 * {@link Builder#defaultApiBase(String)}, which defaults to the vendor's
 * {@linkplain OpenAiCompatibleVendor#defaultApiBase() default base}. A vendor with none (vLLM,
 * {@code openai_compatible}) fails the call with a
 * {@link io.llmrouter.api.exception.BadRequestException} before any network traffic.
 *
 * <p><b>Key</b>: the deployment's; when it has none, calls to the vendor's own base (and any call
 * of a vendor without a default base) read the vendor's {@linkplain OpenAiCompatibleVendor#apiKeyEnvs()
 * key variables}, and a vendor that {@linkplain OpenAiCompatibleVendor#isApiKeyRequired() requires}
 * one fails with an {@link io.llmrouter.api.exception.AuthenticationException} naming them, before
 * any network traffic. A deployment {@code apiBase} elsewhere (a proxy, a local server) never
 * receives a key from the environment, only the deployment's own; without one, no
 * {@code Authorization} header is sent.
 *
 * <p><b>Body</b>: {@link OpenAiJson#requestToJson} without {@code stream} and {@code stream_options}
 * ({@link #streamAsync} sends both), then the vendor's quirks: {@code developer} as {@code system}, the seed field's name and dropped
 * fields always; the {@linkplain OpenAiCompatibleVendor#tokenLimitField() token limit field} only
 * on the vendor's own base (a deployment {@code apiBase} elsewhere gets both limits as given).
 * Headers: {@code Authorization: Bearer}, the deployment's {@link #ORGANIZATION},
 * {@link #PROJECT}, {@link #OPENROUTER_REFERER} and {@link #OPENROUTER_TITLE} options as headers,
 * then the deployment's extra headers (which win).
 *
 * <p><b>Answers</b>: as {@link OpenAiJson#readResponse} reads them (a common answer is read straight
 * from the body's bytes with a streaming parser, any other from its tree, with the same result), which
 * keeps fields it does not model in
 * {@code extraFields()} (DeepSeek's {@code message.reasoning_content}, OpenRouter's
 * {@code message.reasoning}, Groq's {@code x_groq}, {@code choices[].logprobs} in
 * {@link io.llmrouter.api.chat.Choice#logprobs()}); cached tokens also from the vendor's
 * {@linkplain OpenAiCompatibleVendor#cachedTokensFields() own fields}. HTTP errors, timeouts,
 * connection failures and malformed answers come back as the typed {@link LlmRouterException}
 * subtypes; the API key never appears in a message, not even when the provider echoes it.
 *
 * <p><b>Streams</b> ({@link #streamAsync}): server-sent {@code chat.completion.chunk}s become
 * {@link io.llmrouter.api.chat.ChatChunk}s; one end-of-stream rule for every vendor: the stream
 * is complete at {@code data: [DONE]}, or when the body ends after every choice has sent its
 * {@code finish_reason}; a body that ends before is cut; errors inside the stream are typed
 * exceptions, never a normal end.
 *
 * <p>Instances are immutable and thread-safe; one serves every deployment of its vendor's route
 * prefix. The returned futures complete on an OkHttp dispatcher thread: attach heavy work with the
 * {@code ...Async(fn, executor)} methods.
 *
 * @since 0.1.0
 */
public final class OpenAiProvider implements Provider {

    /** The provider name and route prefix of OpenAI itself. */
    public static final String NAME = "openai";

    /** OpenAI's API base URL, used when a deployment sets no {@code apiBase}. */
    public static final String DEFAULT_API_BASE = "https://api.openai.com/v1";

    /** The environment variable holding the key for calls to OpenAI's default base URL. */
    public static final String API_KEY_ENV = "OPENAI_API_KEY";

    /** The {@code User-Agent} header sent with every call. */
    public static final String USER_AGENT = "llmrouter/0.1.0";

    /**
     * The OpenAI organization, sent as {@code OpenAI-Organization}. Set it with
     * {@code Deployment.builder(..).option(OpenAiProvider.ORGANIZATION, "org-...")}.
     */
    public static final ProviderOption<String> ORGANIZATION = ProviderOption.of("openai.organization", String.class);

    /** The OpenAI project, sent as {@code OpenAI-Project}. */
    public static final ProviderOption<String> PROJECT = ProviderOption.of("openai.project", String.class);

    /** OpenRouter's app attribution URL, sent as {@code HTTP-Referer}. */
    public static final ProviderOption<String> OPENROUTER_REFERER = ProviderOption.of("openrouter.http_referer",
            String.class);

    /** OpenRouter's app attribution title, sent as {@code X-Title}. */
    public static final ProviderOption<String> OPENROUTER_TITLE = ProviderOption.of("openrouter.x_title",
            String.class);

    private static final Map<ProviderOption<String>, String> OPTION_HEADERS = Map.of(
            ORGANIZATION, "OpenAI-Organization",
            PROJECT, "OpenAI-Project",
            OPENROUTER_REFERER, "HTTP-Referer",
            OPENROUTER_TITLE, "X-Title");

    private static final Logger log = LoggerFactory.getLogger(OpenAiProvider.class);
    private static final String JSON_ACCEPT = JsonHttp.ACCEPT_JSON;
    private static final String SSE_ACCEPT = JsonHttp.ACCEPT_EVENT_STREAM;

    private final OkHttpClient client;
    private final OpenAiCompatibleVendor vendor;
    private final String defaultApiBase;
    private final Function<String, String> environment;
    private final OpenAiErrorMapper errors;
    private final JsonHttp http;
    /** The chat answer readers, made once: the answer path allocates no lambda per call. */
    private final Function<byte[], ChatResponse> fastChatAnswer = this::fastChatAnswer;
    private final Function<JsonNode, ChatResponse> treeChatAnswer = this::treeChatAnswer;
    /** The vendor's quirks for a deployment apiBase elsewhere: token limits as given. */
    private final OpenAiCompatibleVendor elsewhereQuirks;
    /** Body shapes, computed once: [own base, elsewhere] x [plain, streamed]. */
    private final OpenAiJsonCodec.RequestShape ownPlain;
    private final OpenAiJsonCodec.RequestShape ownStreamed;
    private final OpenAiJsonCodec.RequestShape elsewherePlain;
    private final OpenAiJsonCodec.RequestShape elsewhereStreamed;

    private OpenAiProvider(Builder b) {
        this.vendor = b.vendor;
        this.defaultApiBase = b.defaultApiBase != null ? b.defaultApiBase : vendor.defaultApiBase().orElse(null);
        this.environment = b.environment;
        this.errors = new OpenAiErrorMapper(vendor.prefix(), vendor.statusMeanings());
        this.http = new JsonHttp(b.httpClient, errors, b.clock, log);
        this.client = http.client();
        this.elsewhereQuirks = vendor.tokenLimitField() == OpenAiCompatibleVendor.TokenLimitField.AS_GIVEN ? vendor
                : vendor.toBuilder().tokenLimitField(OpenAiCompatibleVendor.TokenLimitField.AS_GIVEN).build();
        this.ownPlain = OpenAiRequestBody.shape(vendor, false);
        this.ownStreamed = OpenAiRequestBody.shape(vendor, true);
        this.elsewherePlain = OpenAiRequestBody.shape(elsewhereQuirks, false);
        this.elsewhereStreamed = OpenAiRequestBody.shape(elsewhereQuirks, true);
    }

    /**
     * A provider for OpenAI with the default settings: the shared default OkHttp client and
     * {@link #DEFAULT_API_BASE}.
     *
     * @return the provider
     */
    public static OpenAiProvider create() {
        return builder().build();
    }

    /**
     * A provider for {@code vendor} with the shared default OkHttp client.
     *
     * @param vendor the vendor, e.g. {@link OpenAiCompatibleVendor#GROQ}
     * @return the provider
     */
    public static OpenAiProvider of(OpenAiCompatibleVendor vendor) {
        return builder().vendor(vendor).build();
    }

    /**
     * A builder for a provider with custom settings; the vendor defaults to
     * {@link OpenAiCompatibleVendor#OPENAI}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The vendor's route prefix, e.g. {@code openai} or {@code groq}. */
    @Override
    public String name() {
        return vendor.prefix();
    }

    /** The OkHttp client sent with (tests). */
    OkHttpClient httpClient() {
        return client;
    }

    /** The vendor this provider serves. */
    public OpenAiCompatibleVendor vendor() {
        return vendor;
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
        Prepared chat;
        try {
            chat = chat(call, false, context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(chat.request(), call.timeout(), call.endpoint().maxResponseBytes(), context,
                exchange -> chatAnswer(exchange, context, chat.key()));
    }

    /**
     * Sends the chat call on the calling thread (no hand-off to OkHttp's dispatcher): what
     * {@code router.completion()} uses for its first attempt. Same request, answer and errors as
     * {@link #completeAsync}, plus: firing the call's {@link ProviderCall#cancellation()} or
     * interrupting the calling thread ends the call at once with a
     * {@link io.llmrouter.api.exception.RequestCancelledException} (the interrupt flag stays set).
     *
     * @param call the request and the deployment's settings
     * @return the response
     */
    @Override
    public ChatResponse complete(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        Prepared chat = chat(call, false, context);
        return AsyncHttpCall.execute(client, chat.request(), call.timeout(), call.endpoint().maxResponseBytes(),
                call.cancellation(), context,
                exchange -> chatAnswer(exchange, context, chat.key()),
                e -> errors.transportFailure(e, context));
    }

    /**
     * Embeds the call's inputs without blocking: {@code POST {apiBase}/embeddings} with
     * {@link OpenAiJson#embeddingRequestToJson} (base64 vectors asked for; float arrays accepted
     * too). Same base URL, key, headers, errors and threading as {@link #completeAsync}.
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
        Target target;
        Request request;
        try {
            target = target(endpoint, context);
            byte[] body = OpenAiRequestBody.embeddingBytes(call.request(), errors, context);
            request = withHeaders(http.post(url(target, "/embeddings", context), body, JSON_ACCEPT,
                    endpoint.deploymentId(), target.key()), target, endpoint, context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(request, endpoint.timeout(), endpoint.maxResponseBytes(), context,
                exchange -> http.read(exchange, context, target.key(), OpenAiJsonCodec::readEmbeddingResponse));
    }

    /**
     * Sends a legacy text completion without blocking: {@code POST {apiBase}/completions} with
     * {@code model}, {@code prompt} (a string for one prompt, an array for several) and the
     * options set; the answer's {@code choices[].text} and {@code usage} are read. Same base URL,
     * key, headers, errors and threading as {@link #completeAsync}; vendors without the legacy
     * endpoint answer 404, a {@link io.llmrouter.api.exception.NotFoundException}.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<TextCompletionResponse> textCompletionAsync(EndpointCall<TextCompletionRequest> call) {
        Objects.requireNonNull(call, "call");
        return post(call.endpoint(), call.providerModel(), "/completions",
                () -> OpenAiEndpointCodec.writeTextCompletion(call.request()), OpenAiEndpointCodec::readTextCompletion);
    }

    /**
     * Classifies the inputs without blocking: {@code POST {apiBase}/moderations} with
     * {@code model} and {@code input}; the answer's {@code results[]} are read. Same base URL,
     * key, headers, errors and threading as {@link #completeAsync}.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ModerationResponse> moderateAsync(EndpointCall<ModerationRequest> call) {
        Objects.requireNonNull(call, "call");
        return post(call.endpoint(), call.providerModel(), "/moderations",
                () -> OpenAiEndpointCodec.writeModeration(call.request()), OpenAiEndpointCodec::readModeration);
    }

    /**
     * Ranks the documents without blocking, Jina/Voyage style: {@code POST {apiBase}/rerank} with
     * {@code model}, {@code query}, {@code documents}, {@code top_n} when set and
     * {@code return_documents}; the answer's {@code results[]} (or Voyage's {@code data[]}) with
     * {@code index}, {@code relevance_score} and {@code document}, and {@code usage.total_tokens}
     * are read. Same base URL, key, headers, errors and threading as {@link #completeAsync}.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<RerankResponse> rerankAsync(EndpointCall<RerankRequest> call) {
        Objects.requireNonNull(call, "call");
        return post(call.endpoint(), call.providerModel(), "/rerank",
                () -> RerankCodec.writeRequest(call.request(), true),
                tree -> RerankCodec.readResponse(tree, call.request()));
    }

    /**
     * Generates images without blocking: {@code POST {apiBase}/images/generations} with
     * {@code model}, {@code prompt}, {@code n}, {@code size}, {@code quality},
     * {@code response_format} and {@code user} as set; the answer's {@code data[].url} or
     * {@code b64_json} with {@code revised_prompt} are read. Same base URL, key, headers, errors and
     * threading as {@link #completeAsync}.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ImageResponse> generateImageAsync(EndpointCall<ImageRequest> call) {
        Objects.requireNonNull(call, "call");
        return post(call.endpoint(), call.providerModel(), "/images/generations",
                () -> OpenAiEndpointCodec.writeImage(call.request()),
                tree -> OpenAiEndpointCodec.readImage(tree, call.providerModel()));
    }

    /**
     * Speaks the text without blocking: {@code POST {apiBase}/audio/speech} with {@code model},
     * {@code input}, {@code voice} and {@code response_format} when set; the 2xx answer's bytes
     * are the audio (a JSON or HTML answer is an
     * {@link io.llmrouter.api.exception.InvalidProviderResponseException}). Same base URL, key,
     * headers, errors and threading as {@link #completeAsync}.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<SpeechResponse> speechAsync(EndpointCall<SpeechRequest> call) {
        Objects.requireNonNull(call, "call");
        Endpoint endpoint = call.endpoint();
        ErrorContext context = errors.context(endpoint.deploymentId(), call.providerModel());
        Target target;
        Request request;
        try {
            target = target(endpoint, context);
            request = request(target, "/audio/speech", OpenAiEndpointCodec.writeSpeech(call.request()), endpoint,
                    context, "*/*");
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(request, endpoint.timeout(), endpoint.maxResponseBytes(), context,
                exchange -> SpeechResponse.builder().model(call.providerModel())
                        .audio(http.readBytes(exchange, context, target.key()))
                        .contentType(exchange.header("Content-Type").orElse("")).build());
    }

    /**
     * Transcribes the audio without blocking: {@code POST {apiBase}/audio/transcriptions} as
     * {@code multipart/form-data} with the parts {@code file} (the bytes, with the file name),
     * {@code model}, and {@code language}, {@code prompt} and {@code response_format} when set; the
     * answer's {@code text} (and {@code language}, {@code duration} of {@code verbose_json}), or the
     * plain text of {@code response_format=text}, is read. Same base URL, key, headers, errors and
     * threading as {@link #completeAsync}.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<TranscriptionResponse> transcribeAsync(EndpointCall<TranscriptionRequest> call) {
        Objects.requireNonNull(call, "call");
        Endpoint endpoint = call.endpoint();
        TranscriptionRequest t = call.request();
        ErrorContext context = errors.context(endpoint.deploymentId(), call.providerModel());
        Target target;
        Request request;
        try {
            target = target(endpoint, context);
            request = multipart(target, "/audio/transcriptions", OpenAiEndpointCodec.writeTranscription(t), endpoint,
                    context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (t.responseFormat().orElse(null) == TranscriptionFormat.TEXT) {
            return http.send(request, endpoint.timeout(), endpoint.maxResponseBytes(), context,
                    exchange -> TranscriptionResponse.builder().model(call.providerModel()).text(new String(
                            http.readBytes(exchange, context, target.key()), StandardCharsets.UTF_8).strip()).build());
        }
        return http.send(request, endpoint.timeout(), endpoint.maxResponseBytes(), context,
                exchange -> http.read(exchange, context, target.key(),
                        tree -> OpenAiEndpointCodec.readTranscription(tree, call.providerModel())));
    }

    /**
     * Passes a Responses API request through without blocking: {@code POST {apiBase}/responses}
     * with the request's body and {@code model} set to the deployment's; the answer is kept as sent,
     * with its {@code usage} ({@code input_tokens}, {@code output_tokens}, cached and reasoning
     * tokens) read. Same base URL, key, headers, errors and threading as {@link #completeAsync}.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ResponsesResponse> responsesAsync(EndpointCall<ResponsesRequest> call) {
        Objects.requireNonNull(call, "call");
        return post(call.endpoint(), call.providerModel(), "/responses",
                () -> OpenAiEndpointCodec.writeResponses(call.request()), OpenAiEndpointCodec::readResponses);
    }

    /** POSTs the JSON body to {@code {apiBase}{path}} and reads the answer with {@code reader}. */
    private <T> CompletableFuture<T> post(Endpoint endpoint, String model, String path, Supplier<ObjectNode> body,
            Function<JsonNode, T> reader) {
        ErrorContext context = errors.context(endpoint.deploymentId(), model);
        Target target;
        Request request;
        try {
            target = target(endpoint, context);
            request = request(target, path, body.get(), endpoint, context, JSON_ACCEPT);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.send(request, endpoint.timeout(), endpoint.maxResponseBytes(), context,
                exchange -> http.read(exchange, context, target.key(), reader));
    }

    /**
     * Streams the chat call: the same {@code POST {apiBase}/chat/completions} with
     * {@code "stream": true}, {@code "stream_options": {"include_usage": true}} (unless the request
     * sets its own; vendors that reject the field drop it, see
     * {@link OpenAiCompatibleVendor#droppedFields()}) and {@code Accept: text/event-stream}; same
     * base URL, key, headers and vendor quirks as {@link #completeAsync}. The server-sent events
     * become {@link io.llmrouter.api.chat.ChatChunk}s (text, refusal, tool-call fragments, finish
     * reason, usage) delivered to {@code sink} in order on the OkHttp thread that reads the body;
     * {@code data: [DONE]} ends the stream with {@code onComplete}.
     *
     * <p>Failures reach {@code sink.onError} as typed exceptions, never as a normal end: a non-2xx
     * answer as for {@link #completeAsync} ({@code RateLimitException} with its retry-after, ...);
     * an {@code error} event inside the stream through the vendor's error mapping (OpenAI's
     * {@code server_error} is a retryable {@code ProviderServerException}); malformed JSON, and a
     * body that ends without {@code data: [DONE]} before every choice sent its finish reason (a
     * body that ends after it is a normal end, for every vendor), as an
     * {@code InvalidProviderResponseException}; a read failure as a
     * {@code ProviderConnectionException} ({@code RequestTimeoutException} for a timeout). A
     * request that cannot be sent (no key, no base) fails at once, on the caller's thread. After
     * {@code onComplete} or {@code onError}, and after the handle's {@code cancel()}, the sink hears
     * nothing more. The call's {@link ProviderCall#timeout()} bounds the whole stream.
     *
     * @param call the request (the router sets {@code stream}) and the deployment's settings
     * @param sink receives the chunks and the end
     * @return a handle whose {@code cancel()} closes the HTTP call (the server sees the disconnect)
     * @throws NullPointerException if {@code call} or {@code sink} is null
     */
    @Override
    public StreamHandle streamAsync(ProviderCall call, ChunkSink sink) {
        Objects.requireNonNull(call, "call");
        SinkGate gate = new SinkGate(Objects.requireNonNull(sink, "sink"));
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        Prepared chat;
        try {
            chat = chat(call, true, context);
        } catch (LlmRouterException e) {
            gate.onError(e);
            return StreamHandle.NONE;
        }
        Secret key = chat.key();
        Request request = chat.request();
        OpenAiStreamReader reader = new OpenAiStreamReader(gate, errors, context, key, call.providerModel(),
                this::readUsage, call.endpoint().maxStreamEventBytes());
        StreamHandle httpCall = AsyncHttpCall.stream(client, request, call.timeout(),
                call.endpoint().maxResponseBytes(), reader,
                exchange -> gate.onError(http.streamRefused(exchange, context, key)),
                e -> gate.onError(errors.transportFailure(e, context)));
        return () -> {
            gate.cancel();
            httpCall.cancel();
        };
    }

    /**
     * Opens the same stream as {@link #streamAsync} to be read on the calling thread: the request
     * is sent with a synchronous call here, and each {@link ChunkSource#next()} reads and parses the
     * next event on the thread that calls it. Same body, headers, chunks, end-of-stream rule and
     * errors; the call's {@link ProviderCall#timeout()} bounds the whole stream; cancelling the
     * call's {@link ProviderCall#cancellation()} or closing the source closes the connection.
     *
     * @param call the request (the router sets {@code stream}) and the deployment's settings
     * @return the open stream
     * @throws LlmRouterException when the request is unsendable, the answer is an HTTP error, or
     *     the connection fails; a {@link io.llmrouter.api.exception.RequestCancelledException} when
     *     cancelled or interrupted
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public ChunkSource openStream(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        Prepared chat = chat(call, true, context);
        Secret key = chat.key();
        PullHttpStream stream = new PullHttpStream(name(), call.cancellation(), context);
        OpenAiStreamReader reader = new OpenAiStreamReader(stream.gate(), errors, context, key, call.providerModel(),
                this::readUsage, call.endpoint().maxStreamEventBytes());
        return stream.open(client, chat.request(), call.timeout(), call.endpoint().maxResponseBytes(), reader,
                exchange -> http.streamRefused(exchange, context, key), e -> errors.transportFailure(e, context));
    }

    // ------------------------------------------------------------------------------ request side

    /** A chat call ready to send, and the key it carries (null: none). */
    private record Prepared(Request request, Secret key) {
    }

    /** The chat request of {@code call}, plain or streamed, with the vendor's quirks for its base. */
    private Prepared chat(ProviderCall call, boolean streaming, ErrorContext context) {
        Target target = target(call.endpoint(), context);
        OpenAiJsonCodec.RequestShape shape = target.ownBase() ? (streaming ? ownStreamed : ownPlain)
                : (streaming ? elsewhereStreamed : elsewherePlain);
        // Written straight with a generator, no tree: the same bytes as the tree with the quirks applied.
        byte[] body = OpenAiRequestBody.bytes(call.request(), shape, errors, context);
        HttpUrl url = url(target, "/chat/completions", context);
        return new Prepared(withHeaders(http.post(url, body, streaming ? SSE_ACCEPT : JSON_ACCEPT,
                call.endpoint().deploymentId(), target.key()), target, call.endpoint(), context), target.key());
    }

    /** Where a call goes and with which key; {@code ownBase}: the vendor's own base, not a deployment's elsewhere. */
    private record Target(String apiBase, boolean ownBase, Secret key) {
    }

    private Target target(Endpoint endpoint, ErrorContext context) {
        String vendorBase = vendorBase(context);
        String base;
        boolean ownBase;
        if (endpoint.apiBase().isPresent()) {
            base = HttpUrls.withoutTrailingSlash(endpoint.apiBase().get());
            ownBase = vendorBase == null || base.equals(vendorBase);
        } else if (vendorBase != null) {
            base = vendorBase;
            ownBase = true;
        } else {
            throw errors.unsendable("no apiBase: route prefix '" + vendor.prefix()
                    + "' has no default base URL; set the deployment's apiBase", context, null);
        }
        Secret key = ApiKeys.resolve(endpoint, ownBase, vendor.apiKeyEnvs(), environment, vendor.isApiKeyRequired(),
                errors, context).orElse(null);
        return new Target(base, ownBase, key);
    }

    /** The vendor's base for this call: its base variable when set, else the default; null when none. */
    private String vendorBase(ErrorContext context) {
        Optional<String> fromEnv = vendor.apiBaseEnv().map(environment).filter(v -> !v.isBlank());
        if (fromEnv.isEmpty()) {
            return defaultApiBase;
        }
        String variable = vendor.apiBaseEnv().orElseThrow();
        HttpUrl url = HttpUrl.parse(HttpUrls.withoutTrailingSlash(fromEnv.get()));
        if (url == null) {
            throw errors.unsendable("environment variable " + variable + " is not an http(s) URL", context, null);
        }
        HttpUrl defaultUrl = defaultApiBase == null ? null : HttpUrl.parse(defaultApiBase);
        if (url.encodedPath().equals("/") && defaultUrl != null && !defaultUrl.encodedPath().equals("/")) {
            url = url.newBuilder().encodedPath(defaultUrl.encodedPath()).build(); // any query stays after it
        }
        return HttpUrls.withoutTrailingSlash(url.toString());
    }

    private Request request(Target target, String path, ObjectNode json, Endpoint endpoint, ErrorContext context,
            String accept) {
        return withHeaders(http.post(url(target, path, context), json, accept, endpoint.deploymentId(), target.key(),
                context), target, endpoint, context);
    }

    /** A multipart POST (a file upload) to {@code {apiBase}{path}}, with the same headers as a JSON one. */
    private Request multipart(Target target, String path, RequestBody body, Endpoint endpoint, ErrorContext context) {
        return withHeaders(new Request.Builder().url(url(target, path, context)).post(body)
                .header("Accept", JsonHttp.ACCEPT_JSON).header("User-Agent", JsonHttp.USER_AGENT),
                target, endpoint, context);
    }

    private HttpUrl url(Target target, String path, ErrorContext context) {
        HttpUrl url = HttpUrls.parse(HttpUrls.appendPath(target.apiBase(), path));
        if (url == null) {
            throw errors.unsendable("apiBase is not an http(s) URL: '" + target.apiBase() + "'", context, null);
        }
        return url;
    }

    private Request withHeaders(Request.Builder b, Target target, Endpoint endpoint, ErrorContext context) {
        Secret key = target.key();
        http.apiKeyHeader(b, "Authorization", "Bearer ", key, context);
        for (Map.Entry<ProviderOption<String>, String> h : OPTION_HEADERS.entrySet()) {
            Optional<String> value = endpoint.options().get(h.getKey());
            if (value.isPresent()) {
                http.header(b, h.getValue(), value.get(), context);
            }
        }
        http.headers(b, endpoint.headers(), context);
        return b.build();
    }

    // ------------------------------------------------------------------------------ answer side

    private ChatResponse chatAnswer(HttpExchange exchange, ErrorContext context, Secret key) {
        return http.read(exchange, context, key, fastChatAnswer, treeChatAnswer);
    }

    /**
     * The answer read straight from the body's bytes (no tree), or null when the body is not the
     * common shape and the tree reader decides; the usage is kept as a tree only for vendors whose
     * cached tokens are read from their own fields.
     */
    private ChatResponse fastChatAnswer(byte[] body) {
        FastResponse r = OpenAiJsonCodec.readResponseFast(body, null, !vendor.cachedTokensFields().isEmpty());
        if (r == null) {
            return null;
        }
        return withVendorUsage(r.response(), r.usage() != null ? r.usage() : MissingNode.getInstance());
    }

    private ChatResponse treeChatAnswer(JsonNode tree) {
        return withVendorUsage(OpenAiJsonCodec.readResponse(tree), tree.path("usage"));
    }

    /** A stream's {@code usage}, normalized to the vendor's bill (see {@link #vendorUsage}). */
    private Usage readUsage(JsonNode usage) {
        return vendorUsage(OpenAiJsonCodec.readUsage(usage), usage);
    }

    /**
     * The response with its usage normalized to the vendor's bill (see {@link #vendorUsage}); {@code usage} is
     * the answer's {@code usage} tree, or a missing node when the vendor reads nothing from it.
     */
    private ChatResponse withVendorUsage(ChatResponse response, JsonNode usage) {
        if (response.usage().isEmpty()) {
            return response;
        }
        Usage u = vendorUsage(response.usage().get(), usage);
        return u.equals(response.usage().get()) ? response : response.toBuilder().usage(u).build();
    }

    /**
     * The usage as the calculator needs it: cached tokens from the vendor's own fields when OpenAI's is absent or
     * 0; reasoning tokens the vendor reports apart added to the completion tokens (xAI, Perplexity), with the
     * total raised to prompt + completion when it is below; one search counted for vendors that bill a request
     * fee on every answer when none is reported (Perplexity).
     */
    private Usage vendorUsage(Usage u, JsonNode usage) {
        Usage.Builder b = null;
        if (u.cachedTokens() == 0) {
            for (String field : vendor.cachedTokensFields()) {
                JsonNode v = usage.path(field);
                if (v.isNumber() && v.canConvertToExactIntegral() && v.canConvertToInt() && v.intValue() > 0) {
                    b = u.toBuilder().cachedTokens(v.intValue());
                    break;
                }
            }
        }
        if (vendor.reportsReasoningApart() && u.reasoningTokens() > 0) {
            int completion = Math.addExact(u.completionTokens(), u.reasoningTokens());
            b = (b == null ? u.toBuilder() : b).completionTokens(completion)
                    .totalTokens(Math.max(u.totalTokens(), Math.addExact(u.promptTokens(), completion)));
        }
        if (vendor.billsSearchFeePerRequest() && u.searchQueries() == 0) {
            b = (b == null ? u.toBuilder() : b).searchQueries(1);
        }
        return b == null ? u : b.build();
    }

    @Override
    public String toString() {
        return "OpenAiProvider[" + vendor.prefix() + ", defaultApiBase=" + defaultApiBase + "]";
    }

    /**
     * Builds an {@link OpenAiProvider}. Not thread-safe; the built provider is immutable and
     * thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private OkHttpClient httpClient;
        private OpenAiCompatibleVendor vendor = OpenAiCompatibleVendor.OPENAI;
        private String defaultApiBase;
        private Function<String, String> environment = System::getenv;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The vendor served; default {@link OpenAiCompatibleVendor#OPENAI}.
         *
         * @param vendor the vendor
         * @return this builder
         */
        public Builder vendor(OpenAiCompatibleVendor vendor) {
            this.vendor = Objects.requireNonNull(vendor, "vendor");
            return this;
        }

        /**
         * The OkHttp client to send with, e.g. one with a proxy, custom TLS or interceptors.
         * Default: a shared client (connect timeout 10 s, no read/write timeout, 256 concurrent
         * calls per host) used by every provider of this module. The client's own call timeout, if
         * any, adds to each call's {@link ProviderCall#timeout()}. This is the only place where an
         * OkHttp type appears in the API: it works with OkHttp 4.12 and 5.x.
         *
         * @param httpClient the client
         * @return this builder
         */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * The base URL for deployments that set no {@code apiBase}, replacing the vendor's default
         * ({@value OpenAiProvider#DEFAULT_API_BASE} for OpenAI). Calls to this base are treated as
         * calls to the vendor itself: the key falls back to the vendor's environment variables
         * and the token limit field is translated. Useful for a gateway in front of a vendor, and
         * for tests.
         *
         * @param defaultApiBase an absolute http(s) URL
         * @return this builder
         * @throws IllegalArgumentException if it is not an absolute http(s) URL
         */
        public Builder defaultApiBase(String defaultApiBase) {
            this.defaultApiBase = HttpUrls.checkedBase(defaultApiBase, "defaultApiBase");
            return this;
        }

        /** Where the vendor's environment variables are read from (tests); default {@link System#getenv(String)}. */
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
        public OpenAiProvider build() {
            return new OpenAiProvider(this);
        }
    }
}
