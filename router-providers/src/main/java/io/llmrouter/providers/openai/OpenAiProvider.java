package io.llmrouter.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.json.OpenAiJson;
import io.llmrouter.providers.internal.AsyncHttpCall;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.openai.internal.OpenAiErrorMapper;
import io.llmrouter.providers.openai.internal.OpenAiRequestBody;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter for OpenAI's Chat Completions API ({@code POST {apiBase}/chat/completions}) and for
 * OpenAI-compatible servers (vLLM, llama.cpp, LM Studio, OpenRouter, Groq, ...), non-streaming.
 *
 * <p>Per call: the base URL is the deployment's {@code apiBase}, else {@link #DEFAULT_API_BASE}.
 * The key is the deployment's; when it has none, calls to the default base use
 * {@code Secret.fromEnv(}{@value #API_KEY_ENV}{@code )} and calls to another base send no
 * {@code Authorization} header (local servers). An unavailable key fails the call with an
 * {@link io.llmrouter.api.exception.AuthenticationException} before any network traffic. Calls
 * to the default base send {@code max_completion_tokens} in place of the deprecated
 * {@code max_tokens}; other bases get the fields as given. {@code stream} is never sent.
 *
 * <p>HTTP errors, timeouts, connection failures and malformed answers come back as the typed
 * {@link LlmRouterException} subtypes; the API key never
 * appears in a message, not even when the provider echoes it.
 *
 * <p>Instances are immutable and thread-safe; one serves every deployment of the {@code openai}
 * route prefix. The returned futures complete on an OkHttp dispatcher thread: attach heavy work
 * with the {@code ...Async(fn, executor)} methods.
 *
 * @since 0.1.0
 */
public final class OpenAiProvider implements Provider {

    /** The provider name and route prefix. */
    public static final String NAME = "openai";

    /** OpenAI's API base URL, used when a deployment sets no {@code apiBase}. */
    public static final String DEFAULT_API_BASE = "https://api.openai.com/v1";

    /** The environment variable holding the key for calls to the default base URL. */
    public static final String API_KEY_ENV = "OPENAI_API_KEY";

    /** The {@code User-Agent} header sent with every call. */
    public static final String USER_AGENT = "llmrouter/0.1.0";

    private static final Logger log = LoggerFactory.getLogger(OpenAiProvider.class);
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TRACE_BODY = 2000;

    private final OkHttpClient client;
    private final String defaultApiBase;
    private final Function<String, String> environment;
    private final Clock clock;
    private final OpenAiErrorMapper errors = new OpenAiErrorMapper(NAME);

    private OpenAiProvider(Builder b) {
        this.client = b.httpClient != null ? b.httpClient : DefaultHttpClient.shared();
        this.defaultApiBase = b.defaultApiBase;
        this.environment = b.environment;
        this.clock = b.clock;
    }

    /**
     * A provider with the default settings: the shared default OkHttp client and
     * {@link #DEFAULT_API_BASE}.
     *
     * @return the provider
     */
    public static OpenAiProvider create() {
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

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Sends the call without blocking. The future completes on an OkHttp thread with the response,
     * or exceptionally with the typed {@link LlmRouterException}; cancelling it cancels the HTTP call.
     * The call's {@link ProviderCall#timeout()} bounds the whole exchange.
     *
     * @param call the request and the deployment's settings
     * @return the response future
     * @throws NullPointerException if {@code call} is null
     */
    @Override
    public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        ErrorContext context = errors.context(call.deploymentId(), call.providerModel());
        String apiBase = withoutTrailingSlash(call.apiBase().orElse(defaultApiBase));
        boolean officialApi = apiBase.equals(defaultApiBase);
        Secret key = call.apiKey().orElse(officialApi ? Secret.fromEnv(API_KEY_ENV, environment) : null);
        Request request;
        try {
            request = request(call, apiBase, officialApi, key, context);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return AsyncHttpCall.enqueue(client, request, call.timeout(),
                exchange -> answer(exchange, context, key),
                e -> errors.transportFailure(e, context));
    }

    private Request request(ProviderCall call, String apiBase, boolean officialApi, Secret key, ErrorContext context) {
        String revealed = null;
        if (key != null) {
            try {
                revealed = key.reveal();
            } catch (IllegalStateException e) {
                throw errors.missingKey(key, context, e);
            }
        }
        HttpUrl url = HttpUrl.parse(apiBase + "/chat/completions");
        if (url == null) {
            throw errors.unsendable("apiBase is not an http(s) URL: '" + apiBase + "'", context, null);
        }
        byte[] body;
        try {
            ObjectNode json = OpenAiRequestBody.nonStreaming(call.request());
            if (officialApi) {
                OpenAiRequestBody.preferMaxCompletionTokens(json);
            }
            body = JSON.writeValueAsBytes(json);
            if (log.isTraceEnabled()) {
                log.trace("{} request body: {}", call.deploymentId(),
                        Redaction.shorten(Redaction.text(JSON.writeValueAsString(json), key), MAX_TRACE_BODY));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw errors.unsendable("the request cannot be written as JSON", context, e);
        }
        Request.Builder b = new Request.Builder()
                .url(url)
                .post(RequestBody.create(body, JSON_TYPE))
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
        if (revealed != null) {
            try {
                b.header("Authorization", "Bearer " + revealed);
            } catch (IllegalArgumentException e) {
                // OkHttp's message would quote the value; say what is wrong without it.
                throw errors.unsendable("the API key contains characters not allowed in an HTTP header", context, null);
            }
        }
        for (Map.Entry<String, String> h : call.headers().entrySet()) {
            try {
                b.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                throw errors.unsendable("invalid header '" + h.getKey() + "'", context, null);
            }
        }
        return b.build();
    }

    private ChatResponse answer(HttpExchange exchange, ErrorContext context, Secret key) {
        if (log.isTraceEnabled()) {
            log.trace("response body (HTTP {}): {}", exchange.status(),
                    Redaction.shorten(Redaction.text(exchange.body(), key), MAX_TRACE_BODY));
        }
        if (!exchange.isSuccessful()) {
            throw errors.httpError(exchange, context, key, clock.instant());
        }
        if (exchange.isBodyBlank()) {
            throw errors.invalidResponse("empty body", exchange, context, key, null);
        }
        if (exchange.isHtml()) {
            throw errors.invalidResponse("the provider returned an HTML page, not JSON", exchange, context, key, null);
        }
        try {
            return OpenAiJson.readResponse(OpenAiJson.parse(exchange.body()));
        } catch (RuntimeException e) {
            // IllegalArgumentException naming the JSON path; anything else would be a codec bug,
            // still reported as a bad answer rather than leaking out of the future untyped.
            String problem = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw errors.invalidResponse(problem, exchange, context, key, e);
        }
    }

    private static String withoutTrailingSlash(String url) {
        String s = url.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    @Override
    public String toString() {
        return "OpenAiProvider[defaultApiBase=" + defaultApiBase + "]";
    }

    /**
     * Builds an {@link OpenAiProvider}. Not thread-safe; the built provider is immutable and
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
         * Default: a shared client (connect timeout 10 s, no read/write timeout, 256 concurrent
         * calls per host). The client's own call timeout, if any, adds to each call's
         * {@link ProviderCall#timeout()}. This is the only place where an OkHttp type appears in
         * the API: it works with OkHttp 4.12 and 5.x.
         *
         * @param httpClient the client
         * @return this builder
         */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * The base URL for deployments that set no {@code apiBase}; default {@value OpenAiProvider#DEFAULT_API_BASE}.
         * Calls to this base are treated as calls to OpenAI itself: the key falls back to
         * {@value OpenAiProvider#API_KEY_ENV}, and {@code max_tokens} is sent as
         * {@code max_completion_tokens}. Useful for a proxy in front of OpenAI, and for tests.
         *
         * @param defaultApiBase an absolute http(s) URL
         * @return this builder
         * @throws IllegalArgumentException if it is not an absolute http(s) URL
         */
        public Builder defaultApiBase(String defaultApiBase) {
            Objects.requireNonNull(defaultApiBase, "defaultApiBase");
            String base = withoutTrailingSlash(defaultApiBase);
            if (HttpUrl.parse(base) == null) {
                throw new IllegalArgumentException("defaultApiBase must be an absolute http(s) URL, was '"
                        + defaultApiBase + "'");
            }
            this.defaultApiBase = base;
            return this;
        }

        /** Where {@value OpenAiProvider#API_KEY_ENV} is read from (tests); default {@link System#getenv(String)}. */
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
