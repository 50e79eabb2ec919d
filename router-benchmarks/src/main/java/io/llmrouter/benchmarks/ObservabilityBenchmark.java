package io.llmrouter.benchmarks;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.micrometer.RouterMetrics;
import io.llmrouter.opentelemetry.RouterTracing;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.testing.FakeProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What observability costs per call (issue 22's target: under 2 µs for each module). The same
 * call, {@code router.completion()} to one priced deployment answered in memory by
 * {@link FakeProvider} (no HTTP, so the router's own work is what is measured), with:
 * <ul>
 *   <li>{@code none}: no listener (the router makes no call events at all) and slf4j-simple's
 *       no-op MDC: the baseline;
 *   <li>{@code emptyListener}: a listener that does nothing: the price of the call events alone;
 *   <li>{@code micrometer}: {@link RouterMetrics} on a {@link SimpleMeterRegistry}, bound;
 *   <li>{@code opentelemetry}: {@link RouterTracing} on the OpenTelemetry SDK, sampling every call
 *       (spans recorded, then dropped: no exporter, so the export's cost is not counted);
 *   <li>{@code both}: the two together;
 *   <li>{@code noneWithMdc}: no listener, but an SLF4J binding with a real MDC ({@link MdcLogging}):
 *       the price of the router's MDC puts and restores.
 * </ul>
 * Each module's overhead is its score minus {@code none}'s. Average time, in nanoseconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ObservabilityBenchmark {

    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("2.5").outputPerMillion("10")
            .build();

    private ChatRequest request;
    private Router none;
    private Router emptyListener;
    private Router micrometer;
    private Router opentelemetry;
    private Router both;
    private SdkTracerProvider tracerProvider;

    private static Router.Builder router() {
        FakeProvider provider = FakeProvider.builder().usage(Usage.of(20, 10)).reply("hello back")
                .maxRecordedCalls(1).build();
        return Router.builder().deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("d0").price(PRICE)
                .provider(provider).build());
    }

    @Setup(Level.Trial)
    public void setUp() {
        request = ChatRequest.ofUser("gpt-4o", "hello");
        none = router().build();
        emptyListener = router().listener(new RouterListener() { }).build();

        RouterMetrics metrics = RouterMetrics.create(new SimpleMeterRegistry());
        micrometer = router().listener(metrics).build();
        metrics.bind(micrometer);

        tracerProvider = SdkTracerProvider.builder().build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
        opentelemetry = router().listener(RouterTracing.create(sdk)).build();

        RouterMetrics moreMetrics = RouterMetrics.create(new SimpleMeterRegistry());
        both = router().listener(moreMetrics).listener(RouterTracing.create(sdk)).build();
        moreMetrics.bind(both);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        none.close();
        emptyListener.close();
        micrometer.close();
        opentelemetry.close();
        both.close();
        tracerProvider.close();
    }

    @Benchmark
    public ChatResponse none() {
        return none.completion(request);
    }

    @Benchmark
    public ChatResponse emptyListener() {
        return emptyListener.completion(request);
    }

    @Benchmark
    public ChatResponse micrometer() {
        return micrometer.completion(request);
    }

    @Benchmark
    public ChatResponse opentelemetry() {
        return opentelemetry.completion(request);
    }

    @Benchmark
    public ChatResponse both() {
        return both.completion(request);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dslf4j.provider=io.llmrouter.benchmarks.MdcLogging")
    public ChatResponse noneWithMdc() {
        return none.completion(request);
    }
}
