package io.llmrouter.internal;

import io.llmrouter.RequestOptions;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.internal.RedactedCause;
import io.llmrouter.api.internal.UrlRedaction;
import io.llmrouter.cost.ModelCapability;
import io.llmrouter.spi.RouterCall;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.spi.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on its way through the router's steps, and the state they share. The steps, top to
 * bottom (each a class with one job; the blocking, async and streaming calls differ only in their
 * {@link Operation}, which says how the provider is called and the answer handed over):
 *
 * <ol>
 *   <li>validate: {@link RequestValidation}, before this object exists (bad input fails at once);
 *   <li>response cache: {@link CacheStep}, before this object exists, only for a group the
 *       {@link io.llmrouter.CachePolicy} covers (a hit never reaches the steps below; a miss runs
 *       them, at most once per key in flight);
 *   <li>request control: the {@link RequestControls} (interceptors and response rules), when any
 *       is registered; they run per attempt, inside the attempt step (interceptors, before the
 *       provider call), the settle step (rules, on the answer) and a stream (rules on each chunk);
 *   <li>fallback loop: {@link #fallbackLoop}, with {@link FallbackStep} picking the next group;
 *   <li>retry loop: {@link #retryLoop}, Resilience4j's {@code Retry} driven by {@link RetryLoop};
 *   <li>select: {@link Selection} (filters, strategy, breaker permission, rpm/tpm and
 *       {@link BudgetHold}); no capacity: {@link #waitForCapacity} parks the request in the
 *       group's {@link WaitQueue} (by priority, until capacity returns or the deadline);
 *   <li>attempt: {@link AttemptStep} (timers, the provider call);
 *   <li>settle: {@link Settlement} (cost, spend, latency, health through {@link DeploymentHealth});
 *   <li>respond: {@link #start}'s completion (listeners, the caller's future); a request that
 *       failed for good may get its group's degraded answer instead ({@link #fail}).
 * </ol>
 *
 * <p>Attempts run one after another (a retry starts only when the previous attempt has ended),
 * so the per-group state needs no lock: each step is ordered after the previous by the future
 * that completes it. The attempt list is guarded because the deadline timer may read it while an
 * attempt ends. No thread is parked: provider calls are asynchronous, and backoff, per-call
 * timeouts and the deadline are scheduled on the router's scheduler.
 */
final class RequestExecution<Q extends RouterRequest, R extends RouterResponse> implements RoutingContext {

    private static final Logger log = LoggerFactory.getLogger(RequestExecution.class);

    /** Output tokens assumed for cost estimates when the request sets no maximum: {@value}. */
    static final int DEFAULT_EXPECTED_OUTPUT_TOKENS = 256;

    final RouterEngine engine;
    /** The call as listeners see it, or null when no listener is registered (then no event is made). */
    final RouterCall call;
    /** The call's id for the MDC: the call's, else a new one when the MDC is on, else null. */
    final String requestId;
    final RouterSettings settings;
    final Clock clock;
    private final Operation<Q, R> operation;
    private final Q request;
    private final RequestOptions options;
    /** The deployment the request is sent to without selection ({@link RequestOptions#deployment()}), or null. */
    /** The deployment a call by id goes to; re-resolved by id when a live change replaced it. */
    DeploymentState pinned;
    /** Groups tried, in order (a list: there are one or two, and a set costs four objects per request). */
    private final List<String> triedGroups = new ArrayList<>(2);
    private final List<Attempt> attempts = new ArrayList<>(4);
    private final CompletableFuture<R> result = new CompletableFuture<>();
    private final Duration deadline;
    /** When the deadline passes (router clock), or null without a deadline. */
    final Instant deadlineAt;
    /** The attempt in flight (the router's future for it) and its provider call, for cancel and deadline. */
    private volatile CompletableFuture<R> currentAttempt;
    private volatile CompletableFuture<R> currentProviderCall;
    /** Set when the deadline passed or the caller cancelled: no more attempts, retries or fallbacks. */
    private volatile boolean stopped;
    private ScheduledFuture<?> deadlineTimer;
    private DeadlineTask deadlineTask;

    /**
     * The deadline timer's task: holds the request only until it ends (the router's own scheduler
     * takes a cancelled timer out of its queue up to a second later, see {@link RouterScheduler}).
     */
    private static final class DeadlineTask implements Runnable {
        private volatile RequestExecution<?, ?> execution;

        DeadlineTask(RequestExecution<?, ?> execution) {
            this.execution = execution;
        }

        @Override
        public void run() {
            RequestExecution<?, ?> x = execution;
            if (x != null) {
                x.onDeadline();
            }
        }
    }

    /** The fallback step's: the fallback lists still open (null until a group fails), and the current group's depth. */
    private List<FallbackStep.Frame> fallbackFrames;
    private int fallbackDepth;
    /** The requested group's failure, once it failed (the type of the final error after fallbacks). */
    private LlmRouterException firstFailure;
    /** The settle step's: the failure made of an answer stopped by a content filter, if the last attempt's was one. */
    private LlmRouterException filteredAnswer;

    // State of the group being tried, kept for the steps; reset for each group.
    private volatile String currentGroup;
    /** The deployment of the attempt in flight (for the MDC around its events), or null between attempts. */
    private volatile String currentDeployment;
    /** Attempts started so far, over every group (attempts run one after another). */
    private int attemptsStarted;
    /** The retry step: the last attempt's outcome, retry counters, the deployments that failed here. */
    final RetryLoop<R> loop;
    /** The select step's: the rpm/tpm reservation's minute and the budget reservation of the one chosen. */
    long reservedMinute;
    BudgetHold reservation = BudgetHold.NONE;
    /** The select step's: the group's deployments that pass the request's tag, capability and context filters. */
    List<DeploymentState> matching;
    /** The select step's: whether its last choice left deployments out for their rpm/tpm, or their budgets. */
    boolean overLimits;
    boolean overBudget;
    /** The select step's: whether its last choice left deployments out for being at their max parallel requests. */
    boolean overParallel;
    /** The request's place in a group's queue once it waited for capacity (kept while it waits again), or null. */
    private volatile WaitQueue.Waiter waiter;
    /** Whether the request waits for rpm/tpm capacity only (its deadline then fails it with a rate limit). */
    private volatile boolean waitingForLimits;
    /** Set by the first {@link #fail}: later calls do nothing. */
    private boolean failing;
    /** The group the request started in: its degraded answer comes first. */
    private final String startGroup;
    private int quickTokens = -1;
    /** The request's needed capabilities, or null until the select step first asks. */
    private Set<ModelCapability> needed;
    /** The last token count and the limit it was made under: exact when {@code countedTokens <= countLimit}. */
    private int countedTokens = -1;
    private int countLimit = -1;

    RequestExecution(RouterEngine engine, RouterCall call, Operation<Q, R> operation, Q request,
            RequestOptions options) {
        this.engine = engine;
        this.call = call;
        this.requestId = call != null ? call.id() : LogContext.ENABLED ? LogContext.newRequestId() : null;
        this.operation = operation;
        this.settings = engine.currentSettings().forRequest(options);
        this.clock = settings.clock();
        this.request = request;
        this.options = options;
        this.deadline = settings.deadline();
        this.deadlineAt = deadline == null ? null : clock.instant().plus(deadline);
        this.pinned = options.deployment().isPresent() ? engine.deploymentState(options.deployment().get()) : null;
        this.currentGroup = pinned != null ? pinned.modelGroup() : request.model();
        this.startGroup = currentGroup;
        this.loop = new RetryLoop<>(this);
        if (call != null && operation instanceof StreamOperation stream) {
            stream.observe(this);
        }
    }

    // ---- The steps, top to bottom ----

    /** Respond: registers the request, starts the deadline, runs the fallback loop and completes the result. */
    CompletableFuture<R> start() {
        if (!engine.register(this)) {
            fail(engine.closedException(request));
            return result;
        }
        result.whenComplete((r, e) -> ended());
        if (deadline != null) {
            deadlineTask = new DeadlineTask(this);
            deadlineTimer = engine.scheduler().schedule(deadlineTask, deadline.toNanos(), TimeUnit.NANOSECONDS);
        }
        fallbackLoop(currentGroup).whenComplete((response, error) -> {
            if (error == null) {
                if (call != null) {
                    notifyCall(l -> l.onSuccess(call, response));
                }
                result.complete(response);
            } else {
                fail(asRouterException(Futures.unwrap(error), null));
            }
        });
        return result;
    }

    /**
     * Fallback loop: {@code groupName}'s retry loop (an unknown group fails at once); when it
     * fails, the next group the fallback step picks; when none is left, the final error.
     */
    private CompletableFuture<R> fallbackLoop(String groupName) {
        ModelGroup group = engine.group(groupName);
        triedGroups.add(groupName);
        currentGroup = groupName;
        matching = null;
        CompletableFuture<RetryLoop<R>> groupLoop = group != null ? retryLoop(group)
                : CompletableFuture.completedFuture(loop.ended(unknownGroup(groupName)));
        if (groupLoop.isDone() && !groupLoop.isCompletedExceptionally()) {
            // Answered already (a blocking call completes on the caller's thread): no stages to chain.
            RetryLoop<R> done = groupLoop.getNow(null);
            if (done.failure() == null) {
                return CompletableFuture.completedFuture(done.answer());
            }
        }
        return groupLoop
                .handle((done, error) -> {
                    if (error == null && done.failure() == null) {
                        return CompletableFuture.completedFuture(done.answer());
                    }
                    LlmRouterException failure = error == null ? done.failure()
                            : asRouterException(Futures.unwrap(error), null);
                    if (firstFailure == null) {
                        firstFailure = failure;
                    }
                    // A call to one deployment by id has no fallback: the caller chose the deployment.
                    String next = stopped || pinned != null ? null : FallbackStep.nextGroup(this, groupName, failure);
                    if (next == null) {
                        // Stopped (deadline, cancel, close): that reason is the answer, not the first group's error.
                        return CompletableFuture.<R>failedFuture(stopped ? failure
                                : FallbackStep.finalFailure(firstFailure, failure, triedGroups, mayRecover()));
                    }
                    log.debug("model group '{}' failed ({}); falling back to '{}'", groupName,
                            failure.getClass().getSimpleName(), next);
                    if (call != null) {
                        notifyCall(l -> l.onFallback(call, groupName, next, failure));
                    }
                    return fallbackLoop(next);
                })
                .thenCompose(Function.identity());
    }

    /** The failure of a model group the router does not have (reached only with default fallbacks to try). */
    private BadRequestException unknownGroup(String groupName) {
        return new BadRequestException(RequestValidation.unknownGroup(groupName, engine.modelGroups()),
                ErrorContext.builder().model(groupName).build());
    }

    /** Retry loop: Resilience4j's retry runs select-and-attempt until the retry step says the group is done. */
    private CompletableFuture<RetryLoop<R>> retryLoop(ModelGroup group) {
        return loop.start(group).executeCompletionStage(engine.retryScheduler(), () -> selectAndAttempt(group))
                .toCompletableFuture();
    }

    /** Select, then attempt (whose end runs settle); no deployment available ends the group's loop. */
    private CompletableFuture<RetryLoop<R>> selectAndAttempt(ModelGroup group) {
        return selectAndAttempt(group, false);
    }

    /**
     * Select, then attempt; {@code woken}: the request waited for capacity and it is its turn, so
     * it passes the turn on to the next waiter unless it queues again (when it got capacity, there
     * may be more; when it leaves the queue without capacity, the capacity is the next one's).
     */
    private CompletableFuture<RetryLoop<R>> selectAndAttempt(ModelGroup requested, boolean woken) {
        if (stopped || result.isDone()) {
            if (woken) {
                waiter.queue.leaveAndWakeNext(waiter);
            }
            return CompletableFuture.failedFuture(new CancellationException("request ended"));
        }
        ModelGroup group = requested;
        if (group.isRetired() || pinned != null && pinned.isRetired()) {
            // A live change replaced the group or deployment since this request looked it up:
            // select in the current one (a request woken from the retired group's queue leaves it;
            // it queues anew in the successor if it has to wait again).
            if (woken) {
                waiter.queue.leave(waiter);
                woken = false;
            }
            LlmRouterException gone = relocate(group);
            if (gone != null) {
                return CompletableFuture.completedFuture(loop.ended(gone));
            }
            group = engine.group(group.name());
        }
        WaitQueue waiters = group.waiters();
        DeploymentState chosen;
        long eventsBefore = waiters != null ? waiters.capacityEvents() : 0;
        if (!woken && waiters != null && deadlineAt != null && waiters.size() > 0
                && options.priority().isPresent()) {
            // A request with a priority that finds others waiting queues behind them in order, rather
            // than take capacity first (a changed event count wakes the queue's first at once, in case
            // capacity is free). One without a priority selects as before.
            return waitForCapacity(group, eventsBefore - 1, false);
        }
        try {
            chosen = Selection.choose(this, group);
        } catch (RuntimeException e) {
            if (woken) {
                waiters.leaveAndWakeNext(waiter);
            }
            if (call != null && e instanceof BudgetExceededException refusal) {
                notifyCall(l -> l.onBudgetExceeded(call, refusal));
            }
            return CompletableFuture.failedFuture(e);
        }
        if (chosen == null) {
            if (overParallel && deadlineAt != null) {
                return waitForCapacity(group, eventsBefore, false);
            }
            LlmRouterException none = Selection.none(this, group, clock.millis());
            if (none instanceof RateLimitException && overLimits && deadlineAt != null && waiters != null
                    && options.priority().isPresent()) {
                return waitForCapacity(group, eventsBefore, true);
            }
            if (woken) {
                waiters.leaveAndWakeNext(waiter);
            }
            return CompletableFuture.completedFuture(loop.ended(none));
        }
        if (woken) {
            waiters.passTurn(waiter);
        }
        return AttemptStep.call(this, group, chosen);
    }

    /**
     * After a live change: forgets the deployments matched in the replaced group and finds the
     * pinned deployment again by id; the failure when the group or the deployment is gone, else null.
     */
    private LlmRouterException relocate(ModelGroup group) {
        matching = null;
        if (pinned != null && pinned.isRetired()) {
            DeploymentState now = engine.deploymentState(pinned.id());
            if (now == null) {
                return new BadRequestException("deployment '" + pinned.id() + "' was removed from the router",
                        ErrorContext.builder().model(group.name()).deploymentId(pinned.id()).build());
            }
            pinned = now;
        }
        return engine.group(group.name()) == null ? unknownGroup(group.name()) : null;
    }

    /**
     * No deployment the request may use has capacity (all at their max parallel requests, or,
     * for a request with a priority, all over their rpm/tpm limits): the request waits in the
     * group's queue, parked (no thread, no polling), until it is its turn after capacity returned
     * (a call ended, the minute rolled over), then selects again (and may wait again, in its old
     * place). Its deadline bounds the wait: the deadline timer ends the request, which leaves the
     * queue. A full queue ends the group's loop at once with a {@link RateLimitException}. A live
     * change that retires the group wakes it to select in the successor.
     *
     * @param forLimits whether it waits for rpm/tpm capacity only (then its deadline's error is the
     *     rate limit's)
     */
    private CompletableFuture<RetryLoop<R>> waitForCapacity(ModelGroup group, long eventsBefore, boolean forLimits) {
        WaitQueue queue = group.waiters();
        WaitQueue.Waiter w = waiter;
        if (w == null || w.queue != queue) {
            w = new WaitQueue.Waiter(queue, options.priority().orElse(RequestOptions.DEFAULT_PRIORITY));
            waiter = w;
        }
        CompletableFuture<RetryLoop<R>> next = new CompletableFuture<>();
        w.wake = () -> {
            waitingForLimits = false;
            selectAndAttempt(group, true).whenComplete((done, error) -> {
                if (error == null) {
                    next.complete(done);
                } else {
                    next.completeExceptionally(error);
                }
            });
        };
        waitingForLimits = forLimits;
        QueueSettings bounds = engine.queueSettings();
        if (!queue.enqueue(w, eventsBefore, bounds.maxQueued(), bounds.maxOvertakes())) {
            waitingForLimits = false;
            return CompletableFuture.completedFuture(loop.ended(queueFull(group, forLimits)));
        }
        if (stopped || result.isDone()) {
            queue.leave(w); // the request ended while it queued: leave no entry behind
            next.completeExceptionally(new CancellationException("request ended"));
        }
        if (overLimits) {
            queue.wakeAt(MinuteUsage.nextMinuteMillis(clock.millis()), clock, engine.scheduler());
        }
        return next;
    }

    /** The failure of a request that finds its group's queue full. */
    private RateLimitException queueFull(ModelGroup group, boolean forLimits) {
        long now = clock.millis();
        Duration retryAfter = forLimits ? Duration.ofMillis(MinuteUsage.nextMinuteMillis(now) - now) : null;
        return new RateLimitException("model group '" + group.name() + "' has no capacity and its queue is full ("
                + group.waiters().members() + " requests waiting, at most " + engine.queueSettings().maxQueued() + ")",
                ErrorContext.builder().model(group.name()).statusCode(429).build(), retryAfter);
    }

    // ---- Request-wide state the steps share ----

    /** The request's future. */
    CompletableFuture<R> result() {
        return result;
    }

    /** The request, as its operation takes it. */
    Q typedRequest() {
        return request;
    }

    Operation<Q, R> operation() {
        return operation;
    }

    RequestOptions options() {
        return options;
    }

    /** Whether the deadline passed, the router closed or the caller cancelled: no more attempts. */
    boolean isStopped() {
        return stopped;
    }

    /** No more attempts, retries or fallbacks (a call was cut by the deadline or the caller's interrupt). */
    void stop() {
        stopped = true;
    }

    /** Whether a failure may still be cured by a retry or fallback (not after a stream's first chunk). */
    boolean mayRecover() {
        return operation.mayRecover();
    }

    /** The fallback nesting depth of the group being tried (the requested group: 0). */
    int fallbackDepth() {
        return fallbackDepth;
    }

    void fallbackDepth(int depth) {
        fallbackDepth = depth;
    }

    /** The fallback step's open lists, made on first use. */
    List<FallbackStep.Frame> fallbackFrames() {
        if (fallbackFrames == null) {
            fallbackFrames = FallbackStep.newFrames();
        }
        return fallbackFrames;
    }

    /** The fallback step's open lists, or null when no group has failed yet. */
    List<FallbackStep.Frame> fallbackFramesIfAny() {
        return fallbackFrames;
    }

    /** Records that {@code failure} was made of an answer stopped by a content filter. */
    void filteredAnswer(LlmRouterException failure) {
        filteredAnswer = failure;
    }

    /** Whether {@code failure} was made of an answer stopped by a content filter. */
    boolean isFilteredAnswer(LlmRouterException failure) {
        return failure == filteredAnswer;
    }

    /** Whether {@code group} has been tried by this request. */
    boolean tried(String group) {
        return triedGroups.contains(group);
    }

    /** Hands the select step's budget reservation to the attempt that uses it. */
    BudgetHold takeReservation() {
        BudgetHold r = reservation;
        reservation = BudgetHold.NONE;
        return r;
    }

    void attemptStarted(CompletableFuture<R> attempt) {
        currentAttempt = attempt;
        currentProviderCall = null;
    }

    void providerCallStarted(CompletableFuture<R> call) {
        currentProviderCall = call;
    }

    /** The request ended (answered, failed, cancelled): the deadline timer stops; a cancel reaches the call. */
    private void ended() {
        stopped = true;
        // Before unregistering: the scheduler's last purge, once no request is in flight, must find it cancelled.
        DeadlineTask task = deadlineTask;
        if (task != null) {
            task.execution = null;
        }
        ScheduledFuture<?> t = deadlineTimer;
        if (t != null) {
            t.cancel(false);
        }
        engine.unregister(this);
        WaitQueue.Waiter w = waiter;
        if (w != null) {
            w.queue.leave(w);
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
    }

    /** Ends the request with {@code failure}, carrying every attempt so far; only the first call counts. */
    void fail(LlmRouterException error) {
        LlmRouterException failure = operation.callerFailure(error);
        synchronized (this) {
            if (result.isDone() || failing) {
                return;
            }
            failing = true;
            if (failure.attempts().isEmpty()) {
                failure.initAttempts(snapshotAttempts());
            }
        }
        if (answeredDegraded(failure)) {
            return;
        }
        if (call != null) {
            notifyCall(l -> l.onFailure(call, failure));
        }
        result.completeExceptionally(failure);
    }

    /**
     * Answers with the model group's degraded answer in place of {@code failure}, when the group
     * (the one the request started in, else the last one tried) has one and the failure says the
     * providers could not answer ({@link DegradedAnswers#replaces}); never once a stream reached
     * the caller. The answer is not charged. When the answer function (or a stream's consumer)
     * throws, {@code failure} stands, with that exception suppressed in it.
     *
     * @return whether the request was answered
     */
    @SuppressWarnings("unchecked")
    private boolean answeredDegraded(LlmRouterException failure) {
        DegradedAnswers answers = engine.degradedAnswers();
        if (answers.byGroup().isEmpty() || !(request instanceof ChatRequest chat) || !operation.mayRecover()
                || !DegradedAnswers.replaces(failure)) {
            return false;
        }
        String group = startGroup;
        Function<ChatRequest, ChatResponse> answer = answers.of(group);
        if (answer == null) {
            group = currentGroup;
            answer = answers.of(group);
        }
        if (answer == null) {
            return false;
        }
        ChatResponse degraded;
        try {
            ChatResponse given = answer.apply(chat);
            if (given == null) {
                throw new NullPointerException("the degraded answer of model group '" + group + "' returned null");
            }
            degraded = given.toBuilder().cost(Cost.builder().build())
                    .routing(RoutingInfo.degraded(chat.model(), group, failure.attempts())).build();
            if (operation instanceof StreamOperation stream) {
                stream.deliverWhole(degraded);
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            return false;
        }
        log.debug("model group '{}' failed ({}); answering with its degraded answer", group,
                failure.getClass().getSimpleName());
        if (call != null) {
            ChatResponse response = degraded;
            notifyCall(l -> l.onDegradedAnswer(call, response, failure));
            notifyCall(l -> l.onSuccess(call, response));
        }
        result.complete((R) degraded);
        return true;
    }

    private void onDeadline() {
        abort(waitingForLimits ? limitsAtDeadline() : deadlineException());
    }

    /** The failure of a request whose deadline passed while it waited for rpm/tpm capacity. */
    private RateLimitException limitsAtDeadline() {
        WaitQueue.Waiter w = waiter;
        String group = w != null ? currentGroup : request.model();
        long now = clock.millis();
        Duration wait = Duration.ofMillis(MinuteUsage.nextMinuteMillis(now) - now);
        return new RateLimitException("every deployment of model group '" + group
                + "' is over its rpm/tpm limit for this minute and the deadline of " + deadline
                + " passed while the request waited; capacity returns in " + wait.toMillis() + " ms",
                ErrorContext.builder().model(group).statusCode(429).build(), wait);
    }

    RequestTimeoutException deadlineException() {
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

    void recordAttempt(Attempt a, int number) {
        synchronized (this) {
            attempts.add(a);
        }
        if (call != null) {
            notifyCall(l -> l.onAttempt(call, number, a));
        }
        currentDeployment = null;
    }

    /** Numbers the attempt about to call {@code state} and tells the listeners; returns its number. */
    int attemptStarting(DeploymentState state, String group) {
        int number = ++attemptsStarted;
        currentDeployment = state.id();
        if (call != null) {
            String route = state.deployment().providerRoute();
            notifyCall(l -> l.onAttemptStart(call, state.id(), group, route, number));
        }
        return number;
    }

    /** The deployment of the attempt in flight, or null. */
    String currentDeployment() {
        return currentDeployment;
    }

    /**
     * Sends one of this call's events to the listeners, with the MDC set; callers check
     * {@code call != null} first, so no event is made without a listener.
     */
    void notifyCall(Consumer<RouterListener> event) {
        engine.notifyCall(call, currentGroup, currentDeployment, event);
    }

    synchronized List<Attempt> snapshotAttempts() {
        return List.copyOf(attempts);
    }

    private synchronized int attemptCount() {
        return attempts.size();
    }

    ErrorContext contextOf(DeploymentState state) {
        return ErrorContext.builder().provider(state.deployment().providerPrefix()).deploymentId(state.id())
                .model(state.deployment().providerModel()).build();
    }

    /** Any failure as a typed router exception; a provider's stray runtime exception is wrapped, not lost. */
    LlmRouterException asRouterException(Throwable error, DeploymentState state) {
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

    /**
     * The capabilities the request needs of a deployment ({@link RequestFilters#needs}), found once
     * per request: a fallback group's filters reuse them.
     */
    Set<ModelCapability> neededCapabilities() {
        Set<ModelCapability> n = needed;
        if (n == null) {
            n = RequestFilters.needs(request);
            needed = n;
        }
        return n;
    }

    /** Characters / 4 (computed once): for rpm/tpm reservations and strategies. */
    int quickTokens() {
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
    int countTokens(int limit) {
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
                RequestFilters.generatesText(request) ? DEFAULT_EXPECTED_OUTPUT_TOKENS : 0);
    }
}
