package io.llmrouter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.CachePolicy;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.Provider;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The exact meters a router call leaves, on virtual time with scripted fake providers. */
class RouterMetricsTest {

    /** $1 per million input tokens, $2 per million output tokens. */
    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("2").build();

    private final VirtualTime time = VirtualTime.create();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RouterMetrics metrics = RouterMetrics.builder(registry).clock(time.clock()).build();

    private FakeProvider.Builder fake() {
        return FakeProvider.builder().scheduler(time.scheduler()).usage(Usage.of(1_000, 500))
                .delay(Duration.ofMillis(100));
    }

    private static Deployment deployment(String group, String id, String route, Provider provider) {
        return Deployment.builder(group, route).id(id).price(PRICE).provider(provider).build();
    }

    private Router.Builder router() {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).listener(metrics)
                .strategy((context, candidates) -> candidates.get(0))
                .retryPolicy(r -> r.backoff(Duration.ZERO, Duration.ZERO));
    }

    private <T> CompletableFuture<T> run(CompletableFuture<T> f) {
        time.advanceUntil(f::isDone, Duration.ofHours(1));
        return f;
    }

    /** Every meter as one line: name{tags} and its values (timers in ms), sorted. */
    private List<String> meters() {
        return registry.getMeters().stream().map(RouterMetricsTest::line).sorted().collect(Collectors.toList());
    }

    private static String line(Meter m) {
        String tags = m.getId().getTags().stream().map(t -> t.getKey() + "=" + t.getValue())
                .collect(Collectors.joining(",", "{", "}"));
        String value;
        if (m instanceof Counter c) {
            value = "count=" + fmt(c.count());
        } else if (m instanceof Timer t) {
            value = "count=" + t.count() + " total=" + fmt(t.totalTime(TimeUnit.MILLISECONDS)) + "ms";
        } else if (m instanceof DistributionSummary s) {
            value = "count=" + s.count() + " total=" + fmt(s.totalAmount());
        } else if (m instanceof Gauge g) {
            value = "value=" + fmt(g.value());
        } else {
            value = m.getClass().getSimpleName();
        }
        return m.getId().getName() + tags + " " + value;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private List<String> only(Function<String, Boolean> filter) {
        return meters().stream().filter(filter::apply).collect(Collectors.toList());
    }

    @Test
    void givenAnAnswer_whenCompletionAsync_thenRequestDurationTokensAttemptSpendAndGaugesAreExact() {
        try (Router router = router().deployment(deployment("g", "d1", "openai/gpt-4o", fake().reply("hi").build()))
                .budget(Budget.forModelGroup("g").limitUsd("10").period(BudgetPeriod.NEVER).build()).build()) {
            metrics.bind(router);
            run(router.completionAsync(ChatRequest.ofUser("g", "hello"))).join();

            assertThat(meters()).containsExactly(
                    "gen_ai.client.operation.duration{error.type=none,gen_ai.operation.name=chat,"
                            + "gen_ai.provider.name=openai,gen_ai.request.model=g} count=1 total=100ms",
                    "gen_ai.client.token.usage{gen_ai.operation.name=chat,gen_ai.provider.name=openai,"
                            + "gen_ai.request.model=g,gen_ai.token.type=input} count=1 total=1000",
                    "gen_ai.client.token.usage{gen_ai.operation.name=chat,gen_ai.provider.name=openai,"
                            + "gen_ai.request.model=g,gen_ai.token.type=output} count=1 total=500",
                    "llmrouter.attempts{deployment=d1,outcome=success,provider=openai} count=1",
                    "llmrouter.budget.remaining{budget=" + Budget.forModelGroup("g").limitUsd("10")
                            .period(BudgetPeriod.NEVER).build().name() + "} value=9.998",
                    "llmrouter.deployment.cooling_down{deployment=d1,model_group=g} value=0",
                    "llmrouter.deployment.in_flight{deployment=d1,model_group=g} value=0",
                    "llmrouter.deployment.rpm{deployment=d1,model_group=g} value=1",
                    "llmrouter.deployment.tpm{deployment=d1,model_group=g} value=1500",
                    "llmrouter.requests{model_group=g,outcome=success} count=1",
                    "llmrouter.spend{model_group=g,provider=openai} count=0.002");
        }
    }

    @Test
    void givenABoundRouter_whenADeploymentOfANewGroupIsAddedLive_thenItsGroupIsTaggedAndItGetsGauges() {
        try (Router router = router().deployment(deployment("g", "d1", "openai/gpt-4o", fake().reply("hi").build()))
                .build()) {
            metrics.bind(router);
            router.upsertDeployment(deployment("h", "d2", "openai/gpt-4o", fake().reply("hi").build()));

            run(router.completionAsync(ChatRequest.ofUser("h", "hello"))).join();

            assertThat(only(l -> l.startsWith("llmrouter.requests") || l.startsWith("llmrouter.deployment.in_flight")))
                    .containsExactly(
                            "llmrouter.deployment.in_flight{deployment=d1,model_group=g} value=0",
                            "llmrouter.deployment.in_flight{deployment=d2,model_group=h} value=0",
                            "llmrouter.requests{model_group=h,outcome=success} count=1");
        }
    }

    @Test
    void givenAFailingFirstDeployment_whenCompletion_thenTheRetryTheCooldownAndBothAttemptsAreCounted() {
        try (Router router = router()
                .deployment(deployment("g", "d1", "openai/gpt-4o", fake().fail(500).build()))
                .deployment(deployment("g", "d2", "anthropic/claude", fake().reply("hi").build())).build()) {
            metrics.bind(router);
            run(router.completionAsync(ChatRequest.ofUser("g", "hello"))).join();

            assertThat(only(l -> l.startsWith("llmrouter.") && !l.startsWith("llmrouter.deployment.")))
                    .containsExactly(
                            "llmrouter.attempts{deployment=d1,outcome=provider_server,provider=openai} count=1",
                            "llmrouter.attempts{deployment=d1,outcome=success,provider=openai} count=0",
                            "llmrouter.attempts{deployment=d2,outcome=success,provider=anthropic} count=1",
                            "llmrouter.cooldowns{deployment=d1,model_group=g} count=1",
                            "llmrouter.requests{model_group=g,outcome=success} count=1",
                            "llmrouter.retries{model_group=g} count=1",
                            "llmrouter.spend{model_group=g,provider=anthropic} count=0.002");
            assertThat(only(l -> l.startsWith("gen_ai.client.operation.duration"))).containsExactly(
                    "gen_ai.client.operation.duration{error.type=none,gen_ai.operation.name=chat,"
                            + "gen_ai.provider.name=anthropic,gen_ai.request.model=g} count=1 total=200ms");
            assertThat(only(l -> l.startsWith("llmrouter.deployment.cooling_down"))).containsExactly(
                    "llmrouter.deployment.cooling_down{deployment=d1,model_group=g} value=1",
                    "llmrouter.deployment.cooling_down{deployment=d2,model_group=g} value=0");
            assertThat(only(l -> l.startsWith("llmrouter.deployment.rpm"))).containsExactly(
                    "llmrouter.deployment.rpm{deployment=d1,model_group=g} value=1",
                    "llmrouter.deployment.rpm{deployment=d2,model_group=g} value=1");
        }
    }

    @Test
    void givenAGroupThatFails_whenCompletion_thenTheFallbackIsCountedAndTheCallTaggedWithTheGroupAsked() {
        try (Router router = router().retryPolicy(r -> r.numRetries(0))
                .deployment(deployment("g", "d1", "openai/gpt-4o", fake().fail(429).build()))
                .deployment(deployment("h", "d2", "anthropic/claude", fake().reply("hi").build()))
                .fallbackPolicy(f -> f.fallbacks("g", "h")).build()) {
            metrics.bind(router);
            run(router.completionAsync(ChatRequest.ofUser("g", "hello"))).join();

            assertThat(only(l -> l.startsWith("llmrouter.") && !l.startsWith("llmrouter.deployment.")))
                    .containsExactly(
                            "llmrouter.attempts{deployment=d1,outcome=rate_limit,provider=openai} count=1",
                            "llmrouter.attempts{deployment=d1,outcome=success,provider=openai} count=0",
                            "llmrouter.attempts{deployment=d2,outcome=success,provider=anthropic} count=1",
                            "llmrouter.fallbacks{fallback_group=h,model_group=g} count=1",
                            "llmrouter.requests{model_group=g,outcome=success} count=1",
                            "llmrouter.spend{model_group=h,provider=anthropic} count=0.002");
        }
    }

    @Test
    void givenEveryDeploymentFailing_whenCompletion_thenTheCallIsTimedWithItsErrorType() {
        try (Router router = router().retryPolicy(r -> r.numRetries(1))
                .deployment(deployment("g", "d1", "openai/gpt-4o", fake().fail(503).build())).build()) {
            metrics.bind(router);
            CompletableFuture<ChatResponse> f = run(router.completionAsync(ChatRequest.ofUser("g", "hello")));
            assertThat(f).isCompletedExceptionally();

            assertThat(only(l -> !l.startsWith("llmrouter.deployment."))).containsExactly(
                    "gen_ai.client.operation.duration{error.type=service_unavailable,gen_ai.operation.name=chat,"
                            + "gen_ai.provider.name=openai,gen_ai.request.model=g} count=1 total=200ms",
                    "llmrouter.attempts{deployment=d1,outcome=service_unavailable,provider=openai} count=2",
                    "llmrouter.attempts{deployment=d1,outcome=success,provider=openai} count=0",
                    "llmrouter.requests{model_group=g,outcome=service_unavailable} count=1",
                    "llmrouter.retries{model_group=g} count=1");
        }
    }

    @Test
    void givenAStream_whenStreamed_thenTimeToFirstTokenAndStreamDurationAreRecorded() {
        FakeProvider stream = fake().chunkDelay(Duration.ofMillis(10)).stream("a", "b", "c").build();
        try (Router router = router().deployment(deployment("g", "d1", "openai/gpt-4o", stream)).build()) {
            metrics.bind(router);
            run(router.streamAsync(ChatRequest.ofUser("g", "hello"), c -> { })).join();

            assertThat(only(l -> l.startsWith("llmrouter.stream") || l.startsWith("llmrouter.requests")
                    || l.startsWith("gen_ai.client.operation"))).containsExactly(
                    "gen_ai.client.operation.duration{error.type=none,gen_ai.operation.name=chat,"
                            + "gen_ai.provider.name=openai,gen_ai.request.model=g} count=1 total=120ms",
                    "llmrouter.requests{model_group=g,outcome=success} count=1",
                    "llmrouter.stream.duration{deployment=d1} count=1 total=120ms",
                    "llmrouter.stream.time_to_first_token{deployment=d1} count=1 total=100ms");
        }
    }

    @Test
    void givenAStreamCutAfterTwoChunks_whenStreamed_thenTheInterruptedCallIsCountedAsSuch() {
        FakeProvider cut = fake().chunkDelay(Duration.ofMillis(10)).streamCut(2, "a", "b", "c").build();
        try (Router router = router().deployment(deployment("g", "d1", "openai/gpt-4o", cut)).build()) {
            metrics.bind(router);
            CompletableFuture<ChatResponse> f = run(router.streamAsync(ChatRequest.ofUser("g", "hello"), c -> { }));
            assertThat(f).isCompletedExceptionally();

            assertThat(only(l -> !l.startsWith("llmrouter.deployment."))).containsExactly(
                    "gen_ai.client.operation.duration{error.type=stream_interrupted,gen_ai.operation.name=chat,"
                            + "gen_ai.provider.name=openai,gen_ai.request.model=g} count=1 total=110ms",
                    "llmrouter.attempts{deployment=d1,outcome=stream_interrupted,provider=openai} count=1",
                    "llmrouter.attempts{deployment=d1,outcome=success,provider=openai} count=0",
                    "llmrouter.requests{model_group=g,outcome=stream_interrupted} count=1",
                    "llmrouter.stream.duration{deployment=d1} count=1 total=110ms",
                    "llmrouter.stream.time_to_first_token{deployment=d1} count=1 total=100ms");
        }
    }

    @Test
    void givenEveryDeploymentDown_whenTheDegradedAnswerIsGiven_thenItIsCountedWithTheErrorItReplaced() {
        try (Router router = router().retryPolicy(r -> r.numRetries(0))
                .deployment(deployment("g", "d1", "openai/gpt-4o", fake().fail(503).build()))
                .degradedAnswer("g", "busy").build()) {
            metrics.bind(router);
            CompletableFuture<ChatResponse> f = run(router.completionAsync(ChatRequest.ofUser("g", "hello")));
            assertThat(f.join().text()).isEqualTo("busy");

            assertThat(only(l -> l.startsWith("llmrouter.degraded_answers") || l.startsWith("llmrouter.spend")))
                    .containsExactly("llmrouter.degraded_answers{error.type=service_unavailable,model_group=g} count=1");
        }
    }

    @Test
    void givenAUserOverBudget_whenCompletion_thenTheRefusalIsCountedAndNoDeploymentCalled() {
        try (Router router = router().deployment(deployment("g", "d1", "openai/gpt-4o", fake().reply("hi").build()))
                .budget(Budget.forUser("alice").limitUsd("0.000001").period(BudgetPeriod.DAILY).build()).build()) {
            metrics.bind(router);
            ChatRequest request = ChatRequest.builder("g").addMessage(Message.user("hello")).user("alice")
                    .maxTokens(1_000).build();
            CompletableFuture<ChatResponse> f = run(router.completionAsync(request));
            assertThat(f).isCompletedExceptionally();

            assertThat(only(l -> !l.startsWith("llmrouter.deployment.") && !l.startsWith("llmrouter.budget.rem")))
                    .containsExactly(
                            "gen_ai.client.operation.duration{error.type=budget_exceeded,gen_ai.operation.name=chat,"
                                    + "gen_ai.provider.name=none,gen_ai.request.model=g} count=1 total=0ms",
                            "llmrouter.attempts{deployment=d1,outcome=success,provider=openai} count=0",
                            "llmrouter.budget.refusals{model_group=g} count=1",
                            "llmrouter.requests{model_group=g,outcome=budget_exceeded} count=1");
        }
    }

    @Test
    void givenABoundRouter_whenAnUnknownGroupIsAsked_thenItIsTaggedUnknown() {
        try (Router router = router().deployment(deployment("g", "d1", "openai/gpt-4o", fake().reply("hi").build()))
                .build()) {
            metrics.bind(router);
            assertThat(run(router.completionAsync(ChatRequest.ofUser("user-typo-123", "hello"))))
                    .isCompletedExceptionally();

            assertThat(only(l -> l.startsWith("llmrouter.requests"))).containsExactly(
                    "llmrouter.requests{model_group=unknown,outcome=bad_request} count=1");
        }
    }

    @Test
    void givenACachedGroup_whenTheSameQuestionIsAskedTwice_thenOneMissAndOneHitAreCounted() {
        try (Router router = router().deployment(deployment("g", "d1", "openai/gpt-4o", fake().reply("hi").build()))
                .cache(CachePolicy.builder().groups(List.of("g")).build()).build()) {
            run(router.completionAsync(ChatRequest.ofUser("g", "hello"))).join();
            run(router.completionAsync(ChatRequest.ofUser("g", "hello"))).join();
        }

        assertThat(only(l -> l.startsWith("llmrouter.cache"))).containsExactly(
                "llmrouter.cache.hits{model_group=g,semantic=false} count=1",
                "llmrouter.cache.misses{model_group=g} count=1");
        assertThat(only(l -> l.startsWith("llmrouter.requests"))).containsExactly(
                "llmrouter.requests{model_group=g,outcome=success} count=2");
    }

    @Test
    void tagsNoUserNorRequestTag() {
        try (Router router = router().deployment(deployment("g", "d1", "openai/gpt-4o", fake().reply("hi").build()))
                .build()) {
            run(router.completionAsync(ChatRequest.builder("g").addMessage(Message.user("hello")).user("alice")
                    .addTag("tenant-42").build())).join();
        }
        assertThat(registry.getMeters()).flatMap(m -> m.getId().getTags()).extracting(Tag::getValue)
                .doesNotContain("alice", "tenant-42");
    }
}
