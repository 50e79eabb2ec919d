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
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Spend since the router (or the in-memory state store) was built, by dimension. The fixed dimensions add
 * lock-free into a few cells per key ({@link StripedSum}).
 *
 * <p>Deployments, providers and model groups are few (the configuration names them all), so
 * their spend is kept per key. Users and tags come from requests, so there can be any number of
 * them: each keeps at most {@code maxKeys} keys (Caffeine's size bound, which keeps the keys
 * used often and recently), and the spend of an evicted key moves into that dimension's
 * {@code other} total, so per-key spend plus {@code other} stays the exact spend of the dimension.
 */
final class SpendLedger {

    private static final String TOTAL = "*";

    private final Map<String, StripedSum> total = new ConcurrentHashMap<>();
    private final Map<String, StripedSum> byDeployment = new ConcurrentHashMap<>();
    private final Map<String, StripedSum> byProvider = new ConcurrentHashMap<>();
    private final Map<String, StripedSum> byGroup = new ConcurrentHashMap<>();
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
        int stripe = StripedSum.stripe();
        StripedSum.add(total, TOTAL, usd, stripe);
        StripedSum.add(byDeployment, deploymentId, usd, stripe);
        StripedSum.add(byProvider, provider, usd, stripe);
        StripedSum.add(byGroup, group, usd, stripe);
        user.ifPresent(u -> byUser.add(u, usd));
        for (int i = 0; i < tags.size(); i++) {
            byTag.add(tags.get(i), usd);
        }
    }

    SpendTotals totals() {
        Map<String, Long> counts = new HashMap<>();
        unpriced.forEach((k, v) -> counts.put(k, v.sum()));
        StripedSum all = total.get(TOTAL);
        return new SpendTotals(all == null ? BigDecimal.ZERO : all.sum(), StripedSum.sums(byDeployment),
                StripedSum.sums(byProvider), StripedSum.sums(byGroup),
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
    /**
     * One key's exact spend, added to by many threads at once: a few cells, each thread adding to
     * the one its identity picks, summed on read. {@code ConcurrentHashMap.merge} on the same few
     * keys (total, deployment, provider, group) by every call made them the router's most
     * contended monitors after the scheduler's queue with 64 callers.
     */
    static final class StripedSum {
        private static final int CELLS = 8;
        private final AtomicReferenceArray<BigDecimal> cells = new AtomicReferenceArray<>(CELLS);

        /** The calling thread's cell index. */
        static int stripe() {
            int h = System.identityHashCode(Thread.currentThread());
            return (h ^ (h >>> 16)) & (CELLS - 1);
        }

        static void add(Map<String, StripedSum> map, String key, BigDecimal usd, int stripe) {
            StripedSum sum = map.get(key);
            if (sum == null) {
                sum = map.computeIfAbsent(key, k -> new StripedSum());
            }
            sum.add(usd, stripe);
        }

        void add(BigDecimal usd, int stripe) {
            while (true) {
                BigDecimal old = cells.get(stripe);
                BigDecimal next = old == null ? usd : old.add(usd);
                if (cells.compareAndSet(stripe, old, next)) {
                    return;
                }
            }
        }

        BigDecimal sum() {
            BigDecimal s = null;
            for (int i = 0; i < CELLS; i++) {
                BigDecimal c = cells.get(i);
                if (c != null) {
                    s = s == null ? c : s.add(c);
                }
            }
            return s == null ? BigDecimal.ZERO : s;
        }

        static Map<String, BigDecimal> sums(Map<String, StripedSum> map) {
            Map<String, BigDecimal> out = new HashMap<>(map.size() * 2);
            map.forEach((k, v) -> out.put(k, v.sum()));
            return out;
        }
    }

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
