package io.llmrouter.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the whole benchmark suite with the allocation profiler and prints the performance bar:
 * every ratio computed from results of the same run, each against its paired baseline.
 *
 * <pre>java -cp router-benchmarks/target/benchmarks.jar io.llmrouter.benchmarks.Suite [results-dir]</pre>
 *
 * <p>About nine minutes on two cores ({@link ChoiceBenchmark}, the router's whole call over an
 * instant provider for each strategy, is left out for time; run it on its own). Writes {@code jmh-result.json} (JMH's own format) and
 * {@code bar.md} (the table printed at the end) into {@code results-dir} (default
 * {@code router-benchmarks/target}).
 */
public final class Suite {

    private Suite() {
    }

    /**
     * @param args optional results directory
     * @throws RunnerException when JMH fails
     * @throws IOException when the results cannot be written
     */
    public static void main(String[] args) throws RunnerException, IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "router-benchmarks/target");
        Files.createDirectories(dir);
        Options options = new OptionsBuilder()
                .include("io.llmrouter.benchmarks."
                        + "(Overhead|Throughput|Streaming|Failover|Strategy|Cost|Interceptor)Benchmark")
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(dir.resolve("jmh-result.json").toString())
                .build();
        Collection<RunResult> results = new Runner(options).run();
        String report = report(new ArrayList<>(results));
        System.out.println();
        System.out.println(report);
        Files.writeString(dir.resolve("bar.md"), report, StandardCharsets.UTF_8);
    }

    /** The bar table for a run's results. */
    static String report(List<RunResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| bar | measured | target | met |\n|---|---|---|---|\n");
        Optional<Double> base = p50(results, "OverheadBenchmark.baseline");
        Optional<Double> router = p50(results, "OverheadBenchmark.router");
        base.ifPresent(b -> router.ifPresent(r -> row(sb, "completion() p50 / baseline p50 (loopback)",
                String.format(Locale.ROOT, "%.1f / %.1f µs = %.2f×", r, b, r / b), "≤ 1.10×", r / b <= 1.10)));
        Optional<Double> baseMem = score(results, "OverheadBenchmark.baselineInMemory", null);
        Optional<Double> routerMem = score(results, "OverheadBenchmark.routerInMemory", null);
        if (base.isPresent() && baseMem.isPresent() && routerMem.isPresent()) {
            // Sample mode: the in-memory scores are means; their difference is the router's own work.
            double added = routerMem.get() - baseMem.get();
            double ratio = (base.get() + added) / base.get();
            row(sb, "router's own work per call (in-memory transport) over the loopback baseline p50",
                    String.format(Locale.ROOT, "+%.1f µs → %.2f×", added, ratio), "≤ 1.10×", ratio <= 1.10);
        }
        Optional<Double> noChain = score(results, "InterceptorBenchmark.none", null);
        for (String m : new String[] {"oneInterceptor", "oneRule"}) {
            Optional<Double> with = score(results, "InterceptorBenchmark." + m, null);
            noChain.ifPresent(n -> with.ifPresent(w -> row(sb, "request control: " + m + " - none (in-memory, mean)",
                    String.format(Locale.ROOT, "%+.2f µs", w - n), "(reported)", true)));
        }
        Optional<Double> five = p50(results, "OverheadBenchmark.routerFiveDeployments");
        base.ifPresent(b -> five.ifPresent(f -> row(sb, "five deployments + retries + listener, p50 / baseline p50",
                String.format(Locale.ROOT, "%.1f / %.1f µs = %.2f×", f, b, f / b), "(reported)", true)));
        Optional<Double> allocBase = alloc(results, "OverheadBenchmark.baseline");
        Optional<Double> allocRouter = alloc(results, "OverheadBenchmark.router");
        allocBase.ifPresent(b -> allocRouter.ifPresent(r -> row(sb, "allocation per call / baseline",
                String.format(Locale.ROOT, "%.1f / %.1f KB = %.2f×", r / 1024, b / 1024, r / b), "≤ 1.5×",
                r / b <= 1.5)));
        for (String callers : new String[] {"8", "64"}) {
            Optional<Double> tb = score(results, "ThroughputBenchmark.baselineAsync", callers);
            Optional<Double> tr = score(results, "ThroughputBenchmark.routerAsync", callers);
            if (tb.isPresent() && tr.isPresent()) {
                double ratio = tr.get() / tb.get();
                boolean bar = callers.equals("64");
                row(sb, "completionAsync() throughput at " + callers + " callers / baseline",
                        String.format(Locale.ROOT, "%.0f / %.0f req/s = %.2f×", tr.get() * Integer.parseInt(callers),
                                tb.get() * Integer.parseInt(callers), ratio),
                        bar ? "≥ 0.90×" : "(reported)", !bar || ratio >= 0.90);
            }
        }
        Optional<Double> sb0 = score(results, "StreamingBenchmark.baselineStream", null);
        for (String m : new String[] {"routerStream", "routerStreamCallback"}) {
            Optional<Double> sr = score(results, "StreamingBenchmark." + m, null);
            sb0.ifPresent(b -> sr.ifPresent(r -> row(sb, "50-chunk stream read fully, " + m + " / baseline",
                    String.format(Locale.ROOT, "%.0f / %.0f µs = %.2f×", r, b, r / b), "≤ 1.20×", r / b <= 1.20)));
        }
        Optional<Double> fb = score(results, "FailoverBenchmark.baselineFailedThenSuccess", null);
        Optional<Double> fr = score(results, "FailoverBenchmark.routerFailover", null);
        fb.ifPresent(b -> fr.ifPresent(r -> row(sb, "failover (429 then success) − failed call + successful call",
                String.format(Locale.ROOT, "%.0f − %.0f µs = %+.1f µs", r, b, r - b), "≤ +20 µs", r - b <= 20)));
        Optional<Double> fbm = score(results, "FailoverBenchmark.baselineFailedThenSuccessInMemory", null);
        Optional<Double> frm = score(results, "FailoverBenchmark.routerFailoverInMemory", null);
        fbm.ifPresent(b -> frm.ifPresent(r -> row(sb, "failover, router's own work (in-memory transport)",
                String.format(Locale.ROOT, "%.1f − %.1f µs = %+.1f µs", r, b, r - b), "≤ +20 µs", r - b <= 20)));
        for (String strategy : new String[] {"shuffle", "least-busy", "lowest-latency", "usage", "lowest-cost"}) {
            for (String n : new String[] {"10", "100", "1000"}) {
                Optional<Double> s = strategyScore(results, strategy, n);
                boolean bar = n.equals("1000");
                s.ifPresent(v -> row(sb, "choice among " + n + ", " + strategy,
                        String.format(Locale.ROOT, "%.0f ns", v), bar ? "< 1,000 ns" : "(reported)", !bar || v < 1000));
            }
        }
        for (String strategy : new String[] {"shuffle", "least-busy", "lowest-latency", "usage", "lowest-cost"}) {
            Optional<Double> one = choiceScore(results, strategy, "1");
            Optional<Double> many = choiceScore(results, strategy, "1000");
            one.ifPresent(o -> many.ifPresent(m -> row(sb, "router.completion() with an instant provider, " + strategy
                    + ": 1 → 1,000 deployments", String.format(Locale.ROOT, "%.0f → %.0f ns", o, m), "(reported)",
                    true)));
        }
        Optional<Double> lookup = score(results, "CostBenchmark.priceLookup", null);
        lookup.ifPresent(v -> row(sb, "price lookup", String.format(Locale.ROOT, "%.0f ns", v), "< 200 ns", v < 200));
        score(results, "CostBenchmark.costComputation", null).ifPresent(v -> row(sb, "cost from a known price",
                String.format(Locale.ROOT, "%.0f ns", v), "(reported)", true));
        score(results, "CostBenchmark.costFromRoute", null).ifPresent(v -> row(sb, "cost from a route (lookup + cost)",
                String.format(Locale.ROOT, "%.0f ns", v), "(reported)", true));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String what, String measured, String target, boolean met) {
        sb.append("| ").append(what).append(" | ").append(measured).append(" | ").append(target).append(" | ")
                .append(target.startsWith("(") ? "" : met ? "yes" : "**no**").append(" |\n");
    }

    private static Optional<RunResult> find(List<RunResult> results, String benchmark, String param) {
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            if (!name.endsWith("." + benchmark)) {
                continue;
            }
            if (param != null) {
                String callers = r.getParams().getParam("callers");
                if (!param.equals(callers)) {
                    continue;
                }
            }
            return Optional.of(r);
        }
        return Optional.empty();
    }

    private static Optional<Double> score(List<RunResult> results, String benchmark, String callers) {
        return find(results, benchmark, callers).map(r -> r.getPrimaryResult().getScore());
    }

    private static Optional<Double> p50(List<RunResult> results, String benchmark) {
        return find(results, benchmark, null).map(r -> r.getPrimaryResult().getStatistics().getPercentile(50));
    }

    private static Optional<Double> alloc(List<RunResult> results, String benchmark) {
        return find(results, benchmark, null).map(r -> {
            Result<?> a = r.getSecondaryResults().get("gc.alloc.rate.norm");
            return a == null ? Double.NaN : a.getScore();
        });
    }

    private static Optional<Double> choiceScore(List<RunResult> results, String strategy, String deployments) {
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("ChoiceBenchmark.completion")
                    && strategy.equals(r.getParams().getParam("strategy"))
                    && deployments.equals(r.getParams().getParam("deployments"))) {
                return Optional.of(r.getPrimaryResult().getScore());
            }
        }
        return Optional.empty();
    }

    private static Optional<Double> strategyScore(List<RunResult> results, String strategy, String deployments) {
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("StrategyBenchmark.choose")
                    && strategy.equals(r.getParams().getParam("strategy"))
                    && deployments.equals(r.getParams().getParam("deployments"))) {
                return Optional.of(r.getPrimaryResult().getScore());
            }
        }
        return Optional.empty();
    }
}
