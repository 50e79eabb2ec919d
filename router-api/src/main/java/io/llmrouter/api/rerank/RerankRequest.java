package io.llmrouter.api.rerank;

import io.llmrouter.api.RouterRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A rerank request (Cohere's, Jina's and Voyage's shape): a query and the documents to order by
 * relevance to it; its model names a model group.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class RerankRequest implements RouterRequest {

    private final String model;
    private final String query;
    private final List<String> documents;
    private final int topN;
    private final boolean returnDocuments;
    private final List<String> tags;

    private RerankRequest(Builder b) {
        this.model = b.model;
        this.query = b.query;
        this.documents = List.copyOf(b.documents);
        this.topN = b.topN;
        this.returnDocuments = b.returnDocuments;
        this.tags = List.copyOf(b.tags);
    }

    /**
     * A new builder for a request to {@code model} with {@code query}.
     *
     * @param model the model group
     * @param query the query
     * @return the builder
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(String model, String query) {
        return new Builder(model, query);
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder(model, query).documents(documents).tags(tags).returnDocuments(returnDocuments);
        b.topN = topN;
        return b;
    }

    @Override
    public String model() {
        return model;
    }

    /** The query. */
    public String query() {
        return query;
    }

    /** The documents to rank. */
    public List<String> documents() {
        return documents;
    }

    /** How many of the most relevant documents to return ({@code top_n}); all when empty. */
    public OptionalInt topN() {
        return topN < 0 ? OptionalInt.empty() : OptionalInt.of(topN);
    }

    /** Whether each result carries its document's text (default: false). */
    public boolean returnDocuments() {
        return returnDocuments;
    }

    /** Always empty: rerank APIs take no end user. */
    @Override
    public Optional<String> user() {
        return Optional.empty();
    }

    @Override
    public List<String> tags() {
        return tags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RerankRequest r && model.equals(r.model) && query.equals(r.query)
                && documents.equals(r.documents) && topN == r.topN && returnDocuments == r.returnDocuments
                && tags.equals(r.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, query, documents, topN, returnDocuments, tags);
    }

    /** The model and sizes only: the query and documents may be personal data. */
    @Override
    public String toString() {
        return "RerankRequest[model=" + model + ", documents=" + documents.size()
                + (topN < 0 ? "" : ", topN=" + topN) + (tags.isEmpty() ? "" : ", tags=" + tags) + "]";
    }

    /** Builds a {@link RerankRequest}; not thread-safe. */
    public static final class Builder {
        private String model;
        private String query;
        private final List<String> documents = new ArrayList<>();
        private int topN = -1;
        private boolean returnDocuments;
        private final List<String> tags = new ArrayList<>();

        private Builder(String model, String query) {
            model(model);
            query(query);
        }

        /** The model group (required). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** The query (required). */
        public Builder query(String query) {
            this.query = Objects.requireNonNull(query, "query");
            return this;
        }

        /** Adds a document. */
        public Builder addDocument(String document) {
            documents.add(Objects.requireNonNull(document, "document"));
            return this;
        }

        /** Replaces the documents. */
        public Builder documents(Collection<String> documents) {
            Objects.requireNonNull(documents, "documents");
            this.documents.clear();
            documents.forEach(this::addDocument);
            return this;
        }

        /**
         * How many of the most relevant documents to return.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder topN(int topN) {
            if (topN <= 0) {
                throw new IllegalArgumentException("topN must be positive, was " + topN);
            }
            this.topN = topN;
            return this;
        }

        /** Whether each result carries its document's text. */
        public Builder returnDocuments(boolean returnDocuments) {
            this.returnDocuments = returnDocuments;
            return this;
        }

        /** Adds a routing and spend tag. */
        public Builder addTag(String tag) {
            tags.add(Objects.requireNonNull(tag, "tag"));
            return this;
        }

        /** Replaces the tags. */
        public Builder tags(Collection<String> tags) {
            Objects.requireNonNull(tags, "tags");
            this.tags.clear();
            tags.forEach(this::addTag);
            return this;
        }

        /**
         * The request.
         *
         * @throws IllegalStateException if no document was added
         */
        public RerankRequest build() {
            if (documents.isEmpty()) {
                throw new IllegalStateException("documents must not be empty: add at least one document");
            }
            return new RerankRequest(this);
        }
    }
}
