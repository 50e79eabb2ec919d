package io.llmrouter.api.completion;

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
 * A legacy text completion in OpenAI's shape, plus what the router adds: cost and routing.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class TextCompletionResponse implements RouterResponse {

    /** The cost of a response that did not pass through a router. */
    public static final Cost DEFAULT_COST = Cost.unpriced("not priced: the response did not pass through a router");

    private final String id;
    private final String model;
    private final List<TextChoice> choices;
    private final Usage usage;
    private final Cost cost;
    private final RoutingInfo routing;

    private TextCompletionResponse(Builder b) {
        this.id = b.id;
        this.model = b.model;
        this.choices = List.copyOf(b.choices);
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
        Builder b = new Builder().id(id).model(model).choices(choices).cost(cost);
        b.usage = usage;
        b.routing = routing;
        return b;
    }

    /** The provider's id of the completion; empty text when it sent none. */
    public String id() {
        return id;
    }

    @Override
    public String model() {
        return model;
    }

    /** The generated texts, ordered by index. */
    public List<TextChoice> choices() {
        return choices;
    }

    /** The first choice's text; empty text when there is no choice. */
    public String text() {
        return choices.isEmpty() ? "" : choices.get(0).text();
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
        return o instanceof TextCompletionResponse r && id.equals(r.id) && model.equals(r.model)
                && choices.equals(r.choices) && Objects.equals(usage, r.usage) && cost.equals(r.cost)
                && Objects.equals(routing, r.routing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, model, choices, usage, cost, routing);
    }

    /** The model, sizes, usage and cost: the texts may be personal data. */
    @Override
    public String toString() {
        return "TextCompletionResponse[model=" + model + ", choices=" + choices.size() + ", usage=" + usage
                + ", cost=" + cost + "]";
    }

    /** Builds a {@link TextCompletionResponse}; not thread-safe. */
    public static final class Builder {
        private String id = "";
        private String model;
        private final List<TextChoice> choices = new ArrayList<>();
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

        /** Adds a choice. */
        public Builder addChoice(TextChoice choice) {
            choices.add(Objects.requireNonNull(choice, "choice"));
            return this;
        }

        /** Replaces the choices. */
        public Builder choices(Collection<TextChoice> choices) {
            Objects.requireNonNull(choices, "choices");
            this.choices.clear();
            choices.forEach(this::addChoice);
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
         * The response, its choices sorted by index.
         *
         * @throws IllegalStateException if the model is unset
         */
        public TextCompletionResponse build() {
            if (model == null) {
                throw new IllegalStateException("model is required");
            }
            choices.sort((a, b) -> Integer.compare(a.index(), b.index()));
            return new TextCompletionResponse(this);
        }
    }
}
