package io.llmrouter.benchmarks;

import java.io.IOException;
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

/**
 * llmrouter against the other Java clients with one caller, over {@link LoopbackUpstream}: the
 * same chat completion ({@code completion}, sample mode: p50 and p99) and the same 50-chunk stream
 * read to its end ({@code stream}, average time), for each {@link Peer} {@code client}: {@code raw}
 * (OkHttp + Jackson, the physical limit), {@code llmrouter}, {@code openai-java} (the official
 * SDK, OkHttp transport) and {@code langchain4j} ({@code OpenAiChatModel}). Same upstream, same
 * answer bytes, retries off, equal timeouts; setup checks that each client parses the answer and
 * the whole stream. See {@link Peer} for what each client does, and
 * {@link PeerThroughputBenchmark} for 8 and 64 callers.
 *
 * <p>Warm-up is shorter than {@link OverheadBenchmark}'s (12 s, not 30 s) to keep
 * {@link Suite} under a quarter of an hour; the ratios between clients are what this measures.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PeerBenchmark {

    /** The client: {@code raw}, {@code llmrouter}, {@code openai-java} or {@code langchain4j}. */
    @Param({"raw", "llmrouter", "openai-java", "langchain4j"})
    public String client;

    private LoopbackUpstream upstream;
    private Peer.Call call;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        upstream = new LoopbackUpstream();
        Peer peer = Peer.of(client);
        call = peer.open(upstream);
        Peer.check(peer, call);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        call.close();
        upstream.close();
    }

    /** One chat completion, parsed: the p50 and p99 to compare. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public String completion() {
        return call.complete();
    }

    /** One 50-chunk stream read to its end through the client's own streaming API. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public String stream() {
        return call.stream();
    }
}
