package io.llmrouter.proxy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.llmrouter.ChatStream;
import io.llmrouter.RequestOptions;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.StreamOptions;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.json.OpenAiJson;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code /v1/chat/completions} (JSON and SSE), {@code /v1/embeddings}, {@code /v1/models}, and the
 * non-streamed {@code /v1/completions}, {@code /v1/moderations}, {@code /v1/images/generations},
 * {@code /v1/rerank} and {@code /v1/responses}.
 */
final class OpenAiRoutes {

    private final ProxyApp app;

    OpenAiRoutes(ProxyApp app) {
        this.app = app;
    }

    void register(RoutesConfig routes) {
        for (String prefix : List.of("/v1", "")) {
            app.route(routes, "POST", prefix + "/chat/completions", this::chat);
            app.route(routes, "POST", prefix + "/embeddings", this::embeddings);
            app.route(routes, "GET", prefix + "/models", this::models);
            app.route(routes, "POST", prefix + "/completions", ctx -> serve(ctx, EndpointJson::textCompletionRequest,
                    "text_completion", app.router::textCompletion, (q, r) -> EndpointJson.textCompletion(r,
                            "cmpl-" + SpendRecorder.requestId(), app.clock.instant().getEpochSecond())));
            app.route(routes, "POST", prefix + "/moderations", ctx -> serve(ctx, EndpointJson::moderationRequest,
                    "moderation", app.router::moderation,
                    (q, r) -> EndpointJson.moderation(r, "modr-" + SpendRecorder.requestId())));
            app.route(routes, "POST", prefix + "/images/generations", ctx -> serve(ctx, EndpointJson::imageRequest,
                    "image_generation", app.router::imageGeneration,
                    (q, r) -> EndpointJson.images(r, app.clock.instant().getEpochSecond())));
            app.route(routes, "POST", prefix + "/rerank", ctx -> serve(ctx, EndpointJson::rerankRequest, "rerank",
                    app.router::rerank, (q, r) -> EndpointJson.rerank(q, r, SpendRecorder.requestId())));
            app.route(routes, "POST", prefix + "/responses", ctx -> serve(ctx, EndpointJson::responsesRequest,
                    "responses", app.router::responses, (q, r) -> r.body().toString()));
        }
    }

    private Caller caller(Context ctx) {
        return app.auth.authenticate(app.presentedKey(ctx));
    }

    /** 403 when the key may not use {@code model}; then counts the request against the key's rpm/tpm. */
    private void admit(Caller caller, String model) {
        if (!caller.allows(model)) {
            throw ProxyError.forbidden("API key " + caller.key().keyName() + " is not allowed to call model '"
                    + model + "'; allowed: " + caller.key().models());
        }
        if (caller.key() != null) {
            app.limits.acquire(caller.key());
        }
    }

    private RequestOptions options(Caller caller) {
        RequestOptions.Builder b = RequestOptions.builder()
                .timeouts(t -> t.deadline(app.settings.requestTimeout()));
        if (caller.key() != null) {
            b.apiKeyId(caller.key().tokenHash());
        }
        return b.build();
    }

    private void chat(Context ctx) throws IOException {
        Caller caller = caller(ctx);
        ChatRequest request = OpenAiJson.readRequest(app.bodyText(ctx));
        admit(caller, request.model());
        SpendRecorder.Call call = new SpendRecorder.Call(caller, request.model(), "chat", request.user(),
                app.clock.instant());
        if (request.stream()) {
            stream(ctx, request, call, options(caller));
            return;
        }
        ChatResponse response;
        try {
            response = app.router.completion(request, options(caller));
        } catch (RuntimeException e) {
            app.spend.failure(call, e);
            throw e;
        }
        app.spend.success(call, response.usage(), response.cost(), response.routing(), response.cache());
        routingHeaders(ctx, response.routing(), response.cost());
        ctx.status(200).contentType(ProxyApp.JSON).result(OpenAiJson.responseToJson(response));
    }

    private void stream(Context ctx, ChatRequest request, SpendRecorder.Call call, RequestOptions options)
            throws IOException {
        boolean includeUsage = request.streamOptions().map(StreamOptions::includeUsage).orElse(false);
        try (ChatStream stream = app.router.stream(request, options)) {
            Iterator<ChatChunk> chunks = stream.iterator();
            boolean any;
            try {
                any = chunks.hasNext(); // a failure before the first chunk is an ordinary error answer
            } catch (RuntimeException e) {
                app.spend.failure(call, e);
                throw e;
            }
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            res.setContentType("text/event-stream");
            res.setCharacterEncoding("utf-8");
            res.setHeader("cache-control", "no-cache");
            OutputStream out = res.getOutputStream();
            long created = app.clock.instant().getEpochSecond();
            String id = "chatcmpl-proxy";
            String model = request.model();
            try {
                if (any) {
                    do {
                        ChatChunk c = chunks.next();
                        id = c.id();
                        model = c.model();
                        if (usageOnly(c)) {
                            continue; // the usage event below replaces the upstream's
                        }
                        out.write(JsonOut.chunkEvent(c, created, includeUsage));
                        out.flush();
                    } while (chunks.hasNext());
                }
                ChatResponse r = stream.response();
                if (includeUsage) {
                    out.write(JsonOut.usageEvent(id, model, created, r.usage().orElse(Usage.ZERO)));
                }
                out.write(JsonOut.DONE);
                out.flush();
                app.spend.success(call, r.usage(), r.cost(), r.routing(), r.cache());
            } catch (LlmRouterException e) {
                // After the first chunk: OpenAI's error event, then the stream ends.
                app.spend.failure(call, e);
                out.write(JsonOut.event(JsonOut.error(ErrorMapping.map(e, app.clock.instant()))));
                out.flush();
            } catch (IOException e) {
                // The client went away: closing the stream cancels the upstream call.
                app.spend.failure(call, e);
            }
        }
    }

    private static boolean usageOnly(ChatChunk c) {
        return c.usage().isPresent() && c.text().isEmpty() && c.toolCalls().isEmpty() && c.role().isEmpty()
                && c.finishReason().isEmpty() && c.rawFinishReason().isEmpty() && c.reasoning().isEmpty()
                && c.refusal().isEmpty();
    }

    static void routingHeaders(Context ctx, Optional<RoutingInfo> routing, Cost cost) {
        routing.ifPresent(r -> {
            ProxyApp.safeHeader(ctx, "x-llmrouter-deployment", r.deploymentId());
            ProxyApp.safeHeader(ctx, "x-litellm-model-id", r.deploymentId());
            ctx.header("x-llmrouter-attempts", Integer.toString(Math.max(1, r.attempts().size())));
        });
        cost.totalUsd().ifPresent(usd -> {
            ctx.header("x-llmrouter-cost", usd.toPlainString());
            ctx.header("x-litellm-response-cost", usd.toPlainString());
        });
    }

    /**
     * One non-streamed call of {@code callType} served like embeddings: the key first, then the
     * body, the key's model allow-list and limits, the router (budgets by the key's hash), the
     * spend log, the routing headers and the answer.
     */
    private <Q extends RouterRequest, R extends RouterResponse> void serve(Context ctx, Function<ObjectNode, Q> reader,
            String callType, BiFunction<Q, RequestOptions, R> send, BiFunction<Q, R, String> writer)
            throws IOException {
        Caller caller = caller(ctx);
        Q request = reader.apply(objectBody(ctx));
        admit(caller, request.model());
        SpendRecorder.Call call = new SpendRecorder.Call(caller, request.model(), callType, request.user(),
                app.clock.instant());
        R response;
        try {
            response = send.apply(request, options(caller));
        } catch (RuntimeException e) {
            app.spend.failure(call, e);
            throw e;
        }
        app.spend.success(call, response.usage(), response.cost(), response.routing(), response.cache());
        routingHeaders(ctx, response.routing(), response.cost());
        ctx.status(200).contentType(ProxyApp.JSON).result(writer.apply(request, response));
    }

    private ObjectNode objectBody(Context ctx) throws IOException {
        JsonNode body;
        try {
            body = JsonOut.MAPPER.readTree(app.body(ctx));
        } catch (JsonProcessingException e) {
            throw ProxyError.badRequest("$: not JSON");
        }
        if (!(body instanceof ObjectNode o)) {
            throw ProxyError.badRequest("$: expected an object");
        }
        return o;
    }

    private void embeddings(Context ctx) throws IOException {
        Caller caller = caller(ctx);
        ObjectNode o = objectBody(ctx);
        EmbeddingRequest request = embeddingRequest(o);
        String format = o.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw new ProxyError(400, "invalid_request_error", null, "encoding_format",
                    "encoding_format must be 'float' or 'base64'", -1);
        }
        admit(caller, request.model());
        SpendRecorder.Call call = new SpendRecorder.Call(caller, request.model(), "embedding", request.user(),
                app.clock.instant());
        EmbeddingResponse response;
        try {
            response = app.router.embedding(request, options(caller));
        } catch (RuntimeException e) {
            app.spend.failure(call, e);
            throw e;
        }
        app.spend.success(call, response.usage(), response.cost(), response.routing(), response.cache());
        routingHeaders(ctx, response.routing(), response.cost());
        ctx.status(200).contentType(ProxyApp.JSON)
                .result(JsonOut.embeddings(response, request.model(), format.equals("base64")));
    }

    static EmbeddingRequest embeddingRequest(ObjectNode o) {
        JsonNode model = o.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw new ProxyError(400, "invalid_request_error", null, "model", "model: a string is required", -1);
        }
        EmbeddingRequest.Builder b = EmbeddingRequest.builder(model.asText());
        JsonNode input = o.get("input");
        List<String> inputs = new ArrayList<>();
        if (input != null && input.isTextual()) {
            inputs.add(input.asText());
        } else if (input != null && input.isArray()) {
            for (JsonNode i : input) {
                if (!i.isTextual()) {
                    throw new ProxyError(400, "invalid_request_error", null, "input",
                            "input: only strings are supported (not token arrays)", -1);
                }
                inputs.add(i.asText());
            }
        }
        if (inputs.isEmpty()) {
            throw new ProxyError(400, "invalid_request_error", null, "input", "input: a string or an array of"
                    + " strings is required", -1);
        }
        b.inputs(inputs);
        JsonNode dims = o.get("dimensions");
        if (dims != null && !dims.isNull()) {
            if (!dims.canConvertToInt() || dims.asInt() <= 0) {
                throw new ProxyError(400, "invalid_request_error", null, "dimensions",
                        "dimensions: a positive integer is required", -1);
            }
            b.dimensions(dims.asInt());
        }
        JsonNode user = o.get("user");
        if (user != null && user.isTextual()) {
            b.user(user.asText());
        }
        for (Map.Entry<String, JsonNode> f : o.properties()) {
            if (!EmbeddingRequest.TYPED_FIELDS.contains(f.getKey()) && !f.getKey().equals("metadata")) {
                b.putExtraBody(f.getKey(), f.getValue());
            }
        }
        return b.build();
    }

    private void models(Context ctx) {
        Caller caller = caller(ctx);
        List<String> visible = new ArrayList<>();
        for (String group : app.router.modelGroups()) {
            if (caller.allows(group)) {
                visible.add(group);
            }
        }
        ctx.status(200).contentType(ProxyApp.JSON).result(JsonOut.models(visible));
    }
}
