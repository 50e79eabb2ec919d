package io.llmrouter.springai;

import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.springai.internal.SpringAiMapping;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolExecutionEligibilityPredicate;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionEligibilityPredicate;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.tool.definition.ToolDefinition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * A Spring AI {@link ChatModel} (and {@code StreamingChatModel}) backed by a {@link Router}: the
 * model is a model group of the router, so calls get its routing, retries, fallbacks, budgets and
 * cost. Usable from {@code ChatClient} with advisors, tool calling and structured output.
 *
 * <pre>{@code
 * ChatModel model = RouterChatModel.builder(router, "gpt-4o").build();
 * String answer = ChatClient.create(model).prompt("Hi").call().content();
 * }</pre>
 *
 * <p><b>Mapping.</b> System, user (text and images), assistant (with tool calls) and tool
 * messages; the options of {@link RouterChatOptions} (any Spring AI {@link ChatOptions} works: its
 * portable values are taken; {@code options.model} names another group or alias); tools through
 * Spring AI's {@link ToolCallingManager}, run by this model as Spring AI's own models do unless
 * {@code internalToolExecutionEnabled} is false; an output schema as a {@code json_schema}
 * response format. The response carries Spring AI's {@code Usage} (the router's usage as its
 * native usage), the finish reason per generation, and in its metadata
 * {@value #METADATA_COST_USD} ({@code BigDecimal}, when priced), {@value #METADATA_DEPLOYMENT_ID},
 * {@value #METADATA_MODEL_GROUP}, {@value #METADATA_PROVIDER_ROUTE}, {@value #METADATA_ATTEMPTS}
 * ({@code List<io.llmrouter.api.chat.Attempt>}), {@value #METADATA_FALLBACK} and
 * {@value #METADATA_RESPONSE} (the router's whole response).
 *
 * <p><b>Errors.</b> Spring AI has no exception hierarchy of its own, so the router's typed
 * exceptions reach the caller unchanged: {@code call} throws a
 * {@link io.llmrouter.api.exception.LlmRouterException} subtype ({@code RateLimitException},
 * {@code NoDeploymentAvailableException}, {@code BudgetExceededException}, ...), after the router's
 * retries and fallbacks; {@code stream} signals it as the {@code Flux}'s error. A prompt the
 * router cannot express (a non-image media, an invalid schema) fails with
 * {@link IllegalArgumentException} before any call.
 *
 * <p><b>Streaming.</b> Each text chunk is one {@link ChatResponse}; a last one, with no text,
 * carries the finish reason, the tool calls, the usage and the router's metadata. Cancelling the
 * subscription cancels the call. Chunks are emitted on the router's HTTP threads; tools run on
 * Reactor's bounded-elastic scheduler.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RouterChatModel implements ChatModel {

    /** Metadata key: the call's cost in USD, a {@code BigDecimal}; absent when unpriced. */
    public static final String METADATA_COST_USD = "llmrouter.cost-usd";
    /** Metadata key: the id of the deployment that answered. */
    public static final String METADATA_DEPLOYMENT_ID = "llmrouter.deployment-id";
    /** Metadata key: the model group that answered (after fallbacks). */
    public static final String METADATA_MODEL_GROUP = "llmrouter.model-group";
    /** Metadata key: the provider route of the deployment that answered. */
    public static final String METADATA_PROVIDER_ROUTE = "llmrouter.provider-route";
    /** Metadata key: every attempt, a {@code List<io.llmrouter.api.chat.Attempt>}. */
    public static final String METADATA_ATTEMPTS = "llmrouter.attempts";
    /** Metadata key: whether a fallback group answered, a {@code Boolean}. */
    public static final String METADATA_FALLBACK = "llmrouter.fallback";
    /** Metadata key: the router's whole {@code io.llmrouter.api.chat.ChatResponse}. */
    public static final String METADATA_RESPONSE = "llmrouter.response";

    private final Router router;
    private final RouterChatOptions defaultOptions;
    private final ToolCallingManager toolCallingManager;
    private final ToolExecutionEligibilityPredicate toolExecutionEligibility;

    private RouterChatModel(Builder b) {
        this.router = b.router;
        this.defaultOptions = b.defaultOptions.copy();
        this.defaultOptions.setModel(b.modelGroup);
        this.toolCallingManager = b.toolCallingManager != null ? b.toolCallingManager : ToolCallingManager.builder().build();
        this.toolExecutionEligibility = b.toolExecutionEligibility;
    }

    /**
     * A builder of a chat model over {@code router}'s {@code modelGroup}.
     *
     * @param router the router
     * @param modelGroup the default model group (or alias); a prompt's {@code options.model} overrides it
     * @return the builder
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(Router router, String modelGroup) {
        return new Builder(router, modelGroup);
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        Objects.requireNonNull(prompt, "prompt");
        RouterChatOptions options = options(prompt);
        return call(new Prompt(prompt.getInstructions(), options), options);
    }

    private ChatResponse call(Prompt prompt, RouterChatOptions options) {
        ChatRequest request = SpringAiMapping.request(prompt, options, tools(options));
        ChatResponse response = SpringAiMapping.response(router.completion(request), true);
        if (!toolExecutionEligibility.isToolExecutionRequired(options, response)) {
            return response;
        }
        ToolExecutionResult result = toolCallingManager.executeToolCalls(prompt, response);
        if (result.returnDirect()) {
            return ChatResponse.builder().from(response).generations(ToolExecutionResult.buildGenerations(result)).build();
        }
        return call(new Prompt(result.conversationHistory(), options), options);
    }

    @Override
    public Flux<ChatResponse> stream(Prompt prompt) {
        Objects.requireNonNull(prompt, "prompt");
        return Flux.defer(() -> {
            RouterChatOptions options = options(prompt);
            return stream(new Prompt(prompt.getInstructions(), options), options);
        });
    }

    private Flux<ChatResponse> stream(Prompt prompt, RouterChatOptions options) {
        ChatRequest request = SpringAiMapping.request(prompt, options, tools(options));
        Flux<Streamed> streamed = Flux.create(sink -> {
            CompletableFuture<io.llmrouter.api.chat.ChatResponse> done = router.streamAsync(request, chunk ->
                    chunk.text().filter(t -> !t.isEmpty())
                            .ifPresent(t -> sink.next(new Streamed(SpringAiMapping.chunk(chunk, t), null))));
            sink.onDispose(() -> done.cancel(true));
            done.whenComplete((r, e) -> complete(sink, r, e));
        }, FluxSink.OverflowStrategy.BUFFER);
        return streamed.concatMap(s -> {
            if (s.full == null || !toolExecutionEligibility.isToolExecutionRequired(options, s.full)) {
                return Flux.just(s.emitted);
            }
            return Flux.defer(() -> {
                ToolExecutionResult result = toolCallingManager.executeToolCalls(prompt, s.full);
                if (result.returnDirect()) {
                    return Flux.just(ChatResponse.builder().from(s.emitted)
                            .generations(ToolExecutionResult.buildGenerations(result)).build());
                }
                return stream(new Prompt(result.conversationHistory(), options), options);
            }).subscribeOn(Schedulers.boundedElastic());
        });
    }

    private static void complete(FluxSink<Streamed> sink, io.llmrouter.api.chat.ChatResponse r, Throwable e) {
        if (e != null) {
            sink.error(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            return;
        }
        try {
            sink.next(new Streamed(SpringAiMapping.response(r, false), SpringAiMapping.response(r, true)));
            sink.complete();
        } catch (RuntimeException mappingFailure) {
            sink.error(mappingFailure);
        }
    }

    /** What the stream emits, and for its last item the full response tools are run from. */
    private record Streamed(ChatResponse emitted, ChatResponse full) {
    }

    private List<ToolDefinition> tools(RouterChatOptions options) {
        return toolCallingManager.resolveToolDefinitions(options);
    }

    private RouterChatOptions options(Prompt prompt) {
        ChatOptions given = prompt.getOptions();
        RouterChatOptions options = given == null ? defaultOptions.copy() : RouterChatOptions.from(given).withDefaults(defaultOptions);
        if (options.getModel() == null || options.getModel().isBlank()) {
            options.setModel(defaultOptions.getModel());
        }
        return options;
    }

    /** A copy of the default options (with the default model group as the model). */
    @Override
    public ChatOptions getDefaultOptions() {
        return defaultOptions.copy();
    }

    @Override
    public String toString() {
        return "RouterChatModel[modelGroup=" + defaultOptions.getModel() + "]";
    }

    /**
     * Builds a {@link RouterChatModel}; not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final Router router;
        private final String modelGroup;
        private RouterChatOptions defaultOptions = new RouterChatOptions();
        private ToolCallingManager toolCallingManager;
        private ToolExecutionEligibilityPredicate toolExecutionEligibility = new DefaultToolExecutionEligibilityPredicate();

        private Builder(Router router, String modelGroup) {
            this.router = Objects.requireNonNull(router, "router");
            this.modelGroup = Objects.requireNonNull(modelGroup, "modelGroup");
            if (modelGroup.isBlank()) {
                throw new IllegalArgumentException("modelGroup must not be blank");
            }
        }

        /**
         * The options every prompt starts from (its own values win); default none. Their model is
         * replaced by the builder's model group.
         *
         * @param defaultOptions the options; copied
         * @return this builder
         */
        public Builder defaultOptions(RouterChatOptions defaultOptions) {
            this.defaultOptions = Objects.requireNonNull(defaultOptions, "defaultOptions").copy();
            return this;
        }

        /**
         * The tool calling manager that resolves and runs tools; default Spring AI's
         * {@code ToolCallingManager.builder().build()}.
         *
         * @param toolCallingManager the manager, e.g. the application context's bean
         * @return this builder
         */
        public Builder toolCallingManager(ToolCallingManager toolCallingManager) {
            this.toolCallingManager = Objects.requireNonNull(toolCallingManager, "toolCallingManager");
            return this;
        }

        /**
         * Decides whether a response's tool calls are run by the model; default Spring AI's
         * {@link DefaultToolExecutionEligibilityPredicate}.
         *
         * @param predicate the predicate
         * @return this builder
         */
        public Builder toolExecutionEligibilityPredicate(ToolExecutionEligibilityPredicate predicate) {
            this.toolExecutionEligibility = Objects.requireNonNull(predicate, "predicate");
            return this;
        }

        /** The chat model. */
        public RouterChatModel build() {
            return new RouterChatModel(this);
        }
    }
}
