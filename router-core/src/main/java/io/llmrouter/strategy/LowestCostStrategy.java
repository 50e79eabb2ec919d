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
        BigDecimal in = BigDecimal.valueOf(context.estimatedInputTokens());
        BigDecimal out = BigDecimal.valueOf(context.expectedOutputTokens());
        DeploymentCandidate chosen = null;
        BigDecimal bestCost = null;
        long bestLatency = Long.MAX_VALUE;
        int ties = 0;
        for (int i = 0; i < candidates.size(); i++) {
            DeploymentCandidate c = candidates.get(i);
            BigDecimal cost = estimate(c, in, out);
            long latency = c.latency().samples() == 0 ? Long.MAX_VALUE : c.latency().mean().toNanos();
            int cmp = chosen == null ? -1 : compare(cost, bestCost);
            if (cmp == 0) {
                cmp = Long.compare(latency, bestLatency);
            }
            if (cmp < 0) {
                chosen = c;
                bestCost = cost;
                bestLatency = latency;
                ties = 1;
            } else if (cmp == 0 && context.random().nextInt(++ties) == 0) {
                chosen = c;
            }
        }
        return chosen;
    }

    /** The estimated cost, or null when the deployment has no price (sorted last). */
    private static BigDecimal estimate(DeploymentCandidate c, BigDecimal in, BigDecimal out) {
        if (c.inputCostPerToken().isEmpty() && c.outputCostPerToken().isEmpty()) {
            return null;
        }
        return c.inputCostPerToken().orElse(BigDecimal.ZERO).multiply(in)
                .add(c.outputCostPerToken().orElse(BigDecimal.ZERO).multiply(out));
    }

    private static int compare(BigDecimal a, BigDecimal b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        return a.compareTo(b);
    }

    @Override
    public String toString() {
        return "LowestCostStrategy";
    }
}
