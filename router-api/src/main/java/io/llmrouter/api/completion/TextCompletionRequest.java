package io.llmrouter.api.completion;

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
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A legacy text completion request in OpenAI's shape ({@code POST /v1/completions}): one or more
 * prompts and the sampling options; its model names a model group.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe. Absent options are not sent.
 *
 * @since 0.1.0
 */
public final class TextCompletionRequest implements RouterRequest {

    private final String model;
    private final List<String> prompts;
    private final int maxTokens;
    private final double temperature;
    private final List<String> stop;
    private final int n;
    private final int logprobs;
    private final String user;
    private final List<String> tags;
    private final Map<String, JsonNode> extraBody;

    private TextCompletionRequest(Builder b) {
        this.model = b.model;
        this.prompts = List.copyOf(b.prompts);
        this.maxTokens = b.maxTokens;
        this.temperature = b.temperature;
        this.stop = List.copyOf(b.stop);
        this.n = b.n;
        this.logprobs = b.logprobs;
        this.user = b.user;
        this.tags = List.copyOf(b.tags);
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        b.extraBody.forEach((k, v) -> extra.put(k, v.deepCopy()));
        this.extraBody = Collections.unmodifiableMap(extra);
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
     * A request with one prompt and no options.
     *
     * @param model the model group
     * @param prompt the prompt
     * @return the request
     */
    public static TextCompletionRequest of(String model, String prompt) {
        return builder(model).addPrompt(prompt).build();
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder(model).prompts(prompts).stop(stop).tags(tags);
        b.maxTokens = maxTokens;
        b.temperature = temperature;
        b.n = n;
        b.logprobs = logprobs;
        b.user = user;
        b.extraBody.putAll(extraBody);
        return b;
    }

    @Override
    public String model() {
        return model;
    }

    /** The prompts ({@code prompt} on the wire: a string for one, an array for several). */
    public List<String> prompts() {
        return prompts;
    }

    /** The most tokens to generate per choice ({@code max_tokens}). */
    public OptionalInt maxTokens() {
        return maxTokens < 0 ? OptionalInt.empty() : OptionalInt.of(maxTokens);
    }

    /** The sampling temperature. */
    public OptionalDouble temperature() {
        return Double.isNaN(temperature) ? OptionalDouble.empty() : OptionalDouble.of(temperature);
    }

    /** The stop sequences; empty when none. */
    public List<String> stop() {
        return stop;
    }

    /** How many completions to generate per prompt. */
    public OptionalInt n() {
        return n < 0 ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** How many most likely tokens' log probabilities to return per token. */
    public OptionalInt logprobs() {
        return logprobs < 0 ? OptionalInt.empty() : OptionalInt.of(logprobs);
    }

    @Override
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    @Override
    public List<String> tags() {
        return tags;
    }

    /** Provider fields sent as they are, top-level in the body (copies). */
    public Map<String, JsonNode> extraBody() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        extraBody.forEach((k, v) -> out.put(k, v.deepCopy()));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextCompletionRequest r && model.equals(r.model) && prompts.equals(r.prompts)
                && maxTokens == r.maxTokens && Double.compare(temperature, r.temperature) == 0
                && stop.equals(r.stop) && n == r.n && logprobs == r.logprobs && Objects.equals(user, r.user)
                && tags.equals(r.tags) && extraBody.equals(r.extraBody);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, prompts, maxTokens, temperature, stop, n, logprobs, user, tags, extraBody);
    }

    /** The model and sizes only: prompts may be personal data. */
    @Override
    public String toString() {
        return "TextCompletionRequest[model=" + model + ", prompts=" + prompts.size()
                + (maxTokens < 0 ? "" : ", maxTokens=" + maxTokens) + (tags.isEmpty() ? "" : ", tags=" + tags) + "]";
    }

    /** Builds a {@link TextCompletionRequest}; not thread-safe. */
    public static final class Builder {
        private String model;
        private final List<String> prompts = new ArrayList<>();
        private int maxTokens = -1;
        private double temperature = Double.NaN;
        private final List<String> stop = new ArrayList<>();
        private int n = -1;
        private int logprobs = -1;
        private String user;
        private final List<String> tags = new ArrayList<>();
        private final Map<String, JsonNode> extraBody = new LinkedHashMap<>();

        private Builder(String model) {
            model(model);
        }

        /** The model group (required). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** Adds a prompt. */
        public Builder addPrompt(String prompt) {
            prompts.add(Objects.requireNonNull(prompt, "prompt"));
            return this;
        }

        /** Replaces the prompts. */
        public Builder prompts(Collection<String> prompts) {
            Objects.requireNonNull(prompts, "prompts");
            this.prompts.clear();
            prompts.forEach(this::addPrompt);
            return this;
        }

        /**
         * The most tokens to generate per choice.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxTokens(int maxTokens) {
            if (maxTokens <= 0) {
                throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
            }
            this.maxTokens = maxTokens;
            return this;
        }

        /**
         * The sampling temperature.
         *
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder temperature(double temperature) {
            if (!(temperature >= 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be a finite number >= 0, was " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        /** Replaces the stop sequences. */
        public Builder stop(Collection<String> stop) {
            Objects.requireNonNull(stop, "stop");
            this.stop.clear();
            stop.forEach(s -> this.stop.add(Objects.requireNonNull(s, "stop element")));
            return this;
        }

        /**
         * How many completions to generate per prompt.
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
         * How many most likely tokens' log probabilities to return per token.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder logprobs(int logprobs) {
            if (logprobs < 0) {
                throw new IllegalArgumentException("logprobs must not be negative, was " + logprobs);
            }
            this.logprobs = logprobs;
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

        /** Adds a provider field sent as it is, top-level in the body (a copy is kept). */
        public Builder putExtraBody(String name, JsonNode value) {
            extraBody.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value").deepCopy());
            return this;
        }

        /**
         * The request.
         *
         * @throws IllegalStateException if no prompt was added
         */
        public TextCompletionRequest build() {
            if (prompts.isEmpty()) {
                throw new IllegalStateException("prompts must not be empty: add at least one prompt");
            }
            return new TextCompletionRequest(this);
        }
    }
}
