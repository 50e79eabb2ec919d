package io.llmrouter.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.redis.RedisStateStore;
import io.llmrouter.spi.StateStore;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
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
 * The router with its state on a local Redis against the raw call, over {@link LoopbackUpstream}
 * (issue 27's target: at most 1.25&times; the raw p50, and no synchronous round trip to Redis on
 * the happy path). Sample mode, one caller, same run:
 *
 * <ul>
 *   <li>{@code baseline}: the raw call, as {@link OverheadBenchmark#baseline()};
 *   <li>{@code router}: {@code router.completion()} with the default in-memory state;
 *   <li>{@code routerRedis}: the same with a {@link RedisStateStore} (no budget: the happy path);
 *   <li>{@code pausedRedisBurst} (single shot, milliseconds): {@value #BURST} calls of
 *       {@code completion()} made right after Redis was told to hold every client's commands for
 *       {@value #PAUSE_MILLIS} ms ({@code CLIENT PAUSE ... ALL}). A call that waited for any Redis
 *       reply could not return before the pause ends, so a burst that ends inside the pause
 *       (shorter than {@value #PAUSE_MILLIS} ms) proves that none of its calls waited for Redis.
 *       That store's command timeout ({@value #PAUSED_COMMAND_TIMEOUT_SECONDS} s) outlasts the
 *       pause, so it stays available and takes its usual path.
 * </ul>
 *
 * <p>Setup also counts the commands Redis executes ({@code INFO commandstats}) for
 * {@value #COUNTED} calls, and fails if there are none: the store must really write to Redis, or
 * the pair would measure nothing. It prints the commands per call.
 *
 * <p>Needs a redis-server of its own (the pause holds every client of that server): its port in
 * the system property or environment variable {@code LLMROUTER_REDIS_PORT}; without it the setup
 * fails with a message saying so, and {@link Suite} leaves this benchmark out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RedisLoopbackBenchmark {

    /** How long Redis is paused for each {@code pausedRedisBurst} (the paused store's command timeout is longer). */
    static final int PAUSE_MILLIS = 2000;

    /** The paused store's command timeout: longer than the pause, so the store stays available. */
    static final int PAUSED_COMMAND_TIMEOUT_SECONDS = 10;

    /** Calls per {@code pausedRedisBurst}. */
    static final int BURST = 100;

    /** Calls whose Redis commands setup counts. */
    static final int COUNTED = 200;

    private LoopbackUpstream upstream;
    private OkHttpClient client;
    private Request baselineRequest;
    private ObjectMapper mapper;
    private Router router;
    private RedisStateStore store;
    private Router routerRedis;
    private ChatRequest request;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        int port = RedisProbe.requiredPort("RedisLoopbackBenchmark");
        upstream = new LoopbackUpstream();
        client = DefaultHttpClient.shared();
        mapper = new ObjectMapper();
        request = Fixtures.REQUEST;
        baselineRequest = Fixtures.baselinePost(upstream.baseUrl());
        router = Router.builder().deployment(Fixtures.deployment("gpt-4o", "d0", upstream.baseUrl()).build()).build();
        store = RedisStateStore.builder().port(port).keyPrefix("bench-" + System.nanoTime()).build();
        routerRedis = Router.builder().stateStore(store)
                .deployment(Fixtures.deployment("gpt-4o", "d0", upstream.baseUrl()).build()).build();
        if (!Peer.TEXT.equals(routerRedis.completion(request).text())
                || !Peer.TEXT.equals(baseline().path("choices").path(0).path("message").path("content").asText())) {
            throw new IllegalStateException("the router on Redis or the baseline did not get the loopback answer");
        }
        try (RedisProbe probe = new RedisProbe(port)) {
            store.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
            long before = probe.commandsExecuted();
            for (int i = 0; i < COUNTED; i++) {
                routerRedis.completion(request);
            }
            store.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
            long commands = probe.commandsExecuted() - before - 1; // less the first INFO
            if (commands <= 0) {
                throw new IllegalStateException("Redis executed no command for " + COUNTED
                        + " calls: the state store is not writing to it");
            }
            System.out.printf("%nRedis executed %d commands for %d calls (%.2f per call, incl. the store's"
                    + " periodic refresh)%n", commands, COUNTED, (double) commands / COUNTED);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
        routerRedis.close();
        store.close();
        upstream.close();
    }

    @Benchmark
    public JsonNode baseline() throws IOException {
        try (Response response = client.newCall(baselineRequest).execute()) {
            return mapper.readTree(response.body().byteStream());
        }
    }

    @Benchmark
    public ChatResponse router() {
        return router.completion(request);
    }

    @Benchmark
    public ChatResponse routerRedis() {
        return routerRedis.completion(request);
    }

    /** A second router and store on the same Redis, paused around each burst. */
    @State(Scope.Benchmark)
    public static class Paused {
        private RedisStateStore store;
        private Router router;
        private RedisProbe probe;
        private long pauseEnds;

        @Setup(Level.Trial)
        public void setUp(RedisLoopbackBenchmark outer) throws IOException {
            int port = RedisProbe.requiredPort("RedisLoopbackBenchmark");
            store = RedisStateStore.builder().port(port).keyPrefix("bench-paused-" + System.nanoTime())
                    .commandTimeout(Duration.ofSeconds(PAUSED_COMMAND_TIMEOUT_SECONDS)).build();
            router = Router.builder().stateStore(store)
                    .deployment(Fixtures.deployment("gpt-4o", "d0", outer.upstream.baseUrl()).build()).build();
            router.completion(outer.request);
            probe = new RedisProbe(port);
        }

        /** Pauses Redis; the burst starts right after. */
        @Setup(Level.Iteration)
        public void pause() throws IOException {
            pauseEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PAUSE_MILLIS);
            probe.pauseAll(PAUSE_MILLIS);
        }

        /** Waits out the pause and the store's queued writes, so the next burst starts clean. */
        @TearDown(Level.Iteration)
        public void resume() throws InterruptedException, ExecutionException, TimeoutException {
            long left = pauseEnds - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            store.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (store.availability() != StateStore.Availability.AVAILABLE) {
                throw new IllegalStateException("the paused store went unavailable: " + store.availability());
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            router.close();
            store.close();
            probe.close();
        }
    }

    /** {@value #BURST} calls while Redis is paused: under {@value #PAUSE_MILLIS} ms unless a call waits for it. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3)
    @Measurement(iterations = 5)
    public ChatResponse pausedRedisBurst(Paused paused) {
        ChatResponse last = null;
        for (int i = 0; i < BURST; i++) {
            last = paused.router.completion(request);
        }
        return last;
    }
}
