package io.llmrouter.internal;

import io.llmrouter.spi.LatencyStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * {@code LowestCostStrategy}'s choice on a large cached candidate list, from an index built once per
 * list: its candidates grouped by price (input and output price per token), so finding the cheapest
 * costs one estimate per distinct price instead of one per candidate. Among the cheapest, the lowest
 * mean latency wins, at random among exact ties, as the strategy does; when more than
 * {@link #SAMPLE_THRESHOLD} candidates share the cheapest price, the lowest latency of a random
 * sample of {@link #SAMPLE_SIZE} of them (drawn with replacement) instead. A choice limited to the
 * candidates that pass per-deployment checks (rpm/tpm limits, max parallel requests, budgets) tests
 * only the members of the price tiers it reaches, cheapest first. Prices do not change while
 * a group exists and a live change builds a new group (so a new list), so the index never goes stale.
 *
 * <p>Immutable and thread-safe; allocation-free per choice.
 *
 * <p>Internal: not API, may change in any release.
 */
final class CostOrder {

    /** Candidates above this are chosen from this index; at or below it, by the strategy itself. */
    static final int THRESHOLD = 64;
    /** Cheapest candidates above this are sampled for the latency tie-break. */
    static final int SAMPLE_THRESHOLD = 64;
    /** Cheapest candidates looked at per choice when sampling. */
    static final int SAMPLE_SIZE = 16;
    /** Every candidate eligible: the unfiltered choice. */
    private static final Predicate<DeploymentState> ANY = d -> true;

    private final DeploymentState[] items;
    private final double[] inPrices;
    private final double[] outPrices;
    /** Price class {@code p}'s members are {@code members[start[p]]} to {@code members[start[p + 1] - 1]}. */
    private final int[] start;
    private final int[] members;

    CostOrder(DeploymentState[] items) {
        this.items = items;
        Map<List<Long>, List<Integer>> classes = new LinkedHashMap<>();
        for (int i = 0; i < items.length; i++) {
            List<Long> key = List.of(Double.doubleToLongBits(items[i].inputCostPerTokenValue()),
                    Double.doubleToLongBits(items[i].outputCostPerTokenValue()));
            classes.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        int p = classes.size();
        inPrices = new double[p];
        outPrices = new double[p];
        start = new int[p + 1];
        members = new int[items.length];
        int c = 0;
        int m = 0;
        for (List<Integer> list : classes.values()) {
            DeploymentState first = items[list.get(0)];
            inPrices[c] = first.inputCostPerTokenValue();
            outPrices[c] = first.outputCostPerTokenValue();
            start[c] = m;
            for (int i : list) {
                members[m++] = i;
            }
            c++;
        }
        start[p] = m;
    }

    /**
     * The cheapest candidate for a request of {@code in} input and {@code out} output tokens.
     *
     * @param in the estimated input tokens
     * @param out the expected output tokens
     * @param random the request's random source
     * @return the chosen candidate
     */
    DeploymentState cheapest(double in, double out, RandomGenerator random) {
        return cheapest(in, out, random, ANY);
    }

    /**
     * The cheapest of the candidates that {@code eligible} accepts, for a request of {@code in} input and
     * {@code out} output tokens: price tiers (candidates of equal estimate) are tried cheapest first,
     * and only the members of the tiers tried are tested, so a choice that finds an eligible candidate
     * in the cheapest tier tests no other. A tier of more than {@link #SAMPLE_THRESHOLD} is sampled
     * first; when no sampled member is eligible, every member is tested, so an eligible candidate of
     * the cheapest tier that has one is always found.
     *
     * @param in the estimated input tokens
     * @param out the expected output tokens
     * @param random the request's random source
     * @param eligible which candidates may be chosen
     * @return the chosen candidate; null when none is eligible
     */
    DeploymentState cheapest(double in, double out, RandomGenerator random, Predicate<DeploymentState> eligible) {
        int p = inPrices.length;
        double tier = Double.NEGATIVE_INFINITY;
        while (true) {
            double cheapest = Double.POSITIVE_INFINITY;
            boolean more = false;
            for (int c = 0; c < p; c++) {
                double e = estimate(inPrices[c], outPrices[c], in, out);
                if (e > tier && e <= cheapest) {
                    cheapest = e;
                    more = true;
                }
            }
            if (!more) {
                return null;
            }
            int count = 0;
            for (int c = 0; c < p; c++) {
                if (estimate(inPrices[c], outPrices[c], in, out) == cheapest) {
                    count += start[c + 1] - start[c];
                }
            }
            DeploymentState chosen = count > SAMPLE_THRESHOLD
                    ? fastestOfSample(cheapest, count, in, out, random, eligible) : null;
            if (chosen == null) {
                chosen = fastest(cheapest, in, out, random, eligible);
            }
            if (chosen != null || cheapest == Double.POSITIVE_INFINITY) {
                return chosen;
            }
            tier = cheapest;
        }
    }

    /** Among the eligible of the tier: the lowest mean latency, at random among exact ties; null if none. */
    private DeploymentState fastest(double cheapest, double in, double out, RandomGenerator random,
            Predicate<DeploymentState> eligible) {
        int p = inPrices.length;
        long fastest = Long.MAX_VALUE;
        int ties = 0;
        for (int c = 0; c < p; c++) {
            if (estimate(inPrices[c], outPrices[c], in, out) != cheapest) {
                continue;
            }
            for (int m = start[c]; m < start[c + 1]; m++) {
                DeploymentState d = items[members[m]];
                if (!eligible.test(d)) {
                    continue;
                }
                long l = latencyOf(d);
                if (l < fastest) {
                    fastest = l;
                    ties = 1;
                } else if (l == fastest) {
                    ties++;
                }
            }
        }
        if (ties == 0) {
            return null;
        }
        int k = ties == 1 ? 0 : random.nextInt(ties);
        DeploymentState any = null;
        for (int c = 0; c < p; c++) {
            if (estimate(inPrices[c], outPrices[c], in, out) != cheapest) {
                continue;
            }
            for (int m = start[c]; m < start[c + 1]; m++) {
                DeploymentState d = items[members[m]];
                if (!eligible.test(d)) {
                    continue;
                }
                any = any == null ? d : any;
                if (latencyOf(d) == fastest && k-- == 0) {
                    return d;
                }
            }
        }
        return any; // live statistics changed between the passes
    }

    /**
     * The lowest mean latency among the eligible of a random sample of the tier's {@code count}
     * members; the first drawn on ties; null when no sampled member is eligible.
     */
    private DeploymentState fastestOfSample(double cheapest, int count, double in, double out,
            RandomGenerator random, Predicate<DeploymentState> eligible) {
        long seed = random.nextLong();
        DeploymentState best = null;
        long fastest = Long.MAX_VALUE;
        for (int j = 0; j < SAMPLE_SIZE; j++) {
            DeploymentState d = nthCheapest(cheapest, sampleIndex(seed, j, count), in, out);
            if (!eligible.test(d)) {
                continue;
            }
            long l = latencyOf(d);
            if (best == null || l < fastest) {
                best = d;
                fastest = l;
            }
        }
        return best;
    }

    private DeploymentState nthCheapest(double cheapest, int n, double in, double out) {
        int p = inPrices.length;
        int c = 0;
        for (; c < p; c++) {
            if (estimate(inPrices[c], outPrices[c], in, out) != cheapest) {
                continue;
            }
            int size = start[c + 1] - start[c];
            if (n < size) {
                break;
            }
            n -= size;
        }
        return items[members[start[c] + n]];
    }

    /** The same estimate as {@code LowestCostStrategy}'s, so both rank candidates alike. */
    private static double estimate(double inPrice, double outPrice, double in, double out) {
        if (Double.isNaN(inPrice) && Double.isNaN(outPrice)) {
            return Double.POSITIVE_INFINITY;
        }
        return (Double.isNaN(inPrice) ? 0 : inPrice * in) + (Double.isNaN(outPrice) ? 0 : outPrice * out);
    }

    private static long latencyOf(DeploymentState d) {
        LatencyStats stats = d.latency();
        return stats.samples() == 0 ? Long.MAX_VALUE / 2 : stats.mean().toNanos();
    }

    /** The {@code j}-th index in {@code [0, n)} of the sample drawn from {@code seed} (SplitMix64). */
    static int sampleIndex(long seed, int j, int n) {
        long z = seed + (j + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) (((z >>> 32) * n) >>> 32);
    }
}
