package io.llmrouter.api.image;

import io.llmrouter.api.RouterRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An image generation request in OpenAI's shape ({@code POST /v1/images/generations}); its model
 * names a model group.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe. Absent options are not sent (the
 * provider's defaults apply).
 *
 * @since 0.1.0
 */
public final class ImageRequest implements RouterRequest {

    private final String model;
    private final String prompt;
    private final int n;
    private final String size;
    private final String quality;
    private final ImageFormat responseFormat;
    private final String user;
    private final List<String> tags;

    private ImageRequest(Builder b) {
        this.model = b.model;
        this.prompt = b.prompt;
        this.n = b.n;
        this.size = b.size;
        this.quality = b.quality;
        this.responseFormat = b.responseFormat;
        this.user = b.user;
        this.tags = List.copyOf(b.tags);
    }

    /**
     * A new builder for a request to {@code model} with {@code prompt}.
     *
     * @param model the model group
     * @param prompt the description of the image
     * @return the builder
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(String model, String prompt) {
        return new Builder(model, prompt);
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder(model, prompt).tags(tags);
        b.n = n;
        b.size = size;
        b.quality = quality;
        b.responseFormat = responseFormat;
        b.user = user;
        return b;
    }

    @Override
    public String model() {
        return model;
    }

    /** The description of the image. */
    public String prompt() {
        return prompt;
    }

    /** How many images to generate. */
    public OptionalInt n() {
        return n < 0 ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** The size, {@code WIDTHxHEIGHT} (e.g. {@code 1024x1024}). */
    public Optional<String> size() {
        return Optional.ofNullable(size);
    }

    /** The quality (e.g. {@code standard}, {@code hd}; {@code low}, {@code medium}, {@code high}). */
    public Optional<String> quality() {
        return Optional.ofNullable(quality);
    }

    /** How the images are returned. */
    public Optional<ImageFormat> responseFormat() {
        return Optional.ofNullable(responseFormat);
    }

    @Override
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    @Override
    public List<String> tags() {
        return tags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageRequest r && model.equals(r.model) && prompt.equals(r.prompt) && n == r.n
                && Objects.equals(size, r.size) && Objects.equals(quality, r.quality)
                && responseFormat == r.responseFormat && Objects.equals(user, r.user) && tags.equals(r.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, prompt, n, size, quality, responseFormat, user, tags);
    }

    /** The model and options only: the prompt may be personal data. */
    @Override
    public String toString() {
        return "ImageRequest[model=" + model + (n < 0 ? "" : ", n=" + n) + (size == null ? "" : ", size=" + size)
                + (quality == null ? "" : ", quality=" + quality) + (tags.isEmpty() ? "" : ", tags=" + tags) + "]";
    }

    /** Builds an {@link ImageRequest}; not thread-safe. */
    public static final class Builder {
        private String model;
        private String prompt;
        private int n = -1;
        private String size;
        private String quality;
        private ImageFormat responseFormat;
        private String user;
        private final List<String> tags = new ArrayList<>();

        private Builder(String model, String prompt) {
            model(model);
            this.prompt = Objects.requireNonNull(prompt, "prompt");
        }

        /** The model group (required). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * How many images to generate.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder n(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("n must be positive, was " + n);
            }
            this.n = n;
            return this;
        }

        /**
         * The size, {@code WIDTHxHEIGHT}.
         *
         * @throws IllegalArgumentException if not of that form
         */
        public Builder size(String size) {
            Objects.requireNonNull(size, "size");
            if (!size.matches("[1-9][0-9]{0,4}x[1-9][0-9]{0,4}")) {
                throw new IllegalArgumentException("size must be WIDTHxHEIGHT, e.g. 1024x1024, was '" + size + "'");
            }
            this.size = size;
            return this;
        }

        /** The quality, as the provider names it. */
        public Builder quality(String quality) {
            this.quality = Objects.requireNonNull(quality, "quality");
            return this;
        }

        /** How the images are returned. */
        public Builder responseFormat(ImageFormat responseFormat) {
            this.responseFormat = Objects.requireNonNull(responseFormat, "responseFormat");
            return this;
        }

        /** The end user. */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
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

        /** The request. */
        public ImageRequest build() {
            return new ImageRequest(this);
        }
    }
}
