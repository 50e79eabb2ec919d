package io.llmrouter.api.chat;

import java.util.Objects;

/**
 * Token counts of one answer, in OpenAI's shape.
 *
 * <p>{@code cachedTokens} (OpenAI {@code prompt_tokens_details.cached_tokens}) and
 * {@code cacheCreationTokens} (Anthropic's cache writes) are part of {@code promptTokens};
 * {@code reasoningTokens} (OpenAI {@code completion_tokens_details.reasoning_tokens}) are part of
 * {@code completionTokens}. {@code totalTokens} is what the provider stated, or prompt + completion.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class Usage {

    /** A usage with every count zero. */
    public static final Usage ZERO = builder().build();

    private final int promptTokens;
    private final int completionTokens;
    private final int totalTokens;
    private final int cachedTokens;
    private final int reasoningTokens;
    private final int cacheCreationTokens;

    private Usage(Builder b) {
        this.promptTokens = b.promptTokens;
        this.completionTokens = b.completionTokens;
        this.totalTokens = b.totalTokens >= 0 ? b.totalTokens : b.promptTokens + b.completionTokens;
        this.cachedTokens = b.cachedTokens;
        this.reasoningTokens = b.reasoningTokens;
        this.cacheCreationTokens = b.cacheCreationTokens;
    }

    /** A usage of {@code prompt} input and {@code completion} output tokens. */
    public static Usage of(int prompt, int completion) {
        return builder().promptTokens(prompt).completionTokens(completion).build();
    }

    /** A new builder; every count starts at zero and the total at prompt + completion. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this usage's counts. */
    public Builder toBuilder() {
        return new Builder().promptTokens(promptTokens).completionTokens(completionTokens).totalTokens(totalTokens)
                .cachedTokens(cachedTokens).reasoningTokens(reasoningTokens).cacheCreationTokens(cacheCreationTokens);
    }

    /** Input tokens, including cached and cache-creation tokens. */
    public int promptTokens() {
        return promptTokens;
    }

    /** Output tokens, including reasoning tokens. */
    public int completionTokens() {
        return completionTokens;
    }

    /** Total tokens. */
    public int totalTokens() {
        return totalTokens;
    }

    /** Input tokens read from the provider's prompt cache (priced lower). */
    public int cachedTokens() {
        return cachedTokens;
    }

    /** Output tokens spent on reasoning. */
    public int reasoningTokens() {
        return reasoningTokens;
    }

    /** Input tokens written to the provider's prompt cache (priced higher, Anthropic). */
    public int cacheCreationTokens() {
        return cacheCreationTokens;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Usage u && promptTokens == u.promptTokens && completionTokens == u.completionTokens
                && totalTokens == u.totalTokens && cachedTokens == u.cachedTokens
                && reasoningTokens == u.reasoningTokens && cacheCreationTokens == u.cacheCreationTokens;
    }

    @Override
    public int hashCode() {
        return Objects.hash(promptTokens, completionTokens, totalTokens, cachedTokens, reasoningTokens,
                cacheCreationTokens);
    }

    @Override
    public String toString() {
        return "Usage[prompt=" + promptTokens + ", completion=" + completionTokens + ", total=" + totalTokens
                + ", cached=" + cachedTokens + ", reasoning=" + reasoningTokens + ", cacheCreation="
                + cacheCreationTokens + "]";
    }

    /** Builds a {@link Usage}; not thread-safe. */
    public static final class Builder {
        private int promptTokens;
        private int completionTokens;
        private int totalTokens = -1;
        private int cachedTokens;
        private int reasoningTokens;
        private int cacheCreationTokens;

        private Builder() {
        }

        /** Input tokens. */
        public Builder promptTokens(int v) {
            this.promptTokens = nonNegative(v, "promptTokens");
            return this;
        }

        /** Output tokens. */
        public Builder completionTokens(int v) {
            this.completionTokens = nonNegative(v, "completionTokens");
            return this;
        }

        /** The provider's stated total; defaults to prompt + completion. */
        public Builder totalTokens(int v) {
            this.totalTokens = nonNegative(v, "totalTokens");
            return this;
        }

        /** Cached input tokens. */
        public Builder cachedTokens(int v) {
            this.cachedTokens = nonNegative(v, "cachedTokens");
            return this;
        }

        /** Reasoning tokens. */
        public Builder reasoningTokens(int v) {
            this.reasoningTokens = nonNegative(v, "reasoningTokens");
            return this;
        }

        /** Cache-creation (write) tokens. */
        public Builder cacheCreationTokens(int v) {
            this.cacheCreationTokens = nonNegative(v, "cacheCreationTokens");
            return this;
        }

        /** The usage. */
        public Usage build() {
            return new Usage(this);
        }

        private static int nonNegative(int v, String field) {
            if (v < 0) {
                throw new IllegalArgumentException(field + " must not be negative, was " + v);
            }
            return v;
        }
    }
}
