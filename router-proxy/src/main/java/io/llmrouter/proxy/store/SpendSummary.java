package io.llmrouter.proxy.store;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One row of {@link SpendLog#spendByKey} or {@link SpendLog#spendByModel}: the requests, tokens
 * and cost of one key or one model group over a time range.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class SpendSummary {

    private final String id;
    private final String name;
    private final long requests;
    private final long totalTokens;
    private final BigDecimal cost;

    private SpendSummary(String id, String name, long requests, long totalTokens, BigDecimal cost) {
        this.id = Objects.requireNonNull(id, "id");
        this.name = Objects.requireNonNull(name, "name");
        this.requests = requests;
        this.totalTokens = totalTokens;
        this.cost = Objects.requireNonNull(cost, "cost");
    }

    /**
     * A summary.
     *
     * @param id what the rows are grouped by: the key's token hash, or the model group
     * @param name the display name: the key's masked name (or alias), or the model group
     * @param requests the number of calls
     * @param totalTokens the tokens of those calls
     * @param cost their cost in USD
     * @return the summary
     */
    public static SpendSummary of(String id, String name, long requests, long totalTokens, BigDecimal cost) {
        return new SpendSummary(id, name, requests, totalTokens, cost);
    }

    /** What the rows are grouped by: the key's token hash, or the model group. */
    public String id() {
        return id;
    }

    /** The display name: the key's alias or masked name, or the model group. */
    public String name() {
        return name;
    }

    /** The number of calls. */
    public long requests() {
        return requests;
    }

    /** The tokens of those calls. */
    public long totalTokens() {
        return totalTokens;
    }

    /** Their cost in USD. */
    public BigDecimal cost() {
        return cost;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpendSummary other && id.equals(other.id) && name.equals(other.name)
                && requests == other.requests && totalTokens == other.totalTokens && cost.compareTo(other.cost) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, requests, totalTokens, cost.stripTrailingZeros());
    }

    @Override
    public String toString() {
        String shownId = id.length() > 8 && id.matches("[0-9a-f]{64}") ? id.substring(0, 8) : id;
        return "SpendSummary[" + shownId + ", " + name + ", requests=" + requests + ", totalTokens=" + totalTokens
                + ", cost=" + cost.toPlainString() + "]";
    }
}
