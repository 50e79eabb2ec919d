package io.llmrouter.strategy;

import java.util.random.RandomGenerator;

/**
 * The sample the scanning strategies look at when a group is large: above {@value #THRESHOLD}
 * candidates they score {@value #SIZE} drawn uniformly at random (with replacement) instead of all
 * of them (the "power of k choices"), so a choice costs the same at 1,000 deployments as at 16.
 * The sample comes from one draw of the request's random source, so a seeded router chooses
 * deterministically, and can be walked twice without being stored.
 */
final class Sampling {

    /** Candidate counts above this are sampled; at or below it every candidate is scored. */
    static final int THRESHOLD = 64;
    /** Candidates scored per choice when sampling. */
    static final int SIZE = 16;

    private Sampling() {
    }

    /** Whether a choice among {@code n} candidates samples. */
    static boolean samples(int n) {
        return n > THRESHOLD;
    }

    /** The seed of one choice's sample. */
    static long seed(RandomGenerator random) {
        return random.nextLong();
    }

    /**
     * The {@code j}-th sampled index in {@code [0, n)} of the sample drawn from {@code seed}: a
     * SplitMix64 mix of the seed and {@code j}, mapped to the range without division.
     */
    static int index(long seed, int j, int n) {
        long z = seed + (j + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) (((z >>> 32) * n) >>> 32);
    }
}
