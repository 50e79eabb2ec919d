package io.llmrouter.langchain4j;

import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import io.llmrouter.RequestOptions;
import io.llmrouter.Router;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** What the chat and streaming chat models share: their builders' settings and the request mapping. */
final class ModelSettings {

    private ModelSettings() {
    }

    /** The router request, with llmrouter's own argument checks reported as LangChain4j's invalid request. */
    static io.llmrouter.api.chat.ChatRequest map(ChatRequest request, String modelGroup) {
        Objects.requireNonNull(request, "chatRequest");
        try {
            return ChatMapping.toRouter(request, modelGroup);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }

    static final class Builder {

        private final Router router;
        private final String modelGroup;
        private RequestOptions options = RequestOptions.none();
        private ChatRequestParameters parameters;
        private Set<Capability> capabilities = Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
        private List<ChatModelListener> listeners = List.of();

        Builder(Router router, String modelGroup) {
            this.router = Objects.requireNonNull(router, "router");
            this.modelGroup = Objects.requireNonNull(modelGroup, "modelGroup");
            if (modelGroup.isBlank()) {
                throw new IllegalArgumentException("modelGroup is blank");
            }
        }

        void options(RequestOptions options) {
            this.options = Objects.requireNonNull(options, "options");
        }

        void defaultParameters(ChatRequestParameters parameters) {
            this.parameters = Objects.requireNonNull(parameters, "parameters");
        }

        void capabilities(Set<Capability> capabilities) {
            this.capabilities = Set.copyOf(capabilities);
        }

        void listeners(List<ChatModelListener> listeners) {
            this.listeners = List.copyOf(listeners);
        }

        Router router() {
            return router;
        }

        String modelGroup() {
            return modelGroup;
        }

        RequestOptions options() {
            return options;
        }

        ChatRequestParameters defaultParameters() {
            ChatRequestParameters group = ChatRequestParameters.builder().modelName(modelGroup).build();
            return parameters == null ? group : group.overrideWith(parameters);
        }

        Set<Capability> capabilities() {
            return capabilities;
        }

        List<ChatModelListener> listeners() {
            return listeners;
        }
    }
}
