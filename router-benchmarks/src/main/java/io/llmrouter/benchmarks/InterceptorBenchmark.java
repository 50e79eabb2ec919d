package io.llmrouter.benchmarks;

import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.control.Interception;
import io.llmrouter.control.RequestInterceptor;
import io.llmrouter.control.ResponseRule;
import io.llmrouter.control.RuleVerdict;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.providers.openai.OpenAiProvider;
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
 * What request control costs per call: {@code router.completion()} over
 * {@link OverheadBenchmark}'s in-memory transport (the OpenAI adapter, no socket) with no
 * interceptor or rule ({@code none}, the empty chain: one null check per attempt), with one
 * pass-through interceptor ({@code oneInterceptor}) and with one accepting response rule
 * ({@code oneRule}). The differences of the means are the cost of the chain; {@code none} against
 * {@code OverheadBenchmark.routerInMemory} (the same setup before request control existed) shows
 * the empty chain's. Run with {@code -prof gc} for the allocation per call (the pass-through ones
 * allocate nothing of their own: {@link Interception#proceed()} and {@link RuleVerdict#accept()}
 * are constants).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InterceptorBenchmark {

    private Router none;
    private Router oneInterceptor;
    private Router oneRule;
    private ChatRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        request = Fixtures.REQUEST;
        RequestInterceptor passThrough = (attempt, q) -> Interception.proceed();
        ResponseRule accepting = (attempt, q, r) -> RuleVerdict.accept();
        none = inMemory().build();
        oneInterceptor = inMemory().interceptor(passThrough).build();
        oneRule = inMemory().responseRule(accepting).build();
        if (!none().text().equals(oneInterceptor().text()) || !none().text().equals(oneRule().text())) {
            throw new IllegalStateException("the routers' answers differ");
        }
    }

    private static Router.Builder inMemory() {
        return Router.builder()
                .provider("openai", OpenAiProvider.builder().httpClient(Fixtures.inMemory(DefaultHttpClient.shared()))
                        .build())
                .deployment(Fixtures.deployment("gpt-4o", "d0", Fixtures.IN_MEMORY_BASE).build());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        none.close();
        oneInterceptor.close();
        oneRule.close();
    }

    @Benchmark
    public ChatResponse none() {
        return none.completion(request);
    }

    @Benchmark
    public ChatResponse oneInterceptor() {
        return oneInterceptor.completion(request);
    }

    @Benchmark
    public ChatResponse oneRule() {
        return oneRule.completion(request);
    }
}
