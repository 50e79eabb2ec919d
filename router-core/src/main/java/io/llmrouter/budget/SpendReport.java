package io.llmrouter.budget;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * What the router has spent since it was built, in USD, by deployment, provider, model group,
 * user and tag, plus how many answers could not be priced (by deployment). A snapshot from
 * {@code router.spend()}; immutable.
 *
 * <p>Users and tags come from requests, so a router keeps at most
 * {@link io.llmrouter.Router.Builder#maxSpendKeys(int)} of each one by one (default
 * {@value io.llmrouter.Router#DEFAULT_MAX_SPEND_KEYS}), preferring those used often and recently; the spend of
 * the others is summed in {@link #otherUsers()} and {@link #otherTags()}. So
 * {@code byUser()}'s values plus {@code otherUsers()} are all the spend of requests with a user,
 * exactly (and likewise for tags); taken while calls complete, the parts of one snapshot may be a
 * few calls apart.
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
    private final BigDecimal otherUsers;
    private final BigDecimal otherTags;
    private final Map<String, Long> unpricedResponses;
    private final long cacheHits;
    private final BigDecimal cacheSavedUsd;

    /**
     * A report in which every user and tag is listed (no {@code other} spend).
     *
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
        this(total, byDeployment, byProvider, byModelGroup, byUser, BigDecimal.ZERO, byTag, BigDecimal.ZERO,
                unpricedResponses);
    }

    /**
     * A report in which some users and tags are summed in {@code otherUsers} and {@code otherTags}.
     *
     * @param total all spend
     * @param byDeployment spend per deployment id
     * @param byProvider spend per provider route prefix
     * @param byModelGroup spend per model group that answered
     * @param byUser spend per end user listed one by one ({@code request.user()})
     * @param otherUsers spend of the end users not in {@code byUser}
     * @param byTag spend per request tag listed one by one (a request with two tags counts in both)
     * @param otherTags spend of the tags not in {@code byTag}
     * @param unpricedResponses answers without a price, per deployment id
     * @since 0.1.0
     */
    public SpendReport(BigDecimal total, Map<String, BigDecimal> byDeployment, Map<String, BigDecimal> byProvider,
            Map<String, BigDecimal> byModelGroup, Map<String, BigDecimal> byUser, BigDecimal otherUsers,
            Map<String, BigDecimal> byTag, BigDecimal otherTags, Map<String, Long> unpricedResponses) {
        this.total = Objects.requireNonNull(total, "total");
        this.byDeployment = Map.copyOf(byDeployment);
        this.byProvider = Map.copyOf(byProvider);
        this.byModelGroup = Map.copyOf(byModelGroup);
        this.byUser = Map.copyOf(byUser);
        this.byTag = Map.copyOf(byTag);
        this.otherUsers = Objects.requireNonNull(otherUsers, "otherUsers");
        this.otherTags = Objects.requireNonNull(otherTags, "otherTags");
        this.unpricedResponses = Map.copyOf(unpricedResponses);
        this.cacheHits = 0;
        this.cacheSavedUsd = BigDecimal.ZERO;
    }

    private SpendReport(SpendReport r, long cacheHits, BigDecimal cacheSavedUsd) {
        this.total = r.total;
        this.byDeployment = r.byDeployment;
        this.byProvider = r.byProvider;
        this.byModelGroup = r.byModelGroup;
        this.byUser = r.byUser;
        this.byTag = r.byTag;
        this.otherUsers = r.otherUsers;
        this.otherTags = r.otherTags;
        this.unpricedResponses = r.unpricedResponses;
        this.cacheHits = cacheHits;
        this.cacheSavedUsd = cacheSavedUsd;
    }

    /**
     * This report with the response cache's figures.
     *
     * @param cacheHits requests answered from the response cache
     * @param cacheSavedUsd what those answers cost when they were made
     * @return the report
     * @throws IllegalArgumentException if a figure is negative
     * @since 0.1.0
     */
    public SpendReport withCache(long cacheHits, BigDecimal cacheSavedUsd) {
        Objects.requireNonNull(cacheSavedUsd, "cacheSavedUsd");
        if (cacheHits < 0 || cacheSavedUsd.signum() < 0) {
            throw new IllegalArgumentException("cache figures must not be negative, were " + cacheHits + " and "
                    + cacheSavedUsd.toPlainString());
        }
        return new SpendReport(this, cacheHits, cacheSavedUsd);
    }

    /**
     * Requests this router answered from its response cache (or with a concurrent identical
     * request's answer): free, and not in {@link #total()}.
     *
     * @return the count, 0 without a cache
     * @since 0.1.0
     */
    public long cacheHits() {
        return cacheHits;
    }

    /**
     * What the response cache saved: the sum of the original costs of the answers it served
     * (unpriced answers count zero). Not part of {@link #total()}.
     *
     * @return USD, 0 without a cache
     * @since 0.1.0
     */
    public BigDecimal cacheSavedUsd() {
        return cacheSavedUsd;
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

    /** Spend per end user, for the users listed one by one (see {@link #otherUsers()}). */
    public Map<String, BigDecimal> byUser() {
        return byUser;
    }

    /**
     * Spend of the end users no longer listed in {@link #byUser()}: with more users than the
     * router keeps one by one, the least used are evicted and their spend is added here.
     *
     * @since 0.1.0
     */
    public BigDecimal otherUsers() {
        return otherUsers;
    }

    /** Spend per tag, for the tags listed one by one (see {@link #otherTags()}). */
    public Map<String, BigDecimal> byTag() {
        return byTag;
    }

    /**
     * Spend of the tags no longer listed in {@link #byTag()}: with more tags than the router
     * keeps one by one, the least used are evicted and their spend is added here.
     *
     * @since 0.1.0
     */
    public BigDecimal otherTags() {
        return otherTags;
    }

    /** Answers that could not be priced, per deployment id: spend the totals do not include. */
    public Map<String, Long> unpricedResponses() {
        return unpricedResponses;
    }

    @Override
    public String toString() {
        return "SpendReport[total=$" + total.toPlainString() + ", byModelGroup=" + byModelGroup + ", unpriced="
                + unpricedResponses
                + (cacheHits == 0 ? "" : ", cacheHits=" + cacheHits + ", cacheSaved=$" + cacheSavedUsd.toPlainString())
                + "]";
    }
}
