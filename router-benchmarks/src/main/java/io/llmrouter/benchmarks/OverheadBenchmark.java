package io.llmrouter.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.providers.openai.OpenAiProvider;
import io.llmrouter.spi.RouterListener;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * The router against the physical limit, in two pairs measured in the same run.
 *
 * <p><b>Over loopback HTTP</b> ({@link LoopbackUpstream}): {@code baseline} is a plain OkHttp POST
 * of a prebuilt JSON body plus a Jackson parse of the answer; {@code router} is
 * {@code router.completion()} through the OpenAI adapter to one deployment;
 * {@code routerFiveDeployments} adds a five-deployment group with retries, breakers, cost and a
 * listener. Same OkHttp client, same upstream. On a small machine these times are dominated by
 * the kernel's loopback round trip and vary from run to run by more than the router's cost.
 *
 * <p><b>Over an in-memory transport</b>: the same two clients, but the OkHttp client answers from
 * an interceptor with the same bytes (no socket), so what is left is exactly the client-side work:
 * OkHttp's call machinery, JSON, and, for the router, everything it adds. The difference between
 * {@code routerInMemory} and {@code baselineInMemory} is the router's cost per call, measured
 * without the network's noise.
 *
 * <p>Sample mode, so the report has the p50 the performance bar is about.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 15, time = 2)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class OverheadBenchmark {

    private LoopbackUpstream upstream;
    private OkHttpClient client;
    private OkHttpClient inMemoryClient;
    private Request baselineRequest;
    private Request inMemoryRequest;
    private ObjectMapper mapper;
    private Router single;
    private Router five;
    private Router inMemory;
    private ChatRequest request;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        upstream = new LoopbackUpstream();
        client = DefaultHttpClient.shared();
        mapper = new ObjectMapper();
        request = Fixtures.REQUEST;
        baselineRequest = Fixtures.baselinePost(upstream.baseUrl());
        single = Router.builder().deployment(Fixtures.deployment("gpt-4o", "d0", upstream.baseUrl()).build()).build();
        Router.Builder b = Router.builder().retryPolicy(retry -> retry.numRetries(2)).listener(new RouterListener() { });
        for (int i = 0; i < 5; i++) {
            b.deployment(Fixtures.deployment("gpt-4o", "d" + i, upstream.baseUrl()).timeout(Duration.ofSeconds(30))
                    .build());
        }
        five = b.build();

        inMemoryClient = Fixtures.inMemory(client);
        inMemoryRequest = Fixtures.baselinePost(Fixtures.IN_MEMORY_BASE);
        inMemory = Router.builder()
                .provider("openai", OpenAiProvider.builder().httpClient(inMemoryClient).build())
                .deployment(Fixtures.deployment("gpt-4o", "d0", Fixtures.IN_MEMORY_BASE).build())
                .build();
        if (!router().text().equals(routerInMemory().text())) {
            throw new IllegalStateException("the in-memory and loopback answers differ");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        single.close();
        five.close();
        inMemory.close();
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
        return single.completion(request);
    }

    @Benchmark
    public ChatResponse routerFiveDeployments() {
        return five.completion(request);
    }

    @Benchmark
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 3, time = 1)
    public JsonNode baselineInMemory() throws IOException {
        try (Response response = inMemoryClient.newCall(inMemoryRequest).execute()) {
            return mapper.readTree(response.body().byteStream());
        }
    }

    @Benchmark
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 3, time = 1)
    public ChatResponse routerInMemory() {
        return inMemory.completion(request);
    }
}
