package io.llmrouter.strategy;

import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.RoutingContext;
import io.llmrouter.spi.RoutingStrategy;
import java.util.List;

/**
 * The default strategy: picks a candidate at random in proportion to its
 * {@link DeploymentCandidate#weight() weight} (LiteLLM's {@code simple-shuffle}). With equal
 * weights every candidate is equally likely. Deterministic under a seeded random source.
 *
 * <p>Stateless and thread-safe; allocation-free per choice. Written against the SPI alone, like a
 * user's strategy; the router makes the same choice in O(log n) from its cached cumulative weights
 * when this is its strategy.
 *
 * @since 0.1.0
 */
public final class WeightedShuffleStrategy implements RoutingStrategy {

    private static final WeightedShuffleStrategy INSTANCE = new WeightedShuffleStrategy();

    private WeightedShuffleStrategy() {
    }

    /** The shared instance. */
    public static WeightedShuffleStrategy instance() {
        return INSTANCE;
    }

    @Override
    public DeploymentCandidate choose(RoutingContext context, List<? extends DeploymentCandidate> candidates) {
        int n = candidates.size();
        if (n == 1) {
            return candidates.get(0);
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += candidates.get(i).weight();
        }
        long pick = context.random().nextLong(total);
        for (int i = 0; i < n; i++) {
            pick -= candidates.get(i).weight();
            if (pick < 0) {
                return candidates.get(i);
            }
        }
        return candidates.get(n - 1);
    }

    @Override
    public String toString() {
        return "WeightedShuffleStrategy";
    }
}
