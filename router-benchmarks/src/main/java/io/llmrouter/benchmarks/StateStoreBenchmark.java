package io.llmrouter.benchmarks;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.redis.RedisStateStore;
import io.llmrouter.testing.FakeProvider;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-call cost of a shared {@code RedisStateStore} on a local redis-server against the
 * in-memory store, with no network to the provider (a {@link FakeProvider} answers), so what
 * differs is the store: {@code p50} (sample mode, one caller) and {@code throughput64} (64 callers)
 * for each {@code store}, without and with a {@code budget} (a budget needs one round trip to Redis
 * per call, to reserve; without one, the happy path sends asynchronously and waits for nothing).
 * Run with {@code -prof gc} for the allocation per call.
 *
 * <p>Needs a redis-server: its port in the system property or environment variable
 * {@code LLMROUTER_REDIS_PORT} (see {@code src-docs/performance.md}). Not part of {@link Suite}.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(1)
public class StateStoreBenchmark {

    /** $1 per million tokens in and out. */
    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("1").build();

    @Param({"memory", "redis"})
    public String store;

    @Param({"false", "true"})
    public boolean budget;

    private RedisStateStore redis;
    private Router router;
    private ChatRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        Router.Builder b = Router.builder().deployment(Deployment.builder("g", "openai/m").id("d").price(PRICE)
                .rpm(1_000_000_000).provider(FakeProvider.builder().usage(Usage.of(10, 5)).reply("ok")
                        .maxRecordedCalls(0).build())
                .build());
        if (store.equals("redis")) {
            String port = System.getProperty("LLMROUTER_REDIS_PORT", System.getenv("LLMROUTER_REDIS_PORT"));
            if (port == null || port.isBlank()) {
                throw new IllegalStateException("StateStoreBenchmark needs a redis-server: give its port with"
                        + " -DLLMROUTER_REDIS_PORT=... (jvmArgs) or the LLMROUTER_REDIS_PORT environment variable");
            }
            redis = RedisStateStore.builder().port(Integer.parseInt(port.trim()))
                    .keyPrefix("bench-" + System.nanoTime()).build();
            b.stateStore(redis);
        }
        if (budget) {
            // Large enough never to refuse during the run.
            b.budget(Budget.global().limitUsd("1000000000").period(BudgetPeriod.DAILY).build());
        }
        router = b.build();
        request = ChatRequest.builder("g").addMessage(Message.user("hello")).maxTokens(5).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
        if (redis != null) {
            redis.close();
        }
    }

    /** One caller: the p50 per call is the figure to compare. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public ChatResponse p50() {
        return router.completion(request);
    }

    /** 64 callers at once on one router: calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(64)
    public ChatResponse throughput64() {
        return router.completion(request);
    }
}
