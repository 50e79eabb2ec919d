package io.llmrouter.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One health transition of a deployment, as a {@link StateStore} shares it: a cooldown that
 * starts (until when, and why) or ends. Immutable and thread-safe.
 *
 * <pre>{@code
 * store.publishHealth(DeploymentHealth.coolingDown("gpt-4o-east", until, "RATE_LIMIT", now));
 * boolean out = store.health("gpt-4o-east").isCoolingDownAt(clock.millis());
 * }</pre>
 *
 * @since 0.1.0
 */
public final class DeploymentHealth {

    private final String deploymentId;
    private final Instant coolingUntil;
    private final String reason;
    private final Instant at;

    private DeploymentHealth(String deploymentId, Instant coolingUntil, String reason, Instant at) {
        this.deploymentId = Objects.requireNonNull(deploymentId, "deploymentId");
        this.coolingUntil = coolingUntil;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.at = Objects.requireNonNull(at, "at");
    }

    /**
     * A cooldown that starts at {@code at} and lasts until {@code coolingUntil}.
     *
     * @param deploymentId the deployment's id
     * @param coolingUntil when the deployment may take calls again (a probe), after {@code at}
     * @param reason why, e.g. the failure kind ({@code RATE_LIMIT}); never a secret or a message
     *     from the provider
     * @param at when the cooldown started, by the caller's clock
     * @return the transition
     * @throws IllegalArgumentException if {@code coolingUntil} is not after {@code at}
     */
    public static DeploymentHealth coolingDown(String deploymentId, Instant coolingUntil, String reason, Instant at) {
        Objects.requireNonNull(coolingUntil, "coolingUntil");
        Objects.requireNonNull(at, "at");
        if (!coolingUntil.isAfter(at)) {
            throw new IllegalArgumentException("coolingUntil must be after at, was " + coolingUntil + " <= " + at);
        }
        return new DeploymentHealth(deploymentId, coolingUntil, reason, at);
    }

    /**
     * The end of a cooldown (the deployment answered its probe, or was reset) at {@code at}.
     *
     * @param deploymentId the deployment's id
     * @param at when, by the caller's clock
     * @return the transition
     */
    public static DeploymentHealth available(String deploymentId, Instant at) {
        return new DeploymentHealth(deploymentId, null, "available", at);
    }

    /** The deployment's id. */
    public String deploymentId() {
        return deploymentId;
    }

    /** Whether this transition starts a cooldown (rather than ending one). */
    public boolean isCoolingDown() {
        return coolingUntil != null;
    }

    /** When the cooldown ends, for a cooldown; empty for an {@link #available} transition. */
    public Optional<Instant> coolingUntil() {
        return Optional.ofNullable(coolingUntil);
    }

    /**
     * Whether the deployment is cooling down at {@code nowMillis}: a cooldown whose end is later.
     *
     * @param nowMillis the caller's time, epoch millis
     * @return whether it is out of rotation then
     */
    public boolean isCoolingDownAt(long nowMillis) {
        return coolingUntil != null && nowMillis < coolingUntil.toEpochMilli();
    }

    /** Why the cooldown started (e.g. {@code RATE_LIMIT}), or {@code available}. */
    public String reason() {
        return reason;
    }

    /** When the transition happened, by the publisher's clock: the order transitions are applied in. */
    public Instant at() {
        return at;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeploymentHealth h && deploymentId.equals(h.deploymentId)
                && Objects.equals(coolingUntil, h.coolingUntil) && reason.equals(h.reason) && at.equals(h.at);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deploymentId, coolingUntil, reason, at);
    }

    @Override
    public String toString() {
        return "DeploymentHealth[" + deploymentId + (coolingUntil == null ? ", available" : ", cooling until "
                + coolingUntil + " (" + reason + ")") + ", at " + at + "]";
    }
}
