package io.llmrouter.strategy;

import io.llmrouter.spi.DeploymentCandidate;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.function.ToDoubleFunction;

/**
 * Picks the candidate with the lowest score, ties at random, in two passes with one random draw
 * (instead of one draw per tie, which dominates when a thousand candidates tie); above
 * {@link Sampling#THRESHOLD} candidates, the lowest of a random sample instead.
 */
final class Ties {

    private Ties() {
    }

    static <C extends DeploymentCandidate> C lowest(List<? extends C> candidates, ToDoubleFunction<? super C> score,
            RandomGenerator random) {
        // Two passes, no allocation: find the best score and how many share it, then take the
        // k-th of them. The second pass scores again; if a live value changed in between and
        // the k-th tie is gone, the first best candidate found is taken.
        int n = candidates.size();
        if (Sampling.samples(n)) {
            return lowestOfSample(candidates, score, random);
        }
        double best = Double.POSITIVE_INFINITY;
        int ties = 0;
        C first = null;
        for (int i = 0; i < n; i++) {
            C c = candidates.get(i);
            double s = score.applyAsDouble(c);
            if (s < best || first == null) {
                best = s;
                ties = 1;
                first = c;
            } else if (s == best) {
                ties++;
            }
        }
        if (ties <= 1) {
            return first;
        }
        int k = random.nextInt(ties);
        for (int i = 0; i < n; i++) {
            C c = candidates.get(i);
            if (score.applyAsDouble(c) == best && k-- == 0) {
                return c;
            }
        }
        return first;
    }

    /**
     * The lowest-scored of {@link Sampling#SIZE} candidates drawn at random; among equal scores the
     * first drawn, which is itself a uniform pick among the sampled ties.
     */
    private static <C extends DeploymentCandidate> C lowestOfSample(List<? extends C> candidates,
            ToDoubleFunction<? super C> score, RandomGenerator random) {
        int n = candidates.size();
        long seed = Sampling.seed(random);
        C best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int j = 0; j < Sampling.SIZE; j++) {
            C c = candidates.get(Sampling.index(seed, j, n));
            double s = score.applyAsDouble(c);
            if (best == null || s < bestScore) {
                best = c;
                bestScore = s;
            }
        }
        return best;
    }
}
