package io.llmrouter.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import java.util.Objects;
import java.util.Optional;

/**
 * LangChain4j response metadata with what the router adds: which deployment served the call and
 * after which attempts ({@link #routing()}), its {@link #cost()}, and llmrouter's full
 * {@link #usage()} (cached and reasoning tokens besides LangChain4j's token counts).
 *
 * <pre>{@code
 * ChatResponse response = model.chat(request);
 * RouterChatResponseMetadata metadata = (RouterChatResponseMetadata) response.metadata();
 * metadata.routing().ifPresent(r -> log.info("served by {}", r.deploymentId()));
 * metadata.cost().totalUsd().ifPresent(usd -> log.info("cost {} USD", usd));
 * }</pre>
 *
 * <p>Immutable and thread-safe; its builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class RouterChatResponseMetadata extends ChatResponseMetadata {

    private final RoutingInfo routing;
    private final Cost cost;
    private final Usage usage;

    private RouterChatResponseMetadata(Builder builder) {
        super(builder);
        this.routing = builder.routing;
        this.cost = builder.cost;
        this.usage = builder.usage;
    }

    /** A builder with no routing, no usage and an unpriced cost ({@link ChatResponse#DEFAULT_COST}). */
    public static Builder builder() {
        return new Builder();
    }

    /** The deployment that answered, the model group, and every attempt; empty when not routed. */
    public Optional<RoutingInfo> routing() {
        return Optional.ofNullable(routing);
    }

    /** The call's cost from the router's price table (unpriced when the model has no price). */
    public Cost cost() {
        return cost;
    }

    /** llmrouter's usage, with cached, reasoning and cache-creation tokens; empty when not reported. */
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    @Override
    public Builder toBuilder() {
        Builder builder = (Builder) super.toBuilder(new Builder());
        builder.routing = routing;
        builder.cost = cost;
        builder.usage = usage;
        return builder;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouterChatResponseMetadata other && super.equals(other)
                && Objects.equals(routing, other.routing) && cost.equals(other.cost)
                && Objects.equals(usage, other.usage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), routing, cost, usage);
    }

    @Override
    public String toString() {
        return "RouterChatResponseMetadata{id=" + id() + ", modelName=" + modelName() + ", tokenUsage="
                + tokenUsage() + ", finishReason=" + finishReason() + ", routing=" + routing + ", cost=" + cost
                + ", usage=" + usage + "}";
    }

    /**
     * Builds {@link RouterChatResponseMetadata}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder extends ChatResponseMetadata.Builder<Builder> {

        private RoutingInfo routing;
        private Cost cost = ChatResponse.DEFAULT_COST;
        private Usage usage;

        private Builder() {
        }

        /**
         * The routing of the call.
         *
         * @param routing the routing info
         * @return this builder
         */
        public Builder routing(RoutingInfo routing) {
            this.routing = Objects.requireNonNull(routing, "routing");
            return this;
        }

        /**
         * The cost of the call.
         *
         * @param cost the cost
         * @return this builder
         */
        public Builder cost(Cost cost) {
            this.cost = Objects.requireNonNull(cost, "cost");
            return this;
        }

        /**
         * llmrouter's usage of the call.
         *
         * @param usage the usage
         * @return this builder
         */
        public Builder usage(Usage usage) {
            this.usage = Objects.requireNonNull(usage, "usage");
            return this;
        }

        @Override
        public RouterChatResponseMetadata build() {
            return new RouterChatResponseMetadata(this);
        }
    }
}
