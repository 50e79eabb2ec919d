package io.llmrouter.internal;

import io.llmrouter.FallbackPolicy;
import io.llmrouter.RequestOptions;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.embedding.EmbeddingRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The validate step, first of every request: what makes a request unsendable is found before any
 * routing or network call, and the request fails at once with a {@code BadRequestException}.
 */
final class RequestValidation {

    private RequestValidation() {
    }

    /**
     * What is wrong with {@code request} for a router with {@code groups}: no messages or inputs,
     * a value no provider accepts ({@link RequestValues}), an unknown model group (unless the
     * fallback policy, the router's with the request's over it, sends it to default fallbacks),
     * or a request fallback naming one, or a {@link RequestOptions#deployment() deployment id} the
     * router does not have; empty when it may be routed.
     */
    static Optional<String> problem(RouterRequest request, RequestOptions options, RouterEngine engine,
            FallbackPolicy routerFallbacks) {
        if (request instanceof ChatRequest chat && chat.messages().isEmpty()) {
            return Optional.of("messages must not be empty: send at least one message");
        }
        if (request instanceof EmbeddingRequest embedding && embedding.inputs().isEmpty()) {
            return Optional.of("inputs must not be empty: send at least one text to embed");
        }
        Optional<String> unsendable = RequestValues.problem(request);
        if (unsendable.isPresent()) {
            return unsendable;
        }
        Optional<String> pinned = options.deployment();
        if (pinned.isPresent()) {
            // The deployment decides the group: the request's model name is not routed.
            return engine.deploymentState(pinned.get()) != null ? Optional.empty()
                    : Optional.of("unknown deployment id '" + pinned.get() + "'; known ids: "
                            + engine.deploymentIds());
        }
        if (!engine.hasGroup(request.model()) && !fallsBackFromUnknownGroup(options, routerFallbacks)) {
            return Optional.of(unknownGroup(request.model(), engine.modelGroups()));
        }
        for (String g : options.fallbackPolicy().map(FallbackPolicy::modelGroups).orElse(Set.of())) {
            if (!engine.hasGroup(g)) {
                return Optional.of("request fallback names unknown model group '" + g + "'; known groups: "
                        + engine.modelGroups());
            }
        }
        return Optional.empty();
    }

    private static boolean fallsBackFromUnknownGroup(RequestOptions options, FallbackPolicy routerFallbacks) {
        FallbackPolicy p = options.fallbackPolicy().map(routerFallbacks::overriddenBy).orElse(routerFallbacks);
        return p.isFallbackFromUnknownGroups() && !p.defaultFallbacks().isEmpty() && p.maxDepth() > 0;
    }

    /** The message of a request for a model group the router does not have. */
    static String unknownGroup(String model, Set<String> known) {
        return "unknown model group '" + model + "'; known groups: " + known;
    }
}
