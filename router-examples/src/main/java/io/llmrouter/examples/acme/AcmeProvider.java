package io.llmrouter.examples.acme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolCallDelta;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.StreamHandle;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * The adapter of a made-up vendor, Acme, whose JSON format is not OpenAI's: written from
 * "Writing your own adapter" in {@code src-docs/providers.md} with public API only (the
 * {@code io.llmrouter.spi} SPI, the {@code io.llmrouter.api} types, OkHttp and Jackson), and proved
 * by {@code AcmeProviderContractTest}. Route prefix {@value #NAME}, e.g. {@code acme/acme-large}.
 *
 * <p>Acme's wire format: {@code POST /v1/generate} (or {@code /v1/stream}, which answers with one
 * JSON object per line) with the key in {@code x-acme-key} and a body
 * {@code {"model", "instructions", "turns": [{"speaker": "human"|"agent"|"function", "text", ...}],
 * "functions": [{"name", "description", "schema"}], "limits": {"max_output_tokens", "temperature"}}};
 * an answer {@code {"id", "model", "output", "calls": [{"id", "function", "input"}], "stop":
 * "done"|"call"|"limit"|"blocked", "tokens": {"in", "out"}}}; errors
 * {@code {"error": {"kind", "detail"}}}; the request id in the {@code acme-request-id} header.
 *
 * <p>Thread-safe: one instance serves every deployment with the prefix.
 *
 * @since 0.2.0
 */
public final class AcmeProvider implements Provider {

    /** The route prefix: {@value}. */
    public static final String NAME = "acme";

    /** The vendor's own base URL: {@value}. */
    public static final String DEFAULT_API_BASE = "https://api.acme.example";

    /** The environment variable with the key for calls to {@link #DEFAULT_API_BASE}: {@value}. */
    public static final String KEY_VARIABLE = "ACME_API_KEY";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final String REQUEST_ID_HEADER = "acme-request-id";

    private final OkHttpClient client;
    private final Function<String, String> environment;

    /** An adapter with its own OkHttp client, reading {@value #KEY_VARIABLE} from the environment. */
    public AcmeProvider() {
        this(new OkHttpClient(), System::getenv);
    }

    /**
     * An adapter sending with {@code client}.
     *
     * @param client the OkHttp client (proxy, TLS, interceptors); the call's timeout is set per call
     * @param environment where {@value #KEY_VARIABLE} is read from
     */
    public AcmeProvider(OkHttpClient client, Function<String, String> environment) {
        this.client = Objects.requireNonNull(client, "client");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        ErrorContext context = context(call);
        CompletableFuture<ChatResponse> answer = new CompletableFuture<>();
        Call http;
        try {
            http = newCall(call, false, context);
        } catch (LlmRouterException e) { // bad input or no key: before any network call
            return CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> {
            if (answer.isCancelled()) {
                http.cancel();
            }
        });
        http.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                answer.completeExceptionally(transportFailure(e, context));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    ErrorContext withId = successful(response, call, context);
                    answer.complete(AcmeAnswers.response(jsonBody(response, withId), call.providerModel(), withId));
                } catch (LlmRouterException e) {
                    answer.completeExceptionally(e);
                } catch (IOException e) {
                    answer.completeExceptionally(transportFailure(e, context));
                }
            }
        });
        return answer;
    }

    @Override
    public StreamHandle streamAsync(ProviderCall call, ChunkSink sink) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(sink, "sink");
        ErrorContext context = context(call);
        Call http;
        try {
            http = newCall(call, true, context);
        } catch (LlmRouterException e) {
            sink.onError(e);
            return StreamHandle.NONE;
        }
        AtomicBoolean closed = new AtomicBoolean();
        http.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                fail(transportFailure(e, context));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    ErrorContext withId = successful(response, call, context);
                    readLines(response.body().source(), withId);
                } catch (LlmRouterException e) {
                    fail(e);
                } catch (IOException e) {
                    fail(transportFailure(e, context));
                }
            }

            /** One JSON object a line: text deltas, tool calls, then {@code end} (or {@code error}). */
            private void readLines(BufferedSource lines, ErrorContext withId) throws IOException {
                String id = withId.providerRequestId().orElse("acme-stream");
                int toolCalls = 0;
                for (String line; (line = lines.readUtf8Line()) != null && !closed.get(); ) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode event = AcmeAnswers.parse(line, withId);
                    ChatChunk.Builder chunk = ChatChunk.builder(id, call.providerModel());
                    if (event.has("delta")) {
                        chunk.text(AcmeAnswers.text(event, "delta", withId));
                    } else if (event.has("call")) {
                        ToolCall tc = AcmeAnswers.toolCall(event.get("call"), withId);
                        chunk.addToolCall(ToolCallDelta.of(toolCalls++, tc.id(), tc.name(), tc.arguments()));
                    } else if (event.has("error")) {
                        JsonNode error = event.get("error");
                        int status = "rate_limited".equals(error.path("kind").asText()) ? 429 : 500;
                        throw httpError(status, line, null, call, withId);
                    } else if (event.has("end")) {
                        JsonNode end = event.get("end");
                        deliver(chunk.finishReason(AcmeAnswers.finishReason(end, withId))
                                .usage(AcmeAnswers.usage(end, withId)).build());
                        if (closed.compareAndSet(false, true)) {
                            sink.onComplete();
                        }
                        return;
                    } else {
                        continue; // an event this adapter does not know yet: skip it
                    }
                    deliver(chunk.build());
                }
                fail(new InvalidProviderResponseException(NAME + ": the stream ended before its end event", withId));
            }

            /** Hands a chunk to the sink; a sink that throws ends the stream with a typed failure. */
            private void deliver(ChatChunk chunk) {
                if (closed.get()) {
                    return;
                }
                try {
                    sink.onChunk(chunk);
                } catch (RuntimeException e) {
                    fail(new LlmRouterException(NAME + ": the chunk sink threw " + e.getClass().getName(), context, e));
                }
            }

            private void fail(LlmRouterException error) {
                if (closed.compareAndSet(false, true)) {
                    sink.onError(error);
                }
            }
        });
        return () -> {
            closed.set(true);
            http.cancel();
        };
    }

    /** The HTTP call, with the key and the body checked before anything is sent. */
    private Call newCall(ProviderCall call, boolean streaming, ErrorContext context) {
        String base = call.apiBase().orElse(DEFAULT_API_BASE).replaceAll("/+$", "");
        Request.Builder request = new Request.Builder()
                .url(base + (streaming ? "/v1/stream" : "/v1/generate"))
                .header("User-Agent", "llmrouter-acme-example")
                .header("Accept", streaming ? "application/x-ndjson" : "application/json")
                .post(RequestBody.create(body(call, context).toString(), JSON_TYPE));
        key(call, base, context).ifPresent(key -> request.header("x-acme-key", key.reveal()));
        call.headers().forEach(request::header);
        OkHttpClient timed = client.newBuilder().callTimeout(call.timeout()).build(); // shares the pool
        return timed.newCall(request.build());
    }

    /**
     * The key rule of every adapter: the deployment's key; else, for Acme's own base only, the
     * environment's; else none (a key from the environment never goes to another host).
     */
    private Optional<Secret> key(ProviderCall call, String base, ErrorContext context) {
        if (call.apiKey().isPresent()) {
            Secret key = call.apiKey().get();
            if (!key.isAvailable()) {
                throw new AuthenticationException(NAME + ": the deployment's key variable "
                        + key.environmentVariable().orElse("") + " is not set", context);
            }
            return Optional.of(key);
        }
        if (!base.equals(DEFAULT_API_BASE)) {
            return Optional.empty();
        }
        String value = environment.apply(KEY_VARIABLE);
        if (value == null || value.isBlank()) {
            throw new AuthenticationException(NAME + ": no apiKey and " + KEY_VARIABLE + " is not set", context);
        }
        return Optional.of(Secret.of(value));
    }

    /** The request in Acme's format; what Acme cannot express is a {@link BadRequestException}. */
    private static ObjectNode body(ProviderCall call, ErrorContext context) {
        ChatRequest request = call.request();
        if (request.n().orElse(1) != 1) {
            throw new BadRequestException(NAME + ": Acme answers with one choice only (n=1)", context);
        }
        ObjectNode body = JSON.createObjectNode().put("model", call.providerModel());
        StringBuilder instructions = new StringBuilder();
        ArrayNode turns = JSON.createArrayNode();
        for (Message m : request.messages()) {
            if (m.contentParts().stream().anyMatch(p -> !(p instanceof TextPart))) {
                throw new BadRequestException(NAME + ": Acme takes text only", context);
            }
            switch (m.role()) {
                case SYSTEM, DEVELOPER -> instructions.append(instructions.length() == 0 ? "" : "\n\n").append(m.text());
                case USER -> turns.addObject().put("speaker", "human").put("text", m.text());
                case ASSISTANT -> {
                    ObjectNode turn = turns.addObject().put("speaker", "agent");
                    if (m.hasContent()) {
                        turn.put("text", m.text());
                    }
                    for (ToolCall tc : m.toolCalls()) {
                        turn.withArray("calls").addObject().put("id", tc.id()).put("function", tc.name())
                                .set("input", arguments(tc, context));
                    }
                }
                case TOOL -> turns.addObject().put("speaker", "function")
                        .put("call_id", m.toolCallId().orElseThrow(() -> new BadRequestException(
                                NAME + ": a tool message needs its toolCallId", context)))
                        .put("text", m.text());
            }
        }
        if (instructions.length() > 0) {
            body.put("instructions", instructions.toString());
        }
        body.set("turns", turns);
        for (Tool tool : request.tools()) {
            ObjectNode function = body.withArray("functions").addObject().put("name", tool.name());
            tool.description().ifPresent(d -> function.put("description", d));
            tool.parameters().ifPresent(schema -> function.set("schema", schema));
        }
        ObjectNode limits = JSON.createObjectNode();
        request.maxCompletionTokens().ifPresentOrElse(n -> limits.put("max_output_tokens", n),
                () -> request.maxTokens().ifPresent(n -> limits.put("max_output_tokens", n)));
        request.temperature().ifPresent(t -> limits.put("temperature", t));
        if (!limits.isEmpty()) {
            body.set("limits", limits);
        }
        return body;
    }

    private static JsonNode arguments(ToolCall call, ErrorContext context) {
        try {
            return JSON.readTree(call.arguments());
        } catch (IOException e) {
            throw new BadRequestException(NAME + ": the arguments of tool call " + call.id() + " are not JSON", context);
        }
    }

    /** A 2xx answer's JSON; an HTML page or an empty body is an invalid answer. */
    private static JsonNode jsonBody(Response response, ErrorContext context) throws IOException {
        String type = response.header("Content-Type", "");
        String text = response.body().string();
        if (!type.startsWith("application/json") || text.isBlank()) {
            throw new InvalidProviderResponseException(NAME + ": expected a JSON answer, got '" + type + "' with "
                    + text.length() + " characters", context);
        }
        return AcmeAnswers.parse(text, context);
    }

    /**
     * The one place errors are mapped: the status picks the exception (the library's status
     * table), Acme's {@code kind} refines it; the key is masked wherever the answer quotes it.
     */
    private static LlmRouterException httpError(int status, String body, Response response, ProviderCall call,
            ErrorContext context) {
        JsonNode error = AcmeAnswers.parseOrEmpty(body).path("error");
        String kind = error.path("kind").asText("");
        String detail = error.path("detail").asText("");
        String quoted = NAME + ": HTTP " + status + (kind.isEmpty() ? "" : " " + kind)
                + (detail.isEmpty() ? "" : ": " + detail);
        String message = call.apiKey().map(key -> key.redact(quoted)).orElse(quoted);
        ErrorContext withStatus = context.toBuilder().statusCode(status).build();
        if (status < 500 && "context_too_long".equals(kind)) {
            return new ContextWindowExceededException(message, withStatus);
        }
        if (status < 500 && "blocked".equals(kind)) {
            return new ContentPolicyViolationException(message, withStatus);
        }
        return LlmRouterException.ofStatus(status, message, context, retryAfter(response));
    }

    /** {@code retry-after} in seconds (Acme sends no HTTP dates), or null. */
    private static Duration retryAfter(Response response) {
        String value = response == null ? null : response.header("retry-after");
        try {
            return value == null ? null : Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static LlmRouterException transportFailure(IOException e, ErrorContext context) {
        if (e instanceof InterruptedIOException) {
            return new RequestTimeoutException(NAME + ": no answer in time", context, e);
        }
        return new ProviderConnectionException(NAME + ": connection failed (" + e.getClass().getSimpleName() + ")",
                context, e);
    }

    private static ErrorContext context(ProviderCall call) {
        return ErrorContext.builder().provider(NAME).deploymentId(call.deploymentId()).model(call.providerModel())
                .build();
    }

    /** The context naming Acme's request id, when the answer's status is 2xx; else its typed error. */
    private static ErrorContext successful(Response response, ProviderCall call, ErrorContext context)
            throws IOException {
        String id = response.header(REQUEST_ID_HEADER);
        ErrorContext withId = id == null ? context : context.toBuilder().providerRequestId(id).build();
        if (!response.isSuccessful()) {
            throw httpError(response.code(), response.body().string(), response, call, withId);
        }
        return withId;
    }

    @Override
    public String toString() {
        return "AcmeProvider[" + DEFAULT_API_BASE + "]";
    }
}
