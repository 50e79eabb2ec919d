package io.llmrouter.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.llmrouter.RequestOptions;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.ToolCallDelta;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * LangChain4j's {@link StreamingChatModel} backed by a {@link Router}'s streaming call
 * ({@link Router#streamAsync}): {@code onPartialResponse} for each text delta,
 * {@code onPartialThinking} for each reasoning delta, {@code onPartialToolCall} for each tool
 * call delta, then {@code onCompleteToolCall} for each assembled tool call and
 * {@code onCompleteResponse} with the whole response (usage, finish reason, routing and cost in a
 * {@link RouterChatResponseMetadata}), or {@code onError} with a LangChain4j exception whose cause
 * is the router's typed exception.
 *
 * <pre>{@code
 * StreamingChatModel model = RouterStreamingChatModel.builder(router, "gpt-4o").build();
 * Assistant assistant = AiServices.create(Assistant.class, model);   // TokenStream chat(String)
 * assistant.chat("Tell me a story").onPartialResponse(System.out::print).onCompleteResponse(r -> done())
 *     .onError(Throwable::printStackTrace).start();
 * }</pre>
 *
 * <p>The router retries and falls back only before the first chunk; after it a failure ends the
 * stream with {@code onError}. The handler is called on the thread that delivers the provider's
 * stream (an OkHttp thread for the HTTP adapters), one callback at a time; keep it short. The
 * partial callbacks' {@link StreamingHandle} cancels the call; after a cancel no further callback
 * comes. If the handler throws, the call is cancelled and {@code onError} gets that exception.
 * Mapping errors (unsupported content) are thrown by {@code chat} itself, before any call.
 *
 * <p>Thread-safe: one instance serves concurrent calls. It does not own the router.
 *
 * @since 0.1.0
 */
public final class RouterStreamingChatModel implements StreamingChatModel {

    private final Router router;
    private final String modelGroup;
    private final RequestOptions options;
    private final ChatRequestParameters defaultParameters;
    private final Set<Capability> capabilities;
    private final List<ChatModelListener> listeners;

    private RouterStreamingChatModel(Builder builder) {
        this.router = builder.settings.router();
        this.modelGroup = builder.settings.modelGroup();
        this.options = builder.settings.options();
        this.defaultParameters = builder.settings.defaultParameters();
        this.capabilities = builder.settings.capabilities();
        this.listeners = builder.settings.listeners();
    }

    /**
     * A builder for a model that streams from {@code modelGroup} on {@code router}.
     *
     * @param router the router; not closed by the model
     * @param modelGroup the model group (or alias) requests go to when they name no model
     * @return a builder
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(Router router, String modelGroup) {
        return new Builder(router, modelGroup);
    }

    @Override
    public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        io.llmrouter.api.chat.ChatRequest request = ModelSettings.map(chatRequest, modelGroup);
        Call call = new Call(handler);
        call.start(router.streamAsync(request, options, call::onChunk));
    }

    /** The model group, with the parameters given to the builder as defaults under each request's own. */
    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return defaultParameters;
    }

    @Override
    public List<ChatModelListener> listeners() {
        return listeners;
    }

    /** {@link ModelProvider#OTHER}: the router picks the provider per call. */
    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /** The capabilities given to the builder; by default {@link Capability#RESPONSE_FORMAT_JSON_SCHEMA}. */
    @Override
    public Set<Capability> supportedCapabilities() {
        return capabilities;
    }

    /** The model group requests go to when they name no model. */
    public String modelGroup() {
        return modelGroup;
    }

    @Override
    public String toString() {
        return "RouterStreamingChatModel{modelGroup=" + modelGroup + ", options=" + options + "}";
    }

    /** One streaming call: forwards chunks to the handler until it completes or is cancelled. */
    private static final class Call implements StreamingHandle {

        private final StreamingChatResponseHandler handler;
        private final PartialResponseContext responseContext = new PartialResponseContext(this);
        private final PartialToolCallContext toolCallContext = new PartialToolCallContext(this);
        /** Tool call id and name by index: later deltas of one call carry only arguments. */
        private final Map<Integer, String[]> toolCalls = new HashMap<>();
        private volatile CompletableFuture<ChatResponse> future;
        private volatile boolean cancelled;
        private volatile boolean failed;

        Call(StreamingChatResponseHandler handler) {
            this.handler = handler;
        }

        void start(CompletableFuture<ChatResponse> started) {
            this.future = started;
            if (cancelled) {
                started.cancel(true);
            }
            started.whenComplete(this::onDone);
        }

        void onChunk(ChatChunk chunk) {
            if (cancelled || failed) {
                return;
            }
            try {
                chunk.reasoning().filter(s -> !s.isEmpty())
                        .ifPresent(text -> handler.onPartialThinking(new PartialThinking(text)));
                chunk.text().filter(s -> !s.isEmpty())
                        .ifPresent(text -> handler.onPartialResponse(new PartialResponse(text), responseContext));
                for (ToolCallDelta delta : chunk.toolCalls()) {
                    String[] idAndName = toolCalls.computeIfAbsent(delta.index(), i -> new String[2]);
                    delta.id().ifPresent(id -> idAndName[0] = id);
                    delta.name().ifPresent(name -> idAndName[1] = name);
                    String arguments = delta.arguments().orElse("");
                    if (!arguments.isEmpty()) { // LangChain4j's partial tool call needs a piece of arguments
                        handler.onPartialToolCall(PartialToolCall.builder().index(delta.index()).id(idAndName[0])
                                .name(idAndName[1]).partialArguments(arguments).build(), toolCallContext);
                    }
                }
            } catch (RuntimeException e) {
                failed = true;
                cancelQuietly();
                handler.onError(e);
            }
        }

        private void onDone(ChatResponse response, Throwable error) {
            if (cancelled || failed) {
                return;
            }
            if (error != null) {
                handler.onError(ExceptionMapping.toLangChain4j(error));
                return;
            }
            try {
                List<ToolExecutionRequest> requests = ChatMapping.toolExecutionRequests(response.toolCalls());
                for (int i = 0; i < requests.size(); i++) {
                    handler.onCompleteToolCall(new CompleteToolCall(i, requests.get(i)));
                }
                handler.onCompleteResponse(ChatMapping.toLangChain4j(response));
            } catch (RuntimeException e) {
                handler.onError(e);
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            cancelQuietly();
        }

        private void cancelQuietly() {
            CompletableFuture<ChatResponse> current = future;
            if (current != null) {
                current.cancel(true);
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    /**
     * Builds a {@link RouterStreamingChatModel}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final ModelSettings.Builder settings;

        private Builder(Router router, String modelGroup) {
            this.settings = new ModelSettings.Builder(router, modelGroup);
        }

        /**
         * Per-call router options (retry, fallback, timeouts, cache) for every call of this model.
         * Default {@link RequestOptions#none()}.
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(RequestOptions options) {
            settings.options(options);
            return this;
        }

        /**
         * Default request parameters (temperature, max output tokens, tools...), under each
         * request's own. A model name here replaces the builder's model group.
         *
         * @param parameters the defaults
         * @return this builder
         */
        public Builder defaultRequestParameters(ChatRequestParameters parameters) {
            settings.defaultParameters(parameters);
            return this;
        }

        /**
         * What the model group's deployments support; LangChain4j asks for a JSON schema response
         * format only when {@link Capability#RESPONSE_FORMAT_JSON_SCHEMA} is here. Default: that one.
         *
         * @param capabilities the capabilities (may be empty)
         * @return this builder
         */
        public Builder supportedCapabilities(Set<Capability> capabilities) {
            settings.capabilities(capabilities);
            return this;
        }

        /**
         * LangChain4j listeners, told of each request, response and error.
         *
         * @param listeners the listeners, replacing any given before
         * @return this builder
         */
        public Builder listeners(List<ChatModelListener> listeners) {
            settings.listeners(listeners);
            return this;
        }

        /**
         * Builds the model.
         *
         * @return the model
         */
        public RouterStreamingChatModel build() {
            return new RouterStreamingChatModel(this);
        }
    }
}
