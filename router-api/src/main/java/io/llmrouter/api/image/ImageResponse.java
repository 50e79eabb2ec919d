package io.llmrouter.api.image;

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
 * Generated images in OpenAI's shape, plus what the router adds: cost and routing.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class ImageResponse implements RouterResponse {

    /** The cost of a response that did not pass through a router. */
    public static final Cost DEFAULT_COST = Cost.unpriced("not priced: the response did not pass through a router");

    private final String model;
    private final long created;
    private final List<GeneratedImage> data;
    private final Usage usage;
    private final Cost cost;
    private final RoutingInfo routing;

    private ImageResponse(Builder b) {
        this.model = b.model;
        this.created = b.created;
        this.data = List.copyOf(b.data);
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
        Builder b = new Builder().model(model).created(created).data(data).cost(cost);
        b.usage = usage;
        b.routing = routing;
        return b;
    }

    /** The model (the provider's model name the request was sent with: the answer names none). */
    @Override
    public String model() {
        return model;
    }

    /** When the images were created, in seconds since the epoch; 0 when not said. */
    public long created() {
        return created;
    }

    /** The images. */
    public List<GeneratedImage> data() {
        return data;
    }

    /** Token usage, when the provider reported it ({@code gpt-image-1}). */
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
        return o instanceof ImageResponse r && model.equals(r.model) && created == r.created && data.equals(r.data)
                && Objects.equals(usage, r.usage) && cost.equals(r.cost) && Objects.equals(routing, r.routing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, created, data, usage, cost, routing);
    }

    @Override
    public String toString() {
        return "ImageResponse[model=" + model + ", images=" + data.size() + ", cost=" + cost + "]";
    }

    /** Builds an {@link ImageResponse}; not thread-safe. */
    public static final class Builder {
        private String model;
        private long created;
        private final List<GeneratedImage> data = new ArrayList<>();
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

        /** When the images were created, in seconds since the epoch. */
        public Builder created(long created) {
            this.created = created;
            return this;
        }

        /** Adds an image. */
        public Builder addImage(GeneratedImage image) {
            data.add(Objects.requireNonNull(image, "image"));
            return this;
        }

        /** Replaces the images. */
        public Builder data(Collection<GeneratedImage> images) {
            Objects.requireNonNull(images, "data");
            data.clear();
            images.forEach(this::addImage);
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
         * @throws IllegalStateException if the model is unset
         */
        public ImageResponse build() {
            if (model == null) {
                throw new IllegalStateException("model is required");
            }
            return new ImageResponse(this);
        }
    }
}
