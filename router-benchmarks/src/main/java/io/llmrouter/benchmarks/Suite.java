package io.llmrouter.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.DoubleFunction;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmark suite with the allocation profiler and prints the performance bar: every
 * target of the performance issue's table, each ratio computed from results of the same run
 * against its paired baseline, plus the comparison with the other Java clients.
 *
 * <pre>
 * java -cp router-benchmarks/target/benchmarks.jar io.llmrouter.benchmarks.Suite \
 *     [results-dir] [--rounds N] [--quick] [--include REGEX] [--pinned]
 * </pre>
 *
 * <ul>
 *   <li>{@code results-dir} (default {@code router-benchmarks/target}): gets {@code jmh-result.json}
 *       (JMH's own format; {@code jmh-result-<round>.json} with several rounds) and {@code bar.md}
 *       (the table printed at the end);
 *   <li>{@code --rounds N} (default 1): runs the whole suite N times, one after the other; each row
 *       of the bar then shows the median of the N rounds and their spread (min-max), and the
 *       target is judged on the median;
 *   <li>{@code --quick}: 2 warm-up and 2 measured iterations of 1 s for every benchmark, a smoke
 *       check that everything runs and the table fills (numbers not for reading);
 *   <li>{@code --include REGEX}: of the suite's benchmarks, only those whose name matches
 *       {@code REGEX} (e.g. {@code Peer} for the other Java clients alone);
 *   <li>{@code --pinned}: every benchmark JVM pins its threads to CPU 0 and runs the loopback
 *       upstream in a JVM of its own on CPU 1 (needs {@code taskset}), so every round trip crosses
 *       cores, as a call to a real provider does, instead of depending on where the scheduler puts
 *       the upstream from run to run. Meant for the one-caller loopback pairs (e.g. with
 *       {@code --include Overhead}): the throughput pairs then run on one core, and in-memory pairs
 *       that hand work to another thread (the failover's retry) share the caller's core with it.
 * </ul>
 *
 * <p>A default round takes about a quarter of an hour on two cores. {@link ChoiceBenchmark} (the
 * router's whole call over an instant provider for each strategy) is left out for time: run it on
 * its own. {@link RedisLoopbackBenchmark} runs only when {@code LLMROUTER_REDIS_PORT} names a
 * redis-server that the suite may pause (see the benchmark); its rows say so otherwise.
 */
public final class Suite {

    /** The benchmarks of a round; see {@link #include(ChainedOptionsBuilder, boolean)}. */
    private static final String CORE = "io\\.llmrouter\\.benchmarks\\."
            + "(Overhead|Throughput|Streaming|Failover|Strategy|Cost|Interceptor|Peer|PeerThroughput)Benchmark\\.";

    private Suite() {
    }

    /**
     * @param args optional results directory, {@code --rounds N}, {@code --quick}, {@code --include REGEX},
     *     {@code --pinned}
     * @throws RunnerException when JMH fails
     * @throws IOException when the results cannot be written
     */
    public static void main(String[] args) throws RunnerException, IOException {
        Args a = Args.parse(args);
        Path dir = a.dir();
        int rounds = a.rounds();
        boolean quick = a.quick();
        String only = a.include().orElse(null);
        Files.createDirectories(dir);
        boolean redis = RedisProbe.configuredPort().isPresent();
        List<List<RunResult>> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            String file = rounds == 1 ? "jmh-result.json" : "jmh-result-" + round + ".json";
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .addProfiler(GCProfiler.class)
                    .resultFormat(ResultFormatType.JSON)
                    .result(dir.resolve(file).toString());
            include(options, redis);
            if (only != null) {
                options.exclude("^(?!.*(" + only + ")).*$");
            }
            if (a.pinned()) {
                options.jvmArgsAppend("-D" + LoopbackUpstream.PINNED + "=true");
            }
            if (quick) {
                options.warmupIterations(2).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(2).measurementTime(TimeValue.seconds(1));
            }
            if (rounds > 1) {
                System.out.printf("%n# Suite round %d of %d%n", round, rounds);
            }
            Collection<RunResult> run = new Runner(options.build()).run();
            results.add(new ArrayList<>(run));
        }
        String report = report(results, redis);
        System.out.println();
        System.out.println(report);
        Files.writeString(dir.resolve("bar.md"), report, StandardCharsets.UTF_8);
    }

    /** What a round runs: the core pairs, the peers, the observability and cache pairs, Redis when given. */
    private static void include(ChainedOptionsBuilder options, boolean redis) {
        options.include(CORE)
                .include("io\\.llmrouter\\.benchmarks\\.ObservabilityBenchmark\\.(none|micrometer|opentelemetry)$")
                .include("io\\.llmrouter\\.benchmarks\\.CacheBenchmark\\.memoryHit$");
        if (redis) {
            options.include("io\\.llmrouter\\.benchmarks\\.RedisLoopbackBenchmark\\.");
        }
    }

    /** The command line: results directory, rounds, quick mode, include filter, pinned upstream. */
    record Args(Path dir, int rounds, boolean quick, Optional<String> include, boolean pinned) {

        /** Parses {@code [results-dir] [--rounds N] [--quick] [--include REGEX] [--pinned]}, in any order. */
        static Args parse(String... args) {
            Path dir = Path.of("router-benchmarks/target");
            int rounds = 1;
            boolean quick = false;
            String include = null;
            boolean pinned = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--rounds" -> {
                        rounds = Integer.parseInt(value(args, i++, "a number"));
                        if (rounds < 1) {
                            throw new IllegalArgumentException("--rounds must be at least 1: " + rounds);
                        }
                    }
                    case "--quick" -> quick = true;
                    case "--pinned" -> pinned = true;
                    case "--include" -> include = value(args, i++, "a regular expression");
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + args[i]
                                    + "; usage: Suite [results-dir] [--rounds N] [--quick] [--include REGEX] [--pinned]");
                        }
                        dir = Path.of(args[i]);
                    }
                }
            }
            return new Args(dir, rounds, quick, Optional.ofNullable(include), pinned);
        }

        private static String value(String[] args, int option, String what) {
            if (option + 1 >= args.length) {
                throw new IllegalArgumentException(args[option] + " needs " + what);
            }
            return args[option + 1];
        }
    }

    /** The median of ascending {@code sorted} values (the mean of the middle two for an even count). */
    static double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            throw new IllegalArgumentException("no values");
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    // ---- the bar -----------------------------------------------------------------------------

    /** One measured quantity of one round: the number judged, and how it was computed. */
    private record Measure(double value, String detail) {
    }

    /** One row of the bar: what, the target (text starting with "(" when only reported), the test, the measure. */
    private record Row(String what, String target, DoublePredicate met, DoubleFunction<String> format,
            Function<List<RunResult>, Optional<Measure>> measure) {
    }

    /** The bar table over one or more rounds of results. */
    static String report(List<List<RunResult>> rounds, boolean redisRun) {
        StringBuilder sb = new StringBuilder();
        sb.append("| bar | measured | target | met |\n|---|---|---|---|\n");
        for (Row row : rows(rounds)) {
            List<Measure> measures = new ArrayList<>();
            for (List<RunResult> round : rounds) {
                row.measure().apply(round).ifPresent(measures::add);
            }
            if (measures.isEmpty()) {
                continue;
            }
            double[] values = measures.stream().mapToDouble(Measure::value).sorted().toArray();
            int n = values.length;
            double median = median(values);
            String measured = n == 1 ? measures.get(0).detail()
                    : String.format(Locale.ROOT, "**%s** median of %d (%s to %s)", row.format().apply(median), n,
                            row.format().apply(values[0]), row.format().apply(values[n - 1]));
            line(sb, row.what(), measured, row.target(),
                    row.target().startsWith("(") ? "" : row.met().test(median) ? "yes" : "**no**");
        }
        if (!redisRun) {
            line(sb, "with router-redis state on a local Redis: p50 / baseline p50, and no synchronous round trip",
                    "not run: set LLMROUTER_REDIS_PORT to a redis-server the suite may pause", "≤ 1.25×", "not run");
        }
        return sb.toString();
    }

    private static List<Row> rows(List<List<RunResult>> rounds) {
        List<Row> rows = new ArrayList<>();
        DoubleFunction<String> times = v -> String.format(Locale.ROOT, "%.2f×", v);
        DoubleFunction<String> plusMicros = v -> String.format(Locale.ROOT, "%+.1f µs", v);
        DoubleFunction<String> nanos = v -> String.format(Locale.ROOT, "%.0f ns", v);
        DoubleFunction<String> micros = v -> String.format(Locale.ROOT, "%.2f µs", v);
        DoublePredicate reported = v -> true;

        // completion(), one caller, loopback
        rows.add(new Row("`completion()` p50 / baseline p50 (loopback, one caller)", "≤ 1.10×", v -> v <= 1.10, times,
                r -> ratio(percentile(r, "OverheadBenchmark.router", 50), percentile(r, "OverheadBenchmark.baseline", 50),
                        "µs")));
        rows.add(new Row("`completion()` p99 / baseline p99 (loopback, one caller)", "≤ 1.10×", v -> v <= 1.10, times,
                r -> ratio(percentile(r, "OverheadBenchmark.router", 99), percentile(r, "OverheadBenchmark.baseline", 99),
                        "µs")));
        rows.add(new Row("router's own work per call (in-memory pair, means) over the loopback baseline p50", "≤ 1.10×",
                v -> v <= 1.10, times, r -> {
                    Optional<Double> base = percentile(r, "OverheadBenchmark.baseline", 50);
                    Optional<Double> baseMem = score(r, "OverheadBenchmark.baselineInMemory");
                    Optional<Double> routerMem = score(r, "OverheadBenchmark.routerInMemory");
                    if (base.isEmpty() || baseMem.isEmpty() || routerMem.isEmpty()) {
                        return Optional.empty();
                    }
                    double added = routerMem.get() - baseMem.get();
                    double ratio = (base.get() + added) / base.get();
                    return Optional.of(new Measure(ratio, String.format(Locale.ROOT, "+%.1f µs → %.2f×", added, ratio)));
                }));
        rows.add(new Row("allocation per call / baseline", "≤ 1.3×", v -> v <= 1.3, times,
                r -> ratio(alloc(r, "OverheadBenchmark.router"), alloc(r, "OverheadBenchmark.baseline"), "B")));

        // throughput
        for (String callers : new String[] {"8", "64"}) {
            int n = Integer.parseInt(callers);
            rows.add(new Row("`completion()` throughput at " + callers + " callers / raw blocking calls"
                    + " (PeerThroughputBenchmark)", "≥ 0.95×", v -> v >= 0.95, times,
                    r -> throughputRatio(score(r, "PeerThroughputBenchmark.completion", "client", "llmrouter",
                            "callers", callers), score(r, "PeerThroughputBenchmark.completion", "client", "raw",
                            "callers", callers), n)));
            for (String[] pair : new String[][] {{"router", "baseline"}, {"routerSync", "baselineSync"}}) {
                rows.add(new Row("`completion()` throughput at " + callers + " callers / baseline (ThroughputBenchmark."
                        + pair[0] + ")", "≥ 0.95×", v -> v >= 0.95, times,
                        r -> throughputRatio(callersScore(r, "ThroughputBenchmark." + pair[0], callers),
                                callersScore(r, "ThroughputBenchmark." + pair[1], callers), n)));
            }
            rows.add(new Row("`completionAsync()` throughput at " + callers + " callers / baseline", "≥ 0.95×",
                    v -> v >= 0.95, times,
                    r -> throughputRatio(callersScore(r, "ThroughputBenchmark.routerAsync", callers),
                            callersScore(r, "ThroughputBenchmark.baselineAsync", callers), n)));
        }

        // streams
        for (String[] m : new String[][] {{"routerStream", "iterator"}, {"routerStreamCallback", "callback"}}) {
            rows.add(new Row("50-chunk stream read fully, " + m[1] + " (" + m[0] + ") / baseline", "≤ 1.20×",
                    v -> v <= 1.20, times, r -> ratio(score(r, "StreamingBenchmark." + m[0]),
                            score(r, "StreamingBenchmark.baselineStream"), "µs")));
        }

        rows.add(new Row("50-chunk stream read fully, callback (routerStreamCallback) / raw enqueued read"
                + " (baselineStreamEnqueued: the same two hand-offs)", "(reported)", reported, times,
                r -> ratio(score(r, "StreamingBenchmark.routerStreamCallback"),
                        score(r, "StreamingBenchmark.baselineStreamEnqueued"), "µs")));

        // failover (to the backup group, and by retry inside one group), per parameter set when the
        // benchmark has one (e.g. the failing status)
        for (String[] m : new String[][] {{"", "loopback", "routerFailover", "failover"},
                {"InMemory", "router's own work, in-memory pair", "routerFailover", "failover"},
                {"", "loopback", "routerRetry", "failover by retry inside a group"},
                {"InMemory", "router's own work, in-memory pair", "routerRetry", "failover by retry inside a group"}}) {
            for (Map<String, String> params : paramSets(rounds, "FailoverBenchmark." + m[2] + m[0])) {
                rows.add(new Row(m[3] + " (" + m[1] + describe(params) + "): router − (failed call + good call)",
                        "≤ +20 µs", v -> v <= 20, plusMicros, r -> {
                            Optional<Double> b = score(r, "FailoverBenchmark.baselineFailedThenSuccess" + m[0], params);
                            Optional<Double> f = score(r, "FailoverBenchmark." + m[2] + m[0], params);
                            return b.isEmpty() || f.isEmpty() ? Optional.empty()
                                    : Optional.of(new Measure(f.get() - b.get(), String.format(Locale.ROOT,
                                            "%.1f − %.1f µs = %+.1f µs", f.get(), b.get(), f.get() - b.get())));
                        }));
            }
        }

        // choice
        for (String strategy : new String[] {"shuffle", "least-busy", "lowest-latency", "usage", "lowest-cost"}) {
            for (String n : new String[] {"10", "100", "1000"}) {
                boolean bar = n.equals("1000");
                rows.add(new Row("choice among " + n + ", " + strategy + " (StrategyBenchmark)",
                        bar ? "< 1,000 ns" : "(reported)", bar ? v -> v < 1000 : reported, nanos,
                        r -> score(r, "StrategyBenchmark.choose", "strategy", strategy, "deployments", n)
                                .map(v -> new Measure(v, nanos.apply(v)))));
            }
        }
        for (String[] variant : new String[][] {{"none", "plain", ""},
                {"rpm", "plain", ", every deployment with an rpm limit"}, {"none", "tools", ", a request with tools"}}) {
            String limits = variant[0];
            String request = variant[1];
            String with = variant[2];
            for (String strategy : new String[] {"shuffle", "least-busy", "lowest-latency", "usage", "lowest-cost"}) {
                rows.add(new Row("`completion()` with an instant provider, " + strategy + with
                        + ": 1,000 deployments − 1 (ChoiceBenchmark)", "< 1,000 ns", v -> v < 1000, nanos, r -> {
                            Optional<Double> one = score(r, "ChoiceBenchmark.completion", "strategy", strategy,
                                    "deployments", "1", "limits", limits, "request", request);
                            Optional<Double> many = score(r, "ChoiceBenchmark.completion", "strategy", strategy,
                                    "deployments", "1000", "limits", limits, "request", request);
                            return one.isEmpty() || many.isEmpty() ? Optional.empty()
                                    : Optional.of(new Measure(many.get() - one.get(), String.format(Locale.ROOT,
                                            "%.0f − %.0f ns = %.0f ns", many.get(), one.get(),
                                            many.get() - one.get())));
                        }));
            }
        }

        // Redis on loopback
        rows.add(new Row("with router-redis state on a local Redis: p50 / baseline p50 (loopback)", "≤ 1.25×",
                v -> v <= 1.25, times, r -> ratio(percentile(r, "RedisLoopbackBenchmark.routerRedis", 50),
                        percentile(r, "RedisLoopbackBenchmark.baseline", 50), "µs")));
        rows.add(new Row("same run, in-memory state: p50 / baseline p50", "(reported)", reported, times,
                r -> ratio(percentile(r, "RedisLoopbackBenchmark.router", 50),
                        percentile(r, "RedisLoopbackBenchmark.baseline", 50), "µs")));
        rows.add(new Row("no synchronous round trip: " + RedisLoopbackBenchmark.BURST + " calls made while Redis"
                + " is paused " + RedisLoopbackBenchmark.PAUSE_MILLIS + " ms all end inside the pause (slowest burst)",
                "< " + RedisLoopbackBenchmark.PAUSE_MILLIS + " ms", v -> v < RedisLoopbackBenchmark.PAUSE_MILLIS,
                v -> String.format(Locale.ROOT, "%.1f ms", v), r -> find(r, "RedisLoopbackBenchmark.pausedRedisBurst")
                        .map(x -> {
                            double p50 = x.getPrimaryResult().getStatistics().getPercentile(50);
                            double max = x.getPrimaryResult().getStatistics().getMax();
                            return new Measure(max, String.format(Locale.ROOT, "slowest %.1f ms, median %.1f ms"
                                    + " (%.2f ms per call)", max, p50, p50 / RedisLoopbackBenchmark.BURST));
                        })));

        // observability and cache
        for (String module : new String[] {"micrometer", "opentelemetry"}) {
            rows.add(new Row(module + " bound: − none (in-memory, means)", "≤ +2 µs", v -> v <= 2, plusMicros, r -> {
                Optional<Double> none = score(r, "ObservabilityBenchmark.none");
                Optional<Double> with = score(r, "ObservabilityBenchmark." + module);
                return none.isEmpty() || with.isEmpty() ? Optional.empty() : Optional.of(new Measure(
                        (with.get() - none.get()) / 1000, String.format(Locale.ROOT, "%.0f − %.0f ns = %+.2f µs",
                                with.get(), none.get(), (with.get() - none.get()) / 1000)));
            }));
        }
        rows.add(new Row("in-memory cache hit, p50", "≤ 5 µs", v -> v <= 5, micros,
                r -> find(r, "CacheBenchmark.memoryHit").map(x -> {
                    double p50 = x.getPrimaryResult().getStatistics().getPercentile(50);
                    return new Measure(p50, String.format(Locale.ROOT, "%.2f µs (mean %.2f µs)", p50,
                            x.getPrimaryResult().getScore()));
                })));

        // request control and the rest, reported
        for (String m : new String[] {"oneInterceptor", "oneRule"}) {
            rows.add(new Row("request control: " + m + " − none (in-memory, means)", "(reported)", reported, plusMicros,
                    r -> {
                        Optional<Double> none = score(r, "InterceptorBenchmark.none");
                        Optional<Double> with = score(r, "InterceptorBenchmark." + m);
                        return none.isEmpty() || with.isEmpty() ? Optional.empty()
                                : Optional.of(new Measure(with.get() - none.get(),
                                        plusMicros.apply(with.get() - none.get())));
                    }));
        }
        rows.add(new Row("five deployments + retries + listener, p50 / baseline p50", "(reported)", reported, times,
                r -> ratio(percentile(r, "OverheadBenchmark.routerFiveDeployments", 50),
                        percentile(r, "OverheadBenchmark.baseline", 50), "µs")));
        rows.add(new Row("price lookup", "< 200 ns", v -> v < 200, nanos,
                r -> score(r, "CostBenchmark.priceLookup").map(v -> new Measure(v, nanos.apply(v)))));
        rows.add(new Row("cost from a known price", "(reported)", reported, nanos,
                r -> score(r, "CostBenchmark.costComputation").map(v -> new Measure(v, nanos.apply(v)))));
        rows.add(new Row("cost from a route (lookup + cost)", "(reported)", reported, nanos,
                r -> score(r, "CostBenchmark.costFromRoute").map(v -> new Measure(v, nanos.apply(v)))));

        // the other Java clients: llmrouter's figure over theirs (below 1: llmrouter is faster)
        for (String peer : new String[] {"raw", "openai-java", "langchain4j"}) {
            rows.add(new Row("peers: llmrouter p50 / " + peer + " p50 (PeerBenchmark, one caller)", "(reported)",
                    reported, times, r -> ratio(percentile(r, "PeerBenchmark.completion", 50, "client", "llmrouter"),
                            percentile(r, "PeerBenchmark.completion", 50, "client", peer), "µs")));
            rows.add(new Row("peers: llmrouter p99 / " + peer + " p99", "(reported)", reported, times,
                    r -> ratio(percentile(r, "PeerBenchmark.completion", 99, "client", "llmrouter"),
                            percentile(r, "PeerBenchmark.completion", 99, "client", peer), "µs")));
            for (String callers : new String[] {"8", "64"}) {
                int n = Integer.parseInt(callers);
                rows.add(new Row("peers: llmrouter throughput / " + peer + " at " + callers + " callers", "(reported)",
                        reported, times, r -> throughputRatio(score(r, "PeerThroughputBenchmark.completion", "client",
                                "llmrouter", "callers", callers), score(r, "PeerThroughputBenchmark.completion",
                                "client", peer, "callers", callers), n)));
            }
            rows.add(new Row("peers: llmrouter allocation per call / " + peer, "(reported)", reported, times,
                    r -> ratio(alloc(r, "PeerBenchmark.completion", "client", "llmrouter"),
                            alloc(r, "PeerBenchmark.completion", "client", peer), "B")));
            rows.add(new Row("peers: llmrouter 50-chunk stream / " + peer + " (each client's own streaming API)",
                    "(reported)", reported, times, r -> ratio(score(r, "PeerBenchmark.stream", "client", "llmrouter"),
                            score(r, "PeerBenchmark.stream", "client", peer), "µs")));
            rows.add(new Row("peers: llmrouter allocation per stream / " + peer, "(reported)", reported, times,
                    r -> ratio(alloc(r, "PeerBenchmark.stream", "client", "llmrouter"),
                            alloc(r, "PeerBenchmark.stream", "client", peer), "B")));
        }
        return rows;
    }

    private static void line(StringBuilder sb, String what, String measured, String target, String met) {
        sb.append("| ").append(what).append(" | ").append(measured).append(" | ").append(target).append(" | ")
                .append(met).append(" |\n");
    }

    // ---- reading results ---------------------------------------------------------------------

    private static Optional<Measure> ratio(Optional<Double> of, Optional<Double> to, String unit) {
        if (of.isEmpty() || to.isEmpty()) {
            return Optional.empty();
        }
        double a = of.get();
        double b = to.get();
        String format = unit.equals("B") ? "%.0f / %.0f %s = %.2f×" : "%.1f / %.1f %s = %.2f×";
        return Optional.of(new Measure(a / b, String.format(Locale.ROOT, format, a, b, unit, a / b)));
    }

    /** Ratio of two throughputs in ops/s, where one op is {@code callers} requests. */
    private static Optional<Measure> throughputRatio(Optional<Double> of, Optional<Double> to, int callers) {
        if (of.isEmpty() || to.isEmpty()) {
            return Optional.empty();
        }
        double a = of.get() * callers;
        double b = to.get() * callers;
        return Optional.of(new Measure(a / b, String.format(Locale.ROOT, "%.0f / %.0f req/s = %.2f×", a, b, a / b)));
    }

    /** The params of every result of {@code benchmark} in any round, but the JMH-wide ones. */
    private static List<Map<String, String>> paramSets(List<List<RunResult>> rounds, String benchmark) {
        List<Map<String, String>> sets = new ArrayList<>();
        for (List<RunResult> round : rounds) {
            for (RunResult r : round) {
                if (r.getParams().getBenchmark().endsWith("." + benchmark)) {
                    Map<String, String> params = params(r.getParams());
                    if (!sets.contains(params)) {
                        sets.add(params);
                    }
                }
            }
        }
        return sets;
    }

    private static Map<String, String> params(BenchmarkParams p) {
        Map<String, String> map = new TreeMap<>();
        for (String key : p.getParamsKeys()) {
            map.put(key, p.getParam(key));
        }
        return map;
    }

    private static String describe(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(", ").append(k).append('=').append(v));
        return sb.toString();
    }

    /** The result of {@code benchmark} whose params include the given key-value pairs. */
    private static Optional<RunResult> find(List<RunResult> results, String benchmark, String... keyValues) {
        outer:
        for (RunResult r : results) {
            if (!r.getParams().getBenchmark().endsWith("." + benchmark)) {
                continue;
            }
            for (int i = 0; i + 1 < keyValues.length; i += 2) {
                if (!keyValues[i + 1].equals(r.getParams().getParam(keyValues[i]))) {
                    continue outer;
                }
            }
            return Optional.of(r);
        }
        return Optional.empty();
    }

    private static Optional<Double> score(List<RunResult> results, String benchmark, String... keyValues) {
        return find(results, benchmark, keyValues).map(r -> r.getPrimaryResult().getScore());
    }

    private static Optional<Double> score(List<RunResult> results, String benchmark, Map<String, String> params) {
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("." + benchmark) && params(r.getParams()).equals(params)) {
                return Optional.of(r.getPrimaryResult().getScore());
            }
        }
        return Optional.empty();
    }

    /** A throughput result at {@code callers}: its {@code callers} param, else as many JMH threads. */
    private static Optional<Double> callersScore(List<RunResult> results, String benchmark, String callers) {
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            if (!p.getBenchmark().endsWith("." + benchmark)) {
                continue;
            }
            String param = p.getParam("callers");
            if (param != null ? param.equals(callers) : Objects.equals(Integer.toString(p.getThreads()), callers)) {
                return Optional.of(r.getPrimaryResult().getScore());
            }
        }
        return Optional.empty();
    }

    private static Optional<Double> percentile(List<RunResult> results, String benchmark, double percentile,
            String... keyValues) {
        return find(results, benchmark, keyValues)
                .map(r -> r.getPrimaryResult().getStatistics().getPercentile(percentile));
    }

    private static Optional<Double> alloc(List<RunResult> results, String benchmark, String... keyValues) {
        return find(results, benchmark, keyValues).map(r -> {
            Result<?> a = r.getSecondaryResults().get("gc.alloc.rate.norm");
            return a == null ? Double.NaN : a.getScore();
        });
    }
}
