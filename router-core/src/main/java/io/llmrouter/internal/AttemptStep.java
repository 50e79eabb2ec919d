package io.llmrouter.internal;

import io.llmrouter.RequestOptions;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.api.internal.AttemptScope;
import io.llmrouter.control.AttemptContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The attempt step: one call to the chosen deployment, as the request's {@link Operation} makes
 * it (asynchronous, synchronous on the caller's thread, or streaming), bounded by the
 * deployment's timeout; when it ends, however it ends (answer, failure, timeout, deadline, cancel),
 * the settle step records it exactly once. One instance is one attempt in flight.
 *
 * <p>The outcome is completed by hand rather than returned from {@code handle()}, so no stage wraps
 * a failure in a {@code CompletionException} (whose stack trace costs microseconds per failed
 * attempt). Every outcome, failures included, completes it normally: the retry step reads it.
 *
 * <p>With request controls registered ({@link RequestControls}), the interceptors run here, after
 * the select step and before the provider call; the attempt is their {@link AttemptContext}.
 */
final class AttemptStep<Q extends RouterRequest, R extends RouterResponse>
        implements BiFunction<R, Throwable, Void>, AttemptContext {

    final RequestExecution<Q, R> execution;
    final ModelGroup group;
    final DeploymentState state;
    final Instant startedAt;
    /** The attempt's number in its request (1 for the first, counted over every group). */
    final int number;
    /** The rpm/tpm reservation's minute and tokens, corrected by the real usage. */
    final long reservedMinute;
    final long reservedTokens;
    final BudgetHold budget;
    /** The router's future for the attempt: completed by the provider call, its timer, the deadline or a cancel. */
    final CompletableFuture<R> attempt = new CompletableFuture<>();
    private final CompletableFuture<RetryLoop<R>> outcome = new CompletableFuture<>();
    private ScheduledFuture<?> timer;
    /** The timer's task, or null without a timer; let go of the attempt when it ends. */
    private Timeout timeoutTask;
    private volatile CompletableFuture<R> providerCall;
    /** The chat request as the interceptors left it (what was sent), or null without controls. */
    ChatRequest sent;
    /** The interceptors' stop when one answered (then no provider was called), else null. */
    RequestControls.Stop intercepted;

    private AttemptStep(RequestExecution<Q, R> x, ModelGroup group, DeploymentState state) {
        this.execution = x;
        this.group = group;
        this.state = state;
        this.reservedMinute = x.reservedMinute;
        this.reservedTokens = x.quickTokens();
        this.budget = x.takeReservation();
        this.startedAt = x.clock.instant();
        this.number = x.attemptStarting(state, group.name());
    }

    /** Calls {@code state}, which the select step chose and reserved; the future completes once settled. */
    static <Q extends RouterRequest, R extends RouterResponse> CompletableFuture<RetryLoop<R>> call(
            RequestExecution<Q, R> x, ModelGroup group, DeploymentState state) {
        AttemptStep<Q, R> a = new AttemptStep<>(x, group, state);
        x.attemptStarted(a.attempt); // the select step took the deployment's call slot (tryEnter)
        a.start();
        return a.outcome;
    }

    private void start() {
        RequestExecution<Q, R> x = execution;
        Duration timeout = state.endpoint().timeout();
        // The outcome handler is attached before the provider is called: a synchronous provider call
        // blocks this thread, and a deadline or timeout firing meanwhile must still record the attempt.
        // A synchronous call bounded by its own HTTP timeout needs no timer (it would cost a scheduler
        // wake-up per call); every other call gets one, whatever its provider promises.
        if (!x.operation().boundsItsOwnTime(state)) {
            timeoutTask = new Timeout(this);
            timer = x.engine.scheduler().schedule(timeoutTask, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        attempt.handle(this);
        CompletableFuture<R> pf;
        LogContext mdc = LogContext.open(x.requestId, group.name(), state.id());
        // A failure made during the call (a synchronous provider's, on this thread) skips its stack
        // trace: the router handles it; the one the caller gets is given its trace by fail().
        int[] scope = AttemptScope.enter();
        try {
            Q request = x.typedRequest();
            RequestControls controls = x.engine.controls();
            if (controls != null && request instanceof ChatRequest chat) {
                request = intercepted(controls, chat);
            }
            pf = request == null ? null : state.isSimulatedOutage()
                    ? CompletableFuture.failedFuture(new ServiceUnavailableException("readiness drill: simulated outage"
                            + " of deployment '" + state.id() + "'", x.contextOf(state)))
                    : x.operation().call(state, request);
        } catch (RuntimeException e) {
            pf = CompletableFuture.failedFuture(e);
        } finally {
            AttemptScope.exit(scope);
            LogContext.close(mdc);
        }
        if (pf == null) {
            return; // the interceptors ended the attempt without a provider call
        }
        providerCall = pf;
        x.providerCallStarted(pf);
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
        if (x.isStopped()) {
            attempt.completeExceptionally(new CancellationException("request ended"));
        }
    }

    /**
     * Runs the interceptors: the request to send (the operation's type: a chat request), or null
     * when one refused, answered or threw, having ended the attempt with that outcome.
     */
    @SuppressWarnings("unchecked")
    private Q intercepted(RequestControls controls, ChatRequest chat) {
        Object decision = controls.beforeCall(this, chat, execution.contextOf(state));
        if (decision instanceof ChatRequest toSend) {
            sent = toSend;
            if (controls.checksChunks() && execution.operation() instanceof StreamOperation stream) {
                stream.checkChunks(controls, this);
            }
            return (Q) toSend;
        }
        RequestControls.Stop stop = (RequestControls.Stop) decision;
        if (stop.failure != null) {
            attempt.completeExceptionally(stop.failure);
        } else {
            sent = chat;
            intercepted = stop;
            attempt.complete((R) stop.answer);
        }
        return null;
    }

    // ---- The interceptors' and rules' view of the attempt ----

    @Override
    public String requestedModel() {
        return execution.request().model();
    }

    @Override
    public String modelGroup() {
        return group.name();
    }

    @Override
    public String deploymentId() {
        return state.id();
    }

    @Override
    public String providerRoute() {
        return state.deployment().providerRoute();
    }

    @Override
    public int attemptNumber() {
        return number;
    }

    @Override
    public RequestOptions options() {
        return execution.options();
    }

    @Override
    public boolean streaming() {
        return execution.streaming();
    }

    @Override
    public Optional<BigDecimal> estimatedCostUsd(ChatRequest request) {
        return Optional.ofNullable(BudgetStep.estimate(request, state));
    }

    /**
     * The attempt's timer task. It holds the attempt only until the attempt ends: the router's own
     * scheduler takes cancelled timers out of its queue up to a second later
     * ({@link RouterScheduler}), and they must not keep the call's request and answer alive.
     */
    private static final class Timeout implements Runnable {
        private volatile AttemptStep<?, ?> step;

        Timeout(AttemptStep<?, ?> step) {
            this.step = step;
        }

        @Override
        public void run() {
            AttemptStep<?, ?> a = step;
            if (a != null) {
                a.attempt.completeExceptionally(new RequestTimeoutException("deployment '" + a.state.id()
                        + "' did not answer within " + a.state.endpoint().timeout(), a.execution.contextOf(a.state)));
            }
        }
    }

    /** The attempt ended: stops its timer and provider call, then settles it. */
    @Override
    public Void apply(R response, Throwable error) {
        try {
            if (timer != null) {
                timeoutTask.step = null;
                timer.cancel(false);
            }
            state.exit();
            CompletableFuture<R> pf = providerCall;
            if (pf != null && !pf.isDone()) {
                pf.cancel(true);
            }
            outcome.complete(Settlement.settle(this, response, error));
        } catch (Throwable t) {
            // A bug, not an outcome: it ends the request (stackless, see above).
            outcome.completeExceptionally(Futures.stackless(t));
        }
        return null;
    }
}
