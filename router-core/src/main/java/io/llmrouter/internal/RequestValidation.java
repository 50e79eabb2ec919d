package io.llmrouter.internal;

import io.llmrouter.FallbackPolicy;
import io.llmrouter.RequestOptions;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.embedding.EmbeddingRequest;
import java.util.List;
import java.util.Map;
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
     * or a request fallback naming one; empty when it may be routed.
     */
    static Optional<String> problem(RouterRequest request, RequestOptions options, Map<String, ModelGroup> groups,
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
        if (!groups.containsKey(request.model()) && !fallsBackFromUnknownGroup(options, routerFallbacks)) {
            return Optional.of(unknownGroup(request.model(), groups.keySet()));
        }
        for (String g : options.fallbackPolicy().map(FallbackPolicy::modelGroups).orElse(Set.of())) {
            if (!groups.containsKey(g)) {
                return Optional.of("request fallback names unknown model group '" + g + "'; known groups: "
                        + groups.keySet());
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
