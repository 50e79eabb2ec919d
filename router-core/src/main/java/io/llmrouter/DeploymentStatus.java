package io.llmrouter;

import io.llmrouter.spi.StateStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one deployment's health, from {@link Router#deploymentStatuses()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class DeploymentStatus {

    /** Where a deployment stands in the cooldown state machine. */
    public enum State {
        /** In rotation (circuit closed). */
        AVAILABLE,
        /** Out of rotation until {@link #coolingUntil()} (circuit open). */
        COOLING_DOWN,
        /** The cooldown has passed; the next call is a probe that decides (circuit half-open). */
        PROBING
    }

    private final String deploymentId;
    private final String modelGroup;
    private final State state;
    private final Instant coolingUntil;
    private final int inFlight;
    private final int recentFailures;
    private final StateStore.Availability stateStore;

    /**
     * A status whose router's state store is {@linkplain StateStore.Availability#AVAILABLE available}.
     *
     * @param deploymentId the deployment
     * @param modelGroup its group
     * @param state its state
     * @param coolingUntil when its cooldown ends, or null when not cooling
     * @param inFlight calls in flight
     * @param recentFailures failures counting against it in the last minute
     */
    public DeploymentStatus(String deploymentId, String modelGroup, State state, Instant coolingUntil, int inFlight,
            int recentFailures) {
        this(deploymentId, modelGroup, state, coolingUntil, inFlight, recentFailures, StateStore.Availability.AVAILABLE);
    }

    /**
     * @param deploymentId the deployment
     * @param modelGroup its group
     * @param state its state
     * @param coolingUntil when its cooldown ends, or null when not cooling
     * @param inFlight calls in flight
     * @param recentFailures failures counting against it in the last minute
     * @param stateStore whether the router's state store, which shares this status with other routers, is reachable
     * @since 0.1.0
     */
    public DeploymentStatus(String deploymentId, String modelGroup, State state, Instant coolingUntil, int inFlight,
            int recentFailures, StateStore.Availability stateStore) {
        this.stateStore = Objects.requireNonNull(stateStore, "stateStore");
        this.deploymentId = Objects.requireNonNull(deploymentId, "deploymentId");
        this.modelGroup = Objects.requireNonNull(modelGroup, "modelGroup");
        this.state = Objects.requireNonNull(state, "state");
        this.coolingUntil = coolingUntil;
        this.inFlight = inFlight;
        this.recentFailures = recentFailures;
    }

    /** The deployment id. */
    public String deploymentId() {
        return deploymentId;
    }

    /** Its model group. */
    public String modelGroup() {
        return modelGroup;
    }

    /** Its state. */
    public State state() {
        return state;
    }

    /** When its cooldown ends, while cooling down. */
    public Optional<Instant> coolingUntil() {
        return Optional.ofNullable(coolingUntil);
    }

    /** Calls to it in flight. */
    public int inFlight() {
        return inFlight;
    }

    /** Failures counting against it within the last minute. */
    public int recentFailures() {
        return recentFailures;
    }

    /**
     * Whether the router's state store is reachable: when {@link StateStore.Availability#UNAVAILABLE
     * UNAVAILABLE}, this status (cooldown, limits) is this router's local view, not the fleet's.
     */
    public StateStore.Availability stateStore() {
        return stateStore;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeploymentStatus s && inFlight == s.inFlight && recentFailures == s.recentFailures
                && deploymentId.equals(s.deploymentId) && modelGroup.equals(s.modelGroup) && state == s.state
                && Objects.equals(coolingUntil, s.coolingUntil) && stateStore == s.stateStore;
    }

    @Override
    public int hashCode() {
        return Objects.hash(deploymentId, modelGroup, state, coolingUntil, inFlight, recentFailures, stateStore);
    }

    @Override
    public String toString() {
        return "DeploymentStatus[" + deploymentId + " (" + modelGroup + ") " + state
                + (coolingUntil == null ? "" : " until " + coolingUntil) + ", inFlight=" + inFlight
                + ", recentFailures=" + recentFailures
                + (stateStore == StateStore.Availability.AVAILABLE ? "" : ", stateStore=" + stateStore) + "]";
    }
}
