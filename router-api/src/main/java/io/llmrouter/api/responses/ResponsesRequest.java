package io.llmrouter.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.RouterRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Responses API request: its model group and the JSON body sent as it is (its {@code model}
 * field is set to the deployment's model for each call).
 *
 * <p>Immutable and thread-safe: the body is copied in and out. The builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class ResponsesRequest implements RouterRequest {

    private final String model;
    private final ObjectNode body;
    private final List<String> tags;

    private ResponsesRequest(Builder b) {
        this.model = b.model;
        this.body = b.body.deepCopy();
        this.tags = List.copyOf(b.tags);
    }

    /**
     * A new builder.
     *
     * @param model the model group
     * @param body the request body, as OpenAI's Responses API takes it (copied)
     * @return the builder
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(String model, ObjectNode body) {
        return new Builder(model, body);
    }

    /**
     * A request with no tags.
     *
     * @param model the model group
     * @param body the request body (copied)
     * @return the request
     */
    public static ResponsesRequest of(String model, ObjectNode body) {
        return builder(model, body).build();
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        return new Builder(model, body).tags(tags);
    }

    @Override
    public String model() {
        return model;
    }

    /** The body (a copy), without the model the router sets per call. */
    public ObjectNode body() {
        return body.deepCopy();
    }

    /** The body's {@code user}, when it is text. */
    @Override
    public Optional<String> user() {
        JsonNode user = body.get("user");
        return user != null && user.isTextual() ? Optional.of(user.textValue()) : Optional.empty();
    }

    @Override
    public List<String> tags() {
        return tags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResponsesRequest r && model.equals(r.model) && body.equals(r.body) && tags.equals(r.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, body, tags);
    }

    /** The model and the body's field names only: the body may hold personal data. */
    @Override
    public String toString() {
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        return "ResponsesRequest[model=" + model + ", fields=" + fields + (tags.isEmpty() ? "" : ", tags=" + tags) + "]";
    }

    /** Builds a {@link ResponsesRequest}; not thread-safe. */
    public static final class Builder {
        private String model;
        private final ObjectNode body;
        private final List<String> tags = new ArrayList<>();

        private Builder(String model, ObjectNode body) {
            model(model);
            this.body = Objects.requireNonNull(body, "body").deepCopy();
            this.body.remove("model");
        }

        /** The model group (required). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
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
         * @throws IllegalStateException if the body asks for a stream ({@code "stream": true}),
         *     which the pass-through does not serve
         */
        public ResponsesRequest build() {
            if (body.path("stream").asBoolean(false)) {
                throw new IllegalStateException("stream: the Responses pass-through does not stream; remove it");
            }
            return new ResponsesRequest(this);
        }
    }
}
