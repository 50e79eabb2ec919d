package io.llmrouter.api.moderation;

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
 * A moderation answer in OpenAI's shape, one result per input, plus what the router adds: cost
 * and routing. The moderation API reports no usage.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class ModerationResponse implements RouterResponse {

    /** The cost of a response that did not pass through a router. */
    public static final Cost DEFAULT_COST = Cost.unpriced("not priced: the response did not pass through a router");

    private final String id;
    private final String model;
    private final List<ModerationResult> results;
    private final Cost cost;
    private final RoutingInfo routing;

    private ModerationResponse(Builder b) {
        this.id = b.id;
        this.model = b.model;
        this.results = List.copyOf(b.results);
        this.cost = b.cost;
        this.routing = b.routing;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this response's values. */
    public Builder toBuilder() {
        Builder b = new Builder().id(id).model(model).results(results).cost(cost);
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

    /** One result per input, in input order. */
    public List<ModerationResult> results() {
        return results;
    }

    /** Whether any input was flagged. */
    public boolean isFlagged() {
        for (ModerationResult r : results) {
            if (r.flagged()) {
                return true;
            }
        }
        return false;
    }

    /** Always empty: the moderation API reports no usage. */
    @Override
    public Optional<Usage> usage() {
        return Optional.empty();
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
        return o instanceof ModerationResponse r && id.equals(r.id) && model.equals(r.model)
                && results.equals(r.results) && cost.equals(r.cost) && Objects.equals(routing, r.routing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, model, results, cost, routing);
    }

    @Override
    public String toString() {
        return "ModerationResponse[model=" + model + ", results=" + results.size() + ", flagged=" + isFlagged()
                + ", cost=" + cost + "]";
    }

    /** Builds a {@link ModerationResponse}; not thread-safe. */
    public static final class Builder {
        private String id = "";
        private String model;
        private final List<ModerationResult> results = new ArrayList<>();
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
        public Builder addResult(ModerationResult result) {
            results.add(Objects.requireNonNull(result, "result"));
            return this;
        }

        /** Replaces the results. */
        public Builder results(Collection<ModerationResult> results) {
            Objects.requireNonNull(results, "results");
            this.results.clear();
            results.forEach(this::addResult);
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
         * The response.
         *
         * @throws IllegalStateException if the model is unset
         */
        public ModerationResponse build() {
            if (model == null) {
                throw new IllegalStateException("model is required");
            }
            return new ModerationResponse(this);
        }
    }
}
