package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.RoutingStrategy;
import io.llmrouter.strategy.LeastBusyStrategy;
import io.llmrouter.strategy.LowestCostStrategy;
import io.llmrouter.strategy.LowestLatencyStrategy;
import io.llmrouter.strategy.UsageBasedStrategy;
import io.llmrouter.strategy.WeightedShuffleStrategy;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Large groups (more than 64 available deployments) whose requests must check each deployment (rpm
 * limits, max parallel requests, deployments that already failed the request): the router checks
 * only the deployments the strategy looks at, and still never picks one that fails a check, never
 * refuses a request while an eligible deployment exists, and keeps each strategy's rule.
 */
class LargeGroupPrecheckTest {

    private final VirtualTime time = VirtualTime.create();

    static Stream<RoutingStrategy> strategies() {
        return Stream.of(WeightedShuffleStrategy.instance(), LeastBusyStrategy.instance(),
                UsageBasedStrategy.instance(), LowestLatencyStrategy.instance(), LowestCostStrategy.instance());
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void givenAThousandDeploymentsOfOneRequestPerMinute_whenAThousandCallsArrive_thenEachServesOnceAndTheNextIsRateLimited(
            RoutingStrategy strategy) {
        List<FakeProvider> providers = new ArrayList<>();
        Router.Builder b = builder(strategy, 11).retryPolicy(retry -> retry.numRetries(0));
        for (int i = 0; i < 1_000; i++) {
            FakeProvider p = FakeProvider.replying("d" + i);
            providers.add(p);
            b.deployment(Deployment.builder("g", "custom/d" + i).id("d" + i).rpm(1).provider(p).build());
        }
        try (Router router = b.build()) {
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 1_000; i++) {
                served.add(call(router, "g").routing().orElseThrow().deploymentId());
            }
            // the last calls find nearly every deployment over its limit: the draws miss and the
            // general path finds the few left, so no call is refused early
            assertThat(served).hasSize(1_000);
            assertThat(providers).allMatch(p -> p.callCount() == 1);
            assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("g", "x")))
                    .isInstanceOf(RateLimitException.class);

            time.advance(Duration.ofMinutes(1));
            assertThat(call(router, "g").routing()).isPresent();
        }
    }

    @Test
    void givenWeightsAndAHeavyDeploymentOverItsLimit_whenShuffled_thenTheOthersShareTheTrafficByWeight() {
        Map<String, FakeProvider> providers = new HashMap<>();
        Router.Builder b = builder(WeightedShuffleStrategy.instance(), 3);
        // "spent" carries most of the weight but only one request a minute: after its first call most
        // weighted draws land on it and are rejected; "heavy" (weight 99) must still get about half
        // of the rest, as a weighted draw among the eligible deployments gives it
        b.deployment(deployment("spent", 2_000, 1, providers));
        b.deployment(deployment("heavy", 99, 1_000_000, providers));
        for (int i = 0; i < 99; i++) {
            b.deployment(deployment("light" + i, 1, 1_000_000, providers));
        }
        try (Router router = b.build()) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i < 2_001; i++) {
                counts.merge(call(router, "g").routing().orElseThrow().deploymentId(), 1, Integer::sum);
            }
            assertThat(counts.get("spent")).isEqualTo(1);
            int heavy = counts.get("heavy");
            int light = 2_000 - heavy;
            // expected 1,000 each; the bounds are over 4 standard deviations (about 22) away
            assertThat(heavy).isBetween(900, 1_100);
            assertThat(light).isBetween(900, 1_100);
        }
    }

    @Test
    void givenAThousandPricedDeploymentsWithLimits_whenLowestCostRoutes_thenTheCheapestWithinItsLimitServes() {
        Map<String, FakeProvider> providers = new HashMap<>();
        Router.Builder b = builder(LowestCostStrategy.instance(), 5).retryPolicy(retry -> retry.numRetries(0));
        for (int i = 0; i < 996; i++) {
            b.deployment(priced("pricey" + i, "1", 1_000, providers));
        }
        b.deployment(priced("cheap", "0.1", 2, providers));
        b.deployment(priced("mid0", "0.5", 1, providers));
        b.deployment(priced("mid1", "0.5", 1, providers));
        try (Router router = b.build()) {
            List<String> served = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                served.add(call(router, "g").routing().orElseThrow().deploymentId());
            }
            // the cheapest with rpm left each time: cheap twice, then the two mids, then a pricey one
            assertThat(served.subList(0, 2)).containsExactly("cheap", "cheap");
            assertThat(served.subList(2, 4)).containsExactlyInAnyOrder("mid0", "mid1");
            assertThat(served.get(4)).startsWith("pricey");

            time.advance(Duration.ofMinutes(1));
            assertThat(call(router, "g").routing().orElseThrow().deploymentId()).isEqualTo("cheap");
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void givenAHundredDeploymentsOfOneParallelCall_whenAHundredCallsAreInFlight_thenEachHasItsOwnDeployment(
            RoutingStrategy strategy) {
        Router.Builder b = builder(strategy, 13).retryPolicy(retry -> retry.numRetries(0));
        List<FakeProvider> providers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            FakeProvider p = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofSeconds(1))
                    .reply("d" + i).build();
            providers.add(p);
            b.deployment(Deployment.builder("g", "custom/d" + i).id("d" + i).maxParallelRequests(1).provider(p)
                    .build());
        }
        try (Router router = b.build()) {
            List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                calls.add(router.completionAsync(ChatRequest.ofUser("g", "x")));
            }
            assertThat(providers).allMatch(p -> p.callCount() == 1);
            time.advance(Duration.ofSeconds(1));
            assertThat(calls).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void givenAHundredDeployments_whenTheChosenOneFails_thenTheRetryGoesToAnother(RoutingStrategy strategy) {
        Router.Builder b = builder(strategy, 17).retryPolicy(retry -> retry.numRetries(1)
                .backoff(Duration.ZERO, Duration.ZERO));
        List<FakeProvider> providers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            FakeProvider p = FakeProvider.builder().fail(500).reply("d" + i).build();
            providers.add(p);
            b.deployment(Deployment.builder("g", "custom/d" + i).id("d" + i).provider(p).build());
        }
        try (Router router = b.build()) {
            assertThatThrownBy(() -> call(router, "g")).hasMessageContaining("500");
            // each attempt went to a deployment the request had not tried: two providers called once
            assertThat(providers.stream().mapToInt(FakeProvider::callCount).sum()).isEqualTo(2);
            assertThat(providers).allMatch(p -> p.callCount() <= 1);
        }
    }

    private Router.Builder builder(RoutingStrategy strategy, long seed) {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(seed))
                .strategy(strategy);
    }

    private ChatResponse call(Router router, String group) {
        CompletableFuture<ChatResponse> f = router.completionAsync(ChatRequest.ofUser(group, "x"));
        time.advanceUntil(f::isDone, Duration.ofSeconds(10));
        return f.join();
    }

    private static Deployment deployment(String id, int weight, int rpm, Map<String, FakeProvider> providers) {
        FakeProvider p = providers.computeIfAbsent(id, FakeProvider::replying);
        return Deployment.builder("g", "custom/" + id).id(id).weight(weight).rpm(rpm).provider(p).build();
    }

    private static Deployment priced(String id, String perMillion, int rpm, Map<String, FakeProvider> providers) {
        FakeProvider p = providers.computeIfAbsent(id, FakeProvider::replying);
        return Deployment.builder("g", "custom/" + id).id(id).provider(p).rpm(rpm)
                .price(ModelPrice.builder().inputPerMillion(perMillion).outputPerMillion(perMillion).build()).build();
    }
}
