package io.llmrouter.internal;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The router's budgets, indexed by scope for O(1) lookup per call. */
final class Budgets {

    private final List<BudgetLedger> all = new ArrayList<>();
    private final List<BudgetLedger> global = new ArrayList<>();
    private final Map<String, List<BudgetLedger>> byUser = new HashMap<>();
    private final Map<String, List<BudgetLedger>> byTag = new HashMap<>();
    private final Map<String, List<BudgetLedger>> byGroup = new HashMap<>();
    private final Map<String, List<BudgetLedger>> byDeployment = new HashMap<>();
    private final Map<String, List<BudgetLedger>> byProvider = new HashMap<>();

    Budgets(List<Budget> budgets) {
        for (Budget b : budgets) {
            BudgetLedger ledger = new BudgetLedger(b);
            all.add(ledger);
            switch (b.scope()) {
                case GLOBAL -> global.add(ledger);
                case USER -> byUser.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(ledger);
                case TAG -> byTag.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(ledger);
                case MODEL_GROUP -> byGroup.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(ledger);
                case DEPLOYMENT -> byDeployment.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(ledger);
                case PROVIDER -> byProvider.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(ledger);
            }
        }
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    boolean guardsDeployments() {
        return !byDeployment.isEmpty() || !byProvider.isEmpty();
    }

    /** The budgets that guard this request in this group: global, its user, its tags, the group. */
    List<BudgetLedger> forRequest(RouterRequest request, String group) {
        List<BudgetLedger> out = new ArrayList<>(global);
        request.user().ifPresent(u -> out.addAll(byUser.getOrDefault(u, List.of())));
        for (String tag : request.tags()) {
            out.addAll(byTag.getOrDefault(tag, List.of()));
        }
        out.addAll(byGroup.getOrDefault(group, List.of()));
        return out;
    }

    /** The budgets that guard this deployment: its own and its provider's. */
    List<BudgetLedger> forDeployment(DeploymentState d) {
        List<BudgetLedger> own = byDeployment.getOrDefault(d.id(), List.of());
        List<BudgetLedger> provider = byProvider.getOrDefault(d.deployment().providerPrefix(), List.of());
        if (provider.isEmpty()) {
            return own;
        }
        List<BudgetLedger> out = new ArrayList<>(own);
        out.addAll(provider);
        return out;
    }

    List<BudgetStatus> statuses(Instant now) {
        List<BudgetStatus> out = new ArrayList<>(all.size());
        for (BudgetLedger l : all) {
            out.add(new BudgetStatus(l.budget(), l.spent(now), l.reserved(now), l.nextReset(now)));
        }
        return List.copyOf(out);
    }
}
