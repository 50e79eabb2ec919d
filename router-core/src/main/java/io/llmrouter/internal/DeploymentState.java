package io.llmrouter.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.llmrouter.Deployment;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.FailureKind;
import io.llmrouter.RateLimitMode;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.cost.ModelCapability;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.LatencyStats;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.StateStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deployment together with its live state: its provider, its health (circuit breaker, cooldown
 * and failure window, owned by {@link DeploymentHealth}), the calls in flight, its rpm/tpm usage,
 * latency and its resolved price. This is the view strategies see.
 */
final class DeploymentState implements DeploymentCandidate {

    private final Deployment deployment;
    private final String id;
    private final Provider provider;
    private final DeploymentHealth health;
    private final ModelPrice price;
    private final String pricedBy;
    private final RouterEngine engine;
    private final Endpoint endpoint;
    /**
     * Its weight in its group's shuffle; rewritten (before the new topology is published) when a
     * live change alters its group's weight basis. Plain field: a request still on the old topology
     * may see either value.
     */
    private int weight;
    private final StateStore.UsageCounter usage;
    private final StateStore.LatencyRecorder latency;
    /** Capabilities known for the model, or null when unknown (then the model is assumed capable). */
    private final Set<ModelCapability> capabilities;
    /** The model's input window, or 0 when unknown. */
    private final int contextWindow;
    private final Optional<BigDecimal> inputCost;
    private final double inputCostValue;
    private final double outputCostValue;
    private final Optional<BigDecimal> outputCost;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The most calls in flight at once, or 0 for unlimited. */
    private final int maxParallel;
    /** The enforced rpm and tpm, 0 for none (also when the router's rpm/tpm only weigh selection). */
    private final int rpmLimit;
    private final int tpmLimit;
    /** Its group, told when a call ends so a request waiting for a free slot may go on. */
    private volatile ModelGroup group;
    private volatile boolean simulatedOutage;
    /** Set when a live change removed or replaced this deployment: no new request may choose it. */
    private volatile boolean retired;

    DeploymentState(Deployment deployment, String id, Provider provider, ModelPrice price,
            String pricedBy, RouterEngine engine, boolean sole, int weight) {
        this.deployment = deployment;
        this.id = id;
        this.provider = provider;
        this.price = price;
        this.pricedBy = pricedBy;
        this.engine = engine;
        this.weight = weight;
        this.maxParallel = deployment.maxParallelRequests().orElse(0);
        boolean enforced = engine.settings().rateLimits() == RateLimitMode.ENFORCED;
        this.rpmLimit = enforced ? deployment.rpm().orElse(0) : 0;
        this.tpmLimit = enforced ? deployment.tpm().orElse(0) : 0;
        this.usage = engine.stateStore().usage(id);
        this.latency = engine.stateStore().latency(id);
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
        this.health = new DeploymentHealth(this, engine, sole);
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
        health.group(group);
    }

    /**
     * Keeps this state (health, usage, in-flight calls) in a new topology, as a member of a group
     * that now has {@code sole} as its only-deployment flag and gives it {@code weight}.
     */
    void regrouped(boolean sole, int weight) {
        this.weight = weight;
        health.sole(sole);
    }

    /** Whether a live change removed or replaced this deployment (calls in flight on it still finish). */
    boolean isRetired() {
        return retired;
    }

    void retire() {
        this.retired = true;
    }

    /** The owner of this deployment's breaker, cooldown and failure window. */
    DeploymentHealth health() {
        return health;
    }

    /** When this deployment's cooldown ends, if it is cooling down at {@code nowMillis}; else 0. */
    long coolingUntilMillis(long nowMillis) {
        return health.coolingUntilMillis(nowMillis);
    }

    /** The settings every call to this deployment carries (built once). */
    Endpoint endpoint() {
        return endpoint;
    }

    Provider provider() {
        return provider;
    }

    CircuitBreaker breaker() {
        return health.breaker();
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

    /** The enforced rpm, 0 for none. */
    int rpmLimit() {
        return rpmLimit;
    }

    /** The enforced tpm, 0 for none. */
    int tpmLimit() {
        return tpmLimit;
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
        return health.isCoolingDown(nowMillis);
    }

    /** When the cooldown ends, if the deployment is cooling down at {@code nowMillis}. */
    Optional<Instant> coolingUntil(long nowMillis) {
        return isCoolingDown(nowMillis) ? Optional.of(health.openUntil()) : Optional.empty();
    }

    /** The retry-after of this deployment's last rate limit, or null. */
    Duration lastRetryAfter() {
        return health.lastRetryAfter();
    }

    /** When {@link #lastRetryAfter()} was seen, as a router-wide sequence number (later is larger). */
    long lastRetryAfterSeq() {
        return health.lastRetryAfterSeq();
    }

    /**
     * Records a failed call with the breaker and, when it counts against the deployment, in the
     * cooldown rules ({@code requestCooldownMillis}: the request's cooldown time, or -1).
     */
    void recordFailure(FailureKind kind, LlmRouterException error, long tookNanos, long nowMillis,
            long requestCooldownMillis) {
        health.recordFailure(kind, error, tookNanos, nowMillis, requestCooldownMillis);
    }

    int recentFailures(long nowMillis) {
        return health.recentFailures(nowMillis);
    }

    DeploymentStatus status(long nowMillis) {
        DeploymentStatus.State state = health.state(nowMillis);
        Instant until = state == DeploymentStatus.State.COOLING_DOWN ? health.openUntil() : null;
        return new DeploymentStatus(id, deployment.modelGroup(), state, until, inFlight.get(),
                recentFailures(nowMillis));
    }

    /**
     * Takes a call slot: false, and nothing taken, when the deployment is at its
     * {@link Deployment#maxParallelRequests()} (one compare-and-set; never exceeded).
     */
    boolean tryEnter() {
        if (maxParallel == 0) {
            inFlight.incrementAndGet();
            return true;
        }
        while (true) {
            int n = inFlight.get();
            if (n >= maxParallel) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Whether the deployment is at its parallel-request limit now. */
    boolean isFull() {
        return maxParallel > 0 && inFlight.get() >= maxParallel;
    }

    /** Gives the call slot back; with a limit, a request waiting for one in the group may go on. */
    void exit() {
        inFlight.decrementAndGet();
        if (maxParallel > 0) {
            group.slotFreed();
        }
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
        return "DeploymentState[" + id + ", " + health + ", inFlight=" + inFlight.get() + "]";
    }
}
