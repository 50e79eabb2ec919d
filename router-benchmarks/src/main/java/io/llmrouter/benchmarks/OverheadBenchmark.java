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
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
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
 * The router against the physical limit, over loopback HTTP: {@code baseline} is a plain OkHttp
 * POST of the same JSON body plus a Jackson parse of the answer; {@code router} is
 * {@code router.completion()} through the OpenAI adapter to one deployment; {@code routerFiveDeployments}
 * adds a five-deployment group with retries, breakers, cost and a listener. Same client settings,
 * same upstream, same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OverheadBenchmark {

    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private LoopbackUpstream upstream;
    private OkHttpClient client;
    private Request baselineRequest;
    private ObjectMapper mapper;
    private Router single;
    private Router five;
    private ChatRequest request;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        upstream = new LoopbackUpstream();
        client = DefaultHttpClient.shared();
        mapper = new ObjectMapper();
        request = ChatRequest.ofUser("gpt-4o", "Say hello to the benchmark.");
        byte[] body = OpenAiJson.requestToJson(request).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        baselineRequest = new Request.Builder().url(upstream.baseUrl() + "/chat/completions")
                .header("Authorization", "Bearer sk-bench").post(RequestBody.create(body, JSON_TYPE)).build();
        single = Router.builder().deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("d0")
                .apiBase(upstream.baseUrl()).apiKey(Secret.of("sk-bench")).build()).build();
        Router.Builder b = Router.builder().numRetries(2).listener(new io.llmrouter.spi.RouterListener() { });
        for (int i = 0; i < 5; i++) {
            b.deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("d" + i).apiBase(upstream.baseUrl())
                    .apiKey(Secret.of("sk-bench")).timeout(Duration.ofSeconds(30)).build());
        }
        five = b.build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        single.close();
        five.close();
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
}
