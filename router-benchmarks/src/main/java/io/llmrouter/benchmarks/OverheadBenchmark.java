package io.llmrouter.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.json.OpenAiJson;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.providers.openai.OpenAiProvider;
import io.llmrouter.spi.RouterListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
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

    private static final MediaType JSON_TYPE = MediaType.get("application/json");

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
        request = ChatRequest.ofUser("gpt-4o", "Say hello to the benchmark.");
        byte[] body = OpenAiJson.requestToJson(request).getBytes(StandardCharsets.UTF_8);
        baselineRequest = new Request.Builder().url(upstream.baseUrl() + "/chat/completions")
                .header("Authorization", "Bearer sk-bench").post(RequestBody.create(body, JSON_TYPE)).build();
        single = Router.builder().deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("d0")
                .apiBase(upstream.baseUrl()).apiKey(Secret.of("sk-bench")).build()).build();
        Router.Builder b = Router.builder().numRetries(2).listener(new RouterListener() { });
        for (int i = 0; i < 5; i++) {
            b.deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("d" + i).apiBase(upstream.baseUrl())
                    .apiKey(Secret.of("sk-bench")).timeout(Duration.ofSeconds(30)).build());
        }
        five = b.build();

        inMemoryClient = client.newBuilder().addInterceptor(chain -> new Response.Builder()
                .request(chain.request()).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                .header("Content-Type", "application/json")
                .body(ResponseBody.create(LoopbackUpstream.BODY, JSON_TYPE)).build()).build();
        inMemoryRequest = baselineRequest.newBuilder().url("http://in-memory.invalid/v1/chat/completions").build();
        inMemory = Router.builder()
                .provider("openai", OpenAiProvider.builder().httpClient(inMemoryClient).build())
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("d0")
                        .apiBase("http://in-memory.invalid/v1").apiKey(Secret.of("sk-bench")).build())
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
