package io.llmrouter.internal;

import io.llmrouter.spi.BudgetBalance;
import io.llmrouter.spi.BudgetReservation;
import io.llmrouter.spi.BudgetWindow;
import io.llmrouter.spi.DeploymentHealth;
import io.llmrouter.spi.SpendTotals;
import io.llmrouter.spi.StateStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default {@link StateStore}: the state of one router, in memory. Usage counters and latency
 * windows are handles the router resolves once per deployment, so the request path does a
 * lock-free atomic add and allocates nothing; spend is striped by {@link ConcurrentHashMap} bins
 * ({@link SpendLedger}); each budget window has its own short lock ({@link BudgetLedger}); health
 * transitions of a deployment are merged atomically by {@link ConcurrentHashMap#merge}. Every
 * write is applied before the method returns, so {@link #flush()} has nothing to wait for.
 *
 * <p>Internal (not public API): a router builds one when no store is given; nobody else needs to
 * name it. It is tested by {@code InMemoryStateStoreTest}, which runs the SPI's contract test.
 */
final class InMemoryStateStore implements StateStore {

    private static final CompletionStage<Void> FLUSHED = CompletableFuture.completedStage(null);
    private static final Instant EPOCH = Instant.EPOCH;

    private final Map<String, MinuteUsage> usage = new ConcurrentHashMap<>();
    private final Map<String, LatencyWindow> latency = new ConcurrentHashMap<>();
    private final Map<String, DeploymentHealth> health = new ConcurrentHashMap<>();
    private final Map<String, BudgetLedger> budgets = new ConcurrentHashMap<>();
    /** The ids of the granted reservations not yet settled: settling removes the id, so it happens once. */
    private final Set<String> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong reservationSeq = new AtomicLong();
    private final SpendLedger spend;

    /**
     * A store whose spend totals list at most {@code maxSpendKeys} users and as many tags one by one.
     *
     * @param maxSpendKeys the listed keys per dimension, 0 or more
     */
    InMemoryStateStore(int maxSpendKeys) {
        this.spend = new SpendLedger(maxSpendKeys);
    }

    @Override
    public UsageCounter usage(String deploymentId) {
        return usage.computeIfAbsent(deploymentId, k -> new MinuteUsage());
    }

    @Override
    public LatencyRecorder latency(String deploymentId) {
        return latency.computeIfAbsent(deploymentId, k -> new LatencyWindow());
    }

    @Override
    public void publishHealth(DeploymentHealth transition) {
        health.merge(transition.deploymentId(), transition, InMemoryStateStore::apply);
    }

    /** The health after {@code next} is applied to {@code current} (see {@link StateStore#publishHealth}). */
    static DeploymentHealth apply(DeploymentHealth current, DeploymentHealth next) {
        long at = next.at().toEpochMilli();
        if (next.isCoolingDown() && current.isCoolingDownAt(at)) {
            // Both cool the deployment at once: the later end wins, whichever came first.
            return next.coolingUntil().get().isAfter(current.coolingUntil().get()) ? next : current;
        }
        // Otherwise in time order: an end of a cooldown ends the one that started at or before it,
        // and a transition older than the one applied is late news.
        return next.at().isBefore(current.at()) ? current : next;
    }

    @Override
    public DeploymentHealth health(String deploymentId) {
        DeploymentHealth h = health.get(deploymentId);
        // A deployment never published stays "available since the epoch", kept so reads allocate nothing.
        return h != null ? h : health.computeIfAbsent(deploymentId, k -> DeploymentHealth.available(k, EPOCH));
    }

    @Override
    public void addSpend(String deploymentId, String provider, String modelGroup, Optional<String> user,
            List<String> tags, BigDecimal usd) {
        spend.add(deploymentId, provider, modelGroup, user, tags, usd);
    }

    @Override
    public void countUnpriced(String deploymentId) {
        spend.countUnpriced(deploymentId);
    }

    @Override
    public SpendTotals spendTotals() {
        return spend.totals();
    }

    /** The spend part, for its own tests of the size bound. */
    SpendLedger spendLedger() {
        return spend;
    }

    @Override
    public CompletionStage<BudgetReservation> reserve(List<BudgetWindow> windows, BigDecimal amountUsd) {
        for (int i = 0; i < windows.size(); i++) {
            BudgetWindow w = windows.get(i);
            if (!ledger(w).tryReserve(w, amountUsd)) {
                for (int j = 0; j < i; j++) {
                    BudgetWindow done = windows.get(j);
                    ledger(done).release(done, amountUsd);
                }
                return CompletableFuture.completedFuture(BudgetReservation.refused(amountUsd, w));
            }
        }
        String id = Long.toString(reservationSeq.incrementAndGet());
        open.add(id);
        return CompletableFuture.completedFuture(BudgetReservation.granted(id, amountUsd, windows));
    }

    @Override
    public void settle(BudgetReservation reservation, BigDecimal actualUsd, List<BudgetWindow> chargeTo) {
        Optional<String> id = reservation.id();
        if (id.isEmpty() || !open.remove(id.get())) {
            return; // refused, or settled already
        }
        List<BudgetWindow> held = reservation.windows();
        for (int i = 0; i < held.size(); i++) {
            BudgetWindow w = held.get(i);
            BudgetWindow charge = sameBudget(chargeTo, w.budgetId());
            if (charge != null) {
                ledger(w).settle(w, reservation.amountUsd(), charge, actualUsd);
            } else {
                ledger(w).release(w, reservation.amountUsd());
            }
        }
        for (int i = 0; i < chargeTo.size(); i++) {
            BudgetWindow w = chargeTo.get(i);
            if (sameBudget(held, w.budgetId()) == null) {
                ledger(w).charge(w, actualUsd);
            }
        }
    }

    /** The window of budget {@code id} in {@code windows}, or null (a few windows: a scan, no allocation). */
    private static BudgetWindow sameBudget(List<BudgetWindow> windows, String id) {
        for (int i = 0; i < windows.size(); i++) {
            if (windows.get(i).budgetId().equals(id)) {
                return windows.get(i);
            }
        }
        return null;
    }

    @Override
    public BudgetBalance balance(BudgetWindow window) {
        BudgetLedger l = budgets.get(window.budgetId());
        return l == null ? BudgetBalance.ZERO : l.balance(window);
    }

    private BudgetLedger ledger(BudgetWindow w) {
        BudgetLedger l = budgets.get(w.budgetId());
        return l != null ? l : budgets.computeIfAbsent(w.budgetId(), k -> new BudgetLedger());
    }

    @Override
    public CompletionStage<Void> flush() {
        return FLUSHED;
    }

    @Override
    public String toString() {
        return "InMemoryStateStore[" + usage.size() + " deployments, " + budgets.size() + " budgets]";
    }
}
