package io.llmrouter.api.rerank;

import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rerank answer: the documents' indexes and relevance scores, most relevant first, the search
 * units billed, plus what the router adds: cost and routing.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class RerankResponse implements RouterResponse {

    /** The cost of a response that did not pass through a router. */
    public static final Cost DEFAULT_COST = Cost.unpriced("not priced: the response did not pass through a router");

    /** Search units billed when the provider reports none: one query, {@value}. */
    public static final int DEFAULT_SEARCH_UNITS = 1;

    private final String id;
    private final String model;
    private final List<RerankResult> results;
    private final int searchUnits;
    private final Usage usage;
    private final Cost cost;
    private final RoutingInfo routing;

    private RerankResponse(Builder b) {
        this.id = b.id;
        this.model = b.model;
        this.results = List.copyOf(b.results);
        this.searchUnits = b.searchUnits;
        this.usage = b.usage;
        this.cost = b.cost;
        this.routing = b.routing;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this response's values. */
    public Builder toBuilder() {
        Builder b = new Builder().id(id).model(model).results(results).searchUnits(searchUnits).cost(cost);
        b.usage = usage;
        b.routing = routing;
        return b;
    }

    /** The provider's id; empty text when it sent none. */
    public String id() {
        return id;
    }

    @Override
    public String model() {
        return model;
    }

    /** The ranked documents, most relevant first. */
    public List<RerankResult> results() {
        return results;
    }

    /**
     * The search units billed (Cohere's {@code meta.billed_units.search_units}); default
     * {@value #DEFAULT_SEARCH_UNITS} when the provider reports none.
     */
    public int searchUnits() {
        return searchUnits;
    }

    /** Token usage, when the provider reported it (Jina, Voyage). */
    @Override
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    @Override
    public Cost cost() {
        return cost;
    }

    @Override
    public Optional<RoutingInfo> routing() {
        return Optional.ofNullable(routing);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RerankResponse r && id.equals(r.id) && model.equals(r.model)
                && results.equals(r.results) && searchUnits == r.searchUnits && Objects.equals(usage, r.usage)
                && cost.equals(r.cost) && Objects.equals(routing, r.routing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, model, results, searchUnits, usage, cost, routing);
    }

    @Override
    public String toString() {
        return "RerankResponse[model=" + model + ", results=" + results.size() + ", searchUnits=" + searchUnits
                + ", usage=" + usage + ", cost=" + cost + "]";
    }

    /** Builds a {@link RerankResponse}; not thread-safe. */
    public static final class Builder {
        private String id = "";
        private String model;
        private final List<RerankResult> results = new ArrayList<>();
        private int searchUnits = DEFAULT_SEARCH_UNITS;
        private Usage usage;
        private Cost cost = DEFAULT_COST;
        private RoutingInfo routing;

        private Builder() {
        }

        /** The provider's id (default: empty). */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** The model (required). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** Adds a result. */
        public Builder addResult(RerankResult result) {
            results.add(Objects.requireNonNull(result, "result"));
            return this;
        }

        /** Replaces the results. */
        public Builder results(Collection<RerankResult> results) {
            Objects.requireNonNull(results, "results");
            this.results.clear();
            results.forEach(this::addResult);
            return this;
        }

        /**
         * The search units billed.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder searchUnits(int searchUnits) {
            if (searchUnits < 0) {
                throw new IllegalArgumentException("searchUnits must not be negative, was " + searchUnits);
            }
            this.searchUnits = searchUnits;
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
         * The response, its results sorted by relevance, most relevant first.
         *
         * @throws IllegalStateException if the model is unset
         */
        public RerankResponse build() {
            if (model == null) {
                throw new IllegalStateException("model is required");
            }
            results.sort((a, b) -> Double.compare(b.relevanceScore(), a.relevanceScore()));
            return new RerankResponse(this);
        }
    }
}
