package io.llmrouter.api;

import io.llmrouter.api.chat.CacheInfo;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import java.util.Optional;

/**
 * What every response the router returns has in common: the model that answered, token usage,
 * cost and routing. Implemented by {@link io.llmrouter.api.chat.ChatResponse} and
 * {@link io.llmrouter.api.embedding.EmbeddingResponse}.
 *
 * @since 0.1.0
 */
public interface RouterResponse {

    /** The model that answered, as the provider names it. */
    String model();

    /** Token usage, when the provider reported it. */
    Optional<Usage> usage();

    /** The cost, or an explicit unpriced state. */
    Cost cost();

    /** How the router served the request; empty for a response straight from a provider. */
    Optional<RoutingInfo> routing();

    /**
     * How the response came from the router's response cache.
     *
     * @return the cache information, or empty when a provider answered this request
     * @since 0.1.0
     */
    default Optional<CacheInfo> cache() {
        return Optional.empty();
    }
}
