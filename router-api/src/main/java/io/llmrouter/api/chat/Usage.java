package io.llmrouter.api.chat;

import java.util.Objects;
import java.util.Optional;

/**
 * Token counts of one answer, in OpenAI's shape, normalized so that every vendor's bill can be computed
 * from them the same way.
 *
 * <h2>What is part of what</h2>
 * <ul>
 * <li>{@code promptTokens} includes {@code cachedTokens} (cache reads, OpenAI
 *     {@code prompt_tokens_details.cached_tokens}), {@code cacheCreationTokens} (cache writes, Anthropic and
 *     Bedrock) and {@code audioPromptTokens} ({@code prompt_tokens_details.audio_tokens}).</li>
 * <li>{@code completionTokens} <b>always includes</b> {@code reasoningTokens} and
 *     {@code audioCompletionTokens}. OpenAI, Azure, DeepSeek and Gemini report reasoning inside the completion
 *     count already; xAI and Perplexity report it apart, and their adapters add it to {@code completionTokens}
 *     so the answer is billed for it (xAI bills reasoning at the output price, Perplexity at its reasoning
 *     price).</li>
 * <li>{@code citationTokens} (Perplexity) and {@code searchQueries} (Perplexity {@code num_search_queries})
 *     are counted apart: they are in neither the prompt nor the completion.</li>
 * <li>{@code serviceTier} is the tier that served the answer ({@code flex}, {@code priority}, ...), which
 *     selects the matching prices; {@code searchContextSize} is Perplexity's search context size
 *     ({@code low}, {@code medium}, {@code high}), which selects its request fee.</li>
 * </ul>
 * {@code totalTokens} is what the provider stated, or prompt + completion.
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
    private final int audioPromptTokens;
    private final int audioCompletionTokens;
    private final int citationTokens;
    private final int searchQueries;
    private final String serviceTier;
    private final String searchContextSize;

    private Usage(Builder b) {
        this.promptTokens = b.promptTokens;
        this.completionTokens = b.completionTokens;
        this.totalTokens = b.totalTokens >= 0 ? b.totalTokens : b.promptTokens + b.completionTokens;
        this.cachedTokens = b.cachedTokens;
        this.reasoningTokens = b.reasoningTokens;
        this.cacheCreationTokens = b.cacheCreationTokens;
        this.audioPromptTokens = b.audioPromptTokens;
        this.audioCompletionTokens = b.audioCompletionTokens;
        this.citationTokens = b.citationTokens;
        this.searchQueries = b.searchQueries;
        this.serviceTier = b.serviceTier;
        this.searchContextSize = b.searchContextSize;
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
        Builder b = new Builder().promptTokens(promptTokens).completionTokens(completionTokens)
                .totalTokens(totalTokens).cachedTokens(cachedTokens).reasoningTokens(reasoningTokens)
                .cacheCreationTokens(cacheCreationTokens).audioPromptTokens(audioPromptTokens)
                .audioCompletionTokens(audioCompletionTokens).citationTokens(citationTokens)
                .searchQueries(searchQueries);
        b.serviceTier = serviceTier;
        b.searchContextSize = searchContextSize;
        return b;
    }

    /** Input tokens, including cached, cache-creation and audio input tokens. */
    public int promptTokens() {
        return promptTokens;
    }

    /** Output tokens, including reasoning and audio output tokens, whatever the vendor's own convention. */
    public int completionTokens() {
        return completionTokens;
    }

    /** Total tokens. */
    public int totalTokens() {
        return totalTokens;
    }

    /** Input tokens read from the provider's prompt cache (priced lower); part of {@link #promptTokens()}. */
    public int cachedTokens() {
        return cachedTokens;
    }

    /** Output tokens spent on reasoning; part of {@link #completionTokens()}. */
    public int reasoningTokens() {
        return reasoningTokens;
    }

    /** Input tokens written to the provider's prompt cache (priced higher); part of {@link #promptTokens()}. */
    public int cacheCreationTokens() {
        return cacheCreationTokens;
    }

    /**
     * Audio input tokens ({@code prompt_tokens_details.audio_tokens}, Gemini's {@code AUDIO} modality); part of
     * {@link #promptTokens()}.
     */
    public int audioPromptTokens() {
        return audioPromptTokens;
    }

    /**
     * Audio output tokens ({@code completion_tokens_details.audio_tokens}); part of {@link #completionTokens()}.
     */
    public int audioCompletionTokens() {
        return audioCompletionTokens;
    }

    /**
     * Tokens of search results read to cite sources (Perplexity {@code citation_tokens}); in neither the prompt
     * nor the completion count.
     */
    public int citationTokens() {
        return citationTokens;
    }

    /**
     * Web searches the model ran (Perplexity {@code num_search_queries}); 0 when not reported.
     */
    public int searchQueries() {
        return searchQueries;
    }

    /**
     * The service tier that served the answer as the vendor names it ({@code service_tier}, e.g. {@code flex},
     * {@code priority}, {@code default}); empty when not reported.
     */
    public Optional<String> serviceTier() {
        return Optional.ofNullable(serviceTier);
    }

    /**
     * Perplexity's search context size ({@code usage.search_context_size}: {@code low}, {@code medium},
     * {@code high}); empty when not reported.
     */
    public Optional<String> searchContextSize() {
        return Optional.ofNullable(searchContextSize);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Usage u && promptTokens == u.promptTokens && completionTokens == u.completionTokens
                && totalTokens == u.totalTokens && cachedTokens == u.cachedTokens
                && reasoningTokens == u.reasoningTokens && cacheCreationTokens == u.cacheCreationTokens
                && audioPromptTokens == u.audioPromptTokens && audioCompletionTokens == u.audioCompletionTokens
                && citationTokens == u.citationTokens && searchQueries == u.searchQueries
                && Objects.equals(serviceTier, u.serviceTier) && Objects.equals(searchContextSize, u.searchContextSize);
    }

    @Override
    public int hashCode() {
        return Objects.hash(promptTokens, completionTokens, totalTokens, cachedTokens, reasoningTokens,
                cacheCreationTokens, audioPromptTokens, audioCompletionTokens, citationTokens, searchQueries,
                serviceTier, searchContextSize);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Usage[prompt=").append(promptTokens).append(", completion=")
                .append(completionTokens).append(", total=").append(totalTokens).append(", cached=")
                .append(cachedTokens).append(", reasoning=").append(reasoningTokens).append(", cacheCreation=")
                .append(cacheCreationTokens);
        if (audioPromptTokens != 0 || audioCompletionTokens != 0) {
            s.append(", audioPrompt=").append(audioPromptTokens).append(", audioCompletion=")
                    .append(audioCompletionTokens);
        }
        if (citationTokens != 0 || searchQueries != 0) {
            s.append(", citation=").append(citationTokens).append(", searchQueries=").append(searchQueries);
        }
        if (serviceTier != null) {
            s.append(", serviceTier=").append(serviceTier);
        }
        if (searchContextSize != null) {
            s.append(", searchContextSize=").append(searchContextSize);
        }
        return s.append(']').toString();
    }

    /** Builds a {@link Usage}; not thread-safe. */
    public static final class Builder {
        private int promptTokens;
        private int completionTokens;
        private int totalTokens = -1;
        private int cachedTokens;
        private int reasoningTokens;
        private int cacheCreationTokens;
        private int audioPromptTokens;
        private int audioCompletionTokens;
        private int citationTokens;
        private int searchQueries;
        private String serviceTier;
        private String searchContextSize;

        private Builder() {
        }

        /** Input tokens. */
        public Builder promptTokens(int v) {
            this.promptTokens = nonNegative(v, "promptTokens");
            return this;
        }

        /** Output tokens, reasoning and audio output included. */
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

        /** Reasoning tokens, counted inside the completion tokens. */
        public Builder reasoningTokens(int v) {
            this.reasoningTokens = nonNegative(v, "reasoningTokens");
            return this;
        }

        /** Cache-creation (write) tokens. */
        public Builder cacheCreationTokens(int v) {
            this.cacheCreationTokens = nonNegative(v, "cacheCreationTokens");
            return this;
        }

        /** Audio input tokens, counted inside the prompt tokens. */
        public Builder audioPromptTokens(int v) {
            this.audioPromptTokens = nonNegative(v, "audioPromptTokens");
            return this;
        }

        /** Audio output tokens, counted inside the completion tokens. */
        public Builder audioCompletionTokens(int v) {
            this.audioCompletionTokens = nonNegative(v, "audioCompletionTokens");
            return this;
        }

        /** Citation tokens, counted apart from prompt and completion. */
        public Builder citationTokens(int v) {
            this.citationTokens = nonNegative(v, "citationTokens");
            return this;
        }

        /** Web searches run. */
        public Builder searchQueries(int v) {
            this.searchQueries = nonNegative(v, "searchQueries");
            return this;
        }

        /** The service tier that served the answer, e.g. {@code flex}. */
        public Builder serviceTier(String tier) {
            this.serviceTier = Objects.requireNonNull(tier, "serviceTier");
            return this;
        }

        /** Perplexity's search context size, e.g. {@code low}. */
        public Builder searchContextSize(String size) {
            this.searchContextSize = Objects.requireNonNull(size, "searchContextSize");
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
