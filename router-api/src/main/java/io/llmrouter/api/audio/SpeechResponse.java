package io.llmrouter.api.audio;

import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Generated speech: the audio bytes as the provider sent them, plus what the router adds: cost
 * and routing.
 *
 * <p>Immutable and thread-safe (the bytes are copied in and out); the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class SpeechResponse implements RouterResponse {

    /** The cost of a response that did not pass through a router. */
    public static final Cost DEFAULT_COST = Cost.unpriced("not priced: the response did not pass through a router");

    private final String model;
    private final byte[] audio;
    private final String contentType;
    private final Cost cost;
    private final RoutingInfo routing;

    private SpeechResponse(Builder b) {
        this.model = b.model;
        this.audio = b.audio.clone();
        this.contentType = b.contentType;
        this.cost = b.cost;
        this.routing = b.routing;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this response's values. */
    public Builder toBuilder() {
        Builder b = new Builder().model(model).audio(audio).contentType(contentType).cost(cost);
        b.routing = routing;
        return b;
    }

    /** The model the request was sent with (the answer names none). */
    @Override
    public String model() {
        return model;
    }

    /** The audio bytes (a copy). */
    public byte[] audio() {
        return audio.clone();
    }

    /** The answer's {@code Content-Type} (e.g. {@code audio/mpeg}); empty text when it sent none. */
    public String contentType() {
        return contentType;
    }

    /** Always empty: the speech API reports no usage. */
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
        return o instanceof SpeechResponse r && model.equals(r.model) && Arrays.equals(audio, r.audio)
                && contentType.equals(r.contentType) && cost.equals(r.cost) && Objects.equals(routing, r.routing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, Arrays.hashCode(audio), contentType, cost, routing);
    }

    @Override
    public String toString() {
        return "SpeechResponse[model=" + model + ", bytes=" + audio.length + ", contentType=" + contentType
                + ", cost=" + cost + "]";
    }

    /** Builds a {@link SpeechResponse}; not thread-safe. */
    public static final class Builder {
        private String model;
        private byte[] audio = new byte[0];
        private String contentType = "";
        private Cost cost = DEFAULT_COST;
        private RoutingInfo routing;

        private Builder() {
        }

        /** The model (required). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** The audio bytes (copied when built). */
        public Builder audio(byte[] audio) {
            this.audio = Objects.requireNonNull(audio, "audio");
            return this;
        }

        /** The content type (default: empty). */
        public Builder contentType(String contentType) {
            this.contentType = Objects.requireNonNull(contentType, "contentType");
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
        public SpeechResponse build() {
            if (model == null) {
                throw new IllegalStateException("model is required");
            }
            return new SpeechResponse(this);
        }
    }
}
