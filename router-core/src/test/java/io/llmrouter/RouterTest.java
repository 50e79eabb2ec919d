package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmrouter.api.Secret;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.cost.CostCalculator;
import io.llmrouter.cost.PriceTable;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.testing.FakeProvider;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouterTest {

    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private static Deployment fake(String group, String route, String id, FakeProvider provider) {
        return Deployment.builder(group, route).id(id).provider(provider).build();
    }

    private static Router.Builder quick() {
        return Router.builder().retryPolicy(retry -> retry.backoff(Duration.ZERO, Duration.ZERO)).random(new SplittableRandom(42));
    }

    @Test
    void givenPrimaryRateLimited_whenCompletion_thenFallsBackToSecondaryGroup() {
        // given
        FakeProvider primary = FakeProvider.failingWith(429, Duration.ofSeconds(7));
        FakeProvider backup = FakeProvider.replying("hi");
        router = quick()
                .deployment(fake("gpt-4o", "openai/gpt-4o", "primary", primary))
                .deployment(fake("claude", "anthropic/claude-sonnet-4-5", "backup", backup))
                .fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", "claude"))
                .retryPolicy(retry -> retry.maxRetryAfter(Duration.ZERO))
                .build();
        // when
        ChatResponse response = router.completion(ChatRequest.ofUser("gpt-4o", "hello"));
        // then
        assertThat(response.text()).isEqualTo("hi");
        assertThat(response.routing()).get().satisfies(r -> {
            assertThat(r.requestedModel()).isEqualTo("gpt-4o");
            assertThat(r.modelGroup()).isEqualTo("claude");
            assertThat(r.deploymentId()).isEqualTo("backup");
            assertThat(r.isFallback()).isTrue();
            assertThat(r.attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "primary", "primary", "backup");
            assertThat(r.attempts().get(0).errorType()).contains("RateLimitException");
            assertThat(r.attempts().get(3).isSuccess()).isTrue();
        });
        assertThat(primary.callCount()).isEqualTo(3);
        assertThat(backup.requests()).singleElement()
                .satisfies(req -> assertThat(req.model()).isEqualTo("claude-sonnet-4-5"));
    }

    @Test
    void givenFallbackChain_whenGroupsFail_thenTriesThemInOrder() {
        FakeProvider a = FakeProvider.failingWith(401);
        FakeProvider b = FakeProvider.failingWith(404);
        FakeProvider c = FakeProvider.replying("from c");
        router = quick()
                .deployment(fake("a", "openai/a", "a1", a))
                .deployment(fake("b", "openai/b", "b1", b))
                .deployment(fake("c", "openai/c", "c1", c))
                .fallbackPolicy(fallback -> fallback.fallbacks("a", "b", "c"))
                .build();

        ChatResponse response = router.completion(ChatRequest.ofUser("a", "hello"));

        assertThat(response.text()).isEqualTo("from c");
        // 401 and 404 are not retried within a group: one attempt each, then the next group.
        assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                .containsExactly("a1", "b1", "c1");
    }

    @Test
    void givenDefaultFallbacks_whenGroupWithoutOwnFallbacksFails_thenDefaultsAreUsed() {
        router = quick()
                .deployment(fake("a", "openai/a", "a1", FakeProvider.failingWith(400)))
                .deployment(fake("safe", "openai/safe", "s1", FakeProvider.replying("safe")))
                .fallbackPolicy(fallback -> fallback.defaultFallbacks("safe"))
                .build();

        assertThat(router.completion(ChatRequest.ofUser("a", "x")).text()).isEqualTo("safe");
    }

    @Test
    void givenEveryGroupFails_whenCompletion_thenTheFirstGroupsErrorTypeCarriesEveryAttemptAndNamesTheLastError() {
        router = quick()
                .deployment(fake("a", "openai/a", "a1", FakeProvider.failingWith(503)))
                .deployment(fake("b", "openai/b", "b1", FakeProvider.failingWith(401)))
                .retryPolicy(retry -> retry.numRetries(1))
                .fallbackPolicy(fallback -> fallback.fallbacks("a", "b"))
                .build();

        ServiceUnavailableException e = catchThrowableOfType(ServiceUnavailableException.class,
                () -> router.completion(ChatRequest.ofUser("a", "x")));

        assertThat(e.attempts()).extracting(Attempt::deploymentId).containsExactly("a1", "a1", "b1");
        assertThat(e.attempts()).extracting(a -> a.errorType().orElseThrow())
                .containsExactly("ServiceUnavailableException", "ServiceUnavailableException",
                        "AuthenticationException");
        assertThat(e.attempts().get(0).statusCode()).hasValue(503);
        assertThat(e.deploymentId()).contains("a1");
        assertThat(e.statusCode()).hasValue(503);
        assertThat(e.getMessage()).contains("model groups tried: [a, b]").contains("AuthenticationException");
        assertThat(e.getSuppressed()).hasAtLeastOneElementOfType(AuthenticationException.class);
    }

    @Test
    void givenOneFailingDeploymentInGroup_whenRetried_thenHealthyDeploymentAnswers() {
        FakeProvider broken = FakeProvider.failingWith(500);
        FakeProvider healthy = FakeProvider.replying("ok");
        router = quick()
                .deployment(fake("g", "openai/m", "broken", broken))
                .deployment(fake("g", "openai/m", "healthy", healthy))
                .build();

        for (int i = 0; i < 20; i++) {
            assertThat(router.completion(ChatRequest.ofUser("g", "x")).routing().orElseThrow().deploymentId())
                    .isEqualTo("healthy");
        }
        // After allowedFails+1 failures the broken deployment cools down and is no longer tried.
        assertThat(broken.callCount()).isBetween(1, CooldownPolicy.DEFAULT_ALLOWED_FAILS + 1);
    }

    @Test
    void givenRateLimitedDeployment_whenGroupHasOthers_thenItCoolsDownAtOnceAndReturnsAfterCooldown() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        FakeProvider limited = FakeProvider.builder().fail(429).reply("limited is back").build();
        FakeProvider other = FakeProvider.replying("other");
        router = quick().clock(clock)
                .deployment(fake("g", "openai/m", "limited", limited))
                .deployment(fake("g", "openai/m", "other", other))
                .strategy((ctx, candidates) -> candidates.get(0))
                .build();

        ChatResponse first = router.completion(ChatRequest.ofUser("g", "x"));
        ChatResponse second = router.completion(ChatRequest.ofUser("g", "x"));

        assertThat(first.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                .containsExactly("limited", "other");
        assertThat(second.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                .containsExactly("other");
        assertThat(limited.callCount()).isEqualTo(1);

        clock.advance(CooldownPolicy.DEFAULT_COOLDOWN_TIME.plusMillis(1));
        ChatResponse third = router.completion(ChatRequest.ofUser("g", "x"));

        assertThat(third.text()).isEqualTo("limited is back");
    }

    @Test
    void givenOrders_whenLowerOrderHealthy_thenHigherOrderIsNotUsed() {
        FakeProvider cheap = FakeProvider.replying("cheap");
        FakeProvider pricey = FakeProvider.replying("pricey");
        router = quick()
                .deployment(Deployment.builder("g", "openai/m").id("cheap").order(0).provider(cheap).build())
                .deployment(Deployment.builder("g", "openai/m").id("pricey").order(1).provider(pricey).build())
                .build();

        for (int i = 0; i < 10; i++) {
            router.completion(ChatRequest.ofUser("g", "x"));
        }

        assertThat(cheap.callCount()).isEqualTo(10);
        assertThat(pricey.callCount()).isZero();
    }

    @Test
    void givenWeights_whenManyRequests_thenTrafficFollowsWeights() {
        FakeProvider heavy = FakeProvider.replying("heavy");
        FakeProvider light = FakeProvider.replying("light");
        router = quick()
                .deployment(Deployment.builder("g", "openai/m").id("heavy").weight(9).provider(heavy).build())
                .deployment(Deployment.builder("g", "openai/m").id("light").weight(1).provider(light).build())
                .build();

        for (int i = 0; i < 1000; i++) {
            router.completion(ChatRequest.ofUser("g", "x"));
        }

        assertThat(heavy.callCount()).isBetween(850, 950);
        assertThat(light.callCount()).isEqualTo(1000 - heavy.callCount());
    }

    @Test
    void rejectsRequestWithoutMessagesBeforeAnyCall() {
        FakeProvider provider = FakeProvider.replying("never");
        router = quick().deployment(fake("g", "openai/m", "d", provider)).build();

        assertThatThrownBy(() -> router.completion(ChatRequest.builder("g").build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("messages must not be empty");
        assertThat(provider.callCount()).isZero();
    }

    @Test
    void rejectsUnknownModelGroupBeforeAnyCall() {
        FakeProvider provider = FakeProvider.replying("never");
        router = quick().deployment(fake("g", "openai/m", "d", provider)).build();

        assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("nope", "x")))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("unknown model group 'nope'")
                .hasMessageContaining("[g]");
        assertThat(provider.callCount()).isZero();
    }

    @Test
    void rejectsNegativeTemperatureWhenRequestIsBuilt() {
        assertThatThrownBy(() -> ChatRequest.builder("g").temperature(-0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("temperature")
                .hasMessageContaining("-0.5");
    }

    @Test
    void givenKnownModel_whenAnswered_thenCostComesFromTheBundledTable() {
        Usage usage = Usage.of(1_000, 500);
        router = quick()
                .deployment(fake("gpt-4o", "openai/gpt-4o", "d",
                        FakeProvider.builder().usage(usage).reply("hi").build()))
                .build();

        ChatResponse response = router.completion(ChatRequest.ofUser("gpt-4o", "hello"));

        var price = PriceTable.bundled().lookup("openai/gpt-4o").orElseThrow();
        BigDecimal expected = price.price().inputPerToken().orElseThrow().multiply(BigDecimal.valueOf(1_000))
                .add(price.price().outputPerToken().orElseThrow().multiply(BigDecimal.valueOf(500)));
        assertThat(response.cost().isPriced()).isTrue();
        assertThat(response.cost().totalUsd()).get().satisfies(t -> assertThat(t).isEqualByComparingTo(expected));
        assertThat(response.cost().pricedBy()).contains(price.key());
        assertThat(response.cost()).isEqualTo(CostCalculator.cost(price.price(), usage, price.key()));
    }

    @Test
    void givenModelWithoutPrice_whenAnswered_thenCostIsExplicitlyUnpriced() {
        router = quick().deployment(fake("mine", "openai_compatible/my-finetune-xyz", "d",
                FakeProvider.replying("hi"))).build();

        ChatResponse response = router.completion(ChatRequest.ofUser("mine", "hello"));

        assertThat(response.cost().isPriced()).isFalse();
        assertThat(response.cost().totalUsd()).isEmpty();
        assertThat(response.cost().unpricedReason()).get().asString().contains("openai_compatible/my-finetune-xyz");
    }

    @Test
    void givenDeploymentPriceOverride_whenAnswered_thenOverrideIsUsed() {
        router = quick().deployment(Deployment.builder("mine", "openai_compatible/my-model").id("d")
                .price(io.llmrouter.cost.ModelPrice.builder().inputPerMillion("1").outputPerMillion("2").build())
                .provider(FakeProvider.builder().usage(Usage.of(1_000_000, 500_000)).reply("hi").build())
                .build()).build();

        ChatResponse response = router.completion(ChatRequest.ofUser("mine", "hello"));

        assertThat(response.cost().totalUsd()).get().satisfies(t -> assertThat(t).isEqualByComparingTo("2"));
    }

    @Test
    void givenAsyncCall_whenProviderFails_thenFutureFailsWithTheTypedExceptionUnwrapped() throws Exception {
        router = quick().retryPolicy(retry -> retry.numRetries(0))
                .deployment(fake("g", "openai/m", "d", FakeProvider.failingWith(429, Duration.ofSeconds(3))))
                .build();

        Throwable failure = router.completionAsync(ChatRequest.ofUser("g", "x"))
                .handle((r, e) -> e).get(5, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(RateLimitException.class);
        assertThat(((RateLimitException) failure).retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(((RateLimitException) failure).attempts()).hasSize(1);
    }

    @Test
    void givenAsyncCall_whenAnswered_thenFutureCompletes() throws Exception {
        router = quick().deployment(fake("g", "openai/m", "d", FakeProvider.builder()
                .delay(Duration.ofMillis(20)).reply("later").build())).build();

        ChatResponse response = router.completionAsync(ChatRequest.ofUser("g", "x")).get(5, TimeUnit.SECONDS);

        assertThat(response.text()).isEqualTo("later");
    }

    @Test
    void givenHangingDeployment_whenTimeoutPasses_thenTimeoutIsRetriedAndFallsBack() {
        FakeProvider hanging = FakeProvider.builder().hang().build();
        router = quick().retryPolicy(retry -> retry.numRetries(1))
                .deployment(Deployment.builder("slow", "openai/m").id("slow").timeout(Duration.ofMillis(50))
                        .provider(hanging).build())
                .deployment(fake("fast", "openai/m", "fast", FakeProvider.replying("fast")))
                .fallbackPolicy(fallback -> fallback.fallbacks("slow", "fast"))
                .build();

        ChatResponse response = router.completion(ChatRequest.ofUser("slow", "x"));

        assertThat(response.text()).isEqualTo("fast");
        assertThat(response.routing().orElseThrow().attempts()).extracting(a -> a.errorType().orElse("ok"))
                .containsExactly("RequestTimeoutException", "RequestTimeoutException", "ok");
    }

    @Test
    void givenOnlyTimeouts_whenCompletion_thenRequestTimeoutExceptionNamesTheDeployment() {
        router = quick().retryPolicy(retry -> retry.numRetries(0))
                .deployment(Deployment.builder("slow", "openai/m").id("slow").timeout(Duration.ofMillis(20))
                        .provider(FakeProvider.builder().hang().build()).build())
                .build();

        assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("slow", "x")))
                .isInstanceOf(RequestTimeoutException.class)
                .hasMessageContaining("'slow'")
                .satisfies(e -> assertThat(((LlmRouterException) e).isRetryable()).isTrue());
    }

    @Test
    void givenCancelledFuture_whenDeploymentHangs_thenNoFurtherAttemptsAreMade() throws Exception {
        FakeProvider hanging = FakeProvider.builder().hang().build();
        FakeProvider backup = FakeProvider.replying("never");
        router = quick()
                .deployment(fake("g", "openai/m", "d", hanging))
                .deployment(fake("b", "openai/m", "b", backup))
                .fallbackPolicy(fallback -> fallback.fallbacks("g", "b"))
                .build();

        var future = router.completionAsync(ChatRequest.ofUser("g", "x"));
        assertThat(future.cancel(true)).isTrue();

        assertThat(future).isCancelled();
        assertThat(hanging.callCount()).isEqualTo(1);
        assertThat(backup.callCount()).isZero();
    }

    @Test
    void givenListeners_whenFallbackHappens_thenEventsArriveInOrder() {
        List<String> events = new CopyOnWriteArrayList<>();
        router = quick().retryPolicy(retry -> retry.numRetries(0))
                .deployment(fake("a", "openai/a", "a1", FakeProvider.failingWith(500)))
                .deployment(fake("b", "openai/b", "b1", FakeProvider.replying("b")))
                .fallbackPolicy(fallback -> fallback.fallbacks("a", "b"))
                .listener(new RouterListener() {
                    @Override
                    public void onAttempt(RouterRequest request, Attempt attempt) {
                        events.add("attempt " + attempt.deploymentId() + " " + attempt.isSuccess());
                    }

                    @Override
                    public void onFallback(RouterRequest request, String from, String to, LlmRouterException cause) {
                        events.add("fallback " + from + "->" + to + " " + cause.getClass().getSimpleName());
                    }

                    @Override
                    public void onSuccess(RouterRequest request, RouterResponse response) {
                        events.add("success " + ((ChatResponse) response).text());
                    }
                })
                .listener(new RouterListener() {
                    @Override
                    public void onAttempt(RouterRequest request, Attempt attempt) {
                        throw new IllegalStateException("a broken listener must not break routing");
                    }
                })
                .build();

        router.completion(ChatRequest.ofUser("a", "x"));

        assertThat(events).containsExactly("attempt a1 false", "fallback a->b ProviderServerException",
                "attempt b1 true", "success b");
    }

    @Test
    void givenAllDeploymentsCoolingDown_whenNoFallback_thenNoDeploymentAvailable() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        router = quick().clock(clock).retryPolicy(retry -> retry.numRetries(0))
                .deployment(fake("g", "openai/m", "d1", FakeProvider.failingWith(429)))
                .deployment(fake("g", "openai/m", "d2", FakeProvider.failingWith(429)))
                .build();

        assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("g", "x")))
                .isInstanceOf(RateLimitException.class);
        assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("g", "x")))
                .isInstanceOf(RateLimitException.class);
        assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("g", "x")))
                .isInstanceOf(NoDeploymentAvailableException.class)
                .hasMessageContaining("cooling down");
    }

    @Test
    void secretsNeverAppearInToStringOrErrors() {
        Secret key = Secret.of("sk-live-SUPERSECRET-123");
        Deployment d = Deployment.builder("g", "openai/m").id("d").apiKey(key)
                .provider(FakeProvider.failingWith(401)).build();
        router = quick().retryPolicy(retry -> retry.numRetries(0)).deployment(d).build();

        LlmRouterException e = catchThrowableOfType(LlmRouterException.class,
                () -> router.completion(ChatRequest.ofUser("g", "x")));

        assertThat(d.toString()).doesNotContain("SUPERSECRET").contains("Secret[****]");
        assertThat(key.toString()).isEqualTo("Secret[****]");
        assertThat(e.getMessage()).doesNotContain("SUPERSECRET");
        assertThat(e.toString()).doesNotContain("SUPERSECRET");
        assertThat(e.attempts().toString()).doesNotContain("SUPERSECRET");
        assertThat(router.deployments().toString()).doesNotContain("SUPERSECRET");
    }

    @Test
    void givenRepeatedDefaultIds_whenBuilt_thenIdsAreNumbered() {
        router = quick()
                .deployment(Deployment.builder("g", "openai/m").provider(FakeProvider.replying("1")).build())
                .deployment(Deployment.builder("g", "openai/m").provider(FakeProvider.replying("2")).build())
                .build();

        assertThat(router.deployments()).extracting(Deployment::id).containsExactly("openai/m", "openai/m#2");
    }

    @Test
    void rejectsBadConfigurationAtBuildTime() {
        assertThatThrownBy(() -> Router.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one deployment");
        assertThatThrownBy(() -> quick().deployment(fake("a", "openai/a", "x", FakeProvider.replying("")))
                .fallbackPolicy(fallback -> fallback.fallbacks("a", "missing")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'missing'");
        assertThatThrownBy(() -> quick().deployment(Deployment.builder("a", "nosuchprovider/a").build()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no provider for route prefix 'nosuchprovider'");
        assertThatThrownBy(() -> quick()
                .deployment(fake("a", "openai/a", "same", FakeProvider.replying("")))
                .deployment(fake("b", "openai/b", "same", FakeProvider.replying(""))).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("duplicate deployment id 'same'");
        assertThatThrownBy(() -> Deployment.builder("a", "no-prefix")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'<prefix>/<model>'");
    }

    @Test
    void givenServerErrorsThenSuccess_whenRetried_thenSameGroupAnswers() throws ExecutionException {
        FakeProvider flaky = FakeProvider.builder().fail(503).fail(500).reply("third time").build();
        router = quick().deployment(fake("g", "openai/m", "d", flaky)).cooldownPolicy(cooldown -> cooldown.allowedFails(10)).build();

        ChatResponse response = router.completion(ChatRequest.ofUser("g", "x"));

        assertThat(response.text()).isEqualTo("third time");
        assertThat(response.routing().orElseThrow().attempts()).extracting(a -> a.errorType().orElse("ok"))
                .containsExactly(ServiceUnavailableException.class.getSimpleName(),
                        ProviderServerException.class.getSimpleName(), "ok");
    }
}
