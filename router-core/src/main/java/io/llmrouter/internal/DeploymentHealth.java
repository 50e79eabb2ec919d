package io.llmrouter.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.FailureKind;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RateLimitException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.OptionalInt;

/**
 * The single owner of one deployment's health: its Resilience4j {@link CircuitBreaker}, whose
 * states are the deployment's ({@code CLOSED} = available, {@code OPEN} = cooling down,
 * {@code HALF_OPEN} = probing) and whose open-state wait is the cooldown, and the failure window
 * the allowed-fails rule counts in.
 *
 * <p>Cooldown rules (see {@code src-docs/reliability.md}): failures about the request never count;
 * a 429 cools the deployment at once for the provider's retry-after (capped) or the cooldown time;
 * 401, 403 and 404 cool it at once; any other failure cools it when the failures in the last
 * minute pass the allowed count (per kind when the {@code AllowedFailsPolicy} names the kind, else
 * over all kinds) and at least half of the window's calls failed. The only deployment of a group
 * is cooled only by 401, 403 and 404, which no wait cures. The breaker's own configuration adds the
 * failure-rate rule (10 calls, 50 %) and the half-open probe: after the cooldown one call is let
 * through, and its outcome closes or reopens the circuit.
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

    private final DeploymentState deployment;
    private final RouterEngine engine;
    private final CircuitBreaker breaker;
    private final boolean sole;
    private final ArrayDeque<long[]> failures = new ArrayDeque<>();
    /** How many of {@link #failures} are of each kind (guarded by {@code failures}), so no scan per failure. */
    private final int[] failuresByKind = new int[FailureKind.values().length];
    /** When the breaker's current open state ends (wall-clock millis), as it was told; 0 when closed. */
    private volatile long openUntilMillis;
    /** The cooldown end a rule asked for, picked up by the transition it causes; 0 for the breaker's own. */
    private volatile long requestedUntilMillis;
    private volatile LlmRouterException lastCause;
    private volatile Duration lastRetryAfter;
    private volatile long lastRetryAfterSeq;
    private ModelGroup group;

    DeploymentHealth(DeploymentState deployment, RouterEngine engine, boolean sole) {
        this.deployment = deployment;
        this.engine = engine;
        this.sole = sole;
        this.breaker = CircuitBreaker.of(deployment.id(), breakerConfig(engine.settings(), sole));
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.StateTransition t = event.getStateTransition();
            if (t.getFromState() == t.getToState()) {
                return; // a cooldown pinned or extended by transition(..), which has done the rest
            }
            long until = 0;
            if (t.getToState() == CircuitBreaker.State.OPEN) {
                // The rules' end when they opened it; the cooldown time when the breaker opened itself.
                long requested = requestedUntilMillis;
                requestedUntilMillis = 0;
                until = requested > 0 ? requested
                        : engine.settings().clock().millis() + engine.settings().cooldownTime().toMillis();
            }
            transition(t.getFromState(), t.getToState(), until, lastCause);
        });
    }

    /**
     * The breaker: a 60 s time window; the failure-rate rule (never for the only deployment of a
     * group); the cooldown time as its open-state wait; one probe call when half-open; failures
     * about the request ignored.
     */
    private static CircuitBreakerConfig breakerConfig(RouterSettings s, boolean sole) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) FAILURE_WINDOW.toSeconds())
                .minimumNumberOfCalls(sole ? Integer.MAX_VALUE : s.minimumCallsForFailureRate())
                .failureRateThreshold(s.failureRateThreshold())
                .waitDurationInOpenState(s.cooldownTime().isZero() ? Duration.ofMillis(1) : s.cooldownTime())
                .permittedNumberOfCallsInHalfOpenState(1)
                .ignoreException(e -> Futures.unwrap(e) instanceof LlmRouterException lre
                        && FailureKind.of(lre).isAboutRequest())
                .clock(s.clock())
                .build();
    }

    /**
     * The one place where the deployment's health changes: a cooldown starts ({@code to} is
     * {@code OPEN}), is extended ({@code from} and {@code to} are {@code OPEN}), or ends ({@code to}
     * is {@code CLOSED}); the probe state needs no more than the breaker's own. Tells the breaker the
     * cooldown's end, the listeners a start or end, and the group that its available list is stale.
     *
     * @param untilMillis the cooldown's end when {@code to} is {@code OPEN}
     * @param cause the failure that started the cooldown, or null for the failure-rate rule
     */
    private void transition(CircuitBreaker.State from, CircuitBreaker.State to, long untilMillis,
            LlmRouterException cause) {
        if (to == CircuitBreaker.State.OPEN) {
            long until = from == CircuitBreaker.State.OPEN ? Math.max(openUntilMillis, untilMillis) : untilMillis;
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
     * skips the deployment until then too (a cooldown never shortens a longer local one). An end
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
        long until = t.coolingUntil().get().toEpochMilli();
        if (isCoolingDown(nowMillis) && openUntilMillis >= until) {
            return; // already out at least that long (also our own transition coming back)
        }
        lastCause = new LlmRouterException("cooled down by another router sharing the state store (" + t.reason()
                + ")", io.llmrouter.api.exception.ErrorContext.builder().deploymentId(deployment.id()).build(), null);
        coolFor(Duration.ofMillis(until - nowMillis), nowMillis);
    }

    void group(ModelGroup owner) {
        this.group = owner;
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
     * Records a failure that counts against the deployment (the breaker has already been told) and
     * cools the deployment down when the rules say so.
     */
    void recordFailure(FailureKind kind, LlmRouterException error, long nowMillis) {
        if (kind.isAboutRequest()) {
            return;
        }
        RouterSettings s = engine.settings();
        lastCause = error;
        Duration retryAfter = null;
        if (error instanceof RateLimitException rle && rle.retryAfter().isPresent()) {
            retryAfter = rle.retryAfter().get();
            lastRetryAfter = retryAfter;
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
        boolean hard = kind == FailureKind.AUTHENTICATION || kind == FailureKind.PERMISSION_DENIED
                || kind == FailureKind.NOT_FOUND;
        if (sole && !hard) {
            return;
        }
        OptionalInt allowedOfKind = s.allowedFailsPolicy().allowedFails(kind);
        // Past the allowance AND failing at least half its calls in the window: at high volume a
        // few failures a minute are normal and must not cool a deployment that mostly answers.
        boolean overAllowance = (allowedOfKind.isPresent() ? ofKind > allowedOfKind.getAsInt() : all > s.allowedFails())
                && failingMostly();
        if (kind == FailureKind.RATE_LIMIT) {
            Duration length = retryAfter != null && !retryAfter.isZero()
                    ? min(retryAfter, s.maxRetryAfter()) : s.cooldownTime();
            coolFor(length, nowMillis);
        } else if (hard || overAllowance) {
            coolFor(s.cooldownTime(), nowMillis);
        }
    }

    /**
     * Whether at least the cooldown policy's failure-rate threshold (default half) of the calls in the
     * breaker's window failed (this failure included).
     */
    private boolean failingMostly() {
        CircuitBreaker.Metrics m = breaker.getMetrics();
        long failed = m.getNumberOfFailedCalls();
        long total = failed + m.getNumberOfSuccessfulCalls();
        return total == 0 || failed * 100 >= (long) engine.settings().failureRateThreshold() * total;
    }

    /** Opens the breaker until {@code length} from now, or keeps an open one open at least that long. */
    private void coolFor(Duration length, long nowMillis) {
        long until = nowMillis + Math.max(1, length.toMillis());
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
            transition(CircuitBreaker.State.OPEN, CircuitBreaker.State.OPEN, until, lastCause);
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

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        return breaker.getState().toString();
    }
}
