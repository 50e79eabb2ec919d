package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.cost.ModelCapability;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.LatencyStats;
import io.llmrouter.spi.RoutingContext;
import io.llmrouter.strategy.LeastBusyStrategy;
import io.llmrouter.strategy.LowestCostStrategy;
import io.llmrouter.strategy.LowestLatencyStrategy;
import io.llmrouter.strategy.UsageBasedStrategy;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Statistical and behavioural tests of the built-in strategies and pre-call filters (seeded, virtual time). */
class StrategiesTest {

    private final VirtualTime time = VirtualTime.create();

    private Router.Builder virtual(long seed) {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(seed))
                .retryPolicy(retry -> retry.backoff(Duration.ZERO, Duration.ZERO));
    }

    private ChatResponse call(Router router, ChatRequest request) {
        CompletableFuture<ChatResponse> f = router.completionAsync(request);
        time.advanceUntil(f::isDone, Duration.ofHours(1));
        return f.join();
    }

    private static Map<String, Integer> count(Router router, int n, java.util.function.Supplier<ChatResponse> call) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(call.get().routing().orElseThrow().deploymentId(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void givenWeightsOneToThree_whenTenThousandPicks_thenTrafficSplitsTwentyFiveSeventyFive() {
        try (Router router = virtual(1)
                .deployment(Deployment.builder("g", "openai/m").id("one").weight(1).provider(FakeProvider.replying("1")).build())
                .deployment(Deployment.builder("g", "openai/m").id("three").weight(3).provider(FakeProvider.replying("3")).build())
                .build()) {
            Map<String, Integer> counts = count(router, 10_000, () -> call(router, ChatRequest.ofUser("g", "x")));
            assertThat(counts.get("one")).isBetween(2_300, 2_700);
            assertThat(counts.get("three")).isBetween(7_300, 7_700);
        }
    }

    @Test
    void givenRpmButNoWeights_whenPicking_thenRpmWeighsTheShuffle() {
        try (Router router = virtual(2)
                .deployment(Deployment.builder("g", "openai/m").id("small").rpm(100_000).provider(FakeProvider.replying("")).build())
                .deployment(Deployment.builder("g", "openai/m").id("big").rpm(300_000).provider(FakeProvider.replying("")).build())
                .build()) {
            Map<String, Integer> counts = count(router, 4_000, () -> call(router, ChatRequest.ofUser("g", "x")));
            assertThat(counts.get("small")).isBetween(880, 1_120);
        }
    }

    @Test
    void leastBusyNeverPicksABusierDeployment() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 2_000; trial++) {
            List<DeploymentCandidate> candidates = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(8); i++) {
                candidates.add(candidate("d" + i, random.nextInt(5), LatencyStats.EMPTY, null));
            }
            DeploymentCandidate chosen = LeastBusyStrategy.instance().choose(context(random), candidates);
            int min = candidates.stream().mapToInt(DeploymentCandidate::inFlight).min().orElseThrow();
            assertThat(chosen.inFlight()).isEqualTo(min);
        }
    }

    @Test
    void givenHangingCalls_whenLeastBusyRoutes_thenTheIdleDeploymentGetsTheNextCall() {
        FakeProvider stuck = FakeProvider.builder().hang().build();
        FakeProvider idle = FakeProvider.replying("idle");
        try (Router router = virtual(4).strategy(LeastBusyStrategy.instance())
                .deployment(Deployment.builder("g", "openai/m").id("stuck").provider(stuck).build())
                .deployment(Deployment.builder("g", "openai/m").id("idle").provider(idle).build())
                .build()) {
            // occupy "stuck" with calls that never end, sent while it is the least busy
            for (int i = 0; i < 3; i++) {
                router.completionAsync(ChatRequest.ofUser("g", "x"));
            }
            int stuckCalls = stuck.callCount();
            for (int i = 0; i < 20; i++) {
                call(router, ChatRequest.ofUser("g", "x"));
            }
            assertThat(stuck.callCount()).isEqualTo(stuckCalls);
        }
    }

    @Test
    void givenADeploymentThatBecomesSlow_whenLowestLatencyRoutes_thenTrafficMovesAwayAndNearTiesAreShared() {
        // both answer in 100 ms; after 60 calls "b" takes 1 s per call
        FakeProvider.Builder bScript = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofMillis(100));
        FakeProvider a = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofMillis(100)).reply("same").build();
        FakeProvider b = bScript.reply("same").build();
        FakeProvider slowB = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofSeconds(1)).reply("same").build();
        SwitchingProvider bSwitch = new SwitchingProvider(b, slowB);
        try (Router router = virtual(5).strategy(LowestLatencyStrategy.instance())
                .deployment(Deployment.builder("g", "openai/m").id("a").provider(a).build())
                .deployment(Deployment.builder("g", "openai/m").id("b").provider(bSwitch).build())
                .build()) {
            Map<String, Integer> tied = count(router, 200, () -> call(router, ChatRequest.ofUser("g", "x")));
            assertThat(tied.get("a")).as("near-ties are shared").isBetween(70, 130);

            bSwitch.switchOver();
            List<String> after = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                after.add(call(router, ChatRequest.ofUser("g", "x")).routing().orElseThrow().deploymentId());
            }
            // within the window, b's mean rises past the buffer and it gets no more traffic
            int lastB = after.lastIndexOf("b");
            assertThat(lastB).as("b is left within the first calls after it slowed").isLessThan(LatencyStats.WINDOW);
            assertThat(after.subList(lastB + 1, after.size())).allMatch("a"::equals);
        }
    }

    @Test
    void givenNewDeployment_whenLowestLatencyRoutes_thenItIsMeasuredFirst() {
        SplittableRandom random = new SplittableRandom(6);
        DeploymentCandidate fast = candidate("fast", 0, new LatencyStats(20, Duration.ofMillis(10), Duration.ofMillis(12),
                Duration.ofMillis(1)), null);
        DeploymentCandidate fresh = candidate("fresh", 0, LatencyStats.EMPTY, null);
        assertThat(LowestLatencyStrategy.instance().choose(context(random), List.of(fast, fresh)).id()).isEqualTo("fresh");
    }

    @Test
    void givenTenTimesCapacity_whenUsageBasedRoutesAMinute_thenNoDeploymentExceedsItsRpmOrTpm() {
        FakeProvider p1 = FakeProvider.builder().usage(Usage.of(90, 10)).reply("").build();
        FakeProvider p2 = FakeProvider.builder().usage(Usage.of(90, 10)).reply("").build();
        FakeProvider p3 = FakeProvider.builder().usage(Usage.of(90, 10)).reply("").build();
        try (Router router = virtual(7).strategy(UsageBasedStrategy.instance()).retryPolicy(retry -> retry.numRetries(0))
                .deployment(Deployment.builder("g", "openai/m").id("d1").rpm(10).provider(p1).build())
                .deployment(Deployment.builder("g", "openai/m").id("d2").rpm(20).tpm(1_000).provider(p2).build())
                .deployment(Deployment.builder("g", "openai/m").id("d3").tpm(3_000).provider(p3).build())
                .build()) {
            int capacity = 10 + 10 + 30; // d2 is bound by tpm (1,000 / 100 per call), d3 by tpm (3,000 / 100)
            int rejected = 0;
            Duration lastRetryAfter = null;
            Instant lastFailedAt = null;
            for (int i = 0; i < 10 * capacity; i++) {
                CompletableFuture<ChatResponse> f = router.completionAsync(ChatRequest.ofUser("g", "hello there"));
                time.runDueTasks();
                if (f.isCompletedExceptionally()) {
                    Throwable e = f.handle((r, x) -> x).join();
                    assertThat(e).isInstanceOf(RateLimitException.class).hasMessageContaining("rpm/tpm");
                    assertThat(((RateLimitException) e).statusCode()).hasValue(429);
                    lastRetryAfter = ((RateLimitException) e).retryAfter().orElseThrow();
                    lastFailedAt = time.now();
                    rejected++;
                }
                time.advance(Duration.ofMillis(100)); // 500 calls spread over 50 s of one minute
            }
            assertThat(p1.callCount()).isLessThanOrEqualTo(10);
            assertThat(p2.callCount() * 100).isLessThanOrEqualTo(1_000 + 100); // the last call's estimate was smaller
            assertThat(p3.callCount() * 100).isLessThanOrEqualTo(3_000 + 100);
            assertThat(rejected).isGreaterThan(10 * capacity - capacity - 10);
            assertThat(lastFailedAt.plus(lastRetryAfter)).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
        }
    }

    @Test
    void givenPrices_whenLowestCostRoutes_thenCheapestUntilItCoolsThenNextCheapest() {
        FakeProvider cheap = FakeProvider.builder().reply("cheap").reply("cheap").fail(429).reply("cheap").build();
        FakeProvider mid = FakeProvider.replying("mid");
        FakeProvider pricey = FakeProvider.replying("pricey");
        try (Router router = virtual(8).strategy(LowestCostStrategy.instance())
                .deployment(priced("pricey", "10", pricey))
                .deployment(priced("cheap", "0.1", cheap))
                .deployment(priced("mid", "1", mid))
                .build()) {
            assertThat(call(router, ChatRequest.ofUser("g", "x")).text()).isEqualTo("cheap");
            assertThat(call(router, ChatRequest.ofUser("g", "x")).text()).isEqualTo("cheap");
            // the third call is rate limited: cheap cools down, the retry and later calls go to mid
            assertThat(call(router, ChatRequest.ofUser("g", "x")).text()).isEqualTo("mid");
            assertThat(call(router, ChatRequest.ofUser("g", "x")).text()).isEqualTo("mid");
            assertThat(pricey.callCount()).isZero();
            time.advance(CooldownPolicy.DEFAULT_COOLDOWN_TIME);
            assertThat(call(router, ChatRequest.ofUser("g", "x")).text()).isEqualTo("cheap");
        }
    }

    private static Deployment priced(String id, String perMillion, FakeProvider provider) {
        return Deployment.builder("g", "custom/" + id).id(id).provider(provider)
                .price(ModelPrice.builder().inputPerMillion(perMillion).outputPerMillion(perMillion).build()).build();
    }

    @Test
    void givenOrders_whenFirstOrderCools_thenSecondOrderGetsTheTraffic() {
        FakeProvider first = FakeProvider.builder().reply("1").reply("1").fail(429).build();
        FakeProvider second = FakeProvider.replying("2");
        try (Router router = virtual(9)
                .deployment(Deployment.builder("g", "openai/m").id("first").order(1).provider(first).build())
                .deployment(Deployment.builder("g", "openai/m").id("second").order(2).provider(second).build())
                .build()) {
            assertThat(call(router, ChatRequest.ofUser("g", "x")).text()).isEqualTo("1");
            assertThat(call(router, ChatRequest.ofUser("g", "x")).text()).isEqualTo("1");
            assertThat(second.callCount()).isZero();
            assertThat(call(router, ChatRequest.ofUser("g", "x")).text()).isEqualTo("2"); // 429 -> cools -> order 2
            assertThat(call(router, ChatRequest.ofUser("g", "x")).text()).isEqualTo("2");
            assertThat(first.callCount()).isEqualTo(3);
        }
    }

    @Test
    void givenTagFiltering_whenRequestHasTags_thenOnlyTaggedDeploymentsServeItAndUnmatchedTagsGoToTheDefaultTag() {
        FakeProvider eu = FakeProvider.replying("eu");
        FakeProvider us = FakeProvider.replying("us");
        FakeProvider general = FakeProvider.replying("general");
        try (Router router = virtual(10).filterByTags()
                .deployment(Deployment.builder("g", "openai/m").id("eu").addTag("eu").provider(eu).build())
                .deployment(Deployment.builder("g", "openai/m").id("us").addTag("us").provider(us).build())
                .deployment(Deployment.builder("g", "openai/m").id("general").addTag("default").provider(general).build())
                .build()) {
            for (int i = 0; i < 20; i++) {
                assertThat(call(router, ChatRequest.builder("g").addMessage(Message.user("x")).addTag("eu").build())
                        .text()).isEqualTo("eu");
                assertThat(call(router, ChatRequest.ofUser("g", "untagged")).text()).isEqualTo("general");
            }
            assertThat(call(router, ChatRequest.builder("g").addMessage(Message.user("x")).addTag("apac").build())
                    .text()).isEqualTo("general");
        }
    }

    @Test
    void givenToolsAndImages_whenSomeModelsLackThem_thenOnlyCapableDeploymentsServe() {
        FakeProvider plain = FakeProvider.replying("plain");
        FakeProvider capable = FakeProvider.replying("capable");
        try (Router router = virtual(11)
                .deployment(Deployment.builder("g", "custom/plain").id("plain")
                        .capabilities(Set.of()).provider(plain).build())
                .deployment(Deployment.builder("g", "custom/capable").id("capable")
                        .capabilities(Set.of(ModelCapability.FUNCTION_CALLING, ModelCapability.VISION)).provider(capable).build())
                .deployment(Deployment.builder("text-only", "custom/plain").id("text-only")
                        .capabilities(Set.of()).provider(FakeProvider.replying("")).build())
                .build()) {
            ChatRequest withTools = ChatRequest.builder("g").addMessage(Message.user("weather?"))
                    .addTool(Tool.function("get_weather", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())).build();
            ChatRequest withImage = ChatRequest.builder("g").addMessage(Message.user(List.of(TextPart.of("what is it?"),
                    ImagePart.of("https://example.com/cat.png")))).build();
            for (int i = 0; i < 10; i++) {
                assertThat(call(router, withTools).text()).isEqualTo("capable");
                assertThat(call(router, withImage).text()).isEqualTo("capable");
            }
            assertThat(plain.callCount()).isZero();
            CompletableFuture<ChatResponse> none = router.completionAsync(withTools.toBuilder().model("text-only").build());
            assertThat(none.handle((r, e) -> e).join()).isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("supports [FUNCTION_CALLING]");
        }
    }

    @Test
    void givenEveryDeploymentCapableOrUnknown_whenRequestNeedsTools_thenTheyAllShareTheTraffic() {
        FakeProvider capable = FakeProvider.replying("capable");
        FakeProvider unknown = FakeProvider.replying("unknown");
        try (Router router = virtual(13)
                .deployment(Deployment.builder("g", "custom/capable").id("capable")
                        .capabilities(Set.of(ModelCapability.FUNCTION_CALLING)).provider(capable).build())
                // a model the price table does not know, with no capabilities given: not filtered out
                .deployment(Deployment.builder("g", "custom/unknown").id("unknown").provider(unknown).build())
                .build()) {
            ChatRequest withTools = ChatRequest.builder("g").addMessage(Message.user("weather?"))
                    .addTool(Tool.function("get_weather", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())).build();
            for (int i = 0; i < 40; i++) {
                call(router, withTools);
            }
            assertThat(capable.callCount()).isPositive();
            assertThat(unknown.callCount()).isPositive();
            assertThat(capable.callCount() + unknown.callCount()).isEqualTo(40);
        }
    }

    @Test
    void givenLongPrompt_whenNoDeploymentFitsTheWindow_thenContextWindowFallbackAnswersBeforeAnyCall() {
        FakeProvider small = FakeProvider.replying("small");
        FakeProvider large = FakeProvider.replying("large");
        try (Router router = virtual(12)
                .deployment(Deployment.builder("small", "custom/small").id("small").contextWindow(100).provider(small).build())
                .deployment(Deployment.builder("large", "custom/large").id("large").contextWindow(100_000).provider(large).build())
                .fallbackPolicy(fallback -> fallback.contextWindowFallbacks("small", "large"))
                .build()) {
            String longText = "word ".repeat(500);
            assertThat(call(router, ChatRequest.ofUser("small", longText)).text()).isEqualTo("large");
            assertThat(small.callCount()).isZero();
            assertThat(call(router, ChatRequest.ofUser("small", "short")).text()).isEqualTo("small");
            ChatRequest bigMax = ChatRequest.builder("small").addMessage(Message.user("short")).maxTokens(200).build();
            assertThat(call(router, bigMax).text()).as("prompt + max tokens must fit").isEqualTo("large");
        }
        try (Router router = virtual(13).deployment(Deployment.builder("small", "custom/small").id("small")
                .contextWindow(100).provider(small).build()).build()) {
            CompletableFuture<ChatResponse> f = router.completionAsync(ChatRequest.ofUser("small", "word ".repeat(500)));
            assertThat(f.handle((r, e) -> e).join()).isInstanceOf(ContextWindowExceededException.class)
                    .hasMessageContaining("largest: 100 tokens");
        }
    }

    @Test
    void givenWindowFromThePriceTable_whenPromptFits_thenNoTokenizationIsNeededAndItPasses() {
        try (Router router = virtual(14).deployment(Deployment.builder("g", "openai/gpt-4o").id("d")
                .provider(FakeProvider.replying("ok")).build()).build()) {
            assertThat(call(router, ChatRequest.ofUser("g", "hello")).text()).isEqualTo("ok");
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private static RoutingContext context(RandomGenerator random) {
        return new RoutingContext() {
            @Override
            public ChatRequest request() {
                return ChatRequest.ofUser("g", "x");
            }

            @Override
            public String modelGroup() {
                return "g";
            }

            @Override
            public RandomGenerator random() {
                return random;
            }

            @Override
            public int estimatedInputTokens() {
                return 10;
            }

            @Override
            public int expectedOutputTokens() {
                return 256;
            }
        };
    }

    private static DeploymentCandidate candidate(String id, int inFlight, LatencyStats latency, BigDecimal price) {
        return new DeploymentCandidate() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String modelGroup() {
                return "g";
            }

            @Override
            public String providerRoute() {
                return "openai/m";
            }

            @Override
            public int weight() {
                return 1;
            }

            @Override
            public int order() {
                return 0;
            }

            @Override
            public Set<String> tags() {
                return Set.of();
            }

            @Override
            public OptionalInt rpm() {
                return OptionalInt.empty();
            }

            @Override
            public OptionalInt tpm() {
                return OptionalInt.empty();
            }

            @Override
            public int inFlight() {
                return inFlight;
            }

            @Override
            public int requestsThisMinute() {
                return 0;
            }

            @Override
            public long tokensThisMinute() {
                return 0;
            }

            @Override
            public LatencyStats latency() {
                return latency;
            }

            @Override
            public Optional<BigDecimal> inputCostPerToken() {
                return Optional.ofNullable(price);
            }

            @Override
            public Optional<BigDecimal> outputCostPerToken() {
                return Optional.ofNullable(price);
            }

            @Override
            public int recentFailures() {
                return 0;
            }
        };
    }

    /** Delegates to one provider, then (after {@link #switchOver()}) to another. */
    private static final class SwitchingProvider implements io.llmrouter.spi.Provider {
        private final io.llmrouter.spi.Provider before;
        private final io.llmrouter.spi.Provider after;
        private volatile boolean switched;

        SwitchingProvider(io.llmrouter.spi.Provider before, io.llmrouter.spi.Provider after) {
            this.before = before;
            this.after = after;
        }

        void switchOver() {
            switched = true;
        }

        @Override
        public String name() {
            return "switching";
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(io.llmrouter.spi.ProviderCall call) {
            return (switched ? after : before).completeAsync(call);
        }
    }
}
