package io.llmrouter.benchmarks;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.LatencyStats;
import io.llmrouter.spi.RoutingContext;
import io.llmrouter.spi.RoutingStrategy;
import io.llmrouter.strategy.LeastBusyStrategy;
import io.llmrouter.strategy.LowestCostStrategy;
import io.llmrouter.strategy.LowestLatencyStrategy;
import io.llmrouter.strategy.UsageBasedStrategy;
import io.llmrouter.strategy.WeightedShuffleStrategy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A routing strategy's {@code choose(context, candidates)} alone, no router around it: the
 * candidates are a benchmark-local immutable {@link DeploymentCandidate} implementation (the
 * SPI's view) with realistic, varied live state, built once with a seeded random source: 0-7
 * calls in flight, requests and tokens used this minute, a {@link LatencyStats} with varied means
 * and at least {@value LowestLatencyStrategy#MIN_SAMPLES} samples (so lowest-latency ranks rather
 * than explores), prices from two price points (gpt-4o's 2.5e-6/1e-5 and gpt-4o-mini's
 * 1.5e-7/6e-7 USD per token), weights 1-3, and rpm/tpm limits on one candidate in eight. The
 * context is a fixed chat request for group {@code gpt-4o} with 24 estimated input and 256
 * expected output tokens and a seeded {@link RandomGenerator}.
 *
 * <p>There is no baseline: the numbers are the strategy's own cost per choice against the
 * candidate count. {@link ChoiceBenchmark} measures the same strategies inside the router (with
 * its candidate filtering, its own candidate list and the call around them); note that
 * {@code shuffle} takes its O(log n) path only on the router's cached candidate list, so here it
 * runs its generic O(n) path over a plain list.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
public class StrategyBenchmark {

    @Param({"10", "100", "1000"})
    public int deployments;

    @Param({"shuffle", "least-busy", "lowest-latency", "usage", "lowest-cost"})
    public String strategy;

    private static final Optional<BigDecimal> GPT_4O_IN = Optional.of(new BigDecimal("0.0000025"));
    private static final Optional<BigDecimal> GPT_4O_OUT = Optional.of(new BigDecimal("0.00001"));
    private static final Optional<BigDecimal> MINI_IN = Optional.of(new BigDecimal("0.00000015"));
    private static final Optional<BigDecimal> MINI_OUT = Optional.of(new BigDecimal("0.0000006"));

    private RoutingStrategy chosen;
    private RoutingContext context;
    private List<Candidate> candidates;

    /** An immutable candidate: a deployment's definition and a snapshot of its live state. */
    record Candidate(String id, String modelGroup, String providerRoute, int weight, int order, Set<String> tags,
            OptionalInt rpm, OptionalInt tpm, int inFlight, int requestsThisMinute, long tokensThisMinute,
            LatencyStats latency, Optional<BigDecimal> inputCostPerToken, Optional<BigDecimal> outputCostPerToken,
            int recentFailures, double inputCostPerTokenValue, double outputCostPerTokenValue)
            implements DeploymentCandidate {
        // Like the router's own candidates, prices are also given as doubles, computed once.
    }

    /** A fixed request's routing context. */
    record Context(RouterRequest request, String modelGroup, RandomGenerator random, int estimatedInputTokens,
            int expectedOutputTokens) implements RoutingContext {
    }

    @Setup(Level.Trial)
    public void setUp() {
        chosen = switch (strategy) {
            case "least-busy" -> LeastBusyStrategy.instance();
            case "lowest-latency" -> LowestLatencyStrategy.instance();
            case "usage" -> UsageBasedStrategy.instance();
            case "lowest-cost" -> LowestCostStrategy.instance();
            case "shuffle" -> WeightedShuffleStrategy.instance();
            default -> throw new IllegalArgumentException("unknown strategy " + strategy);
        };
        SplittableRandom r = new SplittableRandom(20_240_806L + deployments);
        List<Candidate> list = new ArrayList<>(deployments);
        for (int i = 0; i < deployments; i++) {
            boolean mini = r.nextInt(3) == 0;
            boolean limited = r.nextInt(8) == 0;
            int rpm = 500 + 500 * r.nextInt(10);
            int tpm = 30_000 * (1 + r.nextInt(20));
            int requests = limited ? r.nextInt(rpm) : r.nextInt(600);
            long tokens = limited ? r.nextLong(tpm) : r.nextLong(400_000);
            long meanMillis = 150 + r.nextInt(2_500);
            int outputTokens = 40 + r.nextInt(400);
            int samples = LowestLatencyStrategy.MIN_SAMPLES + r.nextInt(LatencyStats.WINDOW - LowestLatencyStrategy.MIN_SAMPLES + 1);
            int streamSamples = r.nextInt(LatencyStats.WINDOW + 1);
            LatencyStats latency = new LatencyStats(samples, Duration.ofMillis(meanMillis),
                    Duration.ofMillis(meanMillis * (12 + r.nextInt(10)) / 10),
                    Duration.ofNanos(meanMillis * 1_000_000 / outputTokens), streamSamples,
                    Duration.ofMillis(streamSamples == 0 ? 0 : 80 + r.nextInt(900)));
            list.add(new Candidate("d" + i, "gpt-4o", mini ? "openai/gpt-4o-mini" : "openai/gpt-4o", 1 + i % 3, 0,
                    Set.of(), limited ? OptionalInt.of(rpm) : OptionalInt.empty(),
                    limited ? OptionalInt.of(tpm) : OptionalInt.empty(), r.nextInt(8), requests, tokens, latency,
                    mini ? MINI_IN : GPT_4O_IN, mini ? MINI_OUT : GPT_4O_OUT, r.nextInt(3),
                    (mini ? MINI_IN : GPT_4O_IN).orElseThrow().doubleValue(),
                    (mini ? MINI_OUT : GPT_4O_OUT).orElseThrow().doubleValue()));
        }
        candidates = List.copyOf(list);
        context = new Context(ChatRequest.ofUser("gpt-4o", "Say hello to the benchmark."), "gpt-4o",
                new SplittableRandom(42), 24, 256);
        DeploymentCandidate c = chosen.choose(context, candidates);
        if (!candidates.contains(c)) {
            throw new IllegalStateException(strategy + " chose a deployment that is not a candidate: " + c);
        }
    }

    @Benchmark
    public DeploymentCandidate choose() {
        return chosen.choose(context, candidates);
    }
}
