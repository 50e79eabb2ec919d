package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.Provider;
import io.llmrouter.strategy.LowestCostStrategy;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Lowest cost in a group of 1,000 deployments, where the router chooses from its per-list price
 * index: the cheapest available deployment still wins, cooldowns, filters and live changes are
 * respected, and equally cheap deployments share the traffic.
 */
class LargeGroupLowestCostTest {

    private final VirtualTime time = VirtualTime.create();

    private Router.Builder thousand(Provider pricey) {
        Router.Builder b = Router.builder().clock(time.clock()).scheduler(time.scheduler())
                .random(new SplittableRandom(27)).strategy(LowestCostStrategy.instance())
                .retryPolicy(retry -> retry.backoff(Duration.ZERO, Duration.ZERO));
        for (int i = 0; i < 996; i++) {
            b.deployment(priced("pricey" + i, "1", pricey));
        }
        return b;
    }

    @Test
    void givenAThousandDeployments_whenLowestCostRoutes_thenCheapestUntilItCoolsThenTheNextCheapest() {
        FakeProvider pricey = FakeProvider.replying("pricey");
        FakeProvider cheap = FakeProvider.builder().reply("cheap").reply("cheap").fail(429).reply("cheap").build();
        FakeProvider mid = FakeProvider.replying("mid");
        try (Router router = thousand(pricey).deployment(priced("mid0", "0.5", mid))
                .deployment(priced("cheap", "0.1", cheap)).deployment(priced("mid1", "0.5", mid))
                .deployment(priced("mid2", "0.5", mid)).build()) {
            assertThat(call(router, "g").text()).isEqualTo("cheap");
            assertThat(call(router, "g").text()).isEqualTo("cheap");
            // rate limited: cheap cools down, the retry and later calls go to the mids
            assertThat(call(router, "g").text()).isEqualTo("mid");
            assertThat(call(router, "g").text()).isEqualTo("mid");
            assertThat(pricey.callCount()).isZero();
            time.advance(CooldownPolicy.DEFAULT_COOLDOWN_TIME);
            assertThat(call(router, "g").text()).isEqualTo("cheap");
        }
    }

    @Test
    void givenAThousandDeployments_whenACheaperOneIsAddedAndRemovedLive_thenTheChoiceFollows() {
        FakeProvider pricey = FakeProvider.replying("pricey");
        try (Router router = thousand(pricey).deployment(priced("cheap", "0.1", FakeProvider.replying("cheap")))
                .deployment(priced("mid", "0.5", FakeProvider.replying("mid")))
                .deployment(priced("mid1", "0.5", FakeProvider.replying("mid")))
                .deployment(priced("mid2", "0.5", FakeProvider.replying("mid"))).build()) {
            assertThat(call(router, "g").text()).isEqualTo("cheap");
            router.upsertDeployment(priced("cheaper", "0.01", FakeProvider.replying("cheaper")));
            assertThat(call(router, "g").text()).isEqualTo("cheaper");
            router.upsertDeployment(priced("cheap", "2", FakeProvider.replying("cheap")));
            router.removeDeployment("cheaper");
            assertThat(call(router, "g").text()).isEqualTo("mid");
            assertThat(pricey.callCount()).isZero();
        }
    }

    @Test
    void givenAThousandDeployments_whenTheRequestFiltersByTag_thenTheCheapestTaggedOneServes() {
        FakeProvider pricey = FakeProvider.replying("pricey");
        Router.Builder b = thousand(pricey).filterByTags()
                .deployment(priced("cheap", "0.1", FakeProvider.replying("cheap")));
        b.deployment(Deployment.builder("g", "custom/eu-mid").id("eu-mid").addTag("eu")
                .provider(FakeProvider.replying("eu-mid")).price(price("0.5")).build());
        b.deployment(Deployment.builder("g", "custom/eu-cheap").id("eu-cheap").addTag("eu")
                .provider(FakeProvider.replying("eu-cheap")).price(price("0.2")).build());
        b.deployment(priced("other", "3", pricey));
        try (Router router = b.build()) {
            assertThat(call(router, ChatRequest.builder("g").addMessage(Message.user("x")).addTag("eu").build()).text())
                    .isEqualTo("eu-cheap");
            assertThat(call(router, "g").text()).isEqualTo("cheap");
        }
    }

    @Test
    void givenFiveHundredEquallyCheapDeployments_whenLowestCostRoutes_thenOnlyTheyServeAndTheyShareTheTraffic() {
        FakeProvider cheap = FakeProvider.replying("cheap");
        FakeProvider pricey = FakeProvider.replying("pricey");
        Router.Builder b = Router.builder().clock(time.clock()).scheduler(time.scheduler())
                .random(new SplittableRandom(5)).strategy(LowestCostStrategy.instance());
        for (int i = 0; i < 1_000; i++) {
            b.deployment(i % 2 == 0 ? priced("cheap" + i, "0.1", cheap) : priced("pricey" + i, "1", pricey));
        }
        try (Router router = b.build()) {
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                served.add(call(router, "g").routing().orElseThrow().deploymentId());
            }
            assertThat(pricey.callCount()).isZero();
            assertThat(served).allMatch(id -> id.startsWith("cheap")).hasSizeGreaterThan(20);
        }
    }

    private ChatResponse call(Router router, String group) {
        return call(router, ChatRequest.ofUser(group, "x"));
    }

    private ChatResponse call(Router router, ChatRequest request) {
        CompletableFuture<ChatResponse> f = router.completionAsync(request);
        time.advanceUntil(f::isDone, Duration.ofHours(1));
        return f.join();
    }

    private static Deployment priced(String id, String perMillion, Provider provider) {
        return Deployment.builder("g", "custom/" + id).id(id).provider(provider).price(price(perMillion)).build();
    }

    private static ModelPrice price(String perMillion) {
        return ModelPrice.builder().inputPerMillion(perMillion).outputPerMillion(perMillion).build();
    }
}
