package io.llmrouter.internal;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * An immutable list of a group's available deployments with their cumulative weights, cached per
 * group and shared by every call until the group's health changes. Lets the weighted shuffle
 * pick in O(log n) instead of summing weights on every call.
 *
 * <p>Internal: not API, may change in any release.
 */
public final class CandidateList extends AbstractList<DeploymentState> implements RandomAccess {

    private final DeploymentState[] items;
    private final long[] cumulative;
    /** Built on first use by the lowest-cost choice; a benign race may build it twice. */
    private CostOrder costOrder;

    CandidateList(List<DeploymentState> items) {
        this.items = items.toArray(new DeploymentState[0]);
        this.cumulative = new long[this.items.length];
        long sum = 0;
        for (int i = 0; i < this.items.length; i++) {
            sum += this.items[i].weight();
            cumulative[i] = sum;
        }
    }

    @Override
    public DeploymentState get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    /**
     * {@code WeightedShuffleStrategy}'s choice made in O(log n) on the cumulative weights: the same
     * draws from {@code random} as that strategy (none for one candidate), so the same pick.
     *
     * @param random the request's random source
     * @return the chosen candidate
     */
    public DeploymentState pickWeighted(RandomGenerator random) {
        if (items.length == 1) {
            return items[0];
        }
        return items[indexAt(random.nextLong(totalWeight()))];
    }

    /** The sum of the weights. */
    public long totalWeight() {
        return cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
    }

    /**
     * The candidate whose weight range holds {@code point}, for a point drawn uniformly from
     * {@code [0, totalWeight())}.
     *
     * @param point the drawn point
     * @return the candidate's index
     */
    public int indexAt(long point) {
        int i = Arrays.binarySearch(cumulative, point + 1);
        return i >= 0 ? i : -i - 1;
    }

    /**
     * {@code LowestCostStrategy}'s choice made from a price index built on first use, for lists of
     * more than {@link CostOrder#THRESHOLD} candidates (see {@link CostOrder}); smaller lists are
     * left to the strategy.
     *
     * @param in the estimated input tokens
     * @param out the expected output tokens
     * @param random the request's random source
     * @return the chosen candidate
     */
    public DeploymentState pickCheapest(double in, double out, RandomGenerator random) {
        return costOrder().cheapest(in, out, random);
    }

    /**
     * {@link #pickCheapest} among the candidates {@code eligible} accepts, testing only the members of
     * the price tiers it reaches, cheapest first (see {@link CostOrder#cheapest(double, double,
     * RandomGenerator, Predicate)}).
     *
     * @param in the estimated input tokens
     * @param out the expected output tokens
     * @param random the request's random source
     * @param eligible which candidates may be chosen
     * @return the chosen candidate; null when none is eligible
     */
    public DeploymentState pickCheapest(double in, double out, RandomGenerator random,
            Predicate<DeploymentState> eligible) {
        return costOrder().cheapest(in, out, random, eligible);
    }

    private CostOrder costOrder() {
        CostOrder order = costOrder;
        if (order == null) {
            order = new CostOrder(items);
            costOrder = order; // all of CostOrder's fields are final: safe to publish racily
        }
        return order;
    }

    /** Whether {@link #pickCheapest} is the lowest-cost choice for this list. */
    public boolean indexesCost() {
        return items.length > CostOrder.THRESHOLD;
    }
}
