package io.llmrouter.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.providers.openai.OpenAiProvider;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Blocking throughput: 8 or 64 JMH threads each make one blocking call after another, so the
 * score (ops/s, summed over the threads) is requests per second. The {@code completion()}
 * counterpart of {@link ThroughputBenchmark}'s asynchronous pair.
 *
 * <p>{@code baseline8} / {@code baseline64}: a plain OkHttp {@code execute()} of the same JSON body
 * to the {@link LoopbackUpstream}, its answer parsed with Jackson {@code readTree}.
 * {@code router8} / {@code router64}: {@code router.completion(request)} through the OpenAI
 * adapter to one deployment at the same upstream, with the same client
 * ({@link DefaultHttpClient#shared()}). {@code baselineInMemory64} / {@code routerInMemory64}: the
 * same 64 callers over an in-memory transport (an OkHttp interceptor answering with the same bytes),
 * so the difference is the router's own work under contention, free of the loopback's noise.
 * Each fork first pre-warms the side it measures from one thread ({@link Fixtures#prewarm}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 15, time = 2)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class BlockingThroughputBenchmark {

    private LoopbackUpstream upstream;
    private OkHttpClient client;
    private Request baselineRequest;
    private ObjectMapper mapper;
    private Router router;
    private OkHttpClient inMemoryClient;
    private Request inMemoryRequest;
    private Router inMemoryRouter;
    private ChatRequest request;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
        upstream = new LoopbackUpstream();
        client = DefaultHttpClient.shared();
        mapper = new ObjectMapper();
        request = Fixtures.REQUEST;
        baselineRequest = Fixtures.baselinePost(upstream.baseUrl());
        router = Router.builder().deployment(Fixtures.deployment("gpt-4o", "d0", upstream.baseUrl()).build()).build();
        inMemoryClient = Fixtures.inMemory(client);
        inMemoryRequest = Fixtures.baselinePost(Fixtures.IN_MEMORY_BASE);
        inMemoryRouter = Router.builder()
                .provider("openai", OpenAiProvider.builder().httpClient(inMemoryClient).build())
                .deployment(Fixtures.deployment("gpt-4o", "d0", Fixtures.IN_MEMORY_BASE).build())
                .build();

        // Every side must answer the fixed upstream reply, so the benchmark cannot measure errors.
        for (JsonNode answer : new JsonNode[] {call(client, baselineRequest), call(inMemoryClient, inMemoryRequest)}) {
            if (!"chatcmpl-bench0123456789".equals(answer.path("id").asText())) {
                throw new IllegalStateException("baseline did not get the fixed answer: " + answer);
            }
        }
        for (Router r : new Router[] {router, inMemoryRouter}) {
            ChatResponse response = r.completion(request);
            if (!response.text().startsWith("Hello! This is a fixed answer")) {
                throw new IllegalStateException("router did not get the fixed answer: " + response);
            }
        }
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        boolean inMemory = method.contains("InMemory");
        if (method.startsWith("router")) {
            Router measured = inMemory ? inMemoryRouter : router;
            Fixtures.prewarm(() -> measured.completion(request));
        } else {
            Fixtures.prewarm(() -> inMemory ? call(inMemoryClient, inMemoryRequest) : call(client, baselineRequest));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
        inMemoryRouter.close();
        upstream.close();
    }

    private JsonNode call(OkHttpClient c, Request r) throws IOException {
        try (Response response = c.newCall(r).execute()) {
            return mapper.readTree(response.body().byteStream());
        }
    }

    @Benchmark
    @Threads(8)
    public JsonNode baseline8() throws IOException {
        return call(client, baselineRequest);
    }

    @Benchmark
    @Threads(8)
    public ChatResponse router8() {
        return router.completion(request);
    }

    @Benchmark
    @Threads(64)
    public JsonNode baseline64() throws IOException {
        return call(client, baselineRequest);
    }

    @Benchmark
    @Threads(64)
    public ChatResponse router64() {
        return router.completion(request);
    }

    @Benchmark
    @Threads(64)
    @Warmup(iterations = 10, time = 2)
    @Measurement(iterations = 3, time = 1)
    public JsonNode baselineInMemory64() throws IOException {
        return call(inMemoryClient, inMemoryRequest);
    }

    @Benchmark
    @Threads(64)
    @Warmup(iterations = 10, time = 2)
    @Measurement(iterations = 3, time = 1)
    public ChatResponse routerInMemory64() {
        return inMemoryRouter.completion(request);
    }
}
