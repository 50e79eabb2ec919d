package io.llmrouter.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.llmrouter.CooldownPolicy;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.FailureKind;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RateLimitException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The single owner of one deployment's health: its Resilience4j {@link CircuitBreaker}, whose
 * states are the deployment's ({@code CLOSED} = available, {@code OPEN} = cooling down,
 * {@code HALF_OPEN} = probing), whose open-state wait is the cooldown and whose closed-state
 * sliding window counts the calls and failures of the last minute; and the failure window (with
 * kinds) the allowed-fails rule counts in.
 *
 * <p>Cooldown rules, LiteLLM's (see {@link io.llmrouter.CooldownPolicy} and
 * {@code src-docs/reliability.md}): failures about the request never count. The default rule: 401,
 * 403 and 404 cool the deployment at once, even the only one of its group; in a group of several a
 * 429 cools it at once, and so does a failure rate strictly above the threshold (50 %) in the
 * window, this failure counted; all of at least 1,000 calls failed cools even a lone deployment.
 * When an allowance is set, the allowed-fails rule replaces it: failures in the window over the
 * allowance (per kind when the policy names the kind, else over all kinds) cool any deployment.
 * The breaker decides nothing by itself while closed (its minimum number of calls is unreachable):
 * it holds the state, counts the window and runs the half-open probe: after the cooldown one call
 * is let through, and its outcome closes or reopens the circuit.
 *
 * <p>A cooldown's length, the first that applies: the request's cooldown time, the deployment's
 * (0: no cooldown), the failure's retry-after (0: none; capped), the router's cooldown time. A
 * deployment already cooling keeps its first deadline.
 *
 * <p>Every change of health passes through {@link #transition}: the breaker's own transitions
 * (failure rate, probe outcome, reset) through its state-transition event, the rules' through
 * {@link CircuitBreaker#transitionToOpenStateUntil(Instant)}. Two pieces of state are kept here
 * beside the breaker because Resilience4j cannot hold them: the end of the current cooldown as the
 * breaker was told it (its open state does not expose it, and statuses and the available-list
 * cache read it), and the per-kind failure counts of the last minute (its sliding window counts
 * failures, not their kinds).
 */
final class DeploymentHealth {

    /** The window over which failures are counted. */
    static final Duration FAILURE_WINDOW = Duration.ofSeconds(60);
    private static final int MAX_REMEMBERED_FAILURES = 4096;
    /** Half-open: the one probe's failure (100 %) reopens the circuit, its success (0 %) closes it. */
    private static final float PROBE_FAILURE_RATE = 50;

    private final DeploymentState deployment;
    private final RouterEngine engine;
    private final CircuitBreaker breaker;
    /** Whether it is its group's only deployment; rewritten when a live change regroups it ({@link #sole(boolean)}). */
    private volatile boolean sole;
    /** The deployment's own cooldown time in millis, or -1 when it sets none. */
    private final long ownCooldownMillis;
    private final ArrayDeque<long[]> failures = new ArrayDeque<>();
    /** How many of {@link #failures} are of each kind (guarded by {@code failures}), so no scan per failure. */
    private final int[] failuresByKind = new int[FailureKind.values().length];
    /** When the breaker's current open state ends (wall-clock millis), as it was told; 0 when closed. */
    private volatile long openUntilMillis;
    /** The cooldown end a rule asked for, picked up by the transition it causes; 0 for the breaker's own. */
    private volatile long requestedUntilMillis;
    /** The cooldown end for a failed probe (the breaker reopens itself), set before it is told of the failure. */
    private volatile long probeFailedUntilMillis;
    private volatile LlmRouterException lastCause;
    private volatile Duration lastRetryAfter;
    private volatile long lastRetryAfterSeq;
    private volatile ModelGroup group;

    DeploymentHealth(DeploymentState deployment, RouterEngine engine, boolean sole) {
        this.deployment = deployment;
        this.engine = engine;
        this.sole = sole;
        this.ownCooldownMillis = deployment.deployment().cooldownTime().map(Duration::toMillis).orElse(-1L);
        this.breaker = CircuitBreaker.of(deployment.id(), breakerConfig(engine.settings()));
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.StateTransition t = event.getStateTransition();
            if (t.getFromState() == t.getToState()) {
                return; // a cooldown pinned or extended by transition(..), which has done the rest
            }
            long until = 0;
            if (t.getToState() == CircuitBreaker.State.OPEN) {
                // The rules' end when they opened it; the failed probe's when the breaker reopened itself.
                long requested = requestedUntilMillis;
                requestedUntilMillis = 0;
                long probe = probeFailedUntilMillis;
                probeFailedUntilMillis = 0;
                until = requested > 0 ? requested : probe > 0 ? probe
                        : engine.settings().clock().millis() + engine.settings().cooldownTime().toMillis();
            }
            transition(t.getFromState(), t.getToState(), until, lastCause);
        });
    }

    /**
     * The breaker: a 60 s time window that counts calls and failures but never opens the circuit
     * by itself (the rules in {@link #recordFailure} do); the cooldown time as its open-state wait;
     * one probe call when half-open, whose failure reopens it; failures about the request ignored.
     */
    private static CircuitBreakerConfig breakerConfig(RouterSettings s) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) FAILURE_WINDOW.toSeconds())
                .minimumNumberOfCalls(Integer.MAX_VALUE)
                .failureRateThreshold(PROBE_FAILURE_RATE)
                .waitDurationInOpenState(s.cooldownTime().isZero() ? Duration.ofMillis(1) : s.cooldownTime())
                .permittedNumberOfCallsInHalfOpenState(1)
                .ignoreException(e -> Futures.unwrap(e) instanceof LlmRouterException lre
                        && FailureKind.of(lre).isAboutRequest())
                .clock(s.clock())
                .build();
    }

    /**
     * The one place where the deployment's health changes: a cooldown starts ({@code to} is
     * {@code OPEN}), starts again after one that elapsed without a probe ({@code from} and
     * {@code to} are {@code OPEN}), or ends ({@code to}
     * is {@code CLOSED}); the probe state needs no more than the breaker's own. Tells the breaker the
     * cooldown's end, the listeners a start or end, and the group that its available list is stale.
     *
     * @param untilMillis the cooldown's end when {@code to} is {@code OPEN}
     * @param cause the failure that started the cooldown, or null for the failure-rate rule
     */
    private void transition(CircuitBreaker.State from, CircuitBreaker.State to, long untilMillis,
            LlmRouterException cause) {
        if (to == CircuitBreaker.State.OPEN) {
            long until = untilMillis;
            openUntilMillis = until;
            // The breaker lets the probe through from the first instant of millisecond 'until' on.
            try {
                breaker.transitionToOpenStateUntil(Instant.ofEpochMilli(until).minusNanos(1));
            } catch (RuntimeException e) {
                // A concurrent call moved the breaker on (IllegalStateTransitionException): nothing to pin.
            }
            if (from != CircuitBreaker.State.OPEN) {
                engine.cooldownStarted(deployment, Instant.ofEpochMilli(until), cause);
            }
            publish(until, cause);
        } else if (to == CircuitBreaker.State.CLOSED && from != CircuitBreaker.State.CLOSED) {
            openUntilMillis = 0;
            engine.cooldownEnded(deployment);
            publish(0, null);
        }
        // After the fields above are set, so a rebuilt available-list sees them.
        ModelGroup g = group;
        if (g != null) {
            g.healthChanged();
        }
    }

    /**
     * Records a cooldown's start or extension ({@code untilMillis > 0}) or its end in the router's
     * {@link io.llmrouter.spi.StateStore}, which holds every router-wide state a fleet shares. The
     * reason is the failure kind ({@code FAILURE_RATE} for the breaker's own rule), never a message.
     */
    private void publish(long untilMillis, LlmRouterException cause) {
        if (deployment.isRetired()) {
            // A call in flight on a deployment a live change replaced or removed: its health is no
            // one's now, and published under its id it would cool the replacement (a shared store
            // echoes transitions to every router, this one included).
            return;
        }
        Instant now = engine.settings().clock().instant();
        io.llmrouter.spi.DeploymentHealth t;
        if (untilMillis > 0) {
            Instant until = Instant.ofEpochMilli(untilMillis);
            t = io.llmrouter.spi.DeploymentHealth.coolingDown(deployment.id(), until,
                    cause == null ? "FAILURE_RATE" : FailureKind.of(cause).name(),
                    now.isBefore(until) ? now : until.minusMillis(1));
        } else {
            t = io.llmrouter.spi.DeploymentHealth.available(deployment.id(), now);
        }
        engine.stateStore().publishHealth(t);
    }

    /**
     * Applies a cooldown that another router sharing the state store published, so this router
     * skips the deployment until then too, unless it is cooling already (a cooling deployment keeps
     * its first deadline). An end
     * of a remote cooldown is not applied: each router probes the deployment itself when its
     * cooldown is over.
     *
     * @param t the remote transition
     * @param nowMillis the router's time
     */
    void applyRemote(io.llmrouter.spi.DeploymentHealth t, long nowMillis) {
        if (!t.isCoolingDownAt(nowMillis)) {
            return;
        }
        if (isCoolingDown(nowMillis)) {
            return; // a cooling deployment keeps its first deadline (also our own transition coming back)
        }
        long until = t.coolingUntil().get().toEpochMilli();
        lastCause = new LlmRouterException("cooled down by another router sharing the state store (" + t.reason()
                + ")", io.llmrouter.api.exception.ErrorContext.builder().deploymentId(deployment.id()).build(), null);
        coolFor(until - nowMillis, nowMillis);
    }

    void group(ModelGroup owner) {
        this.group = owner;
    }

    /** A live change left the deployment alone in its group, or gave it company: the cooldown rule follows. */
    void sole(boolean sole) {
        this.sole = sole;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /** Whether the breaker is open and its cooldown has not yet elapsed. */
    boolean isCoolingDown(long nowMillis) {
        CircuitBreaker.State s = breaker.getState();
        return s == CircuitBreaker.State.OPEN && nowMillis < openUntilMillis
                || s == CircuitBreaker.State.FORCED_OPEN;
    }

    /** When the cooldown ends, if cooling down at {@code nowMillis}; else 0. */
    long coolingUntilMillis(long nowMillis) {
        return isCoolingDown(nowMillis) ? Math.max(openUntilMillis, nowMillis + 1) : 0;
    }

    /** The deployment's state at {@code nowMillis}, read from the breaker. */
    DeploymentStatus.State state(long nowMillis) {
        if (breaker.getState() == CircuitBreaker.State.CLOSED) {
            return DeploymentStatus.State.AVAILABLE;
        }
        return isCoolingDown(nowMillis) ? DeploymentStatus.State.COOLING_DOWN : DeploymentStatus.State.PROBING;
    }

    /** The cooldown's end as the breaker was told it (meaningful while cooling down). */
    Instant openUntil() {
        return Instant.ofEpochMilli(openUntilMillis);
    }

    /** Puts the deployment back in rotation (a transition to {@code CLOSED}, if it was not). */
    void reset() {
        breaker.reset();
    }

    /** The retry-after of this deployment's last rate limit, or null. */
    Duration lastRetryAfter() {
        return lastRetryAfter;
    }

    /** When {@link #lastRetryAfter()} was seen, as a router-wide sequence number (later is larger). */
    long lastRetryAfterSeq() {
        return lastRetryAfterSeq;
    }

    /**
     * Records a failed call: tells the breaker (whose probe, if this was one, reopens it for this
     * failure's cooldown length), and, for a failure that counts against the deployment, counts it
     * and cools the deployment down when the rules say so.
     *
     * @param tookNanos how long the call took
     * @param requestCooldownMillis the request's cooldown time in millis, or -1 when it sets none
     */
    void recordFailure(FailureKind kind, LlmRouterException error, long tookNanos, long nowMillis,
            long requestCooldownMillis) {
        long length = cooldownMillis(error, requestCooldownMillis);
        if (!kind.isAboutRequest()) {
            lastCause = error;
            probeFailedUntilMillis = nowMillis + Math.max(1, length);
        }
        breaker.onError(tookNanos, TimeUnit.NANOSECONDS, error);
        if (kind.isAboutRequest()) {
            return;
        }
        if (error instanceof RateLimitException rle && rle.retryAfter().isPresent()) {
            lastRetryAfter = rle.retryAfter().get();
            lastRetryAfterSeq = engine.nextEventSeq();
        }
        int ofKind;
        int all;
        synchronized (failures) {
            failures.addLast(new long[] {nowMillis, kind.ordinal()});
            failuresByKind[kind.ordinal()]++;
            if (failures.size() > MAX_REMEMBERED_FAILURES) {
                removeOldestFailure();
            }
            prune(nowMillis);
            all = failures.size();
            ofKind = failuresByKind[kind.ordinal()];
        }
        if (length > 0 && shouldCool(kind, ofKind, all)) {
            coolFor(length, nowMillis);
        }
    }

    /**
     * Whether this failure (of {@code kind}, counted: {@code ofKind} of its kind and {@code all} in
     * the window) cools the deployment: by the allowed-fails rule when an allowance is set, else by
     * the default rule.
     */
    private boolean shouldCool(FailureKind kind, int ofKind, int all) {
        CooldownPolicy policy = engine.settings().cooldownPolicy();
        if (policy.usesAllowedFails()) {
            OptionalInt own = policy.allowedFails(kind);
            return own.isPresent() ? ofKind > own.getAsInt()
                    : all > policy.allowedFails().orElse(CooldownPolicy.DEFAULT_ALLOWED_FAILS);
        }
        if (kind == FailureKind.AUTHENTICATION || kind == FailureKind.PERMISSION_DENIED
                || kind == FailureKind.NOT_FOUND) {
            return true; // no wait cures a wrong key, a missing permission or a missing model
        }
        if (!sole && kind == FailureKind.RATE_LIMIT) {
            return true;
        }
        CircuitBreaker.Metrics m = breaker.getMetrics();
        long failed = m.getNumberOfFailedCalls();
        long total = failed + m.getNumberOfSuccessfulCalls();
        if (failed == total && total >= policy.singleDeploymentFailureThreshold()) {
            return true;
        }
        // Strictly above the threshold: the first failure with no success in the window cools.
        return !sole && failed * 100 > (long) policy.failureRateThreshold() * total;
    }

    /**
     * How long this failure would cool the deployment, in millis (0: not at all): the request's
     * cooldown time, else the deployment's, else the failure's retry-after (capped), else the
     * router's cooldown time.
     */
    private long cooldownMillis(LlmRouterException error, long requestCooldownMillis) {
        if (requestCooldownMillis >= 0) {
            return requestCooldownMillis;
        }
        if (ownCooldownMillis >= 0) {
            return ownCooldownMillis;
        }
        RouterSettings s = engine.settings();
        if (s.cooldownTime().isZero()) {
            return 0; // cooldowns disabled router-wide (LiteLLM's cooldown_time: 0)
        }
        Optional<Duration> retryAfter = error.retryAfter();
        if (retryAfter.isPresent()) {
            return Math.min(retryAfter.get().toMillis(), s.maxRetryAfter().toMillis());
        }
        return s.cooldownTime().toMillis();
    }

    /**
     * Opens the breaker until {@code length} from now; a deployment already cooling keeps its first
     * deadline (an open breaker whose cooldown has elapsed, with no probe yet, starts a new one).
     */
    private void coolFor(long lengthMillis, long nowMillis) {
        if (isCoolingDown(nowMillis)) {
            return;
        }
        long until = nowMillis + Math.max(1, lengthMillis);
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            transition(CircuitBreaker.State.OPEN, CircuitBreaker.State.OPEN, until, lastCause);
            return;
        }
        requestedUntilMillis = until;
        try {
            breaker.transitionToOpenStateUntil(Instant.ofEpochMilli(until).minusNanos(1));
        } catch (RuntimeException e) {
            // A concurrent call moved the breaker first (IllegalStateTransitionException): it is open now.
            requestedUntilMillis = 0;
        }
    }

    private void prune(long nowMillis) {
        long oldest = nowMillis - FAILURE_WINDOW.toMillis();
        while (!failures.isEmpty() && failures.peekFirst()[0] <= oldest) {
            removeOldestFailure();
        }
    }

    private void removeOldestFailure() {
        failuresByKind[(int) failures.removeFirst()[1]]--;
    }

    int recentFailures(long nowMillis) {
        synchronized (failures) {
            prune(nowMillis);
            return failures.size();
        }
    }

    @Override
    public String toString() {
        return breaker.getState().toString();
    }
}
