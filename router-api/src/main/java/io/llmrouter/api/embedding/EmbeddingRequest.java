package io.llmrouter.api.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.RouterRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A request for embeddings of one or more texts, in OpenAI's {@code /v1/embeddings} shape.
 *
 * <pre>{@code
 * EmbeddingRequest request = EmbeddingRequest.builder("text-embedding-3-small")
 *     .addInput("The food was delicious.")
 *     .dimensions(256)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class EmbeddingRequest implements RouterRequest {

    /** Wire names of the typed fields, which {@link Builder#putExtraBody} may not use. */
    public static final Set<String> TYPED_FIELDS = Set.of("model", "input", "dimensions", "encoding_format", "user");

    private final String model;
    private final List<String> inputs;
    private final int dimensions;
    private final String user;
    private final List<String> tags;
    private final Map<String, JsonNode> extraBody;

    private EmbeddingRequest(Builder b) {
        this.model = b.model;
        this.inputs = List.copyOf(b.inputs);
        this.dimensions = b.dimensions;
        this.user = b.user;
        this.tags = List.copyOf(b.tags);
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        b.extraBody.forEach((k, v) -> extra.put(k, v.deepCopy()));
        this.extraBody = Collections.unmodifiableMap(extra);
    }

    /**
     * A builder for a request to {@code model}.
     *
     * @param model the model group
     * @return the builder
     */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    /** A request embedding {@code texts} with {@code model}. */
    public static EmbeddingRequest of(String model, String... texts) {
        Builder b = builder(model);
        for (String t : Objects.requireNonNull(texts, "texts")) {
            b.addInput(t);
        }
        return b.build();
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder(model).inputs(inputs).tags(tags);
        b.dimensions = dimensions;
        b.user = user;
        b.extraBody.putAll(extraBody);
        return b;
    }

    @Override
    public String model() {
        return model;
    }

    /** The texts to embed, in order; the response has one embedding per text, same index. */
    public List<String> inputs() {
        return inputs;
    }

    /** The number of dimensions asked for (models that support shortening), when set. */
    public OptionalInt dimensions() {
        return dimensions > 0 ? OptionalInt.of(dimensions) : OptionalInt.empty();
    }

    @Override
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    @Override
    public List<String> tags() {
        return tags;
    }

    /** Provider-specific fields merged into the top level of the wire body (deep copies). */
    public Map<String, JsonNode> extraBody() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        extraBody.forEach((k, v) -> out.put(k, v.deepCopy()));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingRequest r && dimensions == r.dimensions && model.equals(r.model)
                && inputs.equals(r.inputs) && Objects.equals(user, r.user) && tags.equals(r.tags)
                && extraBody.equals(r.extraBody);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, inputs, dimensions, user, tags, extraBody);
    }

    @Override
    public String toString() {
        return "EmbeddingRequest[model=" + model + ", inputs=" + inputs.size()
                + (dimensions > 0 ? ", dimensions=" + dimensions : "") + (tags.isEmpty() ? "" : ", tags=" + tags)
                + "]";
    }

    /** Builds an {@link EmbeddingRequest}; not thread-safe. */
    public static final class Builder {
        private String model;
        private final List<String> inputs = new ArrayList<>();
        private int dimensions;
        private String user;
        private final List<String> tags = new ArrayList<>();
        private final Map<String, JsonNode> extraBody = new LinkedHashMap<>();

        private Builder(String model) {
            model(model);
        }

        /** The model group, not blank. */
        public Builder model(String model) {
            Objects.requireNonNull(model, "model");
            if (model.isBlank()) {
                throw new IllegalArgumentException("model must not be blank");
            }
            this.model = model;
            return this;
        }

        /** Adds one text to embed (may be empty, not null). */
        public Builder addInput(String text) {
            inputs.add(Objects.requireNonNull(text, "input"));
            return this;
        }

        /** Replaces the texts to embed. */
        public Builder inputs(Collection<String> texts) {
            Objects.requireNonNull(texts, "inputs");
            inputs.clear();
            texts.forEach(this::addInput);
            return this;
        }

        /** Dimensions of the output vectors, at least 1. */
        public Builder dimensions(int dimensions) {
            if (dimensions < 1) {
                throw new IllegalArgumentException("dimensions must be at least 1, was " + dimensions);
            }
            this.dimensions = dimensions;
            return this;
        }

        /** The end user. */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /** Adds a routing/spend tag. */
        public Builder addTag(String tag) {
            Objects.requireNonNull(tag, "tag");
            if (tag.isBlank()) {
                throw new IllegalArgumentException("tag must not be blank");
            }
            tags.add(tag);
            return this;
        }

        /** Replaces the tags. */
        public Builder tags(Collection<String> tags) {
            Objects.requireNonNull(tags, "tags");
            this.tags.clear();
            tags.forEach(this::addTag);
            return this;
        }

        /** Adds a provider-specific wire field (the escape hatch); a deep copy is kept. */
        public Builder putExtraBody(String key, JsonNode value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (TYPED_FIELDS.contains(key)) {
                throw new IllegalArgumentException("extraBody key '" + key + "' is a typed field; use its setter");
            }
            extraBody.put(key, value.deepCopy());
            return this;
        }

        /** The request; inputs may be empty here (the router rejects an empty list with a typed error). */
        public EmbeddingRequest build() {
            return new EmbeddingRequest(this);
        }
    }
}
