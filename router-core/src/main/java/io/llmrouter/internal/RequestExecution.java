package io.llmrouter.internal;

import io.llmrouter.Deployment;
import io.llmrouter.FailureKind;
import io.llmrouter.RequestOptions;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.api.internal.RedactedCause;
import io.llmrouter.api.internal.UrlRedaction;
import io.llmrouter.cost.CostCalculator;
import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.RoutingContext;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's journey: the requested group with its retries, then fallback groups, until a
 * deployment answers, every applicable group has failed, or the deadline passes.
 *
 * <p>Attempts run one after another (a retry starts only when the previous attempt has ended),
 * so the per-group counters need no lock: each step is ordered after the previous by the future
 * that completes it. The attempt list is guarded because the deadline timer may read it while an
 * attempt ends. No thread is parked: provider calls are asynchronous, and backoff, per-call
 * timeouts and the deadline are scheduled on the router's scheduler.
 */
final class RequestExecution<Q extends RouterRequest, R extends RouterResponse> implements RoutingContext {

    private static final Logger log = LoggerFactory.getLogger(RequestExecution.class);

    /**
     * How close to the deadline a failed attempt counts as cut by it: the synchronous call's time
     * limit and the router's clock are read a little apart.
     */
    static final Duration DEADLINE_TOLERANCE = Duration.ofMillis(2);

    /** Output tokens assumed for cost estimates when the request sets no maximum: {@value}. */
    static final int DEFAULT_EXPECTED_OUTPUT_TOKENS = 256;

    private static final int KIND_COUNT = FailureKind.values().length;

    private final RouterEngine engine;
    private final RouterSettings settings;
    private final Clock clock;
    private final Operation<Q, R> operation;
    private final Q request;
    private final RequestOptions options;
    /** Groups tried, in order (a list: there are one or two, and a set costs four objects per request). */
    private final List<String> triedGroups = new ArrayList<>(2);
    private final List<Attempt> attempts = new ArrayList<>(4);
    private final CompletableFuture<R> result = new CompletableFuture<>();
    private final Duration deadline;
    /** When the deadline passes (router clock), or null without a deadline. */
    private final Instant deadlineAt;
    /** The attempt in flight (the router's future for it) and its provider call, for cancel and deadline. */
    private volatile CompletableFuture<R> currentAttempt;
    private volatile CompletableFuture<R> currentProviderCall;
    /** Set when the deadline passed or the caller cancelled: no more attempts, retries or fallbacks. */
    private volatile boolean stopped;
    private ScheduledFuture<?> deadlineTimer;

    // State of the group being tried; reset for each group.
    private volatile String currentGroup;
    private int retriesInGroup;
    private long reservedMinute;
    /** The budget reservation of the deployment just chosen, settled when its call ends. */
    private Reservation reservation = Reservation.NONE;
    private final int[] retriesByKind = new int[KIND_COUNT];
    private Set<DeploymentState> failedHere;
    /** The group's deployments that pass the request's tag, capability and context filters. */
    private List<DeploymentState> matching;
    /** Whether the last choice left deployments out for being over their rpm/tpm, or their budgets. */
    private boolean overLimits;
    private boolean overBudget;
    private int quickTokens = -1;
    /** The last token count and the limit it was made under: exact when {@code countedTokens <= countLimit}. */
    private int countedTokens = -1;
    private int countLimit = -1;

    RequestExecution(RouterEngine engine, Operation<Q, R> operation, Q request, RequestOptions options) {
        this.engine = engine;
        this.operation = operation;
        this.settings = engine.settings().forRequest(options);
        this.clock = settings.clock();
        this.request = request;
        this.options = options;
        this.deadline = settings.deadline();
        this.deadlineAt = deadline == null ? null : clock.instant().plus(deadline);
        this.currentGroup = request.model();
    }

    /** The request's future. */
    CompletableFuture<R> result() {
        return result;
    }

    CompletableFuture<R> start() {
        if (!engine.register(this)) {
            fail(engine.closedException(request));
            return result;
        }
        result.whenComplete((r, e) -> {
            stopped = true;
            engine.unregister(this);
            ScheduledFuture<?> t = deadlineTimer;
            if (t != null) {
                t.cancel(false);
            }
            if (result.isCancelled()) {
                // The caller cancelled: end the attempt in flight (which releases its in-flight
                // count and budget reservation) and cancel its provider call, also a synchronous one.
                CompletableFuture<R> attempt = currentAttempt;
                if (attempt != null) {
                    attempt.completeExceptionally(new CancellationException("request cancelled by the caller"));
                }
                CompletableFuture<R> call = currentProviderCall;
                if (call != null) {
                    call.cancel(true);
                }
                operation.cancelRunningCall();
            }
        });
        if (deadline != null) {
            deadlineTimer = engine.scheduler().schedule(this::onDeadline, deadline.toNanos(), TimeUnit.NANOSECONDS);
        }
        runGroup(request.model()).whenComplete((response, error) -> {
            if (error == null) {
                engine.notifyListeners(l -> l.onSuccess(request, response));
                result.complete(response);
            } else {
                fail(asRouterException(Futures.unwrap(error), null));
            }
        });
        return result;
    }

    /** Ends the request with {@code failure}, carrying every attempt so far; only the first call counts. */
    private void fail(LlmRouterException error) {
        LlmRouterException failure = operation.callerFailure(error);
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            if (failure.attempts().isEmpty()) {
                failure.initAttempts(snapshotAttempts());
            }
        }
        engine.notifyListeners(l -> l.onFailure(request, failure));
        result.completeExceptionally(failure);
    }

    private void onDeadline() {
        abort(deadlineException());
    }

    private RequestTimeoutException deadlineException() {
        return new RequestTimeoutException("deadline of " + deadline
                + " exceeded for model group '" + request.model() + "' after " + attemptCount() + " attempt(s)",
                ErrorContext.builder().model(request.model()).build());
    }

    /**
     * Ends the request at once with {@code reason} (the deadline passed, the router closed): no
     * more attempts, retries or fallbacks; the call in flight is cancelled (also a synchronous one
     * on the caller's thread) and recorded as an attempt ending with {@code reason}, which releases
     * its in-flight count and budget reservation.
     */
    void abort(LlmRouterException reason) {
        if (result.isDone()) {
            return;
        }
        stopped = true;
        CompletableFuture<R> inFlight = currentAttempt;
        if (inFlight != null) {
            // Ends the attempt (recorded with its deployment); the chain then fails.
            inFlight.completeExceptionally(reason);
        }
        fail(reason);
        // Last, so the caller released by it finds the request already ended with the reason.
        operation.cancelRunningCall();
    }

    private CompletableFuture<R> runGroup(String groupName) {
        ModelGroup group = engine.group(groupName);
        triedGroups.add(groupName);
        currentGroup = groupName;
        retriesInGroup = 0;
        Arrays.fill(retriesByKind, 0);
        failedHere = null;
        matching = null;
        return group.retry().executeCompletionStage(engine.scheduler(), () -> attemptOnce(group))
                .toCompletableFuture()
                .handle((response, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(response);
                    }
                    Throwable e = Futures.unwrap(error);
                    LlmRouterException failure = e instanceof RetrySignal s ? s.failure() : asRouterException(e, null);
                    String next = stopped ? null : nextGroup(failure);
                    if (next == null) {
                        return CompletableFuture.<R>failedFuture(failure);
                    }
                    log.debug("model group '{}' failed ({}); falling back to '{}'", groupName,
                            failure.getClass().getSimpleName(), next);
                    engine.notifyListeners(l -> l.onFallback(request, groupName, next, failure));
                    return runGroup(next);
                })
                .thenCompose(Function.identity());
    }

    /**
     * The next group to try after {@code failure}: from the context-window or content-policy list
     * when the failure is of that kind and the requested group has such a list, else from the
     * request's or the group's general list, else the default list; never a group already tried.
     */
    private String nextGroup(LlmRouterException failure) {
        if (failure instanceof BudgetExceededException || !operation.mayRecover()
                || triedGroups.size() > settings.maxFallbackDepth()) {
            return null;
        }
        String model = request.model();
        List<String> list = null;
        if (failure instanceof ContextWindowExceededException) {
            list = settings.contextWindowFallbacks().get(model);
        } else if (failure instanceof ContentPolicyViolationException) {
            list = settings.contentPolicyFallbacks().get(model);
        }
        if (list == null) {
            list = fallbacksOf(settings.fallbacks(), model);
        }
        for (String g : list) {
            if (!triedGroups.contains(g)) {
                return g;
            }
        }
        return null;
    }

    private List<String> fallbacksOf(Map<String, List<String>> map, String model) {
        List<String> own = map.get(model);
        return own != null ? own : settings.defaultFallbacks();
    }

    private CompletableFuture<R> attemptOnce(ModelGroup group) {
        if (stopped || result.isDone()) {
            return CompletableFuture.failedFuture(new CancellationException("request ended"));
        }
        DeploymentState chosen;
        try {
            chosen = choose(group);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (chosen == null) {
            NoDeploymentAvailableException none = engine.noDeployment(group, overLimits, overBudget);
            return CompletableFuture.failedFuture(none);
        }
        return call(group, chosen);
    }

    /**
     * Chooses a deployment that is not cooling down and whose breaker lets a call through,
     * preferring deployments that have not already failed this request.
     */
    private DeploymentState choose(ModelGroup group) {
        DeploymentState fresh = choose(group, true);
        return fresh != null || failedHere == null ? fresh : choose(group, false);
    }

    private DeploymentState choose(ModelGroup group, boolean skipFailed) {
        if (matching == null) {
            matching = RequestFilters.matching(group, request, settings, this::countTokens);
        }
        long now = clock.millis();
        overLimits = false;
        overBudget = false;
        List<DeploymentState> candidates;
        Budgets budgets = engine.budgets();
        if (matching == group.deployments() && !group.hasLimits() && !budgets.guardsDeployments()
                && (failedHere == null || !skipFailed)) {
            // Fast path: the group's cached available list (no per-deployment work per call).
            candidates = group.available(now);
        } else {
            candidates = filtered(skipFailed, now);
        }
        int tokens = quickTokens();
        while (!candidates.isEmpty()) {
            DeploymentCandidate picked = settings.strategy().choose(this, candidates);
            DeploymentState d;
            if (candidates instanceof CandidateList && picked instanceof DeploymentState ds
                    && ds.modelGroup().equals(group.name()) && !ds.isCoolingDown(now)
                    && ds.order() == candidates.get(0).order()) {
                // On the fast path the cached list holds exactly the group's available deployments
                // of the lowest order, so these checks prove membership without searching it.
                d = ds;
            } else {
                int at = picked == null ? -1 : indexOf(candidates, picked);
                if (at < 0) {
                    throw new IllegalStateException("routing strategy " + settings.strategy()
                            + " returned " + picked + ", which is not one of the candidates");
                }
                d = candidates.get(at);
            }
            Reservation budget = Reservation.NONE;
            if (!budgets.isEmpty()) {
                budget = reserveBudgets(group, d);
            }
            if (budget != null && d.breaker().tryAcquirePermission()) {
                long minute = d.reserve(now, tokens);
                if (minute != Long.MIN_VALUE) {
                    reservedMinute = minute;
                    reservation = budget;
                    return d;
                }
                d.breaker().releasePermission();
                overLimits = true;
            }
            if (budget != null) {
                budget.settle(BigDecimal.ZERO, clock.instant());
            } else {
                overBudget = true;
            }
            if (candidates instanceof CandidateList) {
                candidates = new ArrayList<>(candidates);
            }
            candidates.remove(d);
        }
        return null;
    }

    /** The matching deployments not cooling down, within limits, of the lowest order (the general path). */
    private List<DeploymentState> filtered(boolean skipFailed, long now) {
        int tokens = quickTokens();
        List<DeploymentState> all = matching;
        List<DeploymentState> candidates = new ArrayList<>(all.size());
        int bestOrder = Integer.MAX_VALUE;
        for (DeploymentState d : all) {
            if (d.isCoolingDown(now) || skipFailed && failedHere != null && failedHere.contains(d)) {
                continue;
            }
            if (!d.fitsLimits(now, tokens)) {
                overLimits = true;
                continue;
            }
            if (!affordable(d)) {
                overBudget = true;
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

    private CompletableFuture<R> call(ModelGroup group, DeploymentState state) {
        Endpoint endpoint = state.endpoint();
        Duration timeout = endpoint.timeout();

        CompletableFuture<R> attempt = new CompletableFuture<>();
        currentAttempt = attempt;
        long reservation = reservedMinute;
        long reservedTokens = quickTokens();
        Reservation budget = this.reservation;
        this.reservation = Reservation.NONE;
        Instant startedAt = clock.instant();
        state.enter();
        // The outcome handler is attached before the provider is called: a synchronous provider call
        // blocks this thread, and a deadline or timeout firing meanwhile must still record the attempt.
        AtomicReference<CompletableFuture<R>> providerCall = new AtomicReference<>();
        // A synchronous call bounded by its own HTTP timeout needs no timer (it would cost a scheduler
        // wake-up per call); every other call gets one, whatever its provider promises.
        ScheduledFuture<?> timer = operation.boundsItsOwnTime(state) ? null : engine.scheduler().schedule(() -> {
            attempt.completeExceptionally(new RequestTimeoutException("deployment '" + state.id()
                    + "' did not answer within " + timeout, contextOf(state)));
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        // The outcome is completed by hand rather than by returning or throwing from handle(), and
        // a failure as a stackless CompletionException: otherwise this stage and Resilience4j's
        // whenComplete each wrap it in a new CompletionException, whose stack trace costs
        // microseconds per failed attempt.
        CompletableFuture<R> outcome = new CompletableFuture<>();
        attempt.handle((R response, Throwable error) -> {
            try {
                outcome.complete(settle(group, state, startedAt, reservation, reservedTokens, budget, timer,
                        providerCall.get(), response, error));
            } catch (Throwable t) {
                outcome.completeExceptionally(Futures.stackless(t));
            }
            return null;
        });
        CompletableFuture<R> providerFuture;
        try {
            providerFuture = state.isSimulatedOutage()
                    ? CompletableFuture.failedFuture(new ServiceUnavailableException("readiness drill: simulated outage"
                            + " of deployment '" + state.id() + "'", contextOf(state)))
                    : operation.call(state, request);
        } catch (RuntimeException e) {
            providerFuture = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<R> pf = providerFuture;
        providerCall.set(pf);
        currentProviderCall = pf;
        if (attempt.isDone()) {
            pf.cancel(true); // the deadline, timeout or a cancel ended the attempt while the call ran
        }
        pf.handle((r, e) -> {
            if (e == null) {
                attempt.complete(r);
            } else {
                attempt.completeExceptionally(e);
            }
            return null;
        });
        if (stopped) {
            attempt.completeExceptionally(new CancellationException("request ended"));
        }
        return outcome;
    }

    /**
     * Records an attempt's outcome (breaker, latency, usage, cost, budget, attempt list) and gives
     * the caller's result: the finished response, or the failure or retry decision to throw.
     */
    private R settle(ModelGroup group, DeploymentState state, Instant startedAt, long reservation,
            long reservedTokens, Reservation budget, ScheduledFuture<?> timer, CompletableFuture<R> pf, R response,
            Throwable error) {
        Deployment d = state.deployment();
        if (timer != null) {
            timer.cancel(false);
        }
        state.exit();
        if (pf != null && !pf.isDone()) {
            pf.cancel(true);
        }
        Instant endedAt = clock.instant();
        Duration took = Duration.between(startedAt, endedAt);
        long nanos = Math.max(0, took.toNanos());
        if (error == null) {
            state.breaker().onSuccess(nanos, TimeUnit.NANOSECONDS);
            Optional<Usage> usage = response.usage();
            state.recordLatency(nanos, usage.map(Usage::completionTokens).orElse(0));
            usage.ifPresent(u -> state.correctUsage(reservation, (long) u.totalTokens() - reservedTokens));
            // The deployment answered (and was paid): its health and the spend count it either way.
            ContentPolicyViolationException filtered = filteredForFallback(state, response);
            Attempt ok = filtered == null ? Attempt.success(state.id(), group.name(), d.providerRoute(), startedAt, took)
                    : Attempt.failure(state.id(), group.name(), d.providerRoute(), startedAt, took, filtered);
            recordAttempt(ok);
            log.debug("deployment '{}' answered in {} ms{}", state.id(), took.toMillis(),
                    filtered == null ? "" : " (content-filtered)");
            Cost cost = costOf(state, response);
            budget.settle(cost.totalUsd().orElse(BigDecimal.ZERO), endedAt);
            engine.spendLedger().record(request, group.name(), state, cost);
            RoutingInfo routing = RoutingInfo.of(request.model(), group.name(), state.id(),
                    state.deployment().providerRoute(), snapshotAttempts());
            R finished = operation.finish(response, cost, routing);
            if (cost.isPriced()) {
                engine.notifyListeners(l -> l.onCharge(request, finished));
            }
            if (filtered != null) {
                throw decide(group, filtered, FailureKind.CONTENT_POLICY_VIOLATION);
            }
            operation.release();
            return finished;
        }
        budget.settle(BigDecimal.ZERO, endedAt);
        Throwable cause = Futures.unwrap(error);
        // Health counts what went wrong (a timeout, a cut); the caller sees it as the operation says
        // (after a stream's first chunk: StreamInterruptedException, whichever timer or error ended it).
        LlmRouterException raw = asRouterException(cause, state);
        LlmRouterException failure = operation.callerFailure(raw);
        boolean deadlinePassed = false;
        if (!stopped && deadlineAt != null && !endedAt.plus(DEADLINE_TOLERANCE).isBefore(deadlineAt)) {
            // A call that fails at the deadline was cut by it (a synchronous call's own time limit is
            // the deadline's remainder): the request ends with the deadline's error, before the
            // deadline timer, which may not have run yet, would say so.
            stopped = true;
            deadlinePassed = true;
        } else if (!stopped && raw instanceof RequestCancelledException) {
            // The caller's thread was interrupted during a synchronous call: the request ends.
            stopped = true;
        }
        if (stopped) {
            // The deadline passed, the router closed or the caller cancelled: not the deployment's fault.
            state.breaker().releasePermission();
            recordAttempt(Attempt.failure(state.id(), group.name(), d.providerRoute(), startedAt, took, failure));
            if (deadlinePassed) {
                RequestTimeoutException timeout = deadlineException();
                fail(timeout);
                throw timeout;
            }
            throw failure;
        }
        state.breaker().onError(nanos, TimeUnit.NANOSECONDS, raw);
        FailureKind kind = FailureKind.of(raw);
        state.recordFailure(kind, raw, endedAt.toEpochMilli());
        if (failedHere == null) {
            failedHere = new HashSet<>(4);
        }
        failedHere.add(state);
        recordAttempt(Attempt.failure(state.id(), group.name(), d.providerRoute(), startedAt, took, failure));
        if (log.isDebugEnabled()) {
            // The message, not the exception as the last argument (that would log its stack trace).
            log.debug("deployment '{}' failed in {} ms: {}", state.id(), took.toMillis(), failure.toString());
        }
        throw decide(group, failure, kind);
    }

    /** The failure itself when it ends the group, or a {@link RetrySignal} with the wait before the retry. */
    private RuntimeException decide(ModelGroup group, LlmRouterException failure, FailureKind kind) {
        if (stopped || !operation.mayRecover()) {
            return failure;
        }
        int limit = retryLimit(failure, kind, group.name());
        if (retriesByKind[kind.ordinal()] >= limit || retriesInGroup >= maxRetries(group.name())) {
            return failure;
        }
        retriesByKind[kind.ordinal()]++;
        retriesInGroup++;
        int retryNumber = retriesInGroup;
        Duration delay = Duration.ofMillis(backoffMillis(group, retryNumber, failure));
        log.debug("retrying model group '{}' ({} of at most {}) in {} ms after {}", group.name(), retryNumber,
                maxRetries(group.name()), delay.toMillis(), failure.getClass().getSimpleName());
        engine.notifyListeners(l -> l.onRetry(request, group.name(), retryNumber, delay, failure));
        return new RetrySignal(failure, delay.toMillis());
    }

    /** Retries allowed for failures of {@code kind} in this group (RetryPolicy's precedence rule). */
    private int retryLimit(LlmRouterException failure, FailureKind kind, String group) {
        return settings.retryPolicy().retries(failure, group);
    }

    /** The most retries any failure mix can cause in {@code group} for this request. */
    private int maxRetries(String group) {
        return settings.retryPolicy().maxRetries(group);
    }

    /**
     * How long to wait before retry {@code retryNumber} (1-based): none when another deployment of
     * the group is healthy and has not failed this request (the retry goes there); otherwise the
     * provider's retry-after (capped), else exponential backoff with up to 25 % jitter.
     */
    private long backoffMillis(ModelGroup group, int retryNumber, LlmRouterException failure) {
        long now = clock.millis();
        for (DeploymentState d : group.deployments()) {
            if (!d.isCoolingDown(now) && (failedHere == null || !failedHere.contains(d))) {
                return 0;
            }
        }
        Optional<Duration> retryAfter = failure.retryAfter();
        if (retryAfter.isPresent()) {
            return Math.min(retryAfter.get().toMillis(), settings.maxRetryAfter().toMillis());
        }
        long base = settings.initialBackoff().toMillis() << Math.min(retryNumber - 1, 20);
        long capped = Math.min(base, settings.maxBackoff().toMillis());
        double jitter = 1 - 0.25 * engine.random().nextDouble();
        return (long) (capped * jitter);
    }

    private void recordAttempt(Attempt a) {
        synchronized (this) {
            attempts.add(a);
        }
        engine.notifyListeners(l -> l.onAttempt(request, a));
    }

    private synchronized List<Attempt> snapshotAttempts() {
        return List.copyOf(attempts);
    }

    private synchronized int attemptCount() {
        return attempts.size();
    }

    /** Output tokens assumed for budget reservations when neither the request nor the model says: {@value}. */
    static final int DEFAULT_BUDGET_OUTPUT_TOKENS = 4096;

    /**
     * The most this request can cost at {@code d}: an upper bound of its input tokens (UTF-8
     * bytes) and its max output tokens (the request's, else the model's, else
     * {@value #DEFAULT_BUDGET_OUTPUT_TOKENS}); null when the deployment has no price.
     */
    private BigDecimal budgetEstimate(DeploymentState d) {
        if (d.price().isEmpty()) {
            return null;
        }
        int in = TokenEstimator.upperBound(request);
        int out = request instanceof EmbeddingRequest ? 0 : RequestFilters.maxOutputTokens(request)
                .orElse(d.price().get().maxOutputTokens().orElse(DEFAULT_BUDGET_OUTPUT_TOKENS));
        Cost c = CostCalculator.cost(d.price().get(), Usage.of(in, out), d.pricedBy());
        return c.totalUsd().orElse(null);
    }

    /** Whether {@code d}'s own and its provider's budgets can afford this request (no reservation). */
    private boolean affordable(DeploymentState d) {
        List<BudgetLedger> ledgers = engine.budgets().forDeployment(d);
        if (ledgers.isEmpty()) {
            return true;
        }
        BigDecimal estimate = budgetEstimate(d);
        if (estimate == null) {
            return false; // a budget cannot be enforced on an unpriced deployment
        }
        Instant now = clock.instant();
        for (BudgetLedger l : ledgers) {
            if (!l.fits(estimate, now)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reserves this request's estimated cost on every budget that applies to it at {@code d}.
     *
     * @return the reservation; null when a deployment or provider budget cannot afford it (the
     *     deployment is skipped)
     * @throws BudgetExceededException when a user, tag, group or global budget cannot afford it
     */
    private Reservation reserveBudgets(ModelGroup group, DeploymentState d) {
        Budgets budgets = engine.budgets();
        List<BudgetLedger> own = budgets.forDeployment(d);
        List<BudgetLedger> guards = budgets.forRequest(request, group.name());
        if (own.isEmpty() && guards.isEmpty()) {
            return Reservation.NONE;
        }
        BigDecimal estimate = budgetEstimate(d);
        Instant now = clock.instant();
        if (estimate == null) {
            if (!own.isEmpty()) {
                return null;
            }
            BudgetLedger first = guards.get(0);
            throw new BudgetExceededException("cannot enforce " + first.budget().name() + ": deployment '" + d.id()
                    + "' has no price (set Deployment.price(..) or baseModel(..))",
                    ErrorContext.builder().model(request.model()).deploymentId(d.id()).build(),
                    first.budget().name(), first.budget().limitUsd(), first.spentAndReserved(now), first.nextReset(now));
        }
        Reservation r = new Reservation(estimate);
        for (BudgetLedger l : own) {
            if (!r.add(l, now)) {
                r.settle(BigDecimal.ZERO, now);
                return null;
            }
        }
        for (BudgetLedger l : guards) {
            if (!r.add(l, now)) {
                r.settle(BigDecimal.ZERO, now);
                BigDecimal spent = l.spentAndReserved(now);
                Instant reset = l.nextReset(now);
                throw new BudgetExceededException(l.budget().name() + " would be exceeded: limit $"
                        + l.budget().limitUsd().toPlainString() + ", spent and reserved $" + spent.toPlainString()
                        + ", this request up to $" + estimate.toPlainString()
                        + (reset.equals(Instant.MAX) ? "" : "; resets at " + reset),
                        ErrorContext.builder().model(request.model()).build(), l.budget().name(),
                        l.budget().limitUsd(), spent, reset.equals(Instant.MAX) ? null : reset);
            }
        }
        return r;
    }

    /** The budget reservations of one call. */
    private static final class Reservation {
        static final Reservation NONE = new Reservation(BigDecimal.ZERO);

        private final BigDecimal amount;
        private final List<BudgetLedger> ledgers = new ArrayList<>(2);
        private final List<Instant> periods = new ArrayList<>(2);

        Reservation(BigDecimal amount) {
            this.amount = amount;
        }

        boolean add(BudgetLedger ledger, Instant now) {
            Instant period = ledger.tryReserve(amount, now);
            if (period == null) {
                return false;
            }
            ledgers.add(ledger);
            periods.add(period);
            return true;
        }

        /** Replaces the reservations by the real cost (zero when the call failed). Idempotent per call. */
        void settle(BigDecimal actual, Instant now) {
            for (int i = 0; i < ledgers.size(); i++) {
                ledgers.get(i).settle(amount, periods.get(i), actual, now);
            }
            ledgers.clear();
            periods.clear();
        }
    }

    private Cost costOf(DeploymentState state, R response) {
        String route = state.deployment().providerRoute();
        if (state.price().isEmpty()) {
            if (engine.warnUnpricedOnce(route)) {
                log.warn("no price for '{}' (deployment '{}'): its answers are unpriced; set Deployment.price(..)"
                        + " or baseModel(..)", route, state.id());
            }
            return Cost.unpriced("no price for '" + route + "' in the price table");
        }
        if (response.usage().isEmpty()) {
            return Cost.unpriced("provider reported no usage for '" + route + "'");
        }
        return CostCalculator.cost(state.price().get(), response.usage().get(), state.pricedBy());
    }

    /**
     * The one place that reads an answer's finish reason: a chat answer whose every choice was
     * stopped by a content filter ({@link FinishReason#CONTENT_FILTER}: OpenAI's and Azure's
     * {@code content_filter}, Gemini's safety reasons, Bedrock's guardrail, Anthropic's refusal)
     * becomes a {@link ContentPolicyViolationException} when the requested group has a
     * content-policy fallback still to try; otherwise (null) the answer is returned as it is.
     */
    private ContentPolicyViolationException filteredForFallback(DeploymentState state, R response) {
        if (!(response instanceof ChatResponse chat) || chat.choices().isEmpty()) {
            return null;
        }
        for (Choice c : chat.choices()) {
            if (c.finishReason() != FinishReason.CONTENT_FILTER) {
                return null;
            }
        }
        List<String> list = settings.contentPolicyFallbacks().get(request.model());
        if (list == null || triedGroups.containsAll(list) || !operation.mayRecover()
                || triedGroups.size() > settings.maxFallbackDepth()) {
            return null;
        }
        String raw = chat.choices().get(0).rawFinishReason();
        return new ContentPolicyViolationException("deployment '" + state.id() + "' answered with finish reason "
                + "content_filter (" + raw + ")", contextOf(state));
    }

    private ErrorContext contextOf(DeploymentState state) {
        return ErrorContext.builder().provider(state.deployment().providerPrefix()).deploymentId(state.id())
                .model(state.deployment().providerModel()).build();
    }

    /** Any failure as a typed router exception; a provider's stray runtime exception is wrapped, not lost. */
    private LlmRouterException asRouterException(Throwable error, DeploymentState state) {
        if (error instanceof LlmRouterException lre) {
            return lre;
        }
        ErrorContext ctx = state == null ? ErrorContext.builder().model(currentGroup).build() : contextOf(state);
        if (error instanceof CancellationException) {
            return new LlmRouterException("request cancelled", ctx, error);
        }
        String who = state == null ? "router" : "provider '" + state.deployment().providerPrefix() + "'";
        // A stray exception may quote the deployment's key or a URL with credentials: mask both, causes included.
        UnaryOperator<String> redactor = text -> {
            String masked = UrlRedaction.redact(text);
            return state == null ? masked : state.deployment().apiKey().map(k -> k.redact(masked)).orElse(masked);
        };
        return new LlmRouterException(who + " failed unexpectedly: " + error.getClass().getName()
                + (error.getMessage() == null ? "" : ": " + redactor.apply(error.getMessage())), ctx,
                RedactedCause.of(error, redactor));
    }

    @Override
    public RouterRequest request() {
        return request;
    }

    @Override
    public String modelGroup() {
        return currentGroup;
    }

    @Override
    public RandomGenerator random() {
        return engine.random();
    }

    /** Characters / 4 (computed once): for rpm/tpm reservations and strategies. */
    private int quickTokens() {
        if (quickTokens < 0) {
            quickTokens = TokenEstimator.quick(request);
        }
        return quickTokens;
    }

    /**
     * The o200k token count, exact up to {@code limit} (above it, some larger number): counted
     * only when a context window needs it, and again only for a higher limit than an unfinished
     * count had.
     */
    private int countTokens(int limit) {
        if (countedTokens < 0 || (countedTokens > countLimit && limit > countLimit)) {
            countedTokens = TokenEstimator.count(request, limit);
            countLimit = limit;
        }
        return countedTokens;
    }

    @Override
    public boolean streaming() {
        return operation instanceof StreamOperation;
    }

    @Override
    public int estimatedInputTokens() {
        if (countedTokens < 0) {
            return quickTokens();
        }
        return countedTokens <= countLimit ? countedTokens : Math.max(countedTokens, quickTokens());
    }

    @Override
    public int expectedOutputTokens() {
        return RequestFilters.maxOutputTokens(request).orElse(
                request instanceof EmbeddingRequest ? 0 : DEFAULT_EXPECTED_OUTPUT_TOKENS);
    }
}
