package io.llmrouter.api.chat;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * What one answer cost in US dollars, or an explicit statement that it could not be priced.
 *
 * <p>A model missing from the price table is never silently priced at zero: its cost is
 * {@link #unpriced(String) unpriced}, {@link #isPriced()} is {@code false} and
 * {@link #totalUsd()} is empty. A priced cost splits into disjoint components, and
 * {@link #totalUsd()} is their sum:
 * <ul>
 * <li>{@link #inputUsd()}: uncached text input tokens;</li>
 * <li>{@link #cachedInputUsd()}: cache reads; {@link #cacheCreationUsd()}: cache writes;</li>
 * <li>{@link #audioInputUsd()}: audio input tokens;</li>
 * <li>{@link #outputUsd()}: text output tokens, <em>without</em> reasoning and audio output;</li>
 * <li>{@link #reasoningUsd()}: reasoning tokens; {@link #audioOutputUsd()}: audio output tokens;</li>
 * <li>{@link #citationUsd()}: citation tokens (Perplexity);</li>
 * <li>{@link #requestUsd()}: fixed per-request and per-search fees.</li>
 * </ul>
 * {@link #totalOutputUsd()} is everything the output cost (text, reasoning and audio).
 *
 * <p>Amounts are exact {@link BigDecimal}s computed from the per-token prices as strings; compare
 * them with {@code compareTo}. Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class Cost {

    private final boolean priced;
    private final BigDecimal inputUsd;
    private final BigDecimal cachedInputUsd;
    private final BigDecimal cacheCreationUsd;
    private final BigDecimal audioInputUsd;
    private final BigDecimal outputUsd;
    private final BigDecimal reasoningUsd;
    private final BigDecimal audioOutputUsd;
    private final BigDecimal citationUsd;
    private final BigDecimal requestUsd;
    private final BigDecimal totalUsd;
    private final String pricedBy;
    private final String unpricedReason;

    private Cost(Builder b) {
        this.priced = true;
        this.inputUsd = b.inputUsd;
        this.cachedInputUsd = b.cachedInputUsd;
        this.cacheCreationUsd = b.cacheCreationUsd;
        this.audioInputUsd = b.audioInputUsd;
        this.outputUsd = b.outputUsd;
        this.reasoningUsd = b.reasoningUsd;
        this.audioOutputUsd = b.audioOutputUsd;
        this.citationUsd = b.citationUsd;
        this.requestUsd = b.requestUsd;
        this.totalUsd = inputUsd.add(cachedInputUsd).add(cacheCreationUsd).add(audioInputUsd).add(outputUsd)
                .add(reasoningUsd).add(audioOutputUsd).add(citationUsd).add(requestUsd);
        this.pricedBy = b.pricedBy;
        this.unpricedReason = null;
    }

    private Cost(String unpricedReason) {
        this.priced = false;
        this.inputUsd = BigDecimal.ZERO;
        this.cachedInputUsd = BigDecimal.ZERO;
        this.cacheCreationUsd = BigDecimal.ZERO;
        this.audioInputUsd = BigDecimal.ZERO;
        this.outputUsd = BigDecimal.ZERO;
        this.reasoningUsd = BigDecimal.ZERO;
        this.audioOutputUsd = BigDecimal.ZERO;
        this.citationUsd = BigDecimal.ZERO;
        this.requestUsd = BigDecimal.ZERO;
        this.totalUsd = null;
        this.pricedBy = null;
        this.unpricedReason = unpricedReason;
    }

    /**
     * A cost that could not be computed.
     *
     * @param reason why, e.g. {@code "no price for model 'acme/foo'"}
     * @return the unpriced cost
     */
    public static Cost unpriced(String reason) {
        Objects.requireNonNull(reason, "reason");
        return new Cost(reason);
    }

    /** A builder for a priced cost; every part starts at zero. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the answer could be priced. */
    public boolean isPriced() {
        return priced;
    }

    /** The total in USD; empty when {@linkplain #isPriced() unpriced}. */
    public Optional<BigDecimal> totalUsd() {
        return Optional.ofNullable(totalUsd);
    }

    /** Uncached input tokens' cost (zero when unpriced). */
    public BigDecimal inputUsd() {
        return inputUsd;
    }

    /** Cache-read input tokens' cost (zero when unpriced). */
    public BigDecimal cachedInputUsd() {
        return cachedInputUsd;
    }

    /** Cache-write input tokens' cost (zero when unpriced). */
    public BigDecimal cacheCreationUsd() {
        return cacheCreationUsd;
    }

    /** Audio input tokens' cost (zero when unpriced). */
    public BigDecimal audioInputUsd() {
        return audioInputUsd;
    }

    /**
     * Text output tokens' cost: the completion tokens less reasoning and audio output tokens (zero when
     * unpriced). For all output, use {@link #totalOutputUsd()}.
     */
    public BigDecimal outputUsd() {
        return outputUsd;
    }

    /** Reasoning tokens' cost (zero when unpriced). */
    public BigDecimal reasoningUsd() {
        return reasoningUsd;
    }

    /** Audio output tokens' cost (zero when unpriced). */
    public BigDecimal audioOutputUsd() {
        return audioOutputUsd;
    }

    /** All output's cost: {@link #outputUsd()} + {@link #reasoningUsd()} + {@link #audioOutputUsd()}. */
    public BigDecimal totalOutputUsd() {
        return outputUsd.add(reasoningUsd).add(audioOutputUsd);
    }

    /** Citation tokens' cost (Perplexity; zero when unpriced). */
    public BigDecimal citationUsd() {
        return citationUsd;
    }

    /** Fixed per-request and per-search fees, where the model has them (zero when unpriced). */
    public BigDecimal requestUsd() {
        return requestUsd;
    }

    /** The price entry that priced this answer, e.g. {@code gpt-4o} or {@code deployment override}. */
    public Optional<String> pricedBy() {
        return Optional.ofNullable(pricedBy);
    }

    /** Why the answer is unpriced; empty when priced. */
    public Optional<String> unpricedReason() {
        return Optional.ofNullable(unpricedReason);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Cost c) || priced != c.priced) {
            return false;
        }
        if (!priced) {
            return unpricedReason.equals(c.unpricedReason);
        }
        return inputUsd.compareTo(c.inputUsd) == 0 && cachedInputUsd.compareTo(c.cachedInputUsd) == 0
                && cacheCreationUsd.compareTo(c.cacheCreationUsd) == 0
                && audioInputUsd.compareTo(c.audioInputUsd) == 0 && outputUsd.compareTo(c.outputUsd) == 0
                && reasoningUsd.compareTo(c.reasoningUsd) == 0 && audioOutputUsd.compareTo(c.audioOutputUsd) == 0
                && citationUsd.compareTo(c.citationUsd) == 0 && requestUsd.compareTo(c.requestUsd) == 0
                && Objects.equals(pricedBy, c.pricedBy);
    }

    @Override
    public int hashCode() {
        return priced ? Objects.hash(totalUsd.stripTrailingZeros(), pricedBy) : unpricedReason.hashCode();
    }

    @Override
    public String toString() {
        return priced ? "Cost[$" + totalUsd.toPlainString() + (pricedBy == null ? "" : ", pricedBy=" + pricedBy) + "]"
                : "Cost[unpriced: " + unpricedReason + "]";
    }

    /** Builds a priced {@link Cost}; not thread-safe. */
    public static final class Builder {
        private BigDecimal inputUsd = BigDecimal.ZERO;
        private BigDecimal cachedInputUsd = BigDecimal.ZERO;
        private BigDecimal cacheCreationUsd = BigDecimal.ZERO;
        private BigDecimal audioInputUsd = BigDecimal.ZERO;
        private BigDecimal outputUsd = BigDecimal.ZERO;
        private BigDecimal reasoningUsd = BigDecimal.ZERO;
        private BigDecimal audioOutputUsd = BigDecimal.ZERO;
        private BigDecimal citationUsd = BigDecimal.ZERO;
        private BigDecimal requestUsd = BigDecimal.ZERO;
        private String pricedBy;

        private Builder() {
        }

        /** Uncached input cost. */
        public Builder inputUsd(BigDecimal v) {
            this.inputUsd = nonNegative(v, "inputUsd");
            return this;
        }

        /** Cache-read input cost. */
        public Builder cachedInputUsd(BigDecimal v) {
            this.cachedInputUsd = nonNegative(v, "cachedInputUsd");
            return this;
        }

        /** Cache-write input cost. */
        public Builder cacheCreationUsd(BigDecimal v) {
            this.cacheCreationUsd = nonNegative(v, "cacheCreationUsd");
            return this;
        }

        /** Audio input cost. */
        public Builder audioInputUsd(BigDecimal v) {
            this.audioInputUsd = nonNegative(v, "audioInputUsd");
            return this;
        }

        /** Text output cost, without reasoning and audio output. */
        public Builder outputUsd(BigDecimal v) {
            this.outputUsd = nonNegative(v, "outputUsd");
            return this;
        }

        /** Reasoning cost. */
        public Builder reasoningUsd(BigDecimal v) {
            this.reasoningUsd = nonNegative(v, "reasoningUsd");
            return this;
        }

        /** Audio output cost. */
        public Builder audioOutputUsd(BigDecimal v) {
            this.audioOutputUsd = nonNegative(v, "audioOutputUsd");
            return this;
        }

        /** Citation tokens' cost. */
        public Builder citationUsd(BigDecimal v) {
            this.citationUsd = nonNegative(v, "citationUsd");
            return this;
        }

        /** Fixed per-request and per-search fees. */
        public Builder requestUsd(BigDecimal v) {
            this.requestUsd = nonNegative(v, "requestUsd");
            return this;
        }

        /** The price entry used. */
        public Builder pricedBy(String pricedBy) {
            this.pricedBy = Objects.requireNonNull(pricedBy, "pricedBy");
            return this;
        }

        /** The cost. */
        public Cost build() {
            return new Cost(this);
        }

        private static BigDecimal nonNegative(BigDecimal v, String field) {
            Objects.requireNonNull(v, field);
            if (v.signum() < 0) {
                throw new IllegalArgumentException(field + " must not be negative, was " + v.toPlainString());
            }
            return v;
        }
    }
}
