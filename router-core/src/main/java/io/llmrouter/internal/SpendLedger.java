package io.llmrouter.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.budget.SpendReport;
import io.llmrouter.spi.SpendTotals;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Spend since the router (or the in-memory state store) was built, by dimension. Lock-striped by ConcurrentHashMap's bins.
 *
 * <p>Deployments, providers and model groups are few (the configuration names them all), so
 * their spend is kept per key. Users and tags come from requests, so there can be any number of
 * them: each keeps at most {@code maxKeys} keys (Caffeine's size bound, which keeps the keys
 * used often and recently), and the spend of an evicted key moves into that dimension's
 * {@code other} total, so per-key spend plus {@code other} stays the exact spend of the dimension.
 */
final class SpendLedger {

    private static final String TOTAL = "*";

    private final Map<String, BigDecimal> total = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> byDeployment = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> byProvider = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> byGroup = new ConcurrentHashMap<>();
    private final BoundedSpend byUser;
    private final BoundedSpend byTag;
    private final Map<String, LongAdder> unpriced = new ConcurrentHashMap<>();

    /** A ledger that lists at most {@code maxKeys} users and {@code maxKeys} tags. */
    SpendLedger(int maxKeys) {
        this.byUser = new BoundedSpend(maxKeys);
        this.byTag = new BoundedSpend(maxKeys);
    }

    void record(String deploymentId, String provider, String group, Optional<String> user, List<String> tags,
            Cost cost) {
        if (!cost.isPriced()) {
            countUnpriced(deploymentId);
            return;
        }
        add(deploymentId, provider, group, user, tags, cost.totalUsd().orElse(BigDecimal.ZERO));
    }

    void countUnpriced(String deploymentId) {
        unpriced.computeIfAbsent(deploymentId, k -> new LongAdder()).increment();
    }

    void add(String deploymentId, String provider, String group, Optional<String> user, List<String> tags,
            BigDecimal usd) {
        total.merge(TOTAL, usd, BigDecimal::add);
        byDeployment.merge(deploymentId, usd, BigDecimal::add);
        byProvider.merge(provider, usd, BigDecimal::add);
        byGroup.merge(group, usd, BigDecimal::add);
        user.ifPresent(u -> byUser.add(u, usd));
        for (int i = 0; i < tags.size(); i++) {
            byTag.add(tags.get(i), usd);
        }
    }

    SpendTotals totals() {
        Map<String, Long> counts = new HashMap<>();
        unpriced.forEach((k, v) -> counts.put(k, v.sum()));
        return new SpendTotals(total.getOrDefault(TOTAL, BigDecimal.ZERO), byDeployment, byProvider, byGroup,
                byUser.listed(), byUser.other(), byTag.listed(), byTag.other(), counts);
    }

    SpendReport report() {
        return report(totals());
    }

    /** The public report of a store's totals. */
    static SpendReport report(SpendTotals t) {
        return new SpendReport(t.total(), t.byDeployment(), t.byProvider(), t.byModelGroup(), t.byUser(),
                t.otherUsers(), t.byTag(), t.otherTags(), t.unpricedResponses());
    }

    /** Runs pending evictions now (tests: the size bound is then exact). */
    void cleanUp() {
        byUser.spend.cleanUp();
        byTag.spend.cleanUp();
    }

    /** The users listed one by one now. */
    long listedUsers() {
        return byUser.spend.estimatedSize();
    }

    /** The tags listed one by one now. */
    long listedTags() {
        return byTag.spend.estimatedSize();
    }

    /**
     * Spend per key for at most {@code maxKeys} keys, plus the spend of evicted keys. Eviction
     * runs on the recording thread ({@code executor(Runnable::run)}): no pool thread, and the
     * evicted spend is moved inside Caffeine's atomic removal of the key, so no amount is lost or
     * counted twice.
     */
    private static final class BoundedSpend {
        final Cache<String, BigDecimal> spend;
        private final AtomicReference<BigDecimal> other = new AtomicReference<>(BigDecimal.ZERO);

        BoundedSpend(int maxKeys) {
            this.spend = Caffeine.newBuilder()
                    .maximumSize(maxKeys)
                    .executor(Runnable::run)
                    .evictionListener((String key, BigDecimal usd, RemovalCause cause) -> {
                        if (usd != null) {
                            other.accumulateAndGet(usd, BigDecimal::add);
                        }
                    })
                    .build();
        }

        void add(String key, BigDecimal usd) {
            spend.asMap().merge(key, usd, BigDecimal::add);
        }

        Map<String, BigDecimal> listed() {
            return spend.asMap();
        }

        BigDecimal other() {
            return other.get();
        }
    }
}
