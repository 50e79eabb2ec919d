package io.llmrouter.readiness;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One model group's outcome in a {@link DrillReport}: its primary deployments were taken out and
 * probe requests sent; who answered, with how many attempts, at what extra latency, and the verdict.
 *
 * @param at when the drill ran
 * @param modelGroup the group drilled
 * @param failedDeployments the deployments taken out
 * @param answeredBy the deployments that answered the probes (empty when none did)
 * @param answeredByGroups the groups that answered (a fallback group when the group's fallback fired)
 * @param probes probe requests sent
 * @param answered probes answered
 * @param meanAttempts mean attempts per probe
 * @param latencyDelta p50 probe latency with the outage minus without it
 * @param verdict PASS when every probe was answered outside the failed deployments
 * @param reason why the verdict (the last error when probes failed)
 * @param risks the configuration risks of this group
 * @since 0.1.0
 */
public record DrillResult(Instant at, String modelGroup, List<String> failedDeployments, List<String> answeredBy,
        List<String> answeredByGroups, int probes, int answered, double meanAttempts, Duration latencyDelta,
        Verdict verdict, String reason, List<String> risks) {

    /** The drill's verdict for a group. */
    public enum Verdict {
        /** Every probe was answered by a deployment that was not taken out. */
        PASS,
        /** Some probe failed. */
        FAIL
    }

    /** Checks and copies the components. */
    public DrillResult {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(modelGroup, "modelGroup");
        failedDeployments = List.copyOf(failedDeployments);
        answeredBy = List.copyOf(answeredBy);
        answeredByGroups = List.copyOf(answeredByGroups);
        Objects.requireNonNull(latencyDelta, "latencyDelta");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        risks = List.copyOf(risks);
    }
}
