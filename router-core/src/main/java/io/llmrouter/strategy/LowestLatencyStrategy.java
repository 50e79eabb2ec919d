package io.llmrouter.strategy;

import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.LatencyStats;
import io.llmrouter.spi.RoutingContext;
import io.llmrouter.spi.RoutingStrategy;
import java.util.List;

/**
 * Picks the candidate with the lowest recent latency per output token (LiteLLM's
 * {@code latency-based-routing}), over each deployment's last {@link LatencyStats#WINDOW}
 * successful calls; for a streamed request, the lowest mean time to first token over its last
 * streams instead.
 *
 * <p>Near-ties are shared: every candidate within {@code buffer} of the best (default
 * {@value #DEFAULT_BUFFER}, i.e. 10 % slower) is equally likely, so traffic does not pile onto one
 * deployment that is marginally faster. Deployments with fewer than {@value #MIN_SAMPLES}
 * measured calls are tried first, so new ones get traffic and are measured. A deployment that
 * becomes slow loses traffic as its window fills with slow calls: once a few of its last
 * {@link LatencyStats#WINDOW} calls are slow enough to lift its mean past the others'.
 *
 * <pre>{@code
 * Router.builder().strategy(LowestLatencyStrategy.withBuffer(0.2));
 * }</pre>
 *
 * <p>In a group of more than 64 candidates the rule is applied to a random sample of 16 of them
 * (drawn with replacement from the request's random source) rather than to all: a choice then
 * costs the same at 1,000 deployments as at 16. The pick is the fastest of its sample (within the
 * buffer), so it is within the fastest quarter of the candidates with probability
 * 1 - 0.75<sup>16</sup> &gt; 99 %; an unmeasured deployment is explored when it is in the sample.
 *
 * <p>Immutable and thread-safe; allocation-free per choice.
 *
 * @since 0.1.0
 */
public final class LowestLatencyStrategy implements RoutingStrategy {

    /** Candidates this much slower than the best (as a fraction) still share traffic: {@value}. */
    public static final double DEFAULT_BUFFER = 0.1;
    /** Measured calls below which a deployment is tried first: {@value}. */
    public static final int MIN_SAMPLES = 3;

    private static final LowestLatencyStrategy DEFAULT = new LowestLatencyStrategy(DEFAULT_BUFFER);

    private final double buffer;

    private LowestLatencyStrategy(double buffer) {
        this.buffer = buffer;
    }

    /** The strategy with the default buffer. */
    public static LowestLatencyStrategy instance() {
        return DEFAULT;
    }

    /**
     * The strategy with the given buffer.
     *
     * @param buffer the fraction (0 or more) within which candidates count as tied with the best
     * @return the strategy
     */
    public static LowestLatencyStrategy withBuffer(double buffer) {
        if (!(buffer >= 0) || Double.isInfinite(buffer)) {
            throw new IllegalArgumentException("buffer must be a finite fraction >= 0, was " + buffer);
        }
        return new LowestLatencyStrategy(buffer);
    }

    /** The buffer. */
    public double buffer() {
        return buffer;
    }

    @Override
    public DeploymentCandidate choose(RoutingContext context, List<? extends DeploymentCandidate> candidates) {
        // Unmeasured deployments first (explore), at random among them; else at random among those
        // within the buffer of the fastest. Two passes over the candidates, no allocation.
        boolean streaming = context.streaming();
        int n = candidates.size();
        if (Sampling.samples(n)) {
            return chooseFromSample(context, candidates, streaming);
        }
        int unmeasured = 0;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            LatencyStats stats = candidates.get(i).latency();
            if (!isMeasured(stats, streaming)) {
                unmeasured++;
            } else {
                best = Math.min(best, measure(stats, streaming));
            }
        }
        double limit = best * (1 + buffer);
        int within = 0;
        if (unmeasured == 0) {
            for (int i = 0; i < n; i++) {
                if (measure(candidates.get(i).latency(), streaming) <= limit) {
                    within++;
                }
            }
        }
        int of = unmeasured > 0 ? unmeasured : within;
        int k = of <= 1 ? 0 : context.random().nextInt(of);
        for (int i = 0; i < n; i++) {
            LatencyStats stats = candidates.get(i).latency();
            boolean eligible = unmeasured > 0 ? !isMeasured(stats, streaming)
                    : isMeasured(stats, streaming) && measure(stats, streaming) <= limit;
            if (eligible && k-- == 0) {
                return candidates.get(i);
            }
        }
        return candidates.get(0); // live statistics changed between the passes
    }

    /**
     * The same rule applied to a random sample of {@link Sampling#SIZE} candidates (drawn with
     * replacement, walked twice from one seed): unmeasured ones in the sample first, else at
     * random among the sampled ones within the buffer of the sample's fastest.
     */
    private DeploymentCandidate chooseFromSample(RoutingContext context,
            List<? extends DeploymentCandidate> candidates, boolean streaming) {
        int n = candidates.size();
        long seed = Sampling.seed(context.random());
        int unmeasured = 0;
        long best = Long.MAX_VALUE;
        for (int j = 0; j < Sampling.SIZE; j++) {
            LatencyStats stats = candidates.get(Sampling.index(seed, j, n)).latency();
            if (!isMeasured(stats, streaming)) {
                unmeasured++;
            } else {
                best = Math.min(best, measure(stats, streaming));
            }
        }
        double limit = best * (1 + buffer);
        int within = 0;
        if (unmeasured == 0) {
            for (int j = 0; j < Sampling.SIZE; j++) {
                if (measure(candidates.get(Sampling.index(seed, j, n)).latency(), streaming) <= limit) {
                    within++;
                }
            }
        }
        int of = unmeasured > 0 ? unmeasured : within;
        int k = of <= 1 ? 0 : context.random().nextInt(of);
        for (int j = 0; j < Sampling.SIZE; j++) {
            DeploymentCandidate c = candidates.get(Sampling.index(seed, j, n));
            LatencyStats stats = c.latency();
            boolean eligible = unmeasured > 0 ? !isMeasured(stats, streaming)
                    : isMeasured(stats, streaming) && measure(stats, streaming) <= limit;
            if (eligible && k-- == 0) {
                return c;
            }
        }
        return candidates.get(Sampling.index(seed, 0, n)); // live statistics changed between the passes
    }

    private static boolean isMeasured(LatencyStats stats, boolean streaming) {
        return (streaming ? stats.streamSamples() : stats.samples()) >= MIN_SAMPLES;
    }

    private static long measure(LatencyStats stats, boolean streaming) {
        return streaming ? stats.meanTimeToFirstToken().toNanos() : stats.meanPerOutputToken().toNanos();
    }

    @Override
    public String toString() {
        return "LowestLatencyStrategy[buffer=" + buffer + "]";
    }
}
