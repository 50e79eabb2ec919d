package io.llmrouter.providers.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import io.llmrouter.api.internal.OpenAiJsonCodec.FastResponse;
import io.llmrouter.providers.internal.AsyncHttpCall;
import io.llmrouter.providers.internal.PullHttpStream;
import io.llmrouter.spi.CallCancellation;
import io.llmrouter.spi.ChunkSource;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.JsonHttp;
import io.llmrouter.providers.internal.SinkGate;
import io.llmrouter.providers.openai.internal.OpenAiErrorMapper;
import io.llmrouter.providers.openai.internal.OpenAiStreamReader;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.StreamHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The sending half shared by the Azure adapters ({@link AzureOpenAiProvider}, {@link AzureAiProvider}):
 * an OpenAI-shaped JSON call or stream to a resolved {@link Target}, with either a key (in the
 * target's key header) or a Microsoft Entra ID token from an {@link AzureTokenSupplier}, asked once per
 * call and bounded by the call's timeout; every token failure an
 * {@link io.llmrouter.api.exception.AuthenticationException} before any request is sent. Immutable
 * and thread-safe.
 */
final class AzureCalls {

    /**
     * Where a call goes and with which credential: a key or a token supplier (exactly one).
     *
     * @param url the whole URL, query included
     * @param key the key, or null with a token supplier
     * @param tokens the token supplier, or null with a key
     * @param keyHeader the header carrying the key ({@code api-key} or {@code Authorization})
     * @param keyPrefix what precedes the key in that header ({@code ""} or {@code "Bearer "})
     * @param headers headers without credentials sent before the deployment's own
     */
    record Target(HttpUrl url, Secret key, AzureTokenSupplier tokens, String keyHeader, String keyPrefix,
            Map<String, String> headers) {

        Target {
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers);
        }

        /** A target sending {@code key} as {@code api-key}. */
        static Target withKey(HttpUrl url, Secret key, Map<String, String> headers) {
            return new Target(url, key, null, "api-key", "", headers);
        }
    }

    private final JsonHttp http;
    private final OkHttpClient client;
    private final OpenAiErrorMapper errors;

    AzureCalls(JsonHttp http, OpenAiErrorMapper errors) {
        this.http = Objects.requireNonNull(http, "http");
        this.client = http.client();
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    /** Sends a JSON call; the answer goes through {@code reader}. */
    <T> CompletableFuture<T> send(Target target, ObjectNode body, Endpoint endpoint, ErrorContext context,
            Function<JsonNode, T> reader) {
        return send(target, credential -> http.post(target.url(), body, JsonHttp.ACCEPT_JSON, endpoint.deploymentId(),
                credential, context), endpoint, context,
                (exchange, credential) -> http.read(exchange, context, credential, reader));
    }

    /** Sends a JSON call whose body is already written (UTF-8); the answer goes through {@code reader}. */
    <T> CompletableFuture<T> send(Target target, byte[] body, Endpoint endpoint, ErrorContext context,
            Function<JsonNode, T> reader) {
        return send(target, credential -> http.post(target.url(), body, JsonHttp.ACCEPT_JSON, endpoint.deploymentId(),
                credential), endpoint, context,
                (exchange, credential) -> http.read(exchange, context, credential, reader));
    }

    /**
     * Sends a chat call whose body is already written (UTF-8); the answer is read straight from its
     * bytes, as {@link OpenAiJsonCodec#readResponseFast} reads it with {@code model} taken for a
     * missing one, else from its tree as {@code readResponse(withModel(tree, model))}.
     */
    CompletableFuture<ChatResponse> sendChat(Target target, byte[] body, Endpoint endpoint, ErrorContext context,
            String model) {
        Function<byte[], ChatResponse> fast = bytes -> {
            FastResponse r = OpenAiJsonCodec.readResponseFast(bytes, model, false);
            return r == null ? null : r.response();
        };
        Function<JsonNode, ChatResponse> tree = t -> OpenAiJsonCodec.readResponse(withModel(t, model));
        return send(target, credential -> http.post(target.url(), body, JsonHttp.ACCEPT_JSON, endpoint.deploymentId(),
                credential), endpoint, context,
                (exchange, credential) -> http.read(exchange, context, credential, fast, tree));
    }

    /**
     * Sends a call of any body and answer (audio, multipart): {@code request} gives the request
     * without credential and headers (for the credential, to redact it from a trace), {@code reader}
     * reads the answer with the credential to redact.
     */
    <T> CompletableFuture<T> send(Target target, Function<Secret, Request.Builder> request, Endpoint endpoint,
            ErrorContext context, BiFunction<HttpExchange, Secret, T> reader) {
        if (target.tokens() == null) {
            Secret key = target.key();
            try {
                Request r = request(target, request.apply(key), endpoint, context, target.keyHeader(),
                        target.keyPrefix() + reveal(key, context), "the API key");
                return http.send(r, endpoint.timeout(), endpoint.maxResponseBytes(), context,
                        exchange -> reader.apply(exchange, key));
            } catch (LlmRouterException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        long start = System.nanoTime();
        CompletableFuture<String> token = token(target.tokens(), endpoint.timeout(), context);
        CompletableFuture<T> result = new CompletableFuture<>();
        token.whenComplete((value, failure) -> {
            if (result.isDone()) {
                return; // cancelled while waiting for the token: send nothing
            }
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
                return;
            }
            Duration left = endpoint.timeout().minusNanos(System.nanoTime() - start);
            Secret secret = Secret.of(value);
            CompletableFuture<T> exchange;
            try {
                Request r = request(target, request.apply(secret), endpoint, context, "Authorization",
                        "Bearer " + value, "the Entra ID token");
                exchange = http.send(r, atLeastOneMilli(left), endpoint.maxResponseBytes(), context,
                        answer -> reader.apply(answer, secret));
            } catch (LlmRouterException e) {
                result.completeExceptionally(e);
                return;
            }
            result.whenComplete((v, e) -> {
                if (result.isCancelled()) {
                    exchange.cancel(true);
                }
            });
            exchange.whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(unwrap(e));
                } else {
                    result.complete(v);
                }
            });
        });
        return result;
    }

    /** The JSON reading and byte reading of answers, for {@link #send(Target, Function, Endpoint, ErrorContext, BiFunction)}'s readers. */
    JsonHttp http() {
        return http;
    }

    /** Opens a stream of OpenAI-shaped chunks (Azure's filter annotations skipped) into {@code gate}. */
    StreamHandle stream(Target target, byte[] body, Endpoint endpoint, Duration timeout, ErrorContext context,
            String model, SinkGate gate) {
        if (target.tokens() == null) {
            Secret key = target.key();
            try {
                Request request = request(target, http.post(target.url(), body, JsonHttp.ACCEPT_EVENT_STREAM,
                        endpoint.deploymentId(), key), endpoint, context, target.keyHeader(),
                        target.keyPrefix() + reveal(key, context), "the API key");
                return openStream(request, timeout, context, key, model, gate, endpoint);
            } catch (LlmRouterException e) {
                gate.onError(e);
                return StreamHandle.NONE;
            }
        }
        long start = System.nanoTime();
        CompletableFuture<String> token = token(target.tokens(), timeout, context);
        AtomicReference<StreamHandle> opened = new AtomicReference<>(StreamHandle.NONE);
        token.whenComplete((value, failure) -> {
            if (gate.isClosed()) {
                return; // cancelled while waiting for the token: send nothing
            }
            if (failure != null) {
                gate.onError(unwrap(failure));
                return;
            }
            Duration left = timeout.minusNanos(System.nanoTime() - start);
            Secret secret = Secret.of(value);
            try {
                Request request = request(target, http.post(target.url(), body, JsonHttp.ACCEPT_EVENT_STREAM,
                        endpoint.deploymentId(), secret), endpoint, context, "Authorization",
                        "Bearer " + value, "the Entra ID token");
                opened.set(openStream(request, atLeastOneMilli(left), context, secret, model, gate, endpoint));
            } catch (LlmRouterException e) {
                gate.onError(e);
                return;
            }
            if (gate.isClosed()) {
                opened.get().cancel(); // cancelled while the request was being sent
            }
        });
        return () -> {
            gate.cancel();
            token.cancel(true);
            opened.get().cancel();
        };
    }

    /**
     * Opens the stream of {@link #stream} to be read on the calling thread, for a target with a key
     * (a token supplier answers asynchronously: the caller uses the push-style stream then).
     */
    ChunkSource pull(Target target, byte[] body, Endpoint endpoint, Duration timeout, CallCancellation cancellation,
            ErrorContext context, String model, String provider) {
        Secret key = target.key();
        Request request = request(target, http.post(target.url(), body, JsonHttp.ACCEPT_EVENT_STREAM,
                endpoint.deploymentId(), key), endpoint, context, target.keyHeader(),
                target.keyPrefix() + reveal(key, context), "the API key");
        PullHttpStream stream = new PullHttpStream(provider, cancellation, context);
        OpenAiStreamReader reader = new OpenAiStreamReader(stream.gate(), errors, context, key, model,
                OpenAiJsonCodec::readUsage, endpoint.maxStreamEventBytes());
        return stream.open(client, request, timeout, endpoint.maxResponseBytes(), reader,
                exchange -> http.streamRefused(exchange, context, key), e -> errors.transportFailure(e, context));
    }

    /**
     * The base URL of a call: the deployment's {@code apiBase}, else the first set of
     * {@code variables}; else the typed failure saying what to set ({@code example}).
     */
    HttpUrl base(Endpoint endpoint, List<String> variables, Function<String, String> environment, String example,
            ErrorContext context) {
        String source;
        String value;
        if (endpoint.apiBase().isPresent()) {
            source = "apiBase";
            value = endpoint.apiBase().get();
        } else {
            Optional<String> variable = variables.stream().filter(v -> env(environment, v).isPresent()).findFirst();
            if (variable.isEmpty()) {
                throw errors.unsendable("no apiBase: set the deployment's apiBase to " + example + " or "
                        + (variables.size() == 1 ? "the environment variable " : "one of the environment variables ")
                        + String.join(", ", variables), context, null);
            }
            source = "environment variable " + variable.get();
            value = env(environment, variable.get()).orElseThrow();
        }
        HttpUrl url = HttpUrl.parse(value.strip());
        if (url == null) {
            throw errors.unsendable(source + " is not an http(s) URL: '" + value + "'", context, null);
        }
        return url;
    }

    /** {@code variable} from {@code environment}, when set and not blank. */
    static Optional<String> env(Function<String, String> environment, String variable) {
        return Optional.ofNullable(environment.apply(variable)).filter(v -> !v.isBlank());
    }

    /** The answer with {@code model} set to {@code model} when the service sent none (Azure's REST examples have none). */
    static JsonNode withModel(JsonNode tree, String model) {
        if (tree instanceof ObjectNode o) {
            JsonNode m = o.get("model");
            if (m == null || m.isNull() || (m.isTextual() && m.textValue().isEmpty())) {
                o.put("model", model);
            }
        }
        return tree;
    }

    private static Duration atLeastOneMilli(Duration left) {
        return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
    }

    private String reveal(Secret key, ErrorContext context) {
        try {
            return key.reveal();
        } catch (IllegalStateException e) {
            throw errors.missingKey(key, context, e);
        }
    }

    private StreamHandle openStream(Request request, Duration timeout, ErrorContext context, Secret credential,
            String model, SinkGate gate, Endpoint endpoint) {
        OpenAiStreamReader reader = new OpenAiStreamReader(gate, errors, context, credential, model,
                OpenAiJsonCodec::readUsage, endpoint.maxStreamEventBytes());
        return AsyncHttpCall.stream(client, request, timeout, endpoint.maxResponseBytes(), reader,
                exchange -> gate.onError(http.streamRefused(exchange, context, credential)),
                e -> gate.onError(errors.transportFailure(e, context)));
    }

    /**
     * The supplier's token, bounded by {@code timeout}; every failure (thrown, null, failed, blank,
     * late) as an {@link io.llmrouter.api.exception.AuthenticationException}.
     */
    private CompletableFuture<String> token(AzureTokenSupplier supplier, Duration timeout, ErrorContext context) {
        CompletableFuture<String> supplied;
        try {
            supplied = supplier.token();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(tokenFailure(e, timeout, context));
        }
        if (supplied == null) {
            return CompletableFuture.failedFuture(errors.credentialFailure(
                    "the Entra ID token supplier returned no future", context, null));
        }
        return supplied.thenApply(Function.<String>identity())
                .orTimeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
                .handle((value, failure) -> {
                    if (failure != null) {
                        throw tokenFailure(unwrap(failure), timeout, context);
                    }
                    if (value == null || value.isBlank()) {
                        throw errors.credentialFailure("the Entra ID token supplier returned no token", context, null);
                    }
                    return value.strip();
                });
    }

    private LlmRouterException tokenFailure(Throwable failure, Duration timeout, ErrorContext context) {
        if (failure instanceof TimeoutException) {
            return errors.credentialFailure("the Entra ID token supplier gave no token within " + timeout, context,
                    failure);
        }
        String detail = failure.getClass().getSimpleName() + (failure.getMessage() == null ? ""
                : ": " + failure.getMessage());
        return errors.credentialFailure("the Entra ID token supplier failed (" + detail + ")", context, failure);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private Request request(Target target, Request.Builder b, Endpoint endpoint, ErrorContext context, String header,
            String headerValue, String what) {
        http.credentialHeader(b, header, headerValue, what, context);
        http.headers(b, target.headers(), context);
        http.headers(b, endpoint.headers(), context);
        return b.build();
    }
}
