package io.llmrouter.spi;

import io.llmrouter.api.RouterRequest;
import java.util.random.RandomGenerator;

/**
 * What a {@link RoutingStrategy} knows about the request being routed.
 *
 * @since 0.1.0
 */
public interface RoutingContext {

    /**
     * The request, as the caller sent it: a {@link io.llmrouter.api.chat.ChatRequest} or an
     * {@link io.llmrouter.api.embedding.EmbeddingRequest}.
     */
    RouterRequest request();

    /** The model group being served (differs from {@code request().model()} during a fallback). */
    String modelGroup();

    /** The router's random source; seeded in tests for deterministic choices. */
    RandomGenerator random();

    /** The request's estimated input tokens (see the router's token estimation rules). */
    int estimatedInputTokens();

    /**
     * The output tokens to expect: the request's {@code max_completion_tokens} or
     * {@code max_tokens}, else a default for pricing estimates (0 for embeddings).
     */
    int expectedOutputTokens();

    /** Whether the request is streamed (then time to first token is what latency means). */
    default boolean streaming() {
        return false;
    }
}
