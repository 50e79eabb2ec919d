package io.llmrouter.benchmarks;

import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.cost.CostCalculator;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.cost.PriceMatch;
import io.llmrouter.cost.PriceTable;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What pricing an answer costs, in three parts, over the bundled {@link PriceTable}:
 * {@code priceLookup} is {@link PriceTable#lookup(String)} of a provider route;
 * {@code costComputation} is {@link CostCalculator#cost(ModelPrice, Usage, String)} with a price
 * looked up beforehand (exact {@code BigDecimal} arithmetic and the {@link Cost} built);
 * {@code costFromRoute} is {@link CostCalculator#cost(PriceTable, String, Usage)}, both together,
 * which is what a router does per answer unless a deployment carries its own price.
 *
 * <p>Each call takes the next of four routes, so no single key stays hot and the lookup paths
 * differ: {@code openai/gpt-4o} and {@code anthropic/claude-sonnet-4-5} (the route misses, the bare
 * model key of the route's provider hits), {@code gemini/gemini-2.5-flash} (the route is a key),
 * and {@code bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0} (a {@code bedrock_converse}
 * key under the {@code bedrock} prefix, with the region-prefix and date-suffix variants computed).
 * The usage is 1,200 prompt tokens of which 256 cached, and 350 completion tokens. Setup checks
 * every route is priced. There is no baseline: these are absolute costs to set against the
 * microseconds of a call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
public class CostBenchmark {

    /** The routes cycled through; a power of two long, for the index mask. */
    private static final String[] ROUTES = {
        "openai/gpt-4o",
        "anthropic/claude-sonnet-4-5",
        "gemini/gemini-2.5-flash",
        "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    };

    private PriceTable table;
    private String[] routes;
    private ModelPrice[] prices;
    private String[] keys;
    private Usage usage;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        if (Integer.bitCount(ROUTES.length) != 1) {
            throw new IllegalStateException("the route count must be a power of two");
        }
        table = PriceTable.bundled();
        routes = ROUTES.clone();
        prices = new ModelPrice[routes.length];
        keys = new String[routes.length];
        usage = Usage.builder().promptTokens(1200).cachedTokens(256).completionTokens(350).build();
        for (int i = 0; i < routes.length; i++) {
            PriceMatch match = table.lookup(routes[i])
                    .orElseThrow(() -> new IllegalStateException("no price table entry for a benchmark route"));
            prices[i] = match.price();
            keys[i] = match.key();
            Cost direct = CostCalculator.cost(prices[i], usage, keys[i]);
            Cost viaRoute = CostCalculator.cost(table, routes[i], usage);
            if (!direct.isPriced() || !viaRoute.isPriced() || !direct.equals(viaRoute)
                    || direct.totalUsd().orElseThrow().signum() <= 0) {
                throw new IllegalStateException("route " + routes[i] + " (key " + keys[i] + ") is not priced: "
                        + direct + " / " + viaRoute);
            }
        }
    }

    private int index() {
        return next++ & (ROUTES.length - 1);
    }

    @Benchmark
    public Optional<PriceMatch> priceLookup() {
        return table.lookup(routes[index()]);
    }

    @Benchmark
    public Cost costComputation() {
        int i = index();
        return CostCalculator.cost(prices[i], usage, keys[i]);
    }

    @Benchmark
    public Cost costFromRoute() {
        return CostCalculator.cost(table, routes[index()], usage);
    }
}
