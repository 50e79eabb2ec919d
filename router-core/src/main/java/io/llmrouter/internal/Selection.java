package io.llmrouter.internal;

import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.RoutingStrategy;
import io.llmrouter.strategy.LeastBusyStrategy;
import io.llmrouter.strategy.LowestCostStrategy;
import io.llmrouter.strategy.LowestLatencyStrategy;
import io.llmrouter.strategy.UsageBasedStrategy;
import io.llmrouter.strategy.WeightedShuffleStrategy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The select step: the group's deployments that pass the request's filters, not cooling down,
 * within their rpm/tpm, budgets and max parallel requests, of the lowest order; the strategy's
 * pick among them; the call slot, the breaker's permission, the rpm/tpm reservation and the
 * budget reservation of the one chosen (a call by deployment id skips the filters and strategy).
 * In a large group the per-deployment checks are made only on the deployments the strategy looks
 * at ({@link #prechecked}).
 *
 * <p>Stateless: what it learns (the matching list, why deployments were left out, the
 * reservations of the one chosen) is kept in the request's {@link RequestExecution}.
 */
final class Selection {

    /**
     * A group whose available list is larger than this, when the request must check each deployment
     * (rpm/tpm limits, max parallel requests, deployment budgets, deployments that already failed
     * it), checks only the deployments its strategy looks at ({@link #prechecked}); a smaller group
     * checks every deployment first, as the general path does.
     */
    static final int PRECHECK_THRESHOLD = CostOrder.THRESHOLD;
    /** Weighted draws the shuffle makes on a large list before it checks every deployment instead. */
    static final int SHUFFLE_DRAWS = 16;
    /** Eligible deployments a sampling strategy is given on a large list. */
    static final int SAMPLE_SIZE = 16;
    /** The most draws made to find {@link #SAMPLE_SIZE} eligible deployments. */
    static final int SAMPLE_DRAWS = 64;

    private Selection() {
    }

    /**
     * Chooses a deployment that is not cooling down and whose breaker lets a call through,
     * preferring deployments that have not already failed this request.
     *
     * @return the deployment, with its permission and reservations taken; null when none is available
     * @throws io.llmrouter.api.exception.BudgetExceededException when a request-wide budget cannot
     *     afford the request
     */
    static DeploymentState choose(RequestExecution<?, ?> x, ModelGroup group) {
        if (x.pinned != null) {
            return pinned(x, group, x.pinned);
        }
        DeploymentState fresh = choose(x, group, true);
        return fresh != null || !x.loop.anyFailed() ? fresh : choose(x, group, false);
    }

    private static DeploymentState choose(RequestExecution<?, ?> x, ModelGroup group, boolean skipFailed) {
        if (x.matching == null) {
            x.matching = RequestFilters.matching(group, x.request(), x.neededCapabilities(), x.settings, x::countTokens);
        }
        long now = x.clock.millis();
        x.overLimits = false;
        x.overBudget = false;
        x.overParallel = false;
        List<DeploymentState> candidates;
        if (x.matching == group.deployments() && !group.hasLimits() && !group.limitsParallel()
                && !x.engine.budgets().guardsDeployments()
                && (!x.loop.anyFailed() || !skipFailed)) {
            // Fast path: the group's cached available list (no per-deployment work per call).
            candidates = group.available(now);
        } else {
            if (x.matching == group.deployments()) {
                CandidateList cached = group.available(now);
                if (cached.size() > PRECHECK_THRESHOLD) {
                    DeploymentState d = prechecked(x, group, cached, skipFailed, now);
                    if (d != null) {
                        return d;
                    }
                }
            }
            candidates = filtered(x, skipFailed, now);
        }
        while (!candidates.isEmpty()) {
            DeploymentState d = picked(x, group, candidates, now);
            if (reserve(x, group, d, now)) {
                return d;
            }
            if (candidates instanceof CandidateList) {
                candidates = new ArrayList<>(candidates);
            }
            candidates.remove(d);
        }
        return null;
    }

    /**
     * A call to one deployment by id: no filter or strategy, and a deployment cooling down is
     * called anyway (the caller's choice; its breaker gives no permission then, and none is
     * needed); its rpm/tpm limits and budgets still hold.
     */
    private static DeploymentState pinned(RequestExecution<?, ?> x, ModelGroup group, DeploymentState d) {
        long now = x.clock.millis();
        x.overLimits = false;
        x.overBudget = false;
        x.overParallel = false;
        if (x.matching == null) {
            x.matching = List.of(d);
        }
        if (!d.tryEnter()) {
            x.overParallel = true;
            return null;
        }
        BudgetHold budget = BudgetHold.NONE;
        if (!x.engine.budgets().isEmpty()) {
            budget = reserveBudget(x, group, d);
            if (budget == null) {
                d.exit();
                x.overBudget = true;
                return null;
            }
        }
        boolean permitted = d.breaker().tryAcquirePermission();
        long minute = d.reserve(now, x.quickTokens());
        if (minute == Long.MIN_VALUE) {
            if (permitted) {
                d.breaker().releasePermission();
            }
            d.exit();
            budget.settle(BigDecimal.ZERO, x.clock.instant());
            x.overLimits = true;
            return null;
        }
        x.reservedMinute = minute;
        x.reservation = budget;
        return d;
    }

    /** {@link BudgetStep#reserve}, giving {@code d}'s call slot back when a request-wide budget refuses. */
    private static BudgetHold reserveBudget(RequestExecution<?, ?> x, ModelGroup group, DeploymentState d) {
        try {
            return BudgetStep.reserve(x, group, d);
        } catch (RuntimeException e) {
            d.exit();
            throw e;
        }
    }

    /** The strategy's pick among {@code candidates}, checked to be one of them. */
    private static DeploymentState picked(RequestExecution<?, ?> x, ModelGroup group,
            List<DeploymentState> candidates, long now) {
        // The default strategy on the cached list: the same pick from the cumulative weights, O(log n).
        // Lowest cost on a large cached list: from its price index, one estimate per distinct price.
        RoutingStrategy strategy = x.settings.strategy();
        DeploymentCandidate picked;
        if (candidates instanceof CandidateList cached && strategy == WeightedShuffleStrategy.instance()) {
            picked = cached.pickWeighted(x.random());
        } else if (candidates instanceof CandidateList cached && strategy == LowestCostStrategy.instance()
                && cached.indexesCost()) {
            picked = cached.pickCheapest(x.estimatedInputTokens(), x.expectedOutputTokens(), x.random());
        } else {
            picked = strategy.choose(x, candidates);
        }
        if (candidates instanceof CandidateList && picked instanceof DeploymentState ds
                && ds.modelGroup().equals(group.name()) && !ds.isCoolingDown(now)
                && ds.order() == candidates.get(0).order()) {
            // On the fast path the cached list holds exactly the group's available deployments
            // of the lowest order, so these checks prove membership without searching it.
            return ds;
        }
        int at = picked == null ? -1 : indexOf(candidates, picked);
        if (at < 0) {
            throw new IllegalStateException("routing strategy " + x.settings.strategy()
                    + " returned " + picked + ", which is not one of the candidates");
        }
        return candidates.get(at);
    }

    /**
     * Takes {@code d}'s budget reservation, breaker permission and rpm/tpm reservation, all or
     * none; records in {@code x} why it failed.
     */
    private static boolean reserve(RequestExecution<?, ?> x, ModelGroup group, DeploymentState d, long now) {
        if (!d.tryEnter()) {
            x.overParallel = true;
            return false;
        }
        BudgetHold budget = BudgetHold.NONE;
        if (!x.engine.budgets().isEmpty()) {
            budget = reserveBudget(x, group, d);
        }
        if (budget != null && d.breaker().tryAcquirePermission()) {
            long minute = d.reserve(now, x.quickTokens());
            if (minute != Long.MIN_VALUE) {
                x.reservedMinute = minute;
                x.reservation = budget;
                return true;
            }
            d.breaker().releasePermission();
            x.overLimits = true;
        }
        d.exit();
        if (budget != null) {
            budget.settle(BigDecimal.ZERO, x.clock.instant());
        } else {
            x.overBudget = true;
        }
        return false;
    }

    /**
     * A large group's choice when each deployment must be checked, with only the deployments the
     * strategy looks at checked (see {@link #eligible}), from the group's cached list of available
     * deployments of the lowest order:
     * <ul>
     *   <li>the weighted shuffle draws by weight until it draws an eligible deployment (rejection
     *       sampling: the same distribution as drawing among the eligible ones), at most
     *       {@link #SHUFFLE_DRAWS} times;</li>
     *   <li>lowest cost walks the list's price index cheapest tier first, checking that tier's
     *       members only (exact: the cheapest eligible);</li>
     *   <li>least-busy, usage-based and lowest-latency are given a random sample of up to
     *       {@link #SAMPLE_SIZE} eligible deployments (from at most {@link #SAMPLE_DRAWS} draws), which
     *       they score in full: the "power of k choices" they apply to large groups anyway;</li>
     *   <li>any other strategy is given every eligible deployment (the general path).</li>
     * </ul>
     * When this finds no eligible deployment, or the one found cannot be reserved, the general path
     * decides (every deployment checked, the next order tried), so a request is never refused here.
     *
     * @return the deployment, with its permission and reservations taken; null to take the general path
     */
    private static DeploymentState prechecked(RequestExecution<?, ?> x, ModelGroup group, CandidateList cached,
            boolean skipFailed, long now) {
        RoutingStrategy strategy = x.settings.strategy();
        int tokens = x.quickTokens();
        DeploymentState d = null;
        if (strategy == WeightedShuffleStrategy.instance()) {
            for (int i = 0; i < SHUFFLE_DRAWS && d == null; i++) {
                DeploymentState drawn = cached.pickWeighted(x.random());
                if (eligible(x, drawn, skipFailed, now, tokens)) {
                    d = drawn;
                }
            }
        } else if (strategy == LowestCostStrategy.instance() && cached.indexesCost()) {
            d = cached.pickCheapest(x.estimatedInputTokens(), x.expectedOutputTokens(), x.random(),
                    c -> eligible(x, c, skipFailed, now, tokens));
        } else if (strategy instanceof LeastBusyStrategy || strategy instanceof UsageBasedStrategy
                || strategy instanceof LowestLatencyStrategy) {
            List<DeploymentState> sample = eligibleSample(x, cached, skipFailed, now, tokens);
            if (!sample.isEmpty()) {
                d = picked(x, group, sample, now);
            }
        }
        return d != null && reserve(x, group, d, now) ? d : null;
    }

    /** Up to {@link #SAMPLE_SIZE} distinct eligible deployments of {@code cached}, drawn uniformly at random. */
    private static List<DeploymentState> eligibleSample(RequestExecution<?, ?> x, CandidateList cached,
            boolean skipFailed, long now, int tokens) {
        List<DeploymentState> sample = new ArrayList<>(SAMPLE_SIZE);
        long seed = x.random().nextLong();
        int n = cached.size();
        for (int j = 0; j < SAMPLE_DRAWS && sample.size() < SAMPLE_SIZE; j++) {
            DeploymentState d = cached.get(CostOrder.sampleIndex(seed, j, n));
            if (!sample.contains(d) && eligible(x, d, skipFailed, now, tokens)) {
                sample.add(d);
            }
        }
        return sample;
    }

    /** {@link #passes} without recording why a deployment was left out. */
    private static boolean eligible(RequestExecution<?, ?> x, DeploymentState d, boolean skipFailed, long now,
            int tokens) {
        return passes(x, d, skipFailed, now, tokens, false);
    }

    /**
     * The per-deployment checks: not cooling down, not already failed by this request (when
     * {@code skipFailed}), within its rpm/tpm limits, below its max parallel requests, affordable on
     * its budgets. With {@code record}, a deployment left out by a limit, its parallel calls or a
     * budget marks that in {@code x} (for {@link #none}).
     */
    private static boolean passes(RequestExecution<?, ?> x, DeploymentState d, boolean skipFailed, long now,
            int tokens, boolean record) {
        if (d.isCoolingDown(now) || skipFailed && x.loop.hasFailed(d)) {
            return false;
        }
        if (!d.fitsLimits(now, tokens)) {
            if (record) {
                x.overLimits = true;
            }
            return false;
        }
        if (d.isFull()) {
            if (record) {
                x.overParallel = true;
            }
            return false;
        }
        if (!BudgetStep.affordable(x, d)) {
            if (record) {
                x.overBudget = true;
            }
            return false;
        }
        return true;
    }

    /** The matching deployments not cooling down, within limits, of the lowest order (the general path). */
    private static List<DeploymentState> filtered(RequestExecution<?, ?> x, boolean skipFailed, long now) {
        int tokens = x.quickTokens();
        List<DeploymentState> all = x.matching;
        List<DeploymentState> candidates = new ArrayList<>(all.size());
        int bestOrder = Integer.MAX_VALUE;
        for (DeploymentState d : all) {
            if (!passes(x, d, skipFailed, now, tokens, true)) {
                continue;
            }
            int order = d.order();
            if (order < bestOrder) {
                candidates.clear();
                bestOrder = order;
            }
            if (order == bestOrder) {
                candidates.add(d);
            }
        }
        return candidates;
    }

    private static int indexOf(List<DeploymentState> candidates, DeploymentCandidate picked) {
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i) == picked) {
                return i;
            }
        }
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).id().equals(picked.id())) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Why no deployment of {@code group} could be chosen. When every deployment the request may
     * use is up but over its rpm/tpm limit for this minute (none cooling down, none over a budget,
     * no probe call waited for): a {@link RateLimitException} with status 429 whose retry-after is
     * the time until the minute's window frees capacity, as LiteLLM's limit check answers.
     * Otherwise (some or all cooling down, over budgets, or a mix with limits): a
     * {@link NoDeploymentAvailableException} naming which are cooling down or over their limits or
     * budgets, when capacity returns (the earliest of a cooldown's end and, with limits involved,
     * the next minute), and the latest retry-after a provider sent.
     */
    static LlmRouterException none(RequestExecution<?, ?> x, ModelGroup group, long now) {
        boolean overLimits = x.overLimits;
        boolean overBudget = x.overBudget;
        long nextMinute = MinuteUsage.nextMinuteMillis(now);
        if (overLimits && !overBudget && allOverLimits(x, group, now)) {
            Duration wait = Duration.ofMillis(nextMinute - now);
            return new RateLimitException("every deployment of model group '" + group.name()
                    + "' is over its rpm/tpm limit for this minute; capacity returns in " + wait.toMillis() + " ms",
                    ErrorContext.builder().model(group.name()).statusCode(429).build(), wait);
        }
        Instant first = overLimits ? Instant.ofEpochMilli(nextMinute) : null;
        Duration retryAfter = null;
        long retryAfterSeq = Long.MIN_VALUE;
        List<String> ids = new ArrayList<>(group.deployments().size());
        for (DeploymentState d : group.deployments()) {
            ids.add(d.id());
            Optional<Instant> until = d.coolingUntil(now);
            if (until.isPresent() && (first == null || until.get().isBefore(first))) {
                first = until.get();
            }
            if (d.lastRetryAfter() != null && d.lastRetryAfterSeq() > retryAfterSeq) {
                retryAfter = d.lastRetryAfter();
                retryAfterSeq = d.lastRetryAfterSeq();
            }
        }
        boolean onlyFull = x.overParallel && !overLimits && !overBudget && first == null;
        String why = (onlyFull ? " are at their max parallel requests"
                : " are cooling down" + (overLimits ? ", over their rpm/tpm limits for this minute" : "")
                + (x.overParallel ? ", at their max parallel requests" : ""))
                + (overBudget ? ", or over their deployment or provider budgets" : "");
        String when = first != null ? "; capacity returns at " + first
                : x.overParallel ? "; a slot frees when a call ends" : "; a probe call is in flight";
        return new NoDeploymentAvailableException("no deployment of model group '" + group.name()
                + "' is available: " + ids + why + when,
                ErrorContext.builder().model(group.name()).build(), group.name(), ids, first, retryAfter);
    }

    /** Whether every deployment the request may use is out of cooldown and over its rpm/tpm limit now. */
    private static boolean allOverLimits(RequestExecution<?, ?> x, ModelGroup group, long now) {
        List<DeploymentState> all = x.matching != null ? x.matching : group.deployments();
        int tokens = x.quickTokens();
        for (int i = 0; i < all.size(); i++) {
            DeploymentState d = all.get(i);
            if (d.isCoolingDown(now) || d.fitsLimits(now, tokens)) {
                return false;
            }
        }
        return !all.isEmpty();
    }
}
