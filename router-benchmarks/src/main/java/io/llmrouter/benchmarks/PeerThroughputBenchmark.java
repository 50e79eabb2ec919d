package io.llmrouter.benchmarks;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * llmrouter against the other Java clients under concurrency, over {@link LoopbackUpstream}: one
 * benchmark operation has {@code callers} threads each make one blocking chat completion through
 * the {@link Peer} {@code client}, and waits for all of them, so <b>requests per second = ops/s
 * &times; {@code callers}</b>. Blocking calls on a pool of {@code callers} platform threads are
 * the one shape every client offers (LangChain4j's chat model has no asynchronous call); the
 * router's own asynchronous throughput is {@link ThroughputBenchmark}'s.
 *
 * <p>Each client keeps its own transport: {@code raw} and {@code llmrouter} share
 * {@code DefaultHttpClient.shared()}, {@code openai-java} has its own OkHttp client with the same
 * pool size, {@code langchain4j} the JDK's {@code HttpClient}. Setup checks each parses the answer,
 * then pre-warms the client from one thread ({@link Fixtures#prewarm}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PeerThroughputBenchmark {

    /** The client: {@code raw}, {@code llmrouter}, {@code openai-java} or {@code langchain4j}. */
    @Param({"raw", "llmrouter", "openai-java", "langchain4j"})
    public String client;

    /** Concurrent blocking calls per benchmark operation, one per thread. */
    @Param({"8", "64"})
    public int callers;

    private LoopbackUpstream upstream;
    private Peer.Call call;
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        upstream = new LoopbackUpstream();
        Peer peer = Peer.of(client);
        call = peer.open(upstream);
        Peer.check(peer, call);
        Fixtures.prewarm(call::complete);
        pool = Executors.newFixedThreadPool(callers, r -> {
            Thread t = new Thread(r, "peer-caller");
            t.setDaemon(true);
            return t;
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
        call.close();
        upstream.close();
    }

    @Benchmark
    public void completion(Blackhole bh) {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[callers];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = CompletableFuture.supplyAsync(call::complete, pool);
        }
        CompletableFuture.allOf(futures).join();
        for (CompletableFuture<?> f : futures) {
            bh.consume(f.join());
        }
    }
}
