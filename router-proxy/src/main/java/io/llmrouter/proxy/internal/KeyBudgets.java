package io.llmrouter.proxy.internal;

import io.llmrouter.Router;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.proxy.store.KeyStore;
import io.llmrouter.proxy.store.VirtualKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the router's {@link Budget#forApiKey API-key budgets} in step with the virtual keys: a key's
 * {@code max_budget} over its {@code budget_duration} is enforced by the router's strict reservation
 * (shared through the router's state store), seeded from the spend the database holds for the
 * key's current period. The database's spend is reset when a period ends.
 */
final class KeyBudgets {

    private static final int PAGE = 500;

    private final Router router;
    private final KeyStore keys;
    private final ConcurrentHashMap<String, Budget> registered = new ConcurrentHashMap<>();

    KeyBudgets(Router router, KeyStore keys) {
        this.router = router;
        this.keys = keys;
    }

    static BudgetPeriod period(VirtualKey key) {
        return key.budgetDuration().map(BudgetPeriod::every).orElse(BudgetPeriod.NEVER);
    }

    static Optional<Budget> budgetOf(VirtualKey key) {
        return key.maxBudget().map(max -> Budget.forApiKey(key.tokenHash()).limitUsd(max).period(period(key)).build());
    }

    /** Registers every stored key's budget (at start). */
    void loadAll(Instant now) {
        for (int offset = 0;; offset += PAGE) {
            List<VirtualKey> page = keys.list(offset, PAGE);
            for (VirtualKey k : page) {
                register(k, now);
            }
            if (page.size() < PAGE) {
                return;
            }
        }
    }

    /** Puts (or removes) {@code key}'s budget in the router, seeded with its current period's stored spend. */
    void register(VirtualKey key, Instant now) {
        Optional<Budget> budget = budgetOf(key);
        Budget old = budget.isPresent() ? registered.put(key.tokenHash(), budget.get())
                : registered.remove(key.tokenHash());
        if (old != null && (budget.isEmpty() || !old.period().equals(budget.get().period()))) {
            router.removeBudget(old);
        }
        budget.ifPresent(b -> router.putBudget(b, currentSpend(key, now)));
    }

    void remove(String tokenHash) {
        Budget old = registered.remove(tokenHash);
        if (old != null) {
            router.removeBudget(old);
        }
    }

    /** The stored spend that counts in the key's current period: none once its reset time has passed. */
    static BigDecimal currentSpend(VirtualKey key, Instant now) {
        return key.budgetResetAt().filter(t -> !now.isBefore(t)).isPresent() ? BigDecimal.ZERO : key.spend();
    }

    /** Resets the key's stored spend when its budget period has ended; the key as it now is. */
    VirtualKey rollOver(VirtualKey key, Instant now) {
        Optional<Instant> reset = key.budgetResetAt();
        if (reset.isEmpty() || now.isBefore(reset.get()) || key.budgetDuration().isEmpty()) {
            return key;
        }
        Instant next = period(key).nextReset(now);
        keys.resetSpend(key.tokenHash(), next);
        return key.toBuilder().spend(BigDecimal.ZERO).budgetResetAt(next).build();
    }
}
