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
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.definition.ToolDefinition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * A Spring AI 2.0 {@link ChatModel} (and {@code StreamingChatModel}) backed by a {@link Router}: the
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
 * Spring AI's {@link ToolCallingManager}; the model returns the tool calls and, as with Spring AI
 * 2.0's own models, {@code ChatClient}'s tool calling advisor runs them and calls again; an output
 * schema as a {@code json_schema}
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
 * subscription cancels the call. Chunks are emitted on the router's HTTP threads.
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

    private RouterChatModel(Builder b) {
        this.router = b.router;
        this.defaultOptions = b.defaultOptions.withModel(b.modelGroup);
        this.toolCallingManager = b.toolCallingManager != null ? b.toolCallingManager : ToolCallingManager.builder().build();
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
        return SpringAiMapping.response(router.completion(SpringAiMapping.request(prompt, options, tools(options))), true);
    }

    @Override
    public Flux<ChatResponse> stream(Prompt prompt) {
        Objects.requireNonNull(prompt, "prompt");
        return Flux.defer(() -> {
            RouterChatOptions options = options(prompt);
            ChatRequest request = SpringAiMapping.request(prompt, options, tools(options));
            return Flux.create(sink -> {
                CompletableFuture<io.llmrouter.api.chat.ChatResponse> done = router.streamAsync(request, chunk ->
                        chunk.text().filter(t -> !t.isEmpty()).ifPresent(t -> sink.next(SpringAiMapping.chunk(chunk, t))));
                sink.onDispose(() -> done.cancel(true));
                done.whenComplete((r, e) -> complete(sink, r, e));
            }, FluxSink.OverflowStrategy.BUFFER);
        });
    }

    private static void complete(FluxSink<ChatResponse> sink, io.llmrouter.api.chat.ChatResponse r, Throwable e) {
        if (e != null) {
            sink.error(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            return;
        }
        try {
            sink.next(SpringAiMapping.response(r, false));
            sink.complete();
        } catch (RuntimeException mappingFailure) {
            sink.error(mappingFailure);
        }
    }

    private List<ToolDefinition> tools(RouterChatOptions options) {
        return toolCallingManager.resolveToolDefinitions(options);
    }

    private RouterChatOptions options(Prompt prompt) {
        ChatOptions given = prompt.getOptions();
        RouterChatOptions options = given == null ? defaultOptions : RouterChatOptions.from(given).withDefaults(defaultOptions);
        if (options.getModel() == null || options.getModel().isBlank()) {
            options = options.withModel(defaultOptions.getModel());
        }
        return options;
    }

    /**
     * The default options (with the default model group as the model): a {@link RouterChatOptions},
     * so {@code ChatClient} builds each request's options from them ({@code mutate()}), tools included.
     */
    @Override
    public ChatOptions getOptions() {
        return defaultOptions;
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
        private RouterChatOptions defaultOptions = RouterChatOptions.builder().build();
        private ToolCallingManager toolCallingManager;

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
         * @param defaultOptions the options
         * @return this builder
         */
        public Builder defaultOptions(RouterChatOptions defaultOptions) {
            this.defaultOptions = Objects.requireNonNull(defaultOptions, "defaultOptions");
            return this;
        }

        /**
         * The tool calling manager that resolves the tools' definitions; default Spring AI's
         * {@code ToolCallingManager.builder().build()}.
         *
         * @param toolCallingManager the manager, e.g. the application context's bean
         * @return this builder
         */
        public Builder toolCallingManager(ToolCallingManager toolCallingManager) {
            this.toolCallingManager = Objects.requireNonNull(toolCallingManager, "toolCallingManager");
            return this;
        }

        /** The chat model. */
        public RouterChatModel build() {
            return new RouterChatModel(this);
        }
    }
}
