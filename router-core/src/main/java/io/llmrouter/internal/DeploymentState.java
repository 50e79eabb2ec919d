package io.llmrouter.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.llmrouter.Deployment;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.FailureKind;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.cost.ModelCapability;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.LatencyStats;
import io.llmrouter.spi.Provider;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deployment together with its live state: its provider, its circuit breaker and cooldown,
 * the calls in flight, its recent failures and its resolved price. This is the view strategies see.
 *
 * <p>Cooldown rules (see {@code src-docs/reliability.md}): failures about the request never count;
 * a 429 cools the deployment at once for the provider's retry-after (capped) or the cooldown time;
 * 401, 403 and 404 cool it at once; any other failure cools it when the failures in the last
 * minute pass the allowed count (per kind when the {@code CooldownPolicy} names the kind, else
 * over all kinds). The only deployment of a group is cooled only by 401, 403 and 404, which no
 * wait cures. The circuit breaker adds the failure-rate rule and the half-open probe: after the
 * cooldown one call is let through, and its outcome closes or reopens the circuit.
 */
final class DeploymentState implements DeploymentCandidate, CandidatePrices {

    /** The window over which failures are counted. */
    static final Duration FAILURE_WINDOW = Duration.ofSeconds(60);
    private static final int MAX_REMEMBERED_FAILURES = 4096;

    private final Deployment deployment;
    private final String id;
    private final Provider provider;
    private final CircuitBreaker breaker;
    private final ModelPrice price;
    private final String pricedBy;
    private final RouterEngine engine;
    private final boolean sole;
    private final Endpoint endpoint;
    private final int weight;
    private final MinuteUsage usage = new MinuteUsage();
    private final LatencyWindow latency = new LatencyWindow();
    /** Capabilities known for the model, or null when unknown (then the model is assumed capable). */
    private final Set<ModelCapability> capabilities;
    /** The model's input window, or 0 when unknown. */
    private final int contextWindow;
    private final Optional<BigDecimal> inputCost;
    private final double inputCostValue;
    private final double outputCostValue;
    private final Optional<BigDecimal> outputCost;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ArrayDeque<long[]> failures = new ArrayDeque<>();
    /** How many of {@link #failures} are of each kind (guarded by {@code failures}), so no scan per failure. */
    private final int[] failuresByKind = new int[FailureKind.values().length];
    /** Wall-clock millis until which an opened breaker keeps the deployment out of rotation. */
    private volatile long coolingUntilMillis;
    /** Cooldown end chosen by an explicit open, picked up by the state-transition handler. */
    private volatile long requestedUntilMillis;
    private volatile LlmRouterException lastCause;
    private volatile Duration lastRetryAfter;
    private volatile long lastRetryAfterSeq;
    private ModelGroup group;
    private volatile boolean simulatedOutage;

    DeploymentState(Deployment deployment, String id, Provider provider, CircuitBreaker breaker, ModelPrice price,
            String pricedBy, RouterEngine engine, boolean sole, int weight) {
        this.deployment = deployment;
        this.id = id;
        this.provider = provider;
        this.breaker = breaker;
        this.price = price;
        this.pricedBy = pricedBy;
        this.engine = engine;
        this.sole = sole;
        this.weight = weight;
        if (deployment.capabilities().isPresent()) {
            this.capabilities = deployment.capabilities().get();
        } else if (price != null && !price.capabilities().isEmpty()) {
            this.capabilities = price.capabilities();
        } else {
            this.capabilities = null;
        }
        this.inputCost = price == null ? Optional.empty() : price.inputPerToken();
        this.outputCost = price == null ? Optional.empty() : price.outputPerToken();
        this.inputCostValue = inputCost.map(BigDecimal::doubleValue).orElse(Double.NaN);
        this.outputCostValue = outputCost.map(BigDecimal::doubleValue).orElse(Double.NaN);
        this.contextWindow = deployment.contextWindow()
                .orElse(price != null ? price.maxInputTokens().orElse(0) : 0);
        Endpoint.Builder e = Endpoint.builder().deploymentId(id).modelGroup(deployment.modelGroup())
                .providerRoute(deployment.providerRoute())
                .timeout(deployment.timeout().orElse(engine.settings().timeout()))
                .headers(deployment.headers()).options(deployment.options());
        deployment.apiBase().ifPresent(e::apiBase);
        deployment.apiKey().ifPresent(e::apiKey);
        deployment.maxResponseBytes().ifPresent(e::maxResponseBytes);
        deployment.maxStreamEventBytes().ifPresent(e::maxStreamEventBytes);
        this.endpoint = e.build();
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.State to = event.getStateTransition().getToState();
            CircuitBreaker.State from = event.getStateTransition().getFromState();
            if (to == CircuitBreaker.State.OPEN) {
                long now = engine.settings().clock().millis();
                long requested = requestedUntilMillis;
                requestedUntilMillis = 0;
                long until = requested > 0 ? requested : now + engine.settings().cooldownTime().toMillis();
                coolingUntilMillis = until;
                engine.cooldownStarted(this, Instant.ofEpochMilli(until), lastCause);
            } else if (to == CircuitBreaker.State.CLOSED && from != CircuitBreaker.State.CLOSED) {
                coolingUntilMillis = 0;
                engine.cooldownEnded(this);
            }
            // After the fields above are set, so a rebuilt available-list sees them.
            ModelGroup g = group;
            if (g != null) {
                g.healthChanged();
            }
        });
    }

    Deployment deployment() {
        return deployment;
    }

    /** Whether a readiness drill has taken this deployment out (its calls fail at once, without a provider call). */
    boolean isSimulatedOutage() {
        return simulatedOutage;
    }

    void simulatedOutage(boolean on) {
        this.simulatedOutage = on;
    }

    /** The capabilities known for the model, or null when unknown. */
    Set<ModelCapability> knownCapabilities() {
        return capabilities;
    }

    void group(ModelGroup group) {
        this.group = group;
    }

    /** When this deployment's cooldown ends, if it is cooling down at {@code nowMillis}; else 0. */
    long coolingUntilMillis(long nowMillis) {
        return isCoolingDown(nowMillis) ? Math.max(coolingUntilMillis, nowMillis + 1) : 0;
    }

    /** The settings every call to this deployment carries (built once). */
    Endpoint endpoint() {
        return endpoint;
    }

    Provider provider() {
        return provider;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    Optional<ModelPrice> price() {
        return Optional.ofNullable(price);
    }

    String pricedBy() {
        return pricedBy;
    }

    /** Whether the model is known to lack one of {@code needed} (unknown models are assumed capable). */
    boolean lacksAny(Set<ModelCapability> needed) {
        return capabilities != null && !capabilities.containsAll(needed);
    }

    /** The model's input window in tokens, or 0 when unknown. */
    int contextWindow() {
        return contextWindow;
    }

    int rpmLimit() {
        return deployment.rpm().orElse(0);
    }

    int tpmLimit() {
        return deployment.tpm().orElse(0);
    }

    /** Whether one more request of {@code tokens} fits this minute's rpm/tpm. */
    boolean fitsLimits(long nowMillis, long tokens) {
        return usage.fits(nowMillis, rpmLimit(), tpmLimit(), tokens);
    }

    /** Reserves rpm/tpm capacity; returns the reservation's minute or {@link Long#MIN_VALUE}. */
    long reserve(long nowMillis, long tokens) {
        return usage.tryReserve(nowMillis, rpmLimit(), tpmLimit(), tokens);
    }

    /** Corrects a reservation by the real token usage. */
    void correctUsage(long reservedMinute, long delta) {
        usage.correct(reservedMinute, delta);
    }

    void recordLatency(long nanos, int outputTokens) {
        latency.record(nanos, outputTokens);
    }

    void recordFirstToken(long nanos) {
        latency.recordFirstToken(nanos);
    }

    /** Whether the breaker is open and its cooldown has not yet elapsed. */
    boolean isCoolingDown(long nowMillis) {
        CircuitBreaker.State s = breaker.getState();
        return s == CircuitBreaker.State.OPEN && nowMillis < coolingUntilMillis
                || s == CircuitBreaker.State.FORCED_OPEN;
    }

    /** When the cooldown ends, if the deployment is cooling down at {@code nowMillis}. */
    Optional<Instant> coolingUntil(long nowMillis) {
        return isCoolingDown(nowMillis) ? Optional.of(Instant.ofEpochMilli(coolingUntilMillis)) : Optional.empty();
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

    /** Whether at least half of the calls in the breaker's window failed (this failure included). */
    private boolean failingMostly() {
        CircuitBreaker.Metrics m = breaker.getMetrics();
        long failed = m.getNumberOfFailedCalls();
        long total = failed + m.getNumberOfSuccessfulCalls();
        return total == 0 || failed * 100 >= (long) engine.settings().failureRateThreshold() * total;
    }

    private void coolFor(Duration length, long nowMillis) {
        long until = nowMillis + Math.max(1, length.toMillis());
        CircuitBreaker.State state = breaker.getState();
        if (state == CircuitBreaker.State.OPEN) {
            coolingUntilMillis = Math.max(coolingUntilMillis, until);
            ModelGroup g = group;
            if (g != null) {
                g.healthChanged();
            }
            return;
        }
        requestedUntilMillis = until;
        try {
            breaker.transitionToOpenState();
        } catch (RuntimeException e) {
            // A concurrent call moved the breaker first (IllegalStateTransitionException): it is open now.
            coolingUntilMillis = Math.max(coolingUntilMillis, until);
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

    DeploymentStatus status(long nowMillis) {
        CircuitBreaker.State s = breaker.getState();
        DeploymentStatus.State state;
        Instant until = null;
        if (s == CircuitBreaker.State.CLOSED) {
            state = DeploymentStatus.State.AVAILABLE;
        } else if (isCoolingDown(nowMillis)) {
            state = DeploymentStatus.State.COOLING_DOWN;
            until = Instant.ofEpochMilli(coolingUntilMillis);
        } else {
            state = DeploymentStatus.State.PROBING;
        }
        return new DeploymentStatus(id, deployment.modelGroup(), state, until, inFlight.get(),
                recentFailures(nowMillis));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    void enter() {
        inFlight.incrementAndGet();
    }

    void exit() {
        inFlight.decrementAndGet();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String modelGroup() {
        return deployment.modelGroup();
    }

    @Override
    public String providerRoute() {
        return deployment.providerRoute();
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public int order() {
        return deployment.order();
    }

    @Override
    public Set<String> tags() {
        return deployment.tags();
    }

    @Override
    public OptionalInt rpm() {
        return deployment.rpm();
    }

    @Override
    public OptionalInt tpm() {
        return deployment.tpm();
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public int requestsThisMinute() {
        return usage.requests(engine.settings().clock().millis());
    }

    @Override
    public long tokensThisMinute() {
        return usage.tokens(engine.settings().clock().millis());
    }

    @Override
    public LatencyStats latency() {
        return latency.stats();
    }

    @Override
    public Optional<BigDecimal> inputCostPerToken() {
        return inputCost;
    }

    @Override
    public Optional<BigDecimal> outputCostPerToken() {
        return outputCost;
    }

    @Override
    public double inputCostPerTokenValue() {
        return inputCostValue;
    }

    @Override
    public double outputCostPerTokenValue() {
        return outputCostValue;
    }

    @Override
    public int recentFailures() {
        return recentFailures(engine.settings().clock().millis());
    }

    @Override
    public String toString() {
        return "DeploymentState[" + id + ", " + breaker.getState() + ", inFlight=" + inFlight.get() + "]";
    }
}
