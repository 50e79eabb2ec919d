package io.llmrouter.cost;

import java.util.Objects;

/**
 * The result of a {@link PriceTable#lookup(String)}: which table entry matched, and its price.
 *
 * <p>The key may differ from the route looked up: {@code openai/gpt-4o} matches key {@code gpt-4o}, and
 * {@code bedrock/us.anthropic.claude-...} may match {@code anthropic.claude-...}. Immutable and thread-safe.
 *
 * @param key   the table key that matched, e.g. {@code gpt-4o}; use it as {@code Cost.pricedBy}
 * @param price the entry's price
 * @since 0.1.0
 */
public record PriceMatch(String key, ModelPrice price) {

    /**
     * A match.
     *
     * @throws NullPointerException if an argument is null
     */
    public PriceMatch {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(price, "price");
    }
}
