package io.llmrouter.strategy;

import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.RoutingContext;
import io.llmrouter.spi.RoutingStrategy;
import java.math.BigDecimal;
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
        // Cost first, latency second: a deployment's score is its cost, and equal costs are split
        // by mean latency in a second pass over the cheapest.
        double cheapest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < candidates.size(); i++) {
            cheapest = Math.min(cheapest, estimate(candidates.get(i), in, out));
        }
        double best = cheapest;
        return Ties.lowest(candidates, c -> estimate(c, in, out) == best ? latencyOf(c) : Double.MAX_VALUE,
                context.random());
    }

    /** The estimated cost in USD, as a double (a ranking, not a bill); unpriced deployments rank last. */
    private static double estimate(DeploymentCandidate c, double in, double out) {
        if (c.inputCostPerToken().isEmpty() && c.outputCostPerToken().isEmpty()) {
            return Double.POSITIVE_INFINITY;
        }
        return c.inputCostPerToken().map(BigDecimal::doubleValue).orElse(0.0) * in
                + c.outputCostPerToken().map(BigDecimal::doubleValue).orElse(0.0) * out;
    }

    private static double latencyOf(DeploymentCandidate c) {
        return c.latency().samples() == 0 ? Double.MAX_VALUE / 2 : c.latency().mean().toNanos();
    }

    @Override
    public String toString() {
        return "LowestCostStrategy";
    }
}
