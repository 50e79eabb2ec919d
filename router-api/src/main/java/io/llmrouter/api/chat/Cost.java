package io.llmrouter.api.chat;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * What one answer cost in US dollars, or an explicit statement that it could not be priced.
 *
 * <p>A model missing from the price table is never silently priced at zero: its cost is
 * {@link #unpriced(String) unpriced}, {@link #isPriced()} is {@code false} and
 * {@link #totalUsd()} is empty. A priced cost splits into input (uncached prompt tokens), cached
 * input (cache reads), cache creation (cache writes), output and a fixed per-request part;
 * {@link #totalUsd()} is their sum.
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
    private final BigDecimal outputUsd;
    private final BigDecimal requestUsd;
    private final BigDecimal totalUsd;
    private final String pricedBy;
    private final String unpricedReason;

    private Cost(Builder b) {
        this.priced = true;
        this.inputUsd = b.inputUsd;
        this.cachedInputUsd = b.cachedInputUsd;
        this.cacheCreationUsd = b.cacheCreationUsd;
        this.outputUsd = b.outputUsd;
        this.requestUsd = b.requestUsd;
        this.totalUsd = inputUsd.add(cachedInputUsd).add(cacheCreationUsd).add(outputUsd).add(requestUsd);
        this.pricedBy = b.pricedBy;
        this.unpricedReason = null;
    }

    private Cost(String unpricedReason) {
        this.priced = false;
        this.inputUsd = BigDecimal.ZERO;
        this.cachedInputUsd = BigDecimal.ZERO;
        this.cacheCreationUsd = BigDecimal.ZERO;
        this.outputUsd = BigDecimal.ZERO;
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

    /** Output tokens' cost, reasoning included (zero when unpriced). */
    public BigDecimal outputUsd() {
        return outputUsd;
    }

    /** A fixed per-request price, where the model has one (zero when unpriced). */
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
                && cacheCreationUsd.compareTo(c.cacheCreationUsd) == 0 && outputUsd.compareTo(c.outputUsd) == 0
                && requestUsd.compareTo(c.requestUsd) == 0 && Objects.equals(pricedBy, c.pricedBy);
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
        private BigDecimal outputUsd = BigDecimal.ZERO;
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

        /** Output cost. */
        public Builder outputUsd(BigDecimal v) {
            this.outputUsd = nonNegative(v, "outputUsd");
            return this;
        }

        /** Fixed per-request cost. */
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
