package io.llmrouter.internal;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetStatus;
import io.llmrouter.spi.BudgetBalance;
import io.llmrouter.spi.BudgetReservation;
import io.llmrouter.spi.BudgetWindow;
import io.llmrouter.spi.StateStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The router's budgets, indexed by scope for O(1) lookup per call, over the {@link StateStore}
 * that keeps their spend and reservations. Each budget has a stable id (the same on every router
 * configured alike, so a fleet shares it) and its current {@link BudgetWindow}, recomputed once
 * per period.
 */
final class Budgets {

    private final StateStore store;
    private final List<Entry> all = new ArrayList<>();
    private final List<Entry> global = new ArrayList<>();
    private final Map<String, List<Entry>> byUser = new HashMap<>();
    private final Map<String, List<Entry>> byTag = new HashMap<>();
    private final Map<String, List<Entry>> byGroup = new HashMap<>();
    private final Map<String, List<Entry>> byDeployment = new HashMap<>();
    private final Map<String, List<Entry>> byProvider = new HashMap<>();
    private final Map<String, List<Entry>> byApiKey = new HashMap<>();
    private final List<Budget> budgets;

    Budgets(List<Budget> budgets, StateStore store) {
        this.store = store;
        this.budgets = List.copyOf(budgets);
        Set<String> ids = new HashSet<>();
        for (Budget b : budgets) {
            String base = b.name() + " " + b.period() + " $" + b.limitUsd().toPlainString();
            String id = base;
            for (int n = 2; !ids.add(id); n++) {
                id = base + " #" + n;
            }
            Entry entry = new Entry(b, id);
            all.add(entry);
            switch (b.scope()) {
                case GLOBAL -> global.add(entry);
                case USER -> byUser.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(entry);
                case TAG -> byTag.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(entry);
                case MODEL_GROUP -> byGroup.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(entry);
                case DEPLOYMENT -> byDeployment.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(entry);
                case PROVIDER -> byProvider.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(entry);
                case API_KEY -> byApiKey.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(entry);
            }
        }
    }

    /** One budget, its id in the store and its current window. */
    private static final class Entry {
        final Budget budget;
        final String id;
        private volatile BudgetWindow window;

        Entry(Budget budget, String id) {
            this.budget = budget;
            this.id = id;
        }

        /** The window of {@code now}; windows only move forward (a clock set back stays in the current one). */
        BudgetWindow window(Instant now) {
            BudgetWindow w = window;
            if (w == null || !now.isBefore(w.end())) {
                w = new BudgetWindow(id, budget.limitUsd(), budget.period().start(now), budget.period().nextReset(now));
                window = w;
            }
            return w;
        }
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    boolean guardsDeployments() {
        return !byDeployment.isEmpty() || !byProvider.isEmpty();
    }

    /** The budgets that guard this request in this group: global, its user, its API key, its tags, the group. */
    private List<Entry> forRequest(RouterRequest request, String apiKeyId, String group) {
        List<Entry> out = new ArrayList<>(global);
        request.user().ifPresent(u -> out.addAll(byUser.getOrDefault(u, List.of())));
        if (apiKeyId != null) {
            out.addAll(byApiKey.getOrDefault(apiKeyId, List.of()));
        }
        for (String tag : request.tags()) {
            out.addAll(byTag.getOrDefault(tag, List.of()));
        }
        out.addAll(byGroup.getOrDefault(group, List.of()));
        return out;
    }

    /** The budgets that guard this deployment: its own and its provider's. */
    private List<Entry> forDeployment(DeploymentState d) {
        List<Entry> own = byDeployment.getOrDefault(d.id(), List.of());
        List<Entry> provider = byProvider.getOrDefault(d.deployment().providerPrefix(), List.of());
        if (provider.isEmpty()) {
            return own;
        }
        List<Entry> out = new ArrayList<>(own);
        out.addAll(provider);
        return out;
    }

    /** Whether {@code d} has budgets of its own or of its provider. */
    boolean guards(DeploymentState d) {
        return !forDeployment(d).isEmpty();
    }

    /**
     * Whether {@code d}'s own and its provider's budgets can afford a request of at most
     * {@code estimate} now (no reservation).
     *
     * @param estimate the request's cost bound at {@code d}, or null when {@code d} is unpriced
     */
    boolean affords(DeploymentState d, BigDecimal estimate, Instant now) {
        if (estimate == null) {
            return false; // a budget cannot be enforced on an unpriced deployment
        }
        for (Entry e : forDeployment(d)) {
            BudgetWindow w = e.window(now);
            if (store.balance(w).committedUsd().add(estimate).compareTo(w.limitUsd()) > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reserves this request's estimated cost on every budget that applies to it at {@code d}:
     * the deployment's and its provider's first, then the request's (global, user, API key, tags,
     * group).
     *
     * @param apiKeyId the request's API key id, or null
     * @param estimate the request's cost bound at {@code d}, or null when {@code d} is unpriced
     * @return the hold to settle when the call ends; null when a deployment or provider budget
     *     cannot afford it (the deployment is skipped)
     * @throws BudgetExceededException when a user, tag, group or global budget cannot afford it
     */
    BudgetHold reserve(RouterRequest request, String apiKeyId, String group, DeploymentState d,
            Supplier<BigDecimal> estimate, Instant now) {
        List<Entry> own = forDeployment(d);
        List<Entry> guards = forRequest(request, apiKeyId, group);
        if (own.isEmpty() && guards.isEmpty()) {
            return BudgetHold.NONE;
        }
        BigDecimal amount = estimate.get();
        if (amount == null) {
            if (!own.isEmpty()) {
                return null;
            }
            Entry first = guards.get(0);
            BudgetWindow w = first.window(now);
            throw new BudgetExceededException("cannot enforce " + first.budget.name() + ": deployment '" + d.id()
                    + "' has no price (set Deployment.price(..) or baseModel(..))",
                    ErrorContext.builder().model(request.model()).deploymentId(d.id()).build(),
                    first.budget.name(), first.budget.limitUsd(), store.balance(w).committedUsd(), w.end());
        }
        List<Entry> entries = new ArrayList<>(own.size() + guards.size());
        entries.addAll(own);
        entries.addAll(guards);
        List<BudgetWindow> windows = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            windows.add(e.window(now));
        }
        BudgetReservation r = await(store, windows, amount);
        if (r.isGranted() && r.isProvisional()) {
            // The shared state is unreachable: a budget that fails closed refuses what it cannot reserve.
            for (int i = 0; i < entries.size(); i++) {
                Budget b = entries.get(i).budget;
                if (b.storeOutage() == Budget.StoreOutage.FAIL_CLOSED) {
                    store.release(r);
                    if (i < own.size()) {
                        return null;
                    }
                    throw new BudgetExceededException(b.name() + " cannot be enforced: the shared state store is"
                            + " unavailable and the budget fails closed",
                            ErrorContext.builder().model(request.model()).build(), b.name(), b.limitUsd(),
                            store.balance(windows.get(i)).committedUsd(),
                            windows.get(i).end().equals(Instant.MAX) ? null : windows.get(i).end());
                }
            }
        }
        if (r.isGranted()) {
            return new BudgetHold(this, r);
        }
        BudgetWindow refused = r.refusedBy().get();
        int at = windows.indexOf(refused);
        if (at < own.size()) {
            return null;
        }
        Budget b = entries.get(at).budget;
        BigDecimal spent = store.balance(refused).committedUsd();
        Instant reset = refused.end();
        throw new BudgetExceededException(b.name() + " would be exceeded: limit $"
                + b.limitUsd().toPlainString() + ", spent and reserved $" + spent.toPlainString()
                + ", this request up to $" + amount.toPlainString()
                + (reset.equals(Instant.MAX) ? "" : "; resets at " + reset),
                ErrorContext.builder().model(request.model()).build(), b.name(),
                b.limitUsd(), spent, reset.equals(Instant.MAX) ? null : reset);
    }

    /**
     * The store's answer. The in-memory store's stage is complete; a network store's is awaited
     * here until selection becomes an asynchronous step of the request pipeline.
     */
    private static BudgetReservation await(StateStore store, List<BudgetWindow> windows, BigDecimal amount) {
        try {
            return store.reserve(windows, amount).toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** Settles {@code r}: releases it and charges {@code actual} to its budgets' windows at {@code now}. */
    void settle(BudgetReservation r, BigDecimal actual, Instant now) {
        List<BudgetWindow> held = r.windows();
        List<BudgetWindow> chargeTo = held;
        for (int i = 0; i < held.size(); i++) {
            if (!now.isBefore(held.get(i).end())) {
                // A period ended while the call ran: its cost counts in the budget's current period.
                chargeTo = new ArrayList<>(held.size());
                for (BudgetWindow w : held) {
                    chargeTo.add(now.isBefore(w.end()) ? w : entryOf(w).window(now));
                }
                break;
            }
        }
        store.settle(r, actual, chargeTo);
    }

    private Entry entryOf(BudgetWindow w) {
        for (Entry e : all) {
            if (e.id.equals(w.budgetId())) {
                return e;
            }
        }
        throw new IllegalStateException("no budget with id " + w.budgetId());
    }

    /** The budgets, in the order they were added. */
    List<Budget> all() {
        return budgets;
    }

    /**
     * These budgets with {@code budget} added, replacing the one of the same scope, key and period
     * (whose spend, kept in the store under the budget's id, carries over when the limit is the same).
     */
    Budgets with(Budget budget) {
        List<Budget> next = new ArrayList<>(budgets.size() + 1);
        boolean replaced = false;
        for (Budget b : budgets) {
            if (sameSlot(b, budget)) {
                if (!replaced) {
                    next.add(budget);
                    replaced = true;
                }
            } else {
                next.add(b);
            }
        }
        if (!replaced) {
            next.add(budget);
        }
        return new Budgets(next, store);
    }

    /** These budgets without the one of {@code budget}'s scope, key and period; this when there is none. */
    Budgets without(Budget budget) {
        List<Budget> next = new ArrayList<>(budgets.size());
        for (Budget b : budgets) {
            if (!sameSlot(b, budget)) {
                next.add(b);
            }
        }
        return next.size() == budgets.size() ? this : new Budgets(next, store);
    }

    private static boolean sameSlot(Budget a, Budget b) {
        return a.scope() == b.scope() && a.key().equals(b.key()) && a.period().equals(b.period());
    }

    /**
     * Raises the spend of {@code budget}'s current period in the store to at least {@code spentUsd}
     * (a gateway seeding a key's budget from its database at start): idempotent, so routers that
     * share a store and seed alike count the spend once.
     */
    void seed(Budget budget, BigDecimal spentUsd, Instant now) {
        for (Entry e : all) {
            if (e.budget.equals(budget)) {
                BudgetWindow w = e.window(now);
                BigDecimal missing = spentUsd.subtract(store.balance(w).spentUsd());
                if (missing.signum() > 0) {
                    BudgetReservation r = await(store, List.of(w), BigDecimal.ZERO);
                    if (r.isGranted()) { // else the period is already over its limit: nothing to add
                        store.settle(r, missing, List.of(w));
                    }
                }
                return;
            }
        }
    }

    List<BudgetStatus> statuses(Instant now) {
        List<BudgetStatus> out = new ArrayList<>(all.size());
        for (Entry e : all) {
            BudgetWindow w = e.window(now);
            BudgetBalance balance = store.balance(w);
            out.add(new BudgetStatus(e.budget, balance.spentUsd(), balance.reservedUsd(), w.end()));
        }
        return List.copyOf(out);
    }
}
