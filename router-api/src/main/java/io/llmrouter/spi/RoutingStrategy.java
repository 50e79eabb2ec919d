package io.llmrouter.spi;

import java.util.List;

/**
 * Chooses one deployment among the healthy candidates of a model group.
 *
 * <p>Before the strategy runs, the router removes deployments that are cooling down and keeps only
 * those with the lowest {@code order}, so a strategy only weighs equals. Implementations must be
 * thread-safe and fast: they run on every attempt.
 *
 * <pre>{@code
 * RoutingStrategy first = (context, candidates) -> candidates.get(0);
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RoutingStrategy {

    /**
     * Chooses a deployment.
     *
     * @param context the request and the router's random source
     * @param candidates the healthy candidates, never empty, in definition order
     * @return one of {@code candidates}
     */
    DeploymentCandidate choose(RoutingContext context, List<? extends DeploymentCandidate> candidates);
}
