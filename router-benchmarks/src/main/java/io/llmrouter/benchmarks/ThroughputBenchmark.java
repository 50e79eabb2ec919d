package io.llmrouter.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.providers.internal.DefaultHttpClient;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Concurrent throughput over loopback HTTP: one benchmark operation starts {@code callers}
 * concurrent non-streaming calls and waits for all of them, so <b>requests per second =
 * ops/s &times; {@code callers}</b>.
 *
 * <p>{@code baselineAsync} is the physical limit: plain OkHttp {@code enqueue} of the same JSON
 * body, each callback parsing the answer with Jackson {@code readTree} and completing a
 * {@link CompletableFuture}, joined with {@code allOf}. {@code routerAsync} is
 * {@code router.completionAsync(request)} through the OpenAI adapter to one deployment, joined the
 * same way. Both use the router's own client ({@link DefaultHttpClient#shared()}: 256 concurrent
 * requests per host, {@value DefaultHttpClient#MAX_IDLE_CONNECTIONS} idle connections kept), the
 * same {@link LoopbackUpstream} and the same run; the difference is what the router adds under
 * concurrency (adapter, routing, bookkeeping, cost, listener and future plumbing).
 *
 * <p>The pool keeps as many idle connections as the dispatcher runs calls at once, so both sides
 * reuse their connections from one burst to the next (until issue 27 it kept 32: at 64 callers the
 * connections above that were closed after each burst and reopened on the next one).
 *
 * <p>Each fork first pre-warms the side it measures from one thread ({@link Fixtures#prewarm}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 15, time = 2)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class ThroughputBenchmark {

    /** Concurrent calls per benchmark operation. */
    @Param({"8", "64"})
    public int callers;

    private LoopbackUpstream upstream;
    private OkHttpClient client;
    private Request baselineRequest;
    private ObjectMapper mapper;
    private Router router;
    private ChatRequest request;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
        upstream = new LoopbackUpstream();
        client = DefaultHttpClient.shared();
        mapper = new ObjectMapper();
        request = Fixtures.REQUEST;
        baselineRequest = Fixtures.baselinePost(upstream.baseUrl());
        router = Router.builder().deployment(Fixtures.deployment("gpt-4o", "d0", upstream.baseUrl()).build()).build();

        // Both sides must answer the fixed upstream reply, so the benchmark cannot measure errors.
        JsonNode answer = baselineCall().join();
        if (!"chatcmpl-bench0123456789".equals(answer.path("id").asText())) {
            throw new IllegalStateException("baseline did not get the loopback answer: " + answer);
        }
        ChatResponse response = router.completionAsync(request).join();
        if (!response.text().startsWith("Hello! This is a fixed answer")) {
            throw new IllegalStateException("router did not get the loopback answer: " + response);
        }
        if (params.getBenchmark().endsWith(".routerAsync")) {
            Fixtures.prewarm(() -> router.completionAsync(request).join());
        } else {
            Fixtures.prewarm(() -> baselineCall().join());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
        upstream.close();
    }

    /** One plain OkHttp call, completing with the parsed body (or the failure). */
    private CompletableFuture<JsonNode> baselineCall() {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        client.newCall(baselineRequest).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                f.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    f.complete(mapper.readTree(response.body().byteStream()));
                } catch (IOException | RuntimeException e) {
                    f.completeExceptionally(e);
                }
            }
        });
        return f;
    }

    @Benchmark
    public void baselineAsync(Blackhole bh) {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[callers];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = baselineCall();
        }
        CompletableFuture.allOf(futures).join();
        for (CompletableFuture<?> f : futures) {
            bh.consume(f.join());
        }
    }

    @Benchmark
    public void routerAsync(Blackhole bh) {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[callers];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = router.completionAsync(request);
        }
        CompletableFuture.allOf(futures).join();
        for (CompletableFuture<?> f : futures) {
            bh.consume(f.join());
        }
    }
}
