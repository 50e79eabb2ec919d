package io.llmrouter.api.moderation;

import io.llmrouter.api.RouterRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A moderation request in OpenAI's shape ({@code POST /v1/moderations}): the texts to classify;
 * its model names a model group.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class ModerationRequest implements RouterRequest {

    private final String model;
    private final List<String> inputs;
    private final List<String> tags;

    private ModerationRequest(Builder b) {
        this.model = b.model;
        this.inputs = List.copyOf(b.inputs);
        this.tags = List.copyOf(b.tags);
    }

    /**
     * A new builder for a request to {@code model}.
     *
     * @param model the model group
     * @return the builder
     * @throws NullPointerException if {@code model} is null
     */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    /**
     * A request classifying {@code texts}.
     *
     * @param model the model group
     * @param texts the texts
     * @return the request
     * @throws IllegalStateException if there is no text
     */
    public static ModerationRequest of(String model, String... texts) {
        return builder(model).inputs(List.of(texts)).build();
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        return new Builder(model).inputs(inputs).tags(tags);
    }

    @Override
    public String model() {
        return model;
    }

    /** The texts to classify ({@code input}). */
    public List<String> inputs() {
        return inputs;
    }

    /** Always empty: the moderation API takes no end user. */
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
        return o instanceof ModerationRequest r && model.equals(r.model) && inputs.equals(r.inputs)
                && tags.equals(r.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, inputs, tags);
    }

    /** The model and sizes only: the inputs may be personal data. */
    @Override
    public String toString() {
        return "ModerationRequest[model=" + model + ", inputs=" + inputs.size()
                + (tags.isEmpty() ? "" : ", tags=" + tags) + "]";
    }

    /** Builds a {@link ModerationRequest}; not thread-safe. */
    public static final class Builder {
        private String model;
        private final List<String> inputs = new ArrayList<>();
        private final List<String> tags = new ArrayList<>();

        private Builder(String model) {
            model(model);
        }

        /** The model group (required). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** Adds a text to classify. */
        public Builder addInput(String text) {
            inputs.add(Objects.requireNonNull(text, "input"));
            return this;
        }

        /** Replaces the texts. */
        public Builder inputs(Collection<String> texts) {
            Objects.requireNonNull(texts, "inputs");
            inputs.clear();
            texts.forEach(this::addInput);
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
         * @throws IllegalStateException if no input was added
         */
        public ModerationRequest build() {
            if (inputs.isEmpty()) {
                throw new IllegalStateException("inputs must not be empty: add at least one text");
            }
            return new ModerationRequest(this);
        }
    }
}
