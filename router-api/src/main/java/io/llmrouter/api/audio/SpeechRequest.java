package io.llmrouter.api.audio;

import io.llmrouter.api.RouterRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A text-to-speech request in OpenAI's shape ({@code POST /v1/audio/speech}); its model names a
 * model group.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class SpeechRequest implements RouterRequest {

    private final String model;
    private final String input;
    private final String voice;
    private final AudioFormat responseFormat;
    private final List<String> tags;

    private SpeechRequest(Builder b) {
        this.model = b.model;
        this.input = b.input;
        this.voice = b.voice;
        this.responseFormat = b.responseFormat;
        this.tags = List.copyOf(b.tags);
    }

    /**
     * A new builder.
     *
     * @param model the model group
     * @param input the text to speak
     * @param voice the voice (e.g. {@code alloy})
     * @return the builder
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(String model, String input, String voice) {
        return new Builder(model, input, voice);
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder(model, input, voice).tags(tags);
        b.responseFormat = responseFormat;
        return b;
    }

    @Override
    public String model() {
        return model;
    }

    /** The text to speak. */
    public String input() {
        return input;
    }

    /** The voice. */
    public String voice() {
        return voice;
    }

    /** The audio encoding; the provider's default (MP3 for OpenAI) when empty. */
    public Optional<AudioFormat> responseFormat() {
        return Optional.ofNullable(responseFormat);
    }

    /** Always empty: the speech API takes no end user. */
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
        return o instanceof SpeechRequest r && model.equals(r.model) && input.equals(r.input)
                && voice.equals(r.voice) && responseFormat == r.responseFormat && tags.equals(r.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, input, voice, responseFormat, tags);
    }

    /** The model, voice and size only: the text may be personal data. */
    @Override
    public String toString() {
        return "SpeechRequest[model=" + model + ", voice=" + voice + ", characters=" + input.length()
                + (tags.isEmpty() ? "" : ", tags=" + tags) + "]";
    }

    /** Builds a {@link SpeechRequest}; not thread-safe. */
    public static final class Builder {
        private String model;
        private final String input;
        private final String voice;
        private AudioFormat responseFormat;
        private final List<String> tags = new ArrayList<>();

        private Builder(String model, String input, String voice) {
            model(model);
            this.input = Objects.requireNonNull(input, "input");
            this.voice = Objects.requireNonNull(voice, "voice");
        }

        /** The model group (required). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** The audio encoding. */
        public Builder responseFormat(AudioFormat responseFormat) {
            this.responseFormat = Objects.requireNonNull(responseFormat, "responseFormat");
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
        public SpeechRequest build() {
            return new SpeechRequest(this);
        }
    }
}
