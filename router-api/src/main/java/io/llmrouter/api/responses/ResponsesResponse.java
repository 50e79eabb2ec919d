package io.llmrouter.api.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import java.util.Objects;
import java.util.Optional;

/**
 * A Responses API answer as the provider sent it, plus what the router reads and adds: usage
 * ({@code usage.input_tokens}, {@code output_tokens} and their details), cost and routing.
 *
 * <p>Immutable and thread-safe: the body is copied in and out. The builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class ResponsesResponse implements RouterResponse {

    /** The cost of a response that did not pass through a router. */
    public static final Cost DEFAULT_COST = Cost.unpriced("not priced: the response did not pass through a router");

    private final String model;
    private final ObjectNode body;
    private final Usage usage;
    private final Cost cost;
    private final RoutingInfo routing;

    private ResponsesResponse(Builder b) {
        this.model = b.model;
        this.body = b.body.deepCopy();
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
        Builder b = new Builder().model(model).body(body).cost(cost);
        b.usage = usage;
        b.routing = routing;
        return b;
    }

    /** The answer's {@code model}. */
    @Override
    public String model() {
        return model;
    }

    /** The answer's body (a copy). */
    public ObjectNode body() {
        return body.deepCopy();
    }

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
        return o instanceof ResponsesResponse r && model.equals(r.model) && body.equals(r.body)
                && Objects.equals(usage, r.usage) && cost.equals(r.cost) && Objects.equals(routing, r.routing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, body, usage, cost, routing);
    }

    /** The model, usage and cost: the body may hold personal data. */
    @Override
    public String toString() {
        return "ResponsesResponse[model=" + model + ", usage=" + usage + ", cost=" + cost + "]";
    }

    /** Builds a {@link ResponsesResponse}; not thread-safe. */
    public static final class Builder {
        private String model;
        private ObjectNode body;
        private Usage usage;
        private Cost cost = DEFAULT_COST;
        private RoutingInfo routing;

        private Builder() {
        }

        /** The model (required). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** The body (required; copied when built). */
        public Builder body(ObjectNode body) {
            this.body = Objects.requireNonNull(body, "body");
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
         * The response.
         *
         * @throws IllegalStateException if the model or body is unset
         */
        public ResponsesResponse build() {
            if (model == null || body == null) {
                throw new IllegalStateException(model == null ? "model is required" : "body is required");
            }
            return new ResponsesResponse(this);
        }
    }
}
