package io.llmrouter.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.llmrouter.RequestOptions;
import io.llmrouter.Router;
import java.util.List;
import java.util.Set;

/**
 * LangChain4j's {@link ChatModel} backed by a {@link Router}: the model name is a model group,
 * and every call gets the router's deployment choice, retries, fallbacks, cooldowns, budgets and
 * cost. Use it wherever LangChain4j takes a chat model, {@code AiServices} included.
 *
 * <pre>{@code
 * ChatModel model = RouterChatModel.builder(router, "gpt-4o").build();
 * Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(new Tools()).build();
 * String answer = assistant.chat("What is the weather in Paris?");
 * }</pre>
 *
 * <p>Messages, text and image content, tools and tool results, JSON mode and JSON schema
 * response formats, and the sampling parameters are mapped to llmrouter's OpenAI-shaped request;
 * the response's metadata is a {@link RouterChatResponseMetadata} with routing and cost. A
 * request's own model name, when set, picks another model group. Errors are LangChain4j's
 * exceptions with the router's typed exception as cause (see {@code src-docs/langchain4j.md});
 * input the OpenAI shape cannot carry (audio, video, PDF, top-k) is refused with
 * {@link dev.langchain4j.exception.UnsupportedFeatureException} before any call.
 *
 * <p>Thread-safe: one instance serves concurrent calls. It does not own the router: closing the
 * router is the application's job.
 *
 * @since 0.1.0
 */
public final class RouterChatModel implements ChatModel {

    private final Router router;
    private final String modelGroup;
    private final RequestOptions options;
    private final ChatRequestParameters defaultParameters;
    private final Set<Capability> capabilities;
    private final List<ChatModelListener> listeners;

    private RouterChatModel(Builder builder) {
        this.router = builder.settings.router();
        this.modelGroup = builder.settings.modelGroup();
        this.options = builder.settings.options();
        this.defaultParameters = builder.settings.defaultParameters();
        this.capabilities = builder.settings.capabilities();
        this.listeners = builder.settings.listeners();
    }

    /**
     * A builder for a model that calls {@code modelGroup} on {@code router}.
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
    public ChatResponse doChat(ChatRequest chatRequest) {
        io.llmrouter.api.chat.ChatRequest request = ModelSettings.map(chatRequest, modelGroup);
        try {
            return ChatMapping.toLangChain4j(router.completion(request, options));
        } catch (RuntimeException e) {
            throw ExceptionMapping.toLangChain4j(e);
        }
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
        return "RouterChatModel{modelGroup=" + modelGroup + ", options=" + options + "}";
    }

    /**
     * Builds a {@link RouterChatModel}. Not thread-safe.
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
        public RouterChatModel build() {
            return new RouterChatModel(this);
        }
    }
}
