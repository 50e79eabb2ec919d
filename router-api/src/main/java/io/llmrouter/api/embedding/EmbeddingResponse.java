package io.llmrouter.api.embedding;

import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.CacheInfo;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Embeddings of a request's inputs, in OpenAI's shape, plus what the router adds: cost and routing.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class EmbeddingResponse implements RouterResponse {

    /** The cost of a response that did not pass through a router. */
    public static final Cost DEFAULT_COST = Cost.unpriced("not priced: the response did not pass through a router");

    private final String model;
    private final List<Embedding> data;
    private final Usage usage;
    private final Cost cost;
    private final RoutingInfo routing;
    private final CacheInfo cache;

    private EmbeddingResponse(Builder b) {
        this.model = b.model;
        this.data = List.copyOf(b.data);
        this.usage = b.usage;
        this.cost = b.cost;
        this.routing = b.routing;
        this.cache = b.cache;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this response's values. */
    public Builder toBuilder() {
        Builder b = new Builder().model(model).data(data).cost(cost);
        b.usage = usage;
        b.routing = routing;
        b.cache = cache;
        return b;
    }

    /** The model that produced the embeddings, as the provider names it. */
    @Override
    public String model() {
        return model;
    }

    /** The embeddings, one per input, ordered by index. */
    public List<Embedding> data() {
        return data;
    }

    /** Token usage (prompt and total), when the provider reported it. */
    @Override
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    /** The cost, or an explicit unpriced state. */
    @Override
    public Cost cost() {
        return cost;
    }

    /** How the router served the request; empty for a response straight from a provider. */
    @Override
    public Optional<RoutingInfo> routing() {
        return Optional.ofNullable(routing);
    }

    /**
     * How the response came from the router's response cache; set by the router.
     *
     * @return the cache information, or empty when a provider answered this request
     * @since 0.1.0
     */
    @Override
    public Optional<CacheInfo> cache() {
        return Optional.ofNullable(cache);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingResponse r && model.equals(r.model) && data.equals(r.data)
                && Objects.equals(usage, r.usage) && cost.equals(r.cost) && Objects.equals(routing, r.routing)
                && Objects.equals(cache, r.cache);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, data, usage, cost, routing, cache);
    }

    @Override
    public String toString() {
        return "EmbeddingResponse[model=" + model + ", embeddings=" + data.size() + ", usage=" + usage + ", cost="
                + cost + (cache == null ? "" : ", cache=" + cache) + "]";
    }

    /** Builds an {@link EmbeddingResponse}; not thread-safe. */
    public static final class Builder {
        private String model;
        private final List<Embedding> data = new ArrayList<>();
        private Usage usage;
        private Cost cost = DEFAULT_COST;
        private RoutingInfo routing;
        private CacheInfo cache;

        private Builder() {
        }

        /** The model (required). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** Adds an embedding. */
        public Builder addEmbedding(Embedding embedding) {
            data.add(Objects.requireNonNull(embedding, "embedding"));
            return this;
        }

        /** Replaces the embeddings. */
        public Builder data(Collection<Embedding> embeddings) {
            Objects.requireNonNull(embeddings, "data");
            data.clear();
            embeddings.forEach(this::addEmbedding);
            return this;
        }

        /** The usage. */
        public Builder usage(Usage usage) {
            this.usage = Objects.requireNonNull(usage, "usage");
            return this;
        }

        /** The cost. */
        public Builder cost(Cost cost) {
            this.cost = Objects.requireNonNull(cost, "cost");
            return this;
        }

        /** The routing information. */
        public Builder routing(RoutingInfo routing) {
            this.routing = Objects.requireNonNull(routing, "routing");
            return this;
        }

        /**
         * Says the response came from the router's response cache.
         *
         * @param cache the cache information
         * @return this builder
         * @throws NullPointerException if {@code cache} is null
         * @since 0.1.0
         */
        public Builder cache(CacheInfo cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * The response, its embeddings sorted by index.
         *
         * @throws IllegalStateException if the model is unset or two embeddings share an index
         */
        public EmbeddingResponse build() {
            if (model == null) {
                throw new IllegalStateException("model is required");
            }
            data.sort((a, b) -> Integer.compare(a.index(), b.index()));
            for (int i = 1; i < data.size(); i++) {
                if (data.get(i).index() == data.get(i - 1).index()) {
                    throw new IllegalStateException("two embeddings have index " + data.get(i).index());
                }
            }
            return new EmbeddingResponse(this);
        }
    }
}
