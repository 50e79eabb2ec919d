package io.llmrouter.internal;

import io.llmrouter.RequestOptions;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.internal.RedactedCause;
import io.llmrouter.api.internal.UrlRedaction;
import io.llmrouter.spi.RouterCall;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.spi.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 *       {@link BudgetHold});
 *   <li>attempt: {@link AttemptStep} (timers, the provider call);
 *   <li>settle: {@link Settlement} (cost, spend, latency, health through {@link DeploymentHealth});
 *   <li>respond: {@link #start}'s completion (listeners, the caller's future).
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
    final DeploymentState pinned;
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
    private int quickTokens = -1;
    /** The last token count and the limit it was made under: exact when {@code countedTokens <= countLimit}. */
    private int countedTokens = -1;
    private int countLimit = -1;

    RequestExecution(RouterEngine engine, RouterCall call, Operation<Q, R> operation, Q request,
            RequestOptions options) {
        this.engine = engine;
        this.call = call;
        this.requestId = call != null ? call.id() : LogContext.ENABLED ? LogContext.newRequestId() : null;
        this.operation = operation;
        this.settings = engine.settings().forRequest(options);
        this.clock = settings.clock();
        this.request = request;
        this.options = options;
        this.deadline = settings.deadline();
        this.deadlineAt = deadline == null ? null : clock.instant().plus(deadline);
        this.pinned = options.deployment().isPresent() ? engine.deploymentState(options.deployment().get()) : null;
        this.currentGroup = pinned != null ? pinned.modelGroup() : request.model();
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
            deadlineTimer = engine.scheduler().schedule(this::onDeadline, deadline.toNanos(), TimeUnit.NANOSECONDS);
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
        return loop.start(group).executeCompletionStage(engine.scheduler(), () -> selectAndAttempt(group))
                .toCompletableFuture();
    }

    /** Select, then attempt (whose end runs settle); no deployment available ends the group's loop. */
    private CompletableFuture<RetryLoop<R>> selectAndAttempt(ModelGroup group) {
        if (stopped || result.isDone()) {
            return CompletableFuture.failedFuture(new CancellationException("request ended"));
        }
        DeploymentState chosen;
        long freedBefore = group.limitsParallel() ? group.freedSlots() : 0;
        try {
            chosen = Selection.choose(this, group);
        } catch (RuntimeException e) {
            if (call != null && e instanceof BudgetExceededException refusal) {
                notifyCall(l -> l.onBudgetExceeded(call, refusal));
            }
            return CompletableFuture.failedFuture(e);
        }
        if (chosen == null) {
            if (overParallel && deadlineAt != null) {
                return waitForSlot(group, freedBefore);
            }
            return CompletableFuture.completedFuture(loop.ended(Selection.none(this, group, clock.millis())));
        }
        return AttemptStep.call(this, group, chosen);
    }

    /**
     * Every deployment the request may use is at its max parallel requests: the request waits,
     * parked in the group (no thread, no polling), until a call ends, then selects again; its
     * deadline bounds the wait (the deadline timer ends the request; the waiter then finds it
     * stopped).
     */
    private CompletableFuture<RetryLoop<R>> waitForSlot(ModelGroup group, long freedBefore) {
        CompletableFuture<RetryLoop<R>> next = new CompletableFuture<>();
        group.awaitSlot(() -> {
            if (stopped || result.isDone()) {
                group.slotFreed(); // this request ended while it waited: the wake-up is the next waiter's
                next.completeExceptionally(new CancellationException("request ended"));
                return;
            }
            selectAndAttempt(group).whenComplete((done, error) -> {
                if (error == null) {
                    next.complete(done);
                } else {
                    next.completeExceptionally(error);
                }
            });
        }, freedBefore);
        return next;
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
    }

    /** Ends the request with {@code failure}, carrying every attempt so far; only the first call counts. */
    void fail(LlmRouterException error) {
        LlmRouterException failure = operation.callerFailure(error);
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            if (failure.attempts().isEmpty()) {
                failure.initAttempts(snapshotAttempts());
            }
        }
        if (call != null) {
            notifyCall(l -> l.onFailure(call, failure));
        }
        result.completeExceptionally(failure);
    }

    private void onDeadline() {
        abort(deadlineException());
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
                request instanceof EmbeddingRequest ? 0 : DEFAULT_EXPECTED_OUTPUT_TOKENS);
    }
}
