package io.llmrouter.api.audio;

import io.llmrouter.api.RouterRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A transcription request in OpenAI's shape ({@code POST /v1/audio/transcriptions}, a multipart
 * upload of the audio file); its model names a model group.
 *
 * <p>Immutable and thread-safe (the audio bytes are copied in and out); the builder is not
 * thread-safe. The audio's duration is not read from the file: give it
 * ({@link Builder#durationSeconds(double)}) for the router to price a model billed per second,
 * or ask for {@link TranscriptionFormat#VERBOSE_JSON}, whose answer states it.
 *
 * @since 0.1.0
 */
public final class TranscriptionRequest implements RouterRequest {

    private final String model;
    private final byte[] file;
    private final String fileName;
    private final String language;
    private final String prompt;
    private final TranscriptionFormat responseFormat;
    private final double durationSeconds;
    private final List<String> tags;

    private TranscriptionRequest(Builder b) {
        this.model = b.model;
        this.file = b.file.clone();
        this.fileName = b.fileName;
        this.language = b.language;
        this.prompt = b.prompt;
        this.responseFormat = b.responseFormat;
        this.durationSeconds = b.durationSeconds;
        this.tags = List.copyOf(b.tags);
    }

    /**
     * A new builder.
     *
     * @param model the model group
     * @param file the audio file's bytes (copied)
     * @param fileName the file name, whose extension tells the provider the format (e.g. {@code speech.mp3})
     * @return the builder
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(String model, byte[] file, String fileName) {
        return new Builder(model, file, fileName);
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder(model, file, fileName).tags(tags);
        b.language = language;
        b.prompt = prompt;
        b.responseFormat = responseFormat;
        b.durationSeconds = durationSeconds;
        return b;
    }

    @Override
    public String model() {
        return model;
    }

    /** The audio file's bytes (a copy). */
    public byte[] file() {
        return file.clone();
    }

    /** The audio file's size in bytes. */
    public int fileSize() {
        return file.length;
    }

    /** The file name. */
    public String fileName() {
        return fileName;
    }

    /** The audio's language, ISO-639-1 (e.g. {@code en}). */
    public Optional<String> language() {
        return Optional.ofNullable(language);
    }

    /** Text to guide the model's style. */
    public Optional<String> prompt() {
        return Optional.ofNullable(prompt);
    }

    /** The answer's form; the provider's default ({@code json}) when empty. */
    public Optional<TranscriptionFormat> responseFormat() {
        return Optional.ofNullable(responseFormat);
    }

    /** The audio's duration in seconds as the caller gave it, to price per second; never sent. */
    public OptionalDouble durationSeconds() {
        return Double.isNaN(durationSeconds) ? OptionalDouble.empty() : OptionalDouble.of(durationSeconds);
    }

    /** Always empty: the transcription API takes no end user. */
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
        return o instanceof TranscriptionRequest r && model.equals(r.model) && java.util.Arrays.equals(file, r.file)
                && fileName.equals(r.fileName) && Objects.equals(language, r.language)
                && Objects.equals(prompt, r.prompt) && responseFormat == r.responseFormat
                && Double.compare(durationSeconds, r.durationSeconds) == 0 && tags.equals(r.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, java.util.Arrays.hashCode(file), fileName, language, prompt, responseFormat,
                durationSeconds, tags);
    }

    /** The model and sizes only. */
    @Override
    public String toString() {
        return "TranscriptionRequest[model=" + model + ", bytes=" + file.length
                + (tags.isEmpty() ? "" : ", tags=" + tags) + "]";
    }

    /** Builds a {@link TranscriptionRequest}; not thread-safe. */
    public static final class Builder {
        private String model;
        private final byte[] file;
        private final String fileName;
        private String language;
        private String prompt;
        private TranscriptionFormat responseFormat;
        private double durationSeconds = Double.NaN;
        private final List<String> tags = new ArrayList<>();

        private Builder(String model, byte[] file, String fileName) {
            model(model);
            this.file = Objects.requireNonNull(file, "file");
            this.fileName = Objects.requireNonNull(fileName, "fileName");
        }

        /** The model group (required). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** The audio's language, ISO-639-1. */
        public Builder language(String language) {
            this.language = Objects.requireNonNull(language, "language");
            return this;
        }

        /** Text to guide the model's style. */
        public Builder prompt(String prompt) {
            this.prompt = Objects.requireNonNull(prompt, "prompt");
            return this;
        }

        /** The answer's form. */
        public Builder responseFormat(TranscriptionFormat responseFormat) {
            this.responseFormat = Objects.requireNonNull(responseFormat, "responseFormat");
            return this;
        }

        /**
         * The audio's duration, to price per second.
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
         * @throws IllegalStateException if the file is empty
         */
        public TranscriptionRequest build() {
            if (file.length == 0) {
                throw new IllegalStateException("file must not be empty");
            }
            return new TranscriptionRequest(this);
        }
    }
}
