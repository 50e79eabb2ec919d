package io.llmrouter.api.exception;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * No deployment of a model group could take the request: all are cooling down (or busy probing
 * after a cooldown). Names the group and its deployments, says when the first one comes back
 * ({@link #retryAt()}), and carries the retry-after of the last rate limit that cooled one
 * ({@link #retryAfter()}). Like any group failure it moves on to the fallbacks. Not retried in the
 * same group.
 *
 * @since 0.1.0
 */
public class NoDeploymentAvailableException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    private final String modelGroup;
    private final transient List<String> deploymentIds;
    private final transient Instant retryAt;
    private final transient Duration retryAfter;

    /**
     * @param message what happened
     * @param context where it happened
     * @param modelGroup the group that has no deployment available
     * @param deploymentIds its deployments
     * @param retryAt when the first deployment's cooldown ends, or null when unknown
     * @param retryAfter the last rate limit's retry-after, or null
     */
    public NoDeploymentAvailableException(String message, ErrorContext context, String modelGroup,
            List<String> deploymentIds, Instant retryAt, Duration retryAfter) {
        super(message, context, null);
        this.modelGroup = Objects.requireNonNull(modelGroup, "modelGroup");
        this.deploymentIds = List.copyOf(deploymentIds);
        this.retryAt = retryAt;
        this.retryAfter = retryAfter;
    }

    /** The model group with no deployment available. */
    public String modelGroup() {
        return modelGroup;
    }

    /** The group's deployments, all unavailable. */
    public List<String> deploymentIds() {
        return deploymentIds;
    }

    /** When the first deployment's cooldown ends, when known. */
    public Optional<Instant> retryAt() {
        return Optional.ofNullable(retryAt);
    }

    /** The retry-after of the last rate limit that cooled a deployment of the group, when any. */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
