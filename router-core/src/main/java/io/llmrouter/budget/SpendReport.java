package io.llmrouter.budget;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * What the router has spent since it was built, in USD, by deployment, provider, model group,
 * user and tag, plus how many answers could not be priced (by deployment). A snapshot from
 * {@code router.spend()}; immutable.
 *
 * @since 0.1.0
 */
public final class SpendReport {

    private final BigDecimal total;
    private final Map<String, BigDecimal> byDeployment;
    private final Map<String, BigDecimal> byProvider;
    private final Map<String, BigDecimal> byModelGroup;
    private final Map<String, BigDecimal> byUser;
    private final Map<String, BigDecimal> byTag;
    private final Map<String, Long> unpricedResponses;

    /**
     * @param total all spend
     * @param byDeployment spend per deployment id
     * @param byProvider spend per provider route prefix
     * @param byModelGroup spend per model group that answered
     * @param byUser spend per end user ({@code request.user()})
     * @param byTag spend per request tag (a request with two tags counts in both)
     * @param unpricedResponses answers without a price, per deployment id
     */
    public SpendReport(BigDecimal total, Map<String, BigDecimal> byDeployment, Map<String, BigDecimal> byProvider,
            Map<String, BigDecimal> byModelGroup, Map<String, BigDecimal> byUser, Map<String, BigDecimal> byTag,
            Map<String, Long> unpricedResponses) {
        this.total = Objects.requireNonNull(total, "total");
        this.byDeployment = Map.copyOf(byDeployment);
        this.byProvider = Map.copyOf(byProvider);
        this.byModelGroup = Map.copyOf(byModelGroup);
        this.byUser = Map.copyOf(byUser);
        this.byTag = Map.copyOf(byTag);
        this.unpricedResponses = Map.copyOf(unpricedResponses);
    }

    /** All spend. */
    public BigDecimal total() {
        return total;
    }

    /** Spend per deployment id. */
    public Map<String, BigDecimal> byDeployment() {
        return byDeployment;
    }

    /** Spend per provider route prefix, e.g. {@code openai}. */
    public Map<String, BigDecimal> byProvider() {
        return byProvider;
    }

    /** Spend per model group that answered. */
    public Map<String, BigDecimal> byModelGroup() {
        return byModelGroup;
    }

    /** Spend per end user. */
    public Map<String, BigDecimal> byUser() {
        return byUser;
    }

    /** Spend per tag. */
    public Map<String, BigDecimal> byTag() {
        return byTag;
    }

    /** Answers that could not be priced, per deployment id: spend the totals do not include. */
    public Map<String, Long> unpricedResponses() {
        return unpricedResponses;
    }

    @Override
    public String toString() {
        return "SpendReport[total=$" + total.toPlainString() + ", byModelGroup=" + byModelGroup + ", unpriced="
                + unpricedResponses + "]";
    }
}
