package io.llmrouter.api.audio;

import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A transcription: the text, and with {@link TranscriptionFormat#VERBOSE_JSON} the language and
 * the audio's duration, plus what the router adds: cost and routing.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class TranscriptionResponse implements RouterResponse {

    /** The cost of a response that did not pass through a router. */
    public static final Cost DEFAULT_COST = Cost.unpriced("not priced: the response did not pass through a router");

    private final String model;
    private final String text;
    private final String language;
    private final double durationSeconds;
    private final Cost cost;
    private final RoutingInfo routing;

    private TranscriptionResponse(Builder b) {
        this.model = b.model;
        this.text = b.text;
        this.language = b.language;
        this.durationSeconds = b.durationSeconds;
        this.cost = b.cost;
        this.routing = b.routing;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this response's values. */
    public Builder toBuilder() {
        Builder b = new Builder().model(model).text(text).cost(cost);
        b.language = language;
        b.durationSeconds = durationSeconds;
        b.routing = routing;
        return b;
    }

    /** The model the request was sent with (the answer names none). */
    @Override
    public String model() {
        return model;
    }

    /** The transcribed text. */
    public String text() {
        return text;
    }

    /** The language, when the answer states it ({@code verbose_json}). */
    public Optional<String> language() {
        return Optional.ofNullable(language);
    }

    /** The audio's duration in seconds, when the answer states it ({@code verbose_json}). */
    public OptionalDouble durationSeconds() {
        return Double.isNaN(durationSeconds) ? OptionalDouble.empty() : OptionalDouble.of(durationSeconds);
    }

    /** Always empty: usage is not read from transcription answers. */
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
        return o instanceof TranscriptionResponse r && model.equals(r.model) && text.equals(r.text)
                && Objects.equals(language, r.language) && Double.compare(durationSeconds, r.durationSeconds) == 0
                && cost.equals(r.cost) && Objects.equals(routing, r.routing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, text, language, durationSeconds, cost, routing);
    }

    /** The model, sizes and cost: the text may be personal data. */
    @Override
    public String toString() {
        return "TranscriptionResponse[model=" + model + ", characters=" + text.length() + ", cost=" + cost + "]";
    }

    /** Builds a {@link TranscriptionResponse}; not thread-safe. */
    public static final class Builder {
        private String model;
        private String text = "";
        private String language;
        private double durationSeconds = Double.NaN;
        private Cost cost = DEFAULT_COST;
        private RoutingInfo routing;

        private Builder() {
        }

        /** The model (required). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** The text (default: empty). */
        public Builder text(String text) {
            this.text = Objects.requireNonNull(text, "text");
            return this;
        }

        /** The language. */
        public Builder language(String language) {
            this.language = Objects.requireNonNull(language, "language");
            return this;
        }

        /**
         * The audio's duration in seconds.
         *
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder durationSeconds(double seconds) {
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("durationSeconds must be a finite number >= 0, was " + seconds);
            }
            this.durationSeconds = seconds;
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
        public TranscriptionResponse build() {
            if (model == null) {
                throw new IllegalStateException("model is required");
            }
            return new TranscriptionResponse(this);
        }
    }
}
