package io.llmrouter.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.RoutingStrategy;
import io.llmrouter.strategy.LeastBusyStrategy;
import io.llmrouter.strategy.LowestCostStrategy;
import io.llmrouter.strategy.LowestLatencyStrategy;
import io.llmrouter.strategy.UsageBasedStrategy;
import io.llmrouter.strategy.WeightedShuffleStrategy;
import java.util.concurrent.CompletableFuture;
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
 * The router's own cost per call, provider excluded: a group of N deployments whose provider
 * answers at once with a prebuilt response, so the time is choosing a deployment (cooldown and
 * limit checks, order, strategy), the attempt bookkeeping, cost and the response copy.
 * {@code baseline} is the same with one deployment: the difference is the choice among N.
 *
 * <p>{@code limits=rpm} gives every deployment an rpm limit far above what the benchmark reaches,
 * so every call takes the path that checks each deployment's limits before choosing (as a group
 * with rpm/tpm limits, max parallel requests or deployment budgets does), while none is excluded.
 *
 * <p>{@code request=tools} sends a request with a tool definition, which needs function calling:
 * the capability every deployment here has (gpt-4o in the price table).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ChoiceBenchmark {

    @Param({"1", "1000"})
    public int deployments;

    @Param({"shuffle", "least-busy", "lowest-latency", "usage", "lowest-cost"})
    public String strategy;

    @Param({"none", "rpm"})
    public String limits;

    @Param({"plain", "tools"})
    public String request;

    /** The rpm limit of {@code limits=rpm}: never reached, so it only adds the per-deployment checks. */
    static final int UNREACHED_RPM = 1_000_000_000;

    private Router router;
    private ChatRequest chatRequest;

    /** A provider that answers at once with one prebuilt response. */
    static final class InstantProvider implements Provider {
        private final CompletableFuture<ChatResponse> answer;

        InstantProvider() {
            answer = CompletableFuture.completedFuture(ChatResponse.builder().id("bench").model("gpt-4o")
                    .addChoice(Choice.of(0, Message.assistant("ok"), FinishReason.STOP)).usage(Usage.of(20, 5)).build());
        }

        @Override
        public String name() {
            return "instant";
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
            return answer;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        RoutingStrategy s = switch (strategy) {
            case "least-busy" -> LeastBusyStrategy.instance();
            case "lowest-latency" -> LowestLatencyStrategy.instance();
            case "usage" -> UsageBasedStrategy.instance();
            case "lowest-cost" -> LowestCostStrategy.instance();
            default -> WeightedShuffleStrategy.instance();
        };
        InstantProvider provider = new InstantProvider();
        Router.Builder b = Router.builder().strategy(s);
        for (int i = 0; i < deployments; i++) {
            Deployment.Builder d = Deployment.builder("gpt-4o", "openai/gpt-4o").id("d" + i).weight(1 + i % 3)
                    .provider(provider);
            if (limits.equals("rpm")) {
                d.rpm(UNREACHED_RPM);
            }
            b.deployment(d.build());
        }
        router = b.build();
        ChatRequest.Builder r = ChatRequest.builder("gpt-4o").addMessage(Message.user("Say hello to the benchmark."));
        if (this.request.equals("tools")) {
            ObjectNode parameters = JsonNodeFactory.instance.objectNode().put("type", "object");
            parameters.putObject("properties").putObject("city").put("type", "string");
            r.addTool(Tool.function("get_weather", parameters));
        }
        chatRequest = r.build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
    }

    @Benchmark
    public ChatResponse completion() {
        return router.completion(chatRequest);
    }
}
