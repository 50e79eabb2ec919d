package io.llmrouter.opentelemetry;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.ErrorTypes;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.spi.RouterCall;
import io.llmrouter.spi.RouterListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenTelemetry spans for a router: a {@link RouterListener} that makes one {@link SpanKind#CLIENT}
 * span per router call and one child span per attempt (each call to a deployment), after the
 * OpenTelemetry GenAI client semantic conventions.
 *
 * <pre>{@code
 * RouterTracing tracing = RouterTracing.create(openTelemetry);
 * Router router = Router.builder().listener(tracing).deployment(...).build();
 * }</pre>
 *
 * <p>The call's span is a child of the context current when the caller called the router
 * ({@code completion}, {@code completionAsync}, {@code stream}, ...), captured on the caller's
 * thread; its attempt spans are children of it, on whatever thread they run (retries after a
 * backoff, fallbacks, HTTP client threads). The call span is named {@code "chat <group>"} (or
 * {@code "embeddings <group>"}) and carries {@code gen_ai.operation.name},
 * {@code gen_ai.request.model} (the model group asked for), {@code gen_ai.request.temperature},
 * {@code gen_ai.request.max_tokens}; on an answer {@code gen_ai.provider.name},
 * {@code gen_ai.response.model}, {@code gen_ai.response.id}, {@code gen_ai.response.finish_reasons},
 * {@code gen_ai.usage.input_tokens}, {@code gen_ai.usage.output_tokens} and the router's
 * {@value #DEPLOYMENT_ID}, {@value #MODEL_GROUP} (the group that answered), {@value #FALLBACK},
 * {@value #ATTEMPTS}, {@value #COST_USD}; on a failure the error status and {@code error.type}. An
 * attempt span is named {@code "chat <provider model>"} and carries {@code gen_ai.provider.name},
 * {@code gen_ai.request.model} (the provider's model), {@code server.address} (when
 * {@linkplain #bind bound} and the deployment has an API base), {@value #DEPLOYMENT_ID},
 * {@value #MODEL_GROUP}, {@value #ATTEMPT_NUMBER}, and {@code error.type} when it failed. Events:
 * {@code retry} and {@code fallback} and {@code budget_exceeded} on the call span;
 * {@code cooldown}, {@code first_token} and {@code stream_end} on the attempt span.
 *
 * <p>Prompt and completion content ({@code gen_ai.input.messages}, {@code gen_ai.output.messages})
 * are recorded only when the builder is told to {@linkplain Builder#captureContent() capture
 * content}; API keys never are (no request or response carries one).
 *
 * <p>The attempt span is not made current during the provider call (a listener cannot wrap it),
 * so an HTTP client instrumentation's spans hang under the caller's context. Thread-safe; one
 * instance may serve several routers.
 *
 * @since 0.1.0
 */
public final class RouterTracing implements RouterListener {

    /** The instrumentation scope name of the tracer: {@value}. */
    public static final String INSTRUMENTATION_NAME = "io.llmrouter";
    /** Attribute: the deployment called (attempt) or that answered (call). */
    public static final String DEPLOYMENT_ID = "llmrouter.deployment.id";
    /** Attribute: the model group of the attempt, or the group that answered the call. */
    public static final String MODEL_GROUP = "llmrouter.model_group";
    /** Attribute: the attempt's number in its call (1 for the first, over every group). */
    public static final String ATTEMPT_NUMBER = "llmrouter.attempt";
    /** Attribute: how many attempts the call made. */
    public static final String ATTEMPTS = "llmrouter.attempts";
    /** Attribute: whether a fallback group answered the call. */
    public static final String FALLBACK = "llmrouter.fallback";
    /** Attribute: the call's cost in USD, when priced. */
    public static final String COST_USD = "llmrouter.cost.usd";
    /** Attribute: the call's id, as in the SLF4J MDC's {@code llmrouter.request_id}. */
    public static final String REQUEST_ID = "llmrouter.request_id";

    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
    static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey(
            "gen_ai.response.finish_reasons");
    static final AttributeKey<Double> TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
    static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey(DEPLOYMENT_ID);
    static final AttributeKey<String> GROUP = AttributeKey.stringKey(MODEL_GROUP);
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey(ATTEMPT_NUMBER);
    static final AttributeKey<Long> ATTEMPT_COUNT = AttributeKey.longKey(ATTEMPTS);
    static final AttributeKey<Boolean> IS_FALLBACK = AttributeKey.booleanKey(FALLBACK);
    static final AttributeKey<Double> COST = AttributeKey.doubleKey(COST_USD);
    static final AttributeKey<String> ID = AttributeKey.stringKey(REQUEST_ID);
    static final AttributeKey<String> TO_GROUP = AttributeKey.stringKey("llmrouter.fallback_group");
    static final AttributeKey<Long> RETRY_NUMBER = AttributeKey.longKey("llmrouter.retry_number");
    static final AttributeKey<Long> DELAY_MS = AttributeKey.longKey("llmrouter.retry_delay_ms");
    static final AttributeKey<String> COOLING_UNTIL = AttributeKey.stringKey("llmrouter.cooldown.until");
    static final AttributeKey<Long> TTFT_MS = AttributeKey.longKey("llmrouter.time_to_first_token_ms");
    static final AttributeKey<Long> CHUNKS = AttributeKey.longKey("llmrouter.stream.chunks");
    static final AttributeKey<Boolean> CACHE_HIT = AttributeKey.booleanKey("llmrouter.cache.hit");
    static final AttributeKey<Long> CACHE_AGE_MS = AttributeKey.longKey("llmrouter.cache.age_ms");

    private final Tracer tracer;
    private final boolean captureContent;
    /** The spans of each call in flight: added at its start, removed at its end. */
    private final Map<RouterCall, CallSpans> calls = new ConcurrentHashMap<>();
    /** The bound routers' deployments' API hosts, for server.address. */
    private final Map<String, URI> servers = new ConcurrentHashMap<>();

    private RouterTracing(Builder b) {
        this.tracer = b.openTelemetry.getTracer(INSTRUMENTATION_NAME);
        this.captureContent = b.captureContent;
    }

    /**
     * Tracing on {@code openTelemetry}'s tracer provider, without content.
     *
     * @param openTelemetry the OpenTelemetry instance (its tracer {@value #INSTRUMENTATION_NAME})
     * @return the tracing, to register with {@link Router.Builder#listener}
     * @throws NullPointerException if {@code openTelemetry} is null
     */
    public static RouterTracing create(OpenTelemetry openTelemetry) {
        return builder(openTelemetry).build();
    }

    /**
     * A builder of tracing on {@code openTelemetry}'s tracer provider.
     *
     * @param openTelemetry the OpenTelemetry instance
     * @return the builder
     * @throws NullPointerException if {@code openTelemetry} is null
     */
    public static Builder builder(OpenTelemetry openTelemetry) {
        return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    /**
     * Learns {@code router}'s deployments' API bases, so attempt spans carry {@code server.address}
     * and {@code server.port} (a deployment without an explicit API base has none). Optional. After
     * a live change to the router ({@link Router#apply}), bind it again to learn the new API bases.
     *
     * @param router the router this instance listens to
     * @return this
     * @throws NullPointerException if {@code router} is null
     */
    public RouterTracing bind(Router router) {
        for (Deployment d : Objects.requireNonNull(router, "router").deployments()) {
            servers.remove(d.id()); // bound again after a live change: the deployment's base may be gone
            d.apiBase().ifPresent(base -> {
                try {
                    URI uri = URI.create(base);
                    if (uri.getHost() != null) {
                        servers.put(d.id(), uri);
                    }
                } catch (IllegalArgumentException e) {
                    // not a URI: no server.address
                }
            });
        }
        return this;
    }

    /** A call's spans: its own, its context (the attempts' parent), and the attempt in flight. */
    private static final class CallSpans {
        final Span span;
        final Context context;
        /** Attempts run one after another: at most one is open. */
        volatile Span attempt;

        CallSpans(Span span, Context context) {
            this.span = span;
            this.context = context;
        }
    }

    // ---- Events ----

    @Override
    public void onRequestStart(RouterCall call) {
        Context parent = Context.current();
        String operation = call.kind().operationName();
        Span span = tracer.spanBuilder(operation + " " + call.modelGroup()).setSpanKind(SpanKind.CLIENT)
                .setParent(parent)
                .setAttribute(OPERATION_NAME, operation)
                .setAttribute(REQUEST_MODEL, call.modelGroup())
                .setAttribute(ID, call.id())
                .startSpan();
        RouterRequest request = call.request();
        if (request instanceof ChatRequest chat) {
            chat.temperature().ifPresent(t -> span.setAttribute(TEMPERATURE, t));
            chat.maxCompletionTokens().ifPresentOrElse(m -> span.setAttribute(MAX_TOKENS, (long) m),
                    () -> chat.maxTokens().ifPresent(m -> span.setAttribute(MAX_TOKENS, (long) m)));
            if (captureContent) {
                span.setAttribute(INPUT_MESSAGES, Content.messages(chat.messages()));
            }
        }
        calls.put(call, new CallSpans(span, parent.with(span)));
    }

    @Override
    public void onAttemptStart(RouterCall call, String deploymentId, String modelGroup, String providerRoute,
            int attemptNumber) {
        CallSpans c = calls.get(call);
        if (c == null) {
            return;
        }
        int slash = providerRoute.indexOf('/');
        String provider = slash < 0 ? providerRoute : providerRoute.substring(0, slash);
        String model = slash < 0 ? providerRoute : providerRoute.substring(slash + 1);
        String operation = call.kind().operationName();
        var builder = tracer.spanBuilder(operation + " " + model).setSpanKind(SpanKind.CLIENT).setParent(c.context)
                .setAttribute(OPERATION_NAME, operation)
                .setAttribute(PROVIDER_NAME, provider)
                .setAttribute(REQUEST_MODEL, model)
                .setAttribute(DEPLOYMENT, deploymentId)
                .setAttribute(GROUP, modelGroup)
                .setAttribute(ATTEMPT, (long) attemptNumber);
        URI server = servers.get(deploymentId);
        if (server != null) {
            builder.setAttribute(SERVER_ADDRESS, server.getHost());
            if (server.getPort() > 0) {
                builder.setAttribute(SERVER_PORT, (long) server.getPort());
            }
        }
        c.attempt = builder.startSpan();
    }

    @Override
    public void onAttempt(RouterCall call, int attemptNumber, Attempt attempt) {
        CallSpans c = calls.get(call);
        Span span = c == null ? null : c.attempt;
        if (span == null) {
            return;
        }
        c.attempt = null;
        if (!attempt.isSuccess()) {
            String type = attempt.errorType().map(ErrorTypes::of).orElse("unknown");
            span.setAttribute(ERROR_TYPE, type);
            span.setStatus(StatusCode.ERROR, attempt.errorMessage().orElse(type));
        }
        span.end();
    }

    @Override
    public void onRetry(RouterCall call, String modelGroup, int retryNumber, Duration delay,
            LlmRouterException cause) {
        CallSpans c = calls.get(call);
        if (c != null) {
            c.span.addEvent("retry", Attributes.of(GROUP, modelGroup, RETRY_NUMBER, (long) retryNumber, DELAY_MS,
                    delay.toMillis(), ERROR_TYPE, ErrorTypes.of(cause)));
        }
    }

    @Override
    public void onFallback(RouterCall call, String fromGroup, String toGroup, LlmRouterException cause) {
        CallSpans c = calls.get(call);
        if (c != null) {
            c.span.addEvent("fallback", Attributes.of(GROUP, fromGroup, TO_GROUP, toGroup, ERROR_TYPE,
                    ErrorTypes.of(cause)));
        }
    }

    @Override
    public void onCooldownStart(RouterCall call, String deploymentId, String modelGroup, Instant until,
            LlmRouterException cause) {
        CallSpans c = calls.get(call);
        if (c != null) {
            Span target = c.attempt != null ? c.attempt : c.span;
            target.addEvent("cooldown", Attributes.of(DEPLOYMENT, deploymentId, GROUP, modelGroup, COOLING_UNTIL,
                    until.toString(), ERROR_TYPE, ErrorTypes.of(cause)));
        }
    }

    @Override
    public void onFirstToken(RouterCall call, String deploymentId, Duration timeToFirstToken) {
        CallSpans c = calls.get(call);
        Span span = c == null ? null : c.attempt;
        if (span != null) {
            span.addEvent("first_token", Attributes.of(TTFT_MS, timeToFirstToken.toMillis()));
        }
    }

    @Override
    public void onStreamEnd(RouterCall call, String deploymentId, int chunks, Duration duration) {
        CallSpans c = calls.get(call);
        Span span = c == null ? null : c.attempt;
        if (span != null) {
            span.addEvent("stream_end", Attributes.of(CHUNKS, (long) chunks));
        }
    }

    @Override
    public void onBudgetExceeded(RouterCall call, BudgetExceededException refusal) {
        CallSpans c = calls.get(call);
        if (c != null) {
            c.span.addEvent("budget_exceeded", Attributes.of(ERROR_TYPE, ErrorTypes.of(refusal)));
        }
    }

    @Override
    public void onSuccess(RouterCall call, RouterResponse response) {
        CallSpans c = calls.remove(call);
        if (c == null) {
            return;
        }
        Span span = c.span;
        span.setAttribute(RESPONSE_MODEL, response.model());
        Optional<Usage> usage = response.usage();
        if (usage.isPresent()) {
            span.setAttribute(INPUT_TOKENS, (long) usage.get().promptTokens());
            span.setAttribute(OUTPUT_TOKENS, (long) usage.get().completionTokens());
        }
        Optional<RoutingInfo> routing = response.routing();
        if (routing.isPresent()) {
            RoutingInfo r = routing.get();
            String route = r.providerRoute();
            int slash = route.indexOf('/');
            span.setAttribute(PROVIDER_NAME, slash < 0 ? route : route.substring(0, slash));
            span.setAttribute(DEPLOYMENT, r.deploymentId());
            span.setAttribute(GROUP, r.modelGroup());
            span.setAttribute(IS_FALLBACK, r.isFallback());
            span.setAttribute(ATTEMPT_COUNT, (long) r.attempts().size());
        }
        Optional<BigDecimal> usd = response.cost().totalUsd();
        usd.ifPresent(v -> span.setAttribute(COST, v.doubleValue()));
        response.cache().ifPresent(hit -> {
            // Answered from the response cache: no attempt span, nothing charged.
            span.setAttribute(CACHE_HIT, true);
            span.setAttribute(CACHE_AGE_MS, hit.age().toMillis());
        });
        if (response instanceof ChatResponse chat) {
            if (!chat.id().isEmpty()) {
                span.setAttribute(RESPONSE_ID, chat.id());
            }
            List<String> reasons = new ArrayList<>(chat.choices().size());
            for (Choice choice : chat.choices()) {
                reasons.add(choice.rawFinishReason());
            }
            span.setAttribute(FINISH_REASONS, reasons);
            if (captureContent) {
                List<Message> out = new ArrayList<>(chat.choices().size());
                for (Choice choice : chat.choices()) {
                    out.add(choice.message());
                }
                span.setAttribute(OUTPUT_MESSAGES, Content.messages(out));
            }
        }
        span.end();
    }

    @Override
    public void onFailure(RouterCall call, LlmRouterException error) {
        CallSpans c = calls.remove(call);
        if (c == null) {
            return;
        }
        Span open = c.attempt;
        if (open != null) {
            open.end(); // not normally: every attempt ends before its call
        }
        String type = ErrorTypes.of(error);
        c.span.setAttribute(ERROR_TYPE, type);
        c.span.setAttribute(ATTEMPT_COUNT, (long) error.attempts().size());
        c.span.setStatus(StatusCode.ERROR, error.getMessage() == null ? type : error.getMessage());
        c.span.end();
    }

    /** The calls whose spans are open (for tests: none once every call ended). */
    int openCalls() {
        return calls.size();
    }

    /**
     * Builds {@link RouterTracing}; not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final OpenTelemetry openTelemetry;
        private boolean captureContent;

        private Builder(OpenTelemetry openTelemetry) {
            this.openTelemetry = openTelemetry;
        }

        /**
         * Records the prompt ({@code gen_ai.input.messages} on the call span) and the answer
         * ({@code gen_ai.output.messages}) as JSON text. Off by default: content may hold personal
         * or secret data, and spans are often kept longer and seen by more people than logs.
         *
         * @return this builder
         */
        public Builder captureContent() {
            this.captureContent = true;
            return this;
        }

        /**
         * Builds the tracing.
         *
         * @return the tracing
         */
        public RouterTracing build() {
            return new RouterTracing(this);
        }
    }
}
