package io.llmrouter.api.rerank;

import java.util.Objects;

/**
 * One ranked document of a {@link RerankResponse}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param index the document's position in the request's documents
 * @param relevanceScore how relevant the document is to the query (higher is more relevant)
 * @param document the document's text when the request asked for it
 *     ({@link RerankRequest#returnDocuments()}), else empty text
 * @since 0.1.0
 */
public record RerankResult(int index, double relevanceScore, String document) {

    /**
     * Checks the values.
     *
     * @throws NullPointerException if {@code document} is null
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public RerankResult {
        Objects.requireNonNull(document, "document");
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, was " + index);
        }
    }
}
