package io.llmrouter.spi;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * Spend totals in USD as a {@link StateStore} keeps them: all spend, and spend by deployment,
 * provider, model group, end user and tag, plus answers that could not be priced. A store may
 * list only some users and tags one by one and sum the spend of the others in {@code otherUsers}
 * and {@code otherTags}, so listed plus other is exact. Immutable (maps are copied).
 *
 * @param total all spend
 * @param byDeployment spend per deployment id
 * @param byProvider spend per provider route prefix
 * @param byModelGroup spend per model group
 * @param byUser spend per end user listed one by one
 * @param otherUsers spend of the end users not listed
 * @param byTag spend per tag listed one by one
 * @param otherTags spend of the tags not listed
 * @param unpricedResponses answers that could not be priced, per deployment id
 * @since 0.1.0
 */
public record SpendTotals(BigDecimal total, Map<String, BigDecimal> byDeployment, Map<String, BigDecimal> byProvider,
        Map<String, BigDecimal> byModelGroup, Map<String, BigDecimal> byUser, BigDecimal otherUsers,
        Map<String, BigDecimal> byTag, BigDecimal otherTags, Map<String, Long> unpricedResponses) {

    /** Copies the maps and checks nothing is null. */
    public SpendTotals {
        Objects.requireNonNull(total, "total");
        byDeployment = Map.copyOf(byDeployment);
        byProvider = Map.copyOf(byProvider);
        byModelGroup = Map.copyOf(byModelGroup);
        byUser = Map.copyOf(byUser);
        Objects.requireNonNull(otherUsers, "otherUsers");
        byTag = Map.copyOf(byTag);
        Objects.requireNonNull(otherTags, "otherTags");
        unpricedResponses = Map.copyOf(unpricedResponses);
    }
}
