package io.llmrouter.strategy;

import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.LatencyStats;
import io.llmrouter.spi.RoutingContext;
import io.llmrouter.spi.RoutingStrategy;
import java.util.List;

/**
 * Picks the candidate whose price makes this request cheapest (LiteLLM's {@code cost-based-routing}):
 * estimated input tokens at its input price plus expected output tokens (the request's max tokens,
 * else 256) at its output price. Equal costs go to the lowest recent mean latency, then at random.
 * Deployments without a price come last. When the cheapest cools down it is no longer a
 * candidate, so traffic falls to the next cheapest.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class LowestCostStrategy implements RoutingStrategy {

    private static final LowestCostStrategy INSTANCE = new LowestCostStrategy();

    private LowestCostStrategy() {
    }

    /** The shared instance. */
    public static LowestCostStrategy instance() {
        return INSTANCE;
    }

    @Override
    public DeploymentCandidate choose(RoutingContext context, List<? extends DeploymentCandidate> candidates) {
        double in = context.estimatedInputTokens();
        double out = context.expectedOutputTokens();
        // Cost first, latency second: the cheapest estimate, and among equal costs the lowest mean
        // latency, at random among exact ties. Passes over the candidates, no allocation.
        int n = candidates.size();
        double cheapest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            cheapest = Math.min(cheapest, estimate(candidates.get(i), in, out));
        }
        long fastest = Long.MAX_VALUE;
        int ties = 0;
        for (int i = 0; i < n; i++) {
            DeploymentCandidate c = candidates.get(i);
            if (estimate(c, in, out) != cheapest) {
                continue;
            }
            long l = latencyOf(c);
            if (l < fastest) {
                fastest = l;
                ties = 1;
            } else if (l == fastest) {
                ties++;
            }
        }
        int k = ties <= 1 ? 0 : context.random().nextInt(ties);
        for (int i = 0; i < n; i++) {
            DeploymentCandidate c = candidates.get(i);
            if (estimate(c, in, out) == cheapest && latencyOf(c) == fastest && k-- == 0) {
                return c;
            }
        }
        return candidates.get(0); // live statistics changed between the passes
    }

    private static double estimate(DeploymentCandidate c, double in, double out) {
        double inPrice = c.inputCostPerTokenValue();
        double outPrice = c.outputCostPerTokenValue();
        if (Double.isNaN(inPrice) && Double.isNaN(outPrice)) {
            return Double.POSITIVE_INFINITY;
        }
        return (Double.isNaN(inPrice) ? 0 : inPrice * in) + (Double.isNaN(outPrice) ? 0 : outPrice * out);
    }

    private static long latencyOf(DeploymentCandidate c) {
        LatencyStats stats = c.latency();
        return stats.samples() == 0 ? Long.MAX_VALUE / 2 : stats.mean().toNanos();
    }

    @Override
    public String toString() {
        return "LowestCostStrategy";
    }
}
