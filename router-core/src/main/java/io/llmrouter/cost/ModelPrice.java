package io.llmrouter.cost;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The prices, context window and capabilities of one model: a row of the {@link PriceTable}, or a
 * per-deployment override built by hand.
 *
 * <p>All prices are exact US dollars per token (or per request), absent when the source does not state
 * them; an absent price is never read as zero. Column names in brackets are LiteLLM's field names,
 * which are also the {@link PriceTable} TSV column names.
 *
 * <pre>{@code
 * ModelPrice mine = ModelPrice.builder().inputPerMillion("2.50").outputPerMillion("10").build();
 * ModelPrice cheaper = PriceTable.bundled().lookup("openai/gpt-4o").orElseThrow().price()
 *         .toBuilder().cachedInputPerMillion("1").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe. Prices are stored without trailing zeros,
 * so {@link #equals(Object)} compares values ({@code 0.50} equals {@code 0.5}).
 *
 * @since 0.1.0
 */
public final class ModelPrice {

    /** Tokens in a million, the unit of the {@code ...PerMillion} builder methods: {@value}. */
    public static final int TOKENS_PER_MILLION = 1_000_000;

    // Package-private: CostCalculator reads them directly on every answer (no Optional per read).
    final String provider;
    private final String mode;
    private final int maxInputTokens;
    private final int maxOutputTokens;
    final BigDecimal inputPerToken;
    final BigDecimal outputPerToken;
    final BigDecimal cachedInputPerToken;
    final BigDecimal cacheCreationPerToken;
    final BigDecimal reasoningPerToken;
    final BigDecimal inputPerTokenAbove200k;
    final BigDecimal outputPerTokenAbove200k;
    final BigDecimal cachedInputPerTokenAbove200k;
    final BigDecimal cacheCreationPerTokenAbove200k;
    final BigDecimal perRequest;
    final BigDecimal inputPerTokenAbove128k;
    final BigDecimal outputPerTokenAbove128k;
    final BigDecimal inputPerTokenFlex;
    final BigDecimal outputPerTokenFlex;
    final BigDecimal cachedInputPerTokenFlex;
    final BigDecimal inputPerTokenPriority;
    final BigDecimal outputPerTokenPriority;
    final BigDecimal cachedInputPerTokenPriority;
    final BigDecimal audioInputPerToken;
    final BigDecimal audioOutputPerToken;
    final BigDecimal citationPerToken;
    final BigDecimal searchPerQueryLow;
    final BigDecimal searchPerQueryMedium;
    final BigDecimal searchPerQueryHigh;
    final BigDecimal perQuery;
    final BigDecimal perPixel;
    final BigDecimal perImage;
    final BigDecimal perCharacter;
    final BigDecimal perSecond;
    private final Set<ModelCapability> capabilities;

    private ModelPrice(Builder b) {
        this.provider = b.provider;
        this.mode = b.mode;
        this.maxInputTokens = b.maxInputTokens;
        this.maxOutputTokens = b.maxOutputTokens;
        this.inputPerToken = b.inputPerToken;
        this.outputPerToken = b.outputPerToken;
        this.cachedInputPerToken = b.cachedInputPerToken;
        this.cacheCreationPerToken = b.cacheCreationPerToken;
        this.reasoningPerToken = b.reasoningPerToken;
        this.inputPerTokenAbove200k = b.inputPerTokenAbove200k;
        this.outputPerTokenAbove200k = b.outputPerTokenAbove200k;
        this.cachedInputPerTokenAbove200k = b.cachedInputPerTokenAbove200k;
        this.cacheCreationPerTokenAbove200k = b.cacheCreationPerTokenAbove200k;
        this.perRequest = b.perRequest;
        this.inputPerTokenAbove128k = b.inputPerTokenAbove128k;
        this.outputPerTokenAbove128k = b.outputPerTokenAbove128k;
        this.inputPerTokenFlex = b.inputPerTokenFlex;
        this.outputPerTokenFlex = b.outputPerTokenFlex;
        this.cachedInputPerTokenFlex = b.cachedInputPerTokenFlex;
        this.inputPerTokenPriority = b.inputPerTokenPriority;
        this.outputPerTokenPriority = b.outputPerTokenPriority;
        this.cachedInputPerTokenPriority = b.cachedInputPerTokenPriority;
        this.audioInputPerToken = b.audioInputPerToken;
        this.audioOutputPerToken = b.audioOutputPerToken;
        this.citationPerToken = b.citationPerToken;
        this.searchPerQueryLow = b.searchPerQueryLow;
        this.searchPerQueryMedium = b.searchPerQueryMedium;
        this.searchPerQueryHigh = b.searchPerQueryHigh;
        this.perQuery = b.perQuery;
        this.perPixel = b.perPixel;
        this.perImage = b.perImage;
        this.perCharacter = b.perCharacter;
        this.perSecond = b.perSecond;
        this.capabilities = b.capabilities.isEmpty() ? Collections.emptySet()
                : Collections.unmodifiableSet(EnumSet.copyOf(b.capabilities));
    }

    /**
     * A new builder with nothing set: no prices, no context window, no capabilities.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this price's values, to derive an override from a table entry.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.provider = provider;
        b.mode = mode;
        b.maxInputTokens = maxInputTokens;
        b.maxOutputTokens = maxOutputTokens;
        b.inputPerToken = inputPerToken;
        b.outputPerToken = outputPerToken;
        b.cachedInputPerToken = cachedInputPerToken;
        b.cacheCreationPerToken = cacheCreationPerToken;
        b.reasoningPerToken = reasoningPerToken;
        b.inputPerTokenAbove200k = inputPerTokenAbove200k;
        b.outputPerTokenAbove200k = outputPerTokenAbove200k;
        b.cachedInputPerTokenAbove200k = cachedInputPerTokenAbove200k;
        b.cacheCreationPerTokenAbove200k = cacheCreationPerTokenAbove200k;
        b.perRequest = perRequest;
        b.perQuery = perQuery;
        b.perPixel = perPixel;
        b.perImage = perImage;
        b.perCharacter = perCharacter;
        b.perSecond = perSecond;
        b.inputPerTokenAbove128k = inputPerTokenAbove128k;
        b.outputPerTokenAbove128k = outputPerTokenAbove128k;
        b.inputPerTokenFlex = inputPerTokenFlex;
        b.outputPerTokenFlex = outputPerTokenFlex;
        b.cachedInputPerTokenFlex = cachedInputPerTokenFlex;
        b.inputPerTokenPriority = inputPerTokenPriority;
        b.outputPerTokenPriority = outputPerTokenPriority;
        b.cachedInputPerTokenPriority = cachedInputPerTokenPriority;
        b.audioInputPerToken = audioInputPerToken;
        b.audioOutputPerToken = audioOutputPerToken;
        b.citationPerToken = citationPerToken;
        b.searchPerQueryLow = searchPerQueryLow;
        b.searchPerQueryMedium = searchPerQueryMedium;
        b.searchPerQueryHigh = searchPerQueryHigh;
        b.capabilities.addAll(capabilities);
        return b;
    }

    /** LiteLLM's provider name for this entry [{@code litellm_provider}], e.g. {@code openai} or {@code bedrock}. */
    public Optional<String> provider() {
        return Optional.ofNullable(provider);
    }

    /** The kind of model [{@code mode}], e.g. {@code chat}, {@code embedding} or {@code completion}. */
    public Optional<String> mode() {
        return Optional.ofNullable(mode);
    }

    /** The context window for input tokens [{@code max_input_tokens}]. */
    public OptionalInt maxInputTokens() {
        return maxInputTokens < 0 ? OptionalInt.empty() : OptionalInt.of(maxInputTokens);
    }

    /** The most output tokens one answer may have [{@code max_output_tokens}]. */
    public OptionalInt maxOutputTokens() {
        return maxOutputTokens < 0 ? OptionalInt.empty() : OptionalInt.of(maxOutputTokens);
    }

    /** USD per uncached input token [{@code input_cost_per_token}]. */
    public Optional<BigDecimal> inputPerToken() {
        return Optional.ofNullable(inputPerToken);
    }

    /** USD per output token [{@code output_cost_per_token}]. */
    public Optional<BigDecimal> outputPerToken() {
        return Optional.ofNullable(outputPerToken);
    }

    /** USD per input token read from the prompt cache [{@code cache_read_input_token_cost}]. */
    public Optional<BigDecimal> cachedInputPerToken() {
        return Optional.ofNullable(cachedInputPerToken);
    }

    /** USD per input token written to the prompt cache [{@code cache_creation_input_token_cost}]. */
    public Optional<BigDecimal> cacheCreationPerToken() {
        return Optional.ofNullable(cacheCreationPerToken);
    }

    /** USD per reasoning output token, where it differs from output [{@code output_cost_per_reasoning_token}]. */
    public Optional<BigDecimal> reasoningPerToken() {
        return Optional.ofNullable(reasoningPerToken);
    }

    /** USD per uncached input token when the prompt exceeds 200k tokens [{@code input_cost_per_token_above_200k_tokens}]. */
    public Optional<BigDecimal> inputPerTokenAbove200k() {
        return Optional.ofNullable(inputPerTokenAbove200k);
    }

    /** USD per output token when the prompt exceeds 200k tokens [{@code output_cost_per_token_above_200k_tokens}]. */
    public Optional<BigDecimal> outputPerTokenAbove200k() {
        return Optional.ofNullable(outputPerTokenAbove200k);
    }

    /**
     * USD per cache-read input token when the prompt exceeds 200k tokens
     * [{@code cache_read_input_token_cost_above_200k_tokens}].
     */
    public Optional<BigDecimal> cachedInputPerTokenAbove200k() {
        return Optional.ofNullable(cachedInputPerTokenAbove200k);
    }

    /**
     * USD per cache-write input token when the prompt exceeds 200k tokens
     * [{@code cache_creation_input_token_cost_above_200k_tokens}].
     */
    public Optional<BigDecimal> cacheCreationPerTokenAbove200k() {
        return Optional.ofNullable(cacheCreationPerTokenAbove200k);
    }

    /** A fixed USD price per request, added to the token prices [{@code input_cost_per_request}]. */
    public Optional<BigDecimal> perRequest() {
        return Optional.ofNullable(perRequest);
    }

    /**
     * USD per rerank query, one search unit [{@code input_cost_per_query}].
     *
     * @return the price, or empty when the source states none
     * @since 0.1.0
     */
    public Optional<BigDecimal> perQuery() {
        return Optional.ofNullable(perQuery);
    }

    /**
     * USD per pixel of a generated image [{@code input_cost_per_pixel}].
     *
     * @return the price, or empty when the source states none
     * @since 0.1.0
     */
    public Optional<BigDecimal> perPixel() {
        return Optional.ofNullable(perPixel);
    }

    /**
     * USD per generated image [{@code output_cost_per_image}].
     *
     * @return the price, or empty when the source states none
     * @since 0.1.0
     */
    public Optional<BigDecimal> perImage() {
        return Optional.ofNullable(perImage);
    }

    /**
     * USD per input character of a text-to-speech request [{@code input_cost_per_character}].
     *
     * @return the price, or empty when the source states none
     * @since 0.1.0
     */
    public Optional<BigDecimal> perCharacter() {
        return Optional.ofNullable(perCharacter);
    }

    /**
     * USD per second of transcribed audio [{@code input_cost_per_second}].
     *
     * @return the price, or empty when the source states none
     * @since 0.1.0
     */
    public Optional<BigDecimal> perSecond() {
        return Optional.ofNullable(perSecond);
    }

    /**
     * USD per uncached input token when the prompt exceeds 128k tokens [{@code input_cost_per_token_above_128k_tokens}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> inputPerTokenAbove128k() {
        return Optional.ofNullable(inputPerTokenAbove128k);
    }

    /**
     * USD per output token when the prompt exceeds 128k tokens [{@code output_cost_per_token_above_128k_tokens}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> outputPerTokenAbove128k() {
        return Optional.ofNullable(outputPerTokenAbove128k);
    }

    /**
     * USD per uncached input token on the {@code flex} service tier [{@code input_cost_per_token_flex}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> inputPerTokenFlex() {
        return Optional.ofNullable(inputPerTokenFlex);
    }

    /**
     * USD per output token on the {@code flex} service tier [{@code output_cost_per_token_flex}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> outputPerTokenFlex() {
        return Optional.ofNullable(outputPerTokenFlex);
    }

    /**
     * USD per cache-read input token on the {@code flex} service tier [{@code cache_read_input_token_cost_flex}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> cachedInputPerTokenFlex() {
        return Optional.ofNullable(cachedInputPerTokenFlex);
    }

    /**
     * USD per uncached input token on the {@code priority} service tier [{@code input_cost_per_token_priority}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> inputPerTokenPriority() {
        return Optional.ofNullable(inputPerTokenPriority);
    }

    /**
     * USD per output token on the {@code priority} service tier [{@code output_cost_per_token_priority}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> outputPerTokenPriority() {
        return Optional.ofNullable(outputPerTokenPriority);
    }

    /**
     * USD per cache-read input token on the {@code priority} service tier [{@code cache_read_input_token_cost_priority}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> cachedInputPerTokenPriority() {
        return Optional.ofNullable(cachedInputPerTokenPriority);
    }

    /**
     * USD per audio input token [{@code input_cost_per_audio_token}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> audioInputPerToken() {
        return Optional.ofNullable(audioInputPerToken);
    }

    /**
     * USD per audio output token [{@code output_cost_per_audio_token}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> audioOutputPerToken() {
        return Optional.ofNullable(audioOutputPerToken);
    }

    /**
     * USD per citation token (Perplexity) [{@code citation_cost_per_token}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> citationPerToken() {
        return Optional.ofNullable(citationPerToken);
    }

    /**
     * USD per search request or query at the {@code low} search context size (Perplexity) [{@code search_context_cost_per_query.search_context_size_low}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> searchPerQueryLow() {
        return Optional.ofNullable(searchPerQueryLow);
    }

    /**
     * USD per search request or query at the {@code medium} search context size (Perplexity) [{@code search_context_cost_per_query.search_context_size_medium}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> searchPerQueryMedium() {
        return Optional.ofNullable(searchPerQueryMedium);
    }

    /**
     * USD per search request or query at the {@code high} search context size (Perplexity) [{@code search_context_cost_per_query.search_context_size_high}].
     *
     * @since 0.1.0
     */
    public Optional<BigDecimal> searchPerQueryHigh() {
        return Optional.ofNullable(searchPerQueryHigh);
    }

    /** The declared capabilities; an unmodifiable set, empty when none are declared. */
    public Set<ModelCapability> capabilities() {
        return capabilities;
    }

    /**
     * Whether the entry declares a capability. An undeclared capability may still work; the source just
     * does not say so.
     *
     * @param capability the capability
     * @return whether it is declared
     * @throws NullPointerException if {@code capability} is null
     */
    public boolean hasCapability(ModelCapability capability) {
        return capabilities.contains(Objects.requireNonNull(capability, "capability"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelPrice p && Objects.equals(provider, p.provider) && Objects.equals(mode, p.mode)
                && maxInputTokens == p.maxInputTokens && maxOutputTokens == p.maxOutputTokens
                && Objects.equals(inputPerToken, p.inputPerToken) && Objects.equals(outputPerToken, p.outputPerToken)
                && Objects.equals(cachedInputPerToken, p.cachedInputPerToken)
                && Objects.equals(cacheCreationPerToken, p.cacheCreationPerToken)
                && Objects.equals(reasoningPerToken, p.reasoningPerToken)
                && Objects.equals(inputPerTokenAbove200k, p.inputPerTokenAbove200k)
                && Objects.equals(outputPerTokenAbove200k, p.outputPerTokenAbove200k)
                && Objects.equals(cachedInputPerTokenAbove200k, p.cachedInputPerTokenAbove200k)
                && Objects.equals(cacheCreationPerTokenAbove200k, p.cacheCreationPerTokenAbove200k)
                && Objects.equals(perRequest, p.perRequest) && capabilities.equals(p.capabilities)
                && Objects.equals(inputPerTokenAbove128k, p.inputPerTokenAbove128k)
                && Objects.equals(outputPerTokenAbove128k, p.outputPerTokenAbove128k)
                && Objects.equals(inputPerTokenFlex, p.inputPerTokenFlex)
                && Objects.equals(outputPerTokenFlex, p.outputPerTokenFlex)
                && Objects.equals(cachedInputPerTokenFlex, p.cachedInputPerTokenFlex)
                && Objects.equals(inputPerTokenPriority, p.inputPerTokenPriority)
                && Objects.equals(outputPerTokenPriority, p.outputPerTokenPriority)
                && Objects.equals(cachedInputPerTokenPriority, p.cachedInputPerTokenPriority)
                && Objects.equals(audioInputPerToken, p.audioInputPerToken)
                && Objects.equals(audioOutputPerToken, p.audioOutputPerToken)
                && Objects.equals(citationPerToken, p.citationPerToken)
                && Objects.equals(searchPerQueryLow, p.searchPerQueryLow)
                && Objects.equals(searchPerQueryMedium, p.searchPerQueryMedium)
                && Objects.equals(searchPerQueryHigh, p.searchPerQueryHigh) && Objects.equals(perQuery, p.perQuery)
                && Objects.equals(perPixel, p.perPixel) && Objects.equals(perImage, p.perImage)
                && Objects.equals(perCharacter, p.perCharacter) && Objects.equals(perSecond, p.perSecond);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, mode, maxInputTokens, maxOutputTokens, inputPerToken, outputPerToken,
                cachedInputPerToken, cacheCreationPerToken, reasoningPerToken, inputPerTokenAbove200k,
                outputPerTokenAbove200k, cachedInputPerTokenAbove200k, cacheCreationPerTokenAbove200k, perRequest,
                capabilities, inputPerTokenAbove128k, outputPerTokenAbove128k, inputPerTokenFlex, outputPerTokenFlex, cachedInputPerTokenFlex,
                inputPerTokenPriority, outputPerTokenPriority, cachedInputPerTokenPriority, audioInputPerToken, audioOutputPerToken,
                citationPerToken, searchPerQueryLow, searchPerQueryMedium, searchPerQueryHigh, perQuery,
                perPixel, perImage, perCharacter, perSecond);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ModelPrice[");
        append(s, "provider", provider);
        append(s, "mode", mode);
        append(s, "maxInputTokens", maxInputTokens < 0 ? null : maxInputTokens);
        append(s, "maxOutputTokens", maxOutputTokens < 0 ? null : maxOutputTokens);
        append(s, "inputPerToken", inputPerToken);
        append(s, "outputPerToken", outputPerToken);
        append(s, "cachedInputPerToken", cachedInputPerToken);
        append(s, "cacheCreationPerToken", cacheCreationPerToken);
        append(s, "reasoningPerToken", reasoningPerToken);
        append(s, "inputPerTokenAbove200k", inputPerTokenAbove200k);
        append(s, "outputPerTokenAbove200k", outputPerTokenAbove200k);
        append(s, "cachedInputPerTokenAbove200k", cachedInputPerTokenAbove200k);
        append(s, "cacheCreationPerTokenAbove200k", cacheCreationPerTokenAbove200k);
        append(s, "perRequest", perRequest);
        append(s, "perQuery", perQuery);
        append(s, "perPixel", perPixel);
        append(s, "perImage", perImage);
        append(s, "perCharacter", perCharacter);
        append(s, "perSecond", perSecond);
        append(s, "inputPerTokenAbove128k", inputPerTokenAbove128k);
        append(s, "outputPerTokenAbove128k", outputPerTokenAbove128k);
        append(s, "inputPerTokenFlex", inputPerTokenFlex);
        append(s, "outputPerTokenFlex", outputPerTokenFlex);
        append(s, "cachedInputPerTokenFlex", cachedInputPerTokenFlex);
        append(s, "inputPerTokenPriority", inputPerTokenPriority);
        append(s, "outputPerTokenPriority", outputPerTokenPriority);
        append(s, "cachedInputPerTokenPriority", cachedInputPerTokenPriority);
        append(s, "audioInputPerToken", audioInputPerToken);
        append(s, "audioOutputPerToken", audioOutputPerToken);
        append(s, "citationPerToken", citationPerToken);
        append(s, "searchPerQueryLow", searchPerQueryLow);
        append(s, "searchPerQueryMedium", searchPerQueryMedium);
        append(s, "searchPerQueryHigh", searchPerQueryHigh);
        append(s, "capabilities", capabilities.isEmpty() ? null : capabilities);
        return s.append(']').toString();
    }

    private static void append(StringBuilder s, String name, Object value) {
        if (value == null) {
            return;
        }
        if (s.charAt(s.length() - 1) != '[') {
            s.append(", ");
        }
        s.append(name).append('=').append(value instanceof BigDecimal d ? d.toPlainString() : value);
    }

    /**
     * Builds a {@link ModelPrice}. Not thread-safe.
     *
     * <p>Every price has three setters: {@code xPerToken(String)} and {@code xPerToken(BigDecimal)} in USD
     * per token, and (for the main prices) {@code xPerMillion(String)} in USD per million tokens, divided
     * exactly by {@value ModelPrice#TOKENS_PER_MILLION}. A setter called again replaces the value. Prices are
     * parsed as {@link BigDecimal}, never through {@code double}; a negative or unparseable price gets an
     * {@link IllegalArgumentException} naming the setter.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private String provider;
        private String mode;
        private int maxInputTokens = -1;
        private int maxOutputTokens = -1;
        private BigDecimal inputPerToken;
        private BigDecimal outputPerToken;
        private BigDecimal cachedInputPerToken;
        private BigDecimal cacheCreationPerToken;
        private BigDecimal reasoningPerToken;
        private BigDecimal inputPerTokenAbove200k;
        private BigDecimal outputPerTokenAbove200k;
        private BigDecimal cachedInputPerTokenAbove200k;
        private BigDecimal cacheCreationPerTokenAbove200k;
        private BigDecimal perRequest;
        private BigDecimal perQuery;
        private BigDecimal perPixel;
        private BigDecimal perImage;
        private BigDecimal perCharacter;
        private BigDecimal perSecond;
        private BigDecimal inputPerTokenAbove128k;
        private BigDecimal outputPerTokenAbove128k;
        private BigDecimal inputPerTokenFlex;
        private BigDecimal outputPerTokenFlex;
        private BigDecimal cachedInputPerTokenFlex;
        private BigDecimal inputPerTokenPriority;
        private BigDecimal outputPerTokenPriority;
        private BigDecimal cachedInputPerTokenPriority;
        private BigDecimal audioInputPerToken;
        private BigDecimal audioOutputPerToken;
        private BigDecimal citationPerToken;
        private BigDecimal searchPerQueryLow;
        private BigDecimal searchPerQueryMedium;
        private BigDecimal searchPerQueryHigh;
        private final Set<ModelCapability> capabilities = EnumSet.noneOf(ModelCapability.class);

        private Builder() {
        }

        /** Sets LiteLLM's provider name, e.g. {@code openai}. */
        public Builder provider(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Sets the kind of model, e.g. {@code chat}. */
        public Builder mode(String mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Sets the input context window.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxInputTokens(int maxInputTokens) {
            this.maxInputTokens = nonNegative(maxInputTokens, "maxInputTokens");
            return this;
        }

        /**
         * Sets the output limit.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxOutputTokens(int maxOutputTokens) {
            this.maxOutputTokens = nonNegative(maxOutputTokens, "maxOutputTokens");
            return this;
        }

        /** Sets USD per uncached input token, e.g. {@code "0.0000025"}. */
        public Builder inputPerToken(String usd) {
            this.inputPerToken = parse(usd, "inputPerToken");
            return this;
        }

        /** Sets USD per uncached input token. */
        public Builder inputPerToken(BigDecimal usd) {
            this.inputPerToken = price(usd, "inputPerToken");
            return this;
        }

        /** Sets USD per million uncached input tokens, e.g. {@code "2.50"}. */
        public Builder inputPerMillion(String usd) {
            this.inputPerToken = perMillion(usd, "inputPerMillion");
            return this;
        }

        /** Sets USD per output token. */
        public Builder outputPerToken(String usd) {
            this.outputPerToken = parse(usd, "outputPerToken");
            return this;
        }

        /** Sets USD per output token. */
        public Builder outputPerToken(BigDecimal usd) {
            this.outputPerToken = price(usd, "outputPerToken");
            return this;
        }

        /** Sets USD per million output tokens. */
        public Builder outputPerMillion(String usd) {
            this.outputPerToken = perMillion(usd, "outputPerMillion");
            return this;
        }

        /** Sets USD per cache-read input token. */
        public Builder cachedInputPerToken(String usd) {
            this.cachedInputPerToken = parse(usd, "cachedInputPerToken");
            return this;
        }

        /** Sets USD per cache-read input token. */
        public Builder cachedInputPerToken(BigDecimal usd) {
            this.cachedInputPerToken = price(usd, "cachedInputPerToken");
            return this;
        }

        /** Sets USD per million cache-read input tokens. */
        public Builder cachedInputPerMillion(String usd) {
            this.cachedInputPerToken = perMillion(usd, "cachedInputPerMillion");
            return this;
        }

        /** Sets USD per cache-write input token. */
        public Builder cacheCreationPerToken(String usd) {
            this.cacheCreationPerToken = parse(usd, "cacheCreationPerToken");
            return this;
        }

        /** Sets USD per cache-write input token. */
        public Builder cacheCreationPerToken(BigDecimal usd) {
            this.cacheCreationPerToken = price(usd, "cacheCreationPerToken");
            return this;
        }

        /** Sets USD per million cache-write input tokens. */
        public Builder cacheCreationPerMillion(String usd) {
            this.cacheCreationPerToken = perMillion(usd, "cacheCreationPerMillion");
            return this;
        }

        /** Sets USD per reasoning output token. */
        public Builder reasoningPerToken(String usd) {
            this.reasoningPerToken = parse(usd, "reasoningPerToken");
            return this;
        }

        /** Sets USD per reasoning output token. */
        public Builder reasoningPerToken(BigDecimal usd) {
            this.reasoningPerToken = price(usd, "reasoningPerToken");
            return this;
        }

        /** Sets USD per million reasoning output tokens. */
        public Builder reasoningPerMillion(String usd) {
            this.reasoningPerToken = perMillion(usd, "reasoningPerMillion");
            return this;
        }

        /** Sets USD per uncached input token for prompts above 200k tokens. */
        public Builder inputPerTokenAbove200k(String usd) {
            this.inputPerTokenAbove200k = parse(usd, "inputPerTokenAbove200k");
            return this;
        }

        /** Sets USD per uncached input token for prompts above 200k tokens. */
        public Builder inputPerTokenAbove200k(BigDecimal usd) {
            this.inputPerTokenAbove200k = price(usd, "inputPerTokenAbove200k");
            return this;
        }

        /** Sets USD per output token for prompts above 200k tokens. */
        public Builder outputPerTokenAbove200k(String usd) {
            this.outputPerTokenAbove200k = parse(usd, "outputPerTokenAbove200k");
            return this;
        }

        /** Sets USD per output token for prompts above 200k tokens. */
        public Builder outputPerTokenAbove200k(BigDecimal usd) {
            this.outputPerTokenAbove200k = price(usd, "outputPerTokenAbove200k");
            return this;
        }

        /** Sets USD per cache-read input token for prompts above 200k tokens. */
        public Builder cachedInputPerTokenAbove200k(String usd) {
            this.cachedInputPerTokenAbove200k = parse(usd, "cachedInputPerTokenAbove200k");
            return this;
        }

        /** Sets USD per cache-read input token for prompts above 200k tokens. */
        public Builder cachedInputPerTokenAbove200k(BigDecimal usd) {
            this.cachedInputPerTokenAbove200k = price(usd, "cachedInputPerTokenAbove200k");
            return this;
        }

        /** Sets USD per cache-write input token for prompts above 200k tokens. */
        public Builder cacheCreationPerTokenAbove200k(String usd) {
            this.cacheCreationPerTokenAbove200k = parse(usd, "cacheCreationPerTokenAbove200k");
            return this;
        }

        /** Sets USD per cache-write input token for prompts above 200k tokens. */
        public Builder cacheCreationPerTokenAbove200k(BigDecimal usd) {
            this.cacheCreationPerTokenAbove200k = price(usd, "cacheCreationPerTokenAbove200k");
            return this;
        }

        /** Sets a fixed USD price per request. */
        public Builder perRequest(String usd) {
            this.perRequest = parse(usd, "perRequest");
            return this;
        }

        /** Sets a fixed USD price per request. */
        public Builder perRequest(BigDecimal usd) {
            this.perRequest = price(usd, "perRequest");
            return this;
        }

        /**
         * Sets USD per rerank query (search unit).
         *
         * @param usd the price, a plain decimal
         * @return this builder
         * @since 0.1.0
         */
        public Builder perQuery(String usd) {
            this.perQuery = parse(usd, "perQuery");
            return this;
        }

        /**
         * Sets USD per rerank query (search unit).
         *
         * @param usd the price
         * @return this builder
         * @since 0.1.0
         */
        public Builder perQuery(BigDecimal usd) {
            this.perQuery = price(usd, "perQuery");
            return this;
        }

        /**
         * Sets USD per pixel of a generated image.
         *
         * @param usd the price
         * @return this builder
         * @since 0.1.0
         */
        public Builder perPixel(BigDecimal usd) {
            this.perPixel = price(usd, "perPixel");
            return this;
        }

        /**
         * Sets USD per pixel of a generated image.
         *
         * @param usd the price, a plain decimal
         * @return this builder
         * @since 0.1.0
         */
        public Builder perPixel(String usd) {
            this.perPixel = parse(usd, "perPixel");
            return this;
        }

        /**
         * Sets USD per generated image.
         *
         * @param usd the price
         * @return this builder
         * @since 0.1.0
         */
        public Builder perImage(BigDecimal usd) {
            this.perImage = price(usd, "perImage");
            return this;
        }

        /**
         * Sets USD per generated image.
         *
         * @param usd the price, a plain decimal
         * @return this builder
         * @since 0.1.0
         */
        public Builder perImage(String usd) {
            this.perImage = parse(usd, "perImage");
            return this;
        }

        /**
         * Sets USD per input character of a text-to-speech request.
         *
         * @param usd the price
         * @return this builder
         * @since 0.1.0
         */
        public Builder perCharacter(BigDecimal usd) {
            this.perCharacter = price(usd, "perCharacter");
            return this;
        }

        /**
         * Sets USD per input character of a text-to-speech request.
         *
         * @param usd the price, a plain decimal
         * @return this builder
         * @since 0.1.0
         */
        public Builder perCharacter(String usd) {
            this.perCharacter = parse(usd, "perCharacter");
            return this;
        }

        /**
         * Sets USD per second of transcribed audio.
         *
         * @param usd the price
         * @return this builder
         * @since 0.1.0
         */
        public Builder perSecond(BigDecimal usd) {
            this.perSecond = price(usd, "perSecond");
            return this;
        }

        /**
         * Sets USD per second of transcribed audio.
         *
         * @param usd the price, a plain decimal
         * @return this builder
         * @since 0.1.0
         */
        public Builder perSecond(String usd) {
            this.perSecond = parse(usd, "perSecond");
            return this;
        }

        /** Sets USD per uncached input token for prompts above 128k tokens. */
        public Builder inputPerTokenAbove128k(String usd) {
            this.inputPerTokenAbove128k = parse(usd, "inputPerTokenAbove128k");
            return this;
        }

        /** Sets USD per uncached input token for prompts above 128k tokens. */
        public Builder inputPerTokenAbove128k(BigDecimal usd) {
            this.inputPerTokenAbove128k = price(usd, "inputPerTokenAbove128k");
            return this;
        }

        /** Sets USD per output token for prompts above 128k tokens. */
        public Builder outputPerTokenAbove128k(String usd) {
            this.outputPerTokenAbove128k = parse(usd, "outputPerTokenAbove128k");
            return this;
        }

        /** Sets USD per output token for prompts above 128k tokens. */
        public Builder outputPerTokenAbove128k(BigDecimal usd) {
            this.outputPerTokenAbove128k = price(usd, "outputPerTokenAbove128k");
            return this;
        }

        /** Sets USD per uncached input token on the flex tier. */
        public Builder inputPerTokenFlex(String usd) {
            this.inputPerTokenFlex = parse(usd, "inputPerTokenFlex");
            return this;
        }

        /** Sets USD per uncached input token on the flex tier. */
        public Builder inputPerTokenFlex(BigDecimal usd) {
            this.inputPerTokenFlex = price(usd, "inputPerTokenFlex");
            return this;
        }

        /** Sets USD per output token on the flex tier. */
        public Builder outputPerTokenFlex(String usd) {
            this.outputPerTokenFlex = parse(usd, "outputPerTokenFlex");
            return this;
        }

        /** Sets USD per output token on the flex tier. */
        public Builder outputPerTokenFlex(BigDecimal usd) {
            this.outputPerTokenFlex = price(usd, "outputPerTokenFlex");
            return this;
        }

        /** Sets USD per cache-read input token on the flex tier. */
        public Builder cachedInputPerTokenFlex(String usd) {
            this.cachedInputPerTokenFlex = parse(usd, "cachedInputPerTokenFlex");
            return this;
        }

        /** Sets USD per cache-read input token on the flex tier. */
        public Builder cachedInputPerTokenFlex(BigDecimal usd) {
            this.cachedInputPerTokenFlex = price(usd, "cachedInputPerTokenFlex");
            return this;
        }

        /** Sets USD per uncached input token on the priority tier. */
        public Builder inputPerTokenPriority(String usd) {
            this.inputPerTokenPriority = parse(usd, "inputPerTokenPriority");
            return this;
        }

        /** Sets USD per uncached input token on the priority tier. */
        public Builder inputPerTokenPriority(BigDecimal usd) {
            this.inputPerTokenPriority = price(usd, "inputPerTokenPriority");
            return this;
        }

        /** Sets USD per output token on the priority tier. */
        public Builder outputPerTokenPriority(String usd) {
            this.outputPerTokenPriority = parse(usd, "outputPerTokenPriority");
            return this;
        }

        /** Sets USD per output token on the priority tier. */
        public Builder outputPerTokenPriority(BigDecimal usd) {
            this.outputPerTokenPriority = price(usd, "outputPerTokenPriority");
            return this;
        }

        /** Sets USD per cache-read input token on the priority tier. */
        public Builder cachedInputPerTokenPriority(String usd) {
            this.cachedInputPerTokenPriority = parse(usd, "cachedInputPerTokenPriority");
            return this;
        }

        /** Sets USD per cache-read input token on the priority tier. */
        public Builder cachedInputPerTokenPriority(BigDecimal usd) {
            this.cachedInputPerTokenPriority = price(usd, "cachedInputPerTokenPriority");
            return this;
        }

        /** Sets USD per audio input token. */
        public Builder audioInputPerToken(String usd) {
            this.audioInputPerToken = parse(usd, "audioInputPerToken");
            return this;
        }

        /** Sets USD per audio input token. */
        public Builder audioInputPerToken(BigDecimal usd) {
            this.audioInputPerToken = price(usd, "audioInputPerToken");
            return this;
        }

        /** Sets USD per million audio input tokens. */
        public Builder audioInputPerMillion(String usd) {
            this.audioInputPerToken = perMillion(usd, "audioInputPerMillion");
            return this;
        }

        /** Sets USD per audio output token. */
        public Builder audioOutputPerToken(String usd) {
            this.audioOutputPerToken = parse(usd, "audioOutputPerToken");
            return this;
        }

        /** Sets USD per audio output token. */
        public Builder audioOutputPerToken(BigDecimal usd) {
            this.audioOutputPerToken = price(usd, "audioOutputPerToken");
            return this;
        }

        /** Sets USD per million audio output tokens. */
        public Builder audioOutputPerMillion(String usd) {
            this.audioOutputPerToken = perMillion(usd, "audioOutputPerMillion");
            return this;
        }

        /** Sets USD per citation token. */
        public Builder citationPerToken(String usd) {
            this.citationPerToken = parse(usd, "citationPerToken");
            return this;
        }

        /** Sets USD per citation token. */
        public Builder citationPerToken(BigDecimal usd) {
            this.citationPerToken = price(usd, "citationPerToken");
            return this;
        }

        /** Sets USD per million citation tokens. */
        public Builder citationPerMillion(String usd) {
            this.citationPerToken = perMillion(usd, "citationPerMillion");
            return this;
        }

        /** Sets USD per search at the low context size. */
        public Builder searchPerQueryLow(String usd) {
            this.searchPerQueryLow = parse(usd, "searchPerQueryLow");
            return this;
        }

        /** Sets USD per search at the low context size. */
        public Builder searchPerQueryLow(BigDecimal usd) {
            this.searchPerQueryLow = price(usd, "searchPerQueryLow");
            return this;
        }

        /** Sets USD per search at the medium context size. */
        public Builder searchPerQueryMedium(String usd) {
            this.searchPerQueryMedium = parse(usd, "searchPerQueryMedium");
            return this;
        }

        /** Sets USD per search at the medium context size. */
        public Builder searchPerQueryMedium(BigDecimal usd) {
            this.searchPerQueryMedium = price(usd, "searchPerQueryMedium");
            return this;
        }

        /** Sets USD per search at the high context size. */
        public Builder searchPerQueryHigh(String usd) {
            this.searchPerQueryHigh = parse(usd, "searchPerQueryHigh");
            return this;
        }

        /** Sets USD per search at the high context size. */
        public Builder searchPerQueryHigh(BigDecimal usd) {
            this.searchPerQueryHigh = price(usd, "searchPerQueryHigh");
            return this;
        }

        /** Adds one declared capability. */
        public Builder addCapability(ModelCapability capability) {
            capabilities.add(Objects.requireNonNull(capability, "capability"));
            return this;
        }

        /** Replaces all declared capabilities. */
        public Builder capabilities(Collection<ModelCapability> capabilities) {
            Objects.requireNonNull(capabilities, "capabilities");
            EnumSet<ModelCapability> copy = EnumSet.noneOf(ModelCapability.class);
            for (ModelCapability c : capabilities) {
                copy.add(Objects.requireNonNull(c, "capabilities element"));
            }
            this.capabilities.clear();
            this.capabilities.addAll(copy);
            return this;
        }

        /**
         * Builds the price. Every combination of set and unset values is valid.
         *
         * @return the immutable price
         */
        public ModelPrice build() {
            return new ModelPrice(this);
        }

        private static int nonNegative(int v, String field) {
            if (v < 0) {
                throw new IllegalArgumentException(field + " must not be negative, was " + v);
            }
            return v;
        }

        private static BigDecimal parse(String usd, String field) {
            Objects.requireNonNull(usd, field);
            BigDecimal value;
            try {
                value = new BigDecimal(usd.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + " is not a decimal number: '" + usd + "'", e);
            }
            return price(value, field);
        }

        private static BigDecimal perMillion(String usd, String field) {
            return parse(usd, field).movePointLeft(6).stripTrailingZeros();
        }

        private static BigDecimal price(BigDecimal usd, String field) {
            Objects.requireNonNull(usd, field);
            if (usd.signum() < 0) {
                throw new IllegalArgumentException(field + " must not be negative, was " + usd.toPlainString());
            }
            return usd.stripTrailingZeros();
        }
    }
}
