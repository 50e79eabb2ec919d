package io.llmrouter;

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

    /**
     * @param deploymentId the deployment
     * @param modelGroup its group
     * @param state its state
     * @param coolingUntil when its cooldown ends, or null when not cooling
     * @param inFlight calls in flight
     * @param recentFailures failures counting against it in the last minute
     */
    public DeploymentStatus(String deploymentId, String modelGroup, State state, Instant coolingUntil, int inFlight,
            int recentFailures) {
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

    @Override
    public boolean equals(Object o) {
        return o instanceof DeploymentStatus s && inFlight == s.inFlight && recentFailures == s.recentFailures
                && deploymentId.equals(s.deploymentId) && modelGroup.equals(s.modelGroup) && state == s.state
                && Objects.equals(coolingUntil, s.coolingUntil);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deploymentId, modelGroup, state, coolingUntil, inFlight, recentFailures);
    }

    @Override
    public String toString() {
        return "DeploymentStatus[" + deploymentId + " (" + modelGroup + ") " + state
                + (coolingUntil == null ? "" : " until " + coolingUntil) + ", inFlight=" + inFlight
                + ", recentFailures=" + recentFailures + "]";
    }
}
