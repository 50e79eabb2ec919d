package io.llmrouter.strategy;

import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.RoutingContext;
import io.llmrouter.spi.RoutingStrategy;
import java.util.List;

/**
 * Picks the candidate with the fewest calls in flight, ties broken at random (LiteLLM's
 * {@code least-busy}). Good when deployments differ in speed and requests are long: slow ones
 * accumulate in-flight calls and get fewer new ones.
 *
 * <p>Stateless and thread-safe; one pass over the candidates and one random draw per choice.
 *
 * @since 0.1.0
 */
public final class LeastBusyStrategy implements RoutingStrategy {

    private static final LeastBusyStrategy INSTANCE = new LeastBusyStrategy();

    private LeastBusyStrategy() {
    }

    /** The shared instance. */
    public static LeastBusyStrategy instance() {
        return INSTANCE;
    }

    @Override
    public DeploymentCandidate choose(RoutingContext context, List<? extends DeploymentCandidate> candidates) {
        return Ties.lowest(candidates, DeploymentCandidate::inFlight, context.random());
    }

    @Override
    public String toString() {
        return "LeastBusyStrategy";
    }
}
