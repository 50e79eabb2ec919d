package io.llmrouter.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.LatencyStats;
import io.llmrouter.spi.RoutingContext;
import io.llmrouter.spi.RoutingStrategy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The scanning strategies above {@link Sampling#THRESHOLD} candidates: each picks the best of its
 * seeded sample, replayed here from a second random source with the same seed; at or below the
 * threshold they still scan every candidate.
 */
class SampledChoiceTest {

    private static final int THOUSAND = 1_000;

    @Test
    void givenAThousandCandidates_whenLeastBusyChooses_thenItIsTheLeastBusyOfItsSample() {
        SplittableRandom load = new SplittableRandom(1);
        List<Candidate> candidates = candidates(THOUSAND, i -> new Candidate("d" + i, load.nextInt(50), 0, null, 0));
        for (long seed = 0; seed < 200; seed++) {
            DeploymentCandidate chosen = LeastBusyStrategy.instance().choose(context(seed), candidates);
            assertThat(chosen.inFlight()).isEqualTo(sample(seed, candidates).stream()
                    .mapToInt(Candidate::inFlight).min().orElseThrow());
        }
    }

    @Test
    void givenAThousandCandidates_whenLeastBusyChoosesOften_thenNearlyEveryPickIsInTheIdlestQuarter() {
        // in-flight i for candidate i: the idlest quarter is d0..d249; the bound is 1 - 0.75^16 > 99 %
        List<Candidate> candidates = candidates(THOUSAND, i -> new Candidate("d" + i, i, 0, null, 0));
        RoutingContext context = context(7);
        long inQuarter = IntStream.range(0, 2_000)
                .filter(n -> LeastBusyStrategy.instance().choose(context, candidates).inFlight() < 250).count();
        assertThat(inQuarter).isGreaterThanOrEqualTo(1_960);
    }

    @Test
    void givenSixtyFourCandidates_whenLeastBusyChooses_thenItStillScansThemAll() {
        List<Candidate> candidates = candidates(Sampling.THRESHOLD, i -> new Candidate("d" + i, i == 41 ? 0 : 5, 0, null, 0));
        for (long seed = 0; seed < 100; seed++) {
            assertThat(LeastBusyStrategy.instance().choose(context(seed), candidates).id()).isEqualTo("d41");
        }
    }

    @Test
    void givenSixtyFiveCandidates_whenLeastBusyChooses_thenItSamples() {
        List<Candidate> candidates = candidates(Sampling.THRESHOLD + 1, i -> new Candidate("d" + i, i == 41 ? 0 : 5, 0, null, 0));
        long idle = IntStream.range(0, 200).filter(seed -> LeastBusyStrategy.instance()
                .choose(context(seed), candidates).id().equals("d41")).count();
        // one of 65 drawn 16 times: about 22 % of choices see it
        assertThat(idle).isBetween(20L, 80L);
    }

    @Test
    void givenAThousandCandidates_whenUsageBasedChooses_thenItHasTheMostHeadroomOfItsSample() {
        SplittableRandom usage = new SplittableRandom(2);
        List<Candidate> candidates = candidates(THOUSAND, i -> new Candidate("d" + i, 0, usage.nextInt(1_000), null, 0));
        for (long seed = 0; seed < 200; seed++) {
            DeploymentCandidate chosen = UsageBasedStrategy.instance().choose(context(seed), candidates);
            assertThat(chosen.requestsThisMinute()).isEqualTo(sample(seed, candidates).stream()
                    .mapToInt(Candidate::requestsThisMinute).min().orElseThrow());
        }
    }

    @Test
    void givenAThousandMeasuredCandidates_whenLowestLatencyChooses_thenItIsWithinTheBufferOfItsSamplesFastest() {
        SplittableRandom speeds = new SplittableRandom(3);
        List<Candidate> candidates = candidates(THOUSAND,
                i -> new Candidate("d" + i, 0, 0, measured(10 + speeds.nextInt(1_000)), 0));
        for (long seed = 0; seed < 200; seed++) {
            DeploymentCandidate chosen = LowestLatencyStrategy.instance().choose(context(seed), candidates);
            List<Candidate> sample = sample(seed, candidates);
            long fastest = sample.stream().mapToLong(c -> perToken(c)).min().orElseThrow();
            assertThat(sample).contains((Candidate) chosen);
            assertThat((double) perToken(chosen)).isLessThanOrEqualTo(fastest * (1 + LowestLatencyStrategy.DEFAULT_BUFFER));
        }
    }

    @Test
    void givenAThousandCandidates_whenTheSampleHoldsAnUnmeasuredOne_thenLowestLatencyExploresIt() {
        List<Candidate> candidates = candidates(THOUSAND,
                i -> new Candidate("d" + i, 0, 0, i % 100 == 0 ? LatencyStats.EMPTY : measured(10), 0));
        int explored = 0;
        for (long seed = 0; seed < 200; seed++) {
            DeploymentCandidate chosen = LowestLatencyStrategy.instance().choose(context(seed), candidates);
            boolean sampledUnmeasured = sample(seed, candidates).stream().anyMatch(c -> c.latency().samples() == 0);
            assertThat(chosen.latency().samples() == 0).isEqualTo(sampledUnmeasured);
            explored += sampledUnmeasured ? 1 : 0;
        }
        assertThat(explored).isPositive();
    }

    @Test
    void givenTheSameSeed_whenChoosingAgain_thenTheChoiceIsTheSame() {
        SplittableRandom load = new SplittableRandom(4);
        List<Candidate> candidates = candidates(THOUSAND, i -> new Candidate("d" + i, load.nextInt(3), 0, null, 0));
        for (RoutingStrategy strategy : List.of(LeastBusyStrategy.instance(), UsageBasedStrategy.instance(),
                LowestLatencyStrategy.instance())) {
            assertThat(strategy.choose(context(9), candidates)).isSameAs(strategy.choose(context(9), candidates));
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    /** The candidates a strategy samples for a context seeded with {@code seed}. */
    private static List<Candidate> sample(long seed, List<Candidate> candidates) {
        long sampleSeed = new SplittableRandom(seed).nextLong();
        List<Candidate> sample = new ArrayList<>();
        for (int j = 0; j < Sampling.SIZE; j++) {
            sample.add(candidates.get(Sampling.index(sampleSeed, j, candidates.size())));
        }
        return sample;
    }

    private static List<Candidate> candidates(int n, IntFunction<Candidate> make) {
        List<Candidate> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(make.apply(i));
        }
        return List.copyOf(list);
    }

    private static LatencyStats measured(long perTokenMillis) {
        Duration mean = Duration.ofMillis(perTokenMillis * 100);
        return new LatencyStats(LatencyStats.WINDOW, mean, mean, Duration.ofMillis(perTokenMillis), 0, Duration.ZERO);
    }

    private static long perToken(DeploymentCandidate c) {
        return c.latency().meanPerOutputToken().toNanos();
    }

    private static RoutingContext context(long seed) {
        return new Context(ChatRequest.ofUser("g", "x"), "g", new SplittableRandom(seed), 10, 256);
    }

    record Context(RouterRequest request, String modelGroup, RandomGenerator random, int estimatedInputTokens,
            int expectedOutputTokens) implements RoutingContext {
    }

    /** A candidate; {@code requestsThisMinute} counts against an rpm of 1,000. */
    record Candidate(String id, int inFlight, int requestsThisMinute, LatencyStats latency, int recentFailures)
            implements DeploymentCandidate {

        Candidate {
            latency = latency == null ? LatencyStats.EMPTY : latency;
        }

        @Override
        public String modelGroup() {
            return "g";
        }

        @Override
        public String providerRoute() {
            return "openai/m";
        }

        @Override
        public int weight() {
            return 1;
        }

        @Override
        public int order() {
            return 0;
        }

        @Override
        public Set<String> tags() {
            return Set.of();
        }

        @Override
        public OptionalInt rpm() {
            return OptionalInt.of(1_000);
        }

        @Override
        public OptionalInt tpm() {
            return OptionalInt.empty();
        }

        @Override
        public long tokensThisMinute() {
            return 0;
        }

        @Override
        public Optional<BigDecimal> inputCostPerToken() {
            return Optional.empty();
        }

        @Override
        public Optional<BigDecimal> outputCostPerToken() {
            return Optional.empty();
        }
    }
}
