package io.llmrouter.benchmarks;

import io.llmrouter.CachePolicy;
import io.llmrouter.RequestOptions;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.providers.openai.OpenAiProvider;
import io.llmrouter.testing.FakeProvider;
import java.io.IOException;
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
 * What the response cache costs and saves, per call of {@code router.completion()}:
 *
 * <ul>
 *   <li>{@code memoryHit}: an in-memory (Caffeine) hit: key (canonical JSON + SHA-256), lookup,
 *       decode of the stored answer, zero cost, listeners. The bar: a few microseconds;
 *   <li>{@code fakeProviderMiss}: the same router and request with {@code noCache}, answered by a
 *       {@link FakeProvider} (the whole routing path with no network; the answer is stored again);
 *   <li>{@code loopbackUncached}: the call over loopback HTTP to the OpenAI adapter, as
 *       {@link OverheadBenchmark#router()}, which a hit replaces;
 *   <li>{@code cacheOff} and {@code cacheOnOtherGroup}: the FakeProvider path with the cache off
 *       and with the cache on for another group only: the cache step's cost when it does not apply
 *       (one null check, one set lookup), which should not be measurable.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class CacheBenchmark {

    private static final RequestOptions NO_CACHE = RequestOptions.builder().noCache().build();

    private LoopbackUpstream upstream;
    private Router cached;
    private Router off;
    private Router otherGroup;
    private Router loopback;
    private ChatRequest request;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        upstream = new LoopbackUpstream();
        request = Fixtures.REQUEST;
        FakeProvider fake = FakeProvider.builder().maxRecordedCalls(1).reply("Hello, benchmark!").build();
        cached = Router.builder().provider("openai", fake)
                .deployment(Fixtures.deployment("gpt-4o", "d0", Fixtures.IN_MEMORY_BASE).build())
                .cache(CachePolicy.builder().build()).build();
        off = Router.builder().provider("openai", fake)
                .deployment(Fixtures.deployment("gpt-4o", "d0", Fixtures.IN_MEMORY_BASE).build()).build();
        otherGroup = Router.builder().provider("openai", fake)
                .deployment(Fixtures.deployment("gpt-4o", "d0", Fixtures.IN_MEMORY_BASE).build())
                .deployment(Fixtures.deployment("other", "o0", Fixtures.IN_MEMORY_BASE).build())
                .cache(CachePolicy.builder().addGroup("other").build()).build();
        loopback = Router.builder()
                .provider("openai", OpenAiProvider.builder().httpClient(DefaultHttpClient.shared()).build())
                .deployment(Fixtures.deployment("gpt-4o", "d0", upstream.baseUrl()).build()).build();
        cached.completion(request);
        if (cached.completion(request).cache().isEmpty()) {
            throw new IllegalStateException("the second call was not a cache hit");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cached.close();
        off.close();
        otherGroup.close();
        loopback.close();
        upstream.close();
    }

    @Benchmark
    public ChatResponse memoryHit() {
        return cached.completion(request);
    }

    @Benchmark
    public ChatResponse fakeProviderMiss() {
        return cached.completion(request, NO_CACHE);
    }

    @Benchmark
    public ChatResponse loopbackUncached() {
        return loopback.completion(request);
    }

    @Benchmark
    public ChatResponse cacheOff() {
        return off.completion(request);
    }

    @Benchmark
    public ChatResponse cacheOnOtherGroup() {
        return otherGroup.completion(request);
    }
}
