package io.llmrouter.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.llmrouter.Deployment;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.Provider;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deployment together with its live state: its provider, its circuit breaker (cooldowns), the
 * calls in flight, and its resolved price. This is the view strategies see.
 */
final class DeploymentState implements DeploymentCandidate {

    private final Deployment deployment;
    private final String id;
    private final Provider provider;
    private final CircuitBreaker breaker;
    private final ModelPrice price;
    private final String pricedBy;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Wall-clock millis until which an opened breaker keeps the deployment out of rotation. */
    private volatile long coolingUntilMillis;

    DeploymentState(Deployment deployment, String id, Provider provider, CircuitBreaker breaker, ModelPrice price,
            String pricedBy) {
        this.deployment = deployment;
        this.id = id;
        this.provider = provider;
        this.breaker = breaker;
        this.price = price;
        this.pricedBy = pricedBy;
    }

    Deployment deployment() {
        return deployment;
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

    void coolUntil(long millis) {
        coolingUntilMillis = millis;
    }

    /** Whether the breaker is open and its cooldown has not yet elapsed. */
    boolean isCoolingDown(long nowMillis) {
        return breaker.getState() == CircuitBreaker.State.OPEN && nowMillis < coolingUntilMillis
                || breaker.getState() == CircuitBreaker.State.FORCED_OPEN;
    }

    int enter() {
        return inFlight.incrementAndGet();
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
        return deployment.weight();
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
    public String toString() {
        return "DeploymentState[" + id + ", " + breaker.getState() + ", inFlight=" + inFlight.get() + "]";
    }
}
