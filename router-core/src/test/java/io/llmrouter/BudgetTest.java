package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.budget.BudgetStatus;
import io.llmrouter.budget.SpendReport;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BudgetTest {

    /** $1 per million input tokens, $2 per million output tokens: easy arithmetic. */
    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("2").build();

    private static Deployment priced(String group, String route, String id, FakeProvider provider) {
        return Deployment.builder(group, route).id(id).price(PRICE).provider(provider).build();
    }

    private static ChatRequest ask(String group, String user, int maxTokens) {
        return ChatRequest.builder(group).addMessage(Message.user("hello")).user(user).maxTokens(maxTokens).build();
    }

    @Test
    void rejectsNegativeMaxSpendKeys() {
        assertThatThrownBy(() -> Router.builder().maxSpendKeys(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSpendKeys");
    }

    @Test
    void givenManyDistinctUsers_whenAnActiveUserHasABudget_thenItIsEnforcedAndSpendDetailStaysBounded() {
        // given: $1 per call, 100 users listed one by one, a service with thousands of end users
        FakeProvider provider = FakeProvider.builder().usage(Usage.of(1_000_000, 0)).reply("ok").build();
        try (Router router = Router.builder().maxSpendKeys(100)
                .deployment(priced("g", "openai/m", "d", provider))
                .budget(Budget.forUser("alice").limitUsd("2.50").period(BudgetPeriod.DAILY).build())
                .build()) {
            // when: alice spends $3 among 3,000 one-time users
            for (int i = 0; i < 3_000; i++) {
                router.completion(ask("g", "user-" + i, 10));
                if (i % 1_000 == 999) {
                    router.completion(ask("g", "alice", 10));
                }
            }
            // then: her budget still holds, and the spend report keeps bounded detail with exact sums
            assertThatThrownBy(() -> router.completion(ask("g", "alice", 10)))
                    .isInstanceOf(BudgetExceededException.class);
            SpendReport spend = router.spend();
            assertThat(spend.byUser().size()).isLessThanOrEqualTo(100);
            assertThat(spend.total()).isEqualByComparingTo("3003");
            assertThat(spend.byUser().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                    .add(spend.otherUsers())).isEqualByComparingTo("3003");
        }
    }

    @Test
    void givenUserBudgetSpent_whenCalled_thenBudgetExceededBeforeAnyProviderCall() {
        VirtualTime time = VirtualTime.startingAt(Instant.parse("2026-03-10T15:00:00Z"));
        // each call: 1,000,000 input + 0 output tokens = $1 actual; the estimate is bounded by max tokens 10
        FakeProvider provider = FakeProvider.builder().usage(Usage.of(1_000_000, 0)).reply("ok").build();
        try (Router router = Router.builder().clock(time.clock()).scheduler(time.scheduler())
                .deployment(priced("g", "openai/m", "d", provider))
                .budget(Budget.forUser("alice").limitUsd("2.50").period(BudgetPeriod.DAILY).build())
                .build()) {
            router.completion(ask("g", "alice", 10));
            router.completion(ask("g", "alice", 10));
            router.completion(ask("g", "alice", 10)); // spent $3 > $2.50 after this one: the reservation was tiny
            int calls = provider.callCount();

            assertThatThrownBy(() -> router.completion(ask("g", "alice", 10)))
                    .isInstanceOf(BudgetExceededException.class)
                    .hasMessageContaining("user 'alice'")
                    .satisfies(e -> {
                        BudgetExceededException b = (BudgetExceededException) e;
                        assertThat(b.budget()).isEqualTo("user 'alice'");
                        assertThat(b.limitUsd()).isEqualByComparingTo("2.50");
                        assertThat(b.spentUsd()).isEqualByComparingTo("3");
                        assertThat(b.resetsAt()).contains(Instant.parse("2026-03-11T00:00:00Z"));
                    });
            assertThat(provider.callCount()).isEqualTo(calls);
            // another user is not limited
            assertThat(router.completion(ask("g", "bob", 10)).text()).isEqualTo("ok");
        }
    }

    @Test
    void givenDailyBudget_whenTheDayTurns_thenSpendResets() {
        VirtualTime time = VirtualTime.startingAt(Instant.parse("2026-03-10T23:00:00Z"));
        FakeProvider provider = FakeProvider.builder().usage(Usage.of(0, 500_000)).reply("ok").build(); // $1 each
        try (Router router = Router.builder().clock(time.clock()).scheduler(time.scheduler())
                .deployment(priced("g", "openai/m", "d", provider))
                .budget(Budget.global().limitUsd("1.5").period(BudgetPeriod.daily(ZoneId.of("UTC"))).build())
                .build()) {
            router.completion(ask("g", "u", 500_000));
            assertThatThrownBy(() -> router.completion(ask("g", "u", 500_000)))
                    .isInstanceOf(BudgetExceededException.class);

            time.advance(Duration.ofHours(1)); // midnight UTC

            assertThat(router.completion(ask("g", "u", 500_000)).text()).isEqualTo("ok");
            BudgetStatus status = router.budgetStatuses().get(0);
            assertThat(status.spentUsd()).isEqualByComparingTo("1");
            assertThat(status.resetsAt()).contains(Instant.parse("2026-03-12T00:00:00Z"));
        }
    }

    @Test
    void givenSmallBudget_whenAThousandConcurrentCalls_thenSpendNeverExceedsTheLimit() throws Exception {
        // each call really costs 10 in + 50 out = $0.00011; its reservation (up to 12 in + 100 out) is $0.000212
        FakeProvider provider = FakeProvider.builder().usage(Usage.of(10, 50)).delay(Duration.ofMillis(2)).reply("ok")
                .build();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try (Router router = Router.builder()
                .deployment(Deployment.builder("g", "openai/m").id("d").provider(provider)
                        .price(PRICE).build())
                .budget(Budget.global().limitUsd("0.05").period(BudgetPeriod.NEVER).build())
                .build()) {
            List<CompletableFuture<CompletableFuture<ChatResponse>>> submitted = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                submitted.add(CompletableFuture.supplyAsync(() -> router.completionAsync(ask("g", "u", 100)), callers));
            }
            int ok = 0;
            int refused = 0;
            for (CompletableFuture<CompletableFuture<ChatResponse>> s : submitted) {
                Throwable e = s.get(10, TimeUnit.SECONDS).handle((r, x) -> x).get(10, TimeUnit.SECONDS);
                if (e == null) {
                    ok++;
                } else {
                    assertThat(e).isInstanceOf(BudgetExceededException.class);
                    refused++;
                }
            }
            BigDecimal perCall = new BigDecimal("0.00011");
            SpendReport spend = router.spend();
            assertThat(ok + refused).isEqualTo(1_000);
            assertThat(spend.total()).isEqualByComparingTo(perCall.multiply(BigDecimal.valueOf(ok)));
            assertThat(spend.total()).isLessThanOrEqualTo(new BigDecimal("0.05"));
            assertThat(router.budgetStatuses().get(0).reservedUsd()).isEqualByComparingTo("0");
            assertThat(ok).as("the budget is used, not refused wholesale").isGreaterThan(100);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void givenProviderBudgetSpent_whenRouting_thenTrafficMovesToTheOtherProvider() {
        FakeProvider openai = FakeProvider.builder().usage(Usage.of(1_000_000, 0)).reply("openai").build(); // $1
        FakeProvider anthropic = FakeProvider.builder().usage(Usage.of(1_000_000, 0)).reply("anthropic").build();
        try (Router router = Router.builder()
                .strategy((ctx, candidates) -> candidates.get(0))
                .deployment(priced("g", "openai/m", "oai", openai))
                .deployment(priced("g", "anthropic/m", "ant", anthropic))
                .budget(Budget.forProvider("openai").limitUsd("2").period(BudgetPeriod.MONTHLY).build())
                .budget(Budget.forDeployment("ant").limitUsd("1").period(BudgetPeriod.MONTHLY).build())
                .build()) {
            assertThat(router.completion(ask("g", "u", 10)).text()).isEqualTo("openai");
            assertThat(router.completion(ask("g", "u", 10)).text()).isEqualTo("openai");
            // openai has spent its $2: the group's other deployment takes the traffic
            assertThat(router.completion(ask("g", "u", 10)).text()).isEqualTo("anthropic");
            assertThatThrownBy(() -> router.completion(ask("g", "u", 10)))
                    .isInstanceOf(NoDeploymentAvailableException.class).hasMessageContaining("budgets");
            assertThat(router.spend().byProvider()).containsOnlyKeys("openai", "anthropic");
            assertThat(router.spend().byProvider().get("openai")).isEqualByComparingTo("2");
        }
    }

    @Test
    void givenCharges_whenSpendReported_thenEveryDimensionAddsUpAndListenersHearEachCharge() {
        List<String> charges = new CopyOnWriteArrayList<>();
        try (Router router = Router.builder()
                .deployment(priced("g", "openai/m", "d1", FakeProvider.builder().usage(Usage.of(1_000_000, 0)).reply("").build()))
                .deployment(priced("h", "mistral/m", "d2", FakeProvider.builder().usage(Usage.of(0, 1_000_000)).reply("").build()))
                .deployment(Deployment.builder("free", "custom/x").id("d3").provider(FakeProvider.replying("")).build())
                .listener(new RouterListener() {
                    @Override
                    public void onCharge(RouterRequest request, RouterResponse response) {
                        charges.add(request.user().orElse("?") + " " + response.cost().totalUsd().orElseThrow());
                    }
                })
                .build()) {
            router.completion(ChatRequest.builder("g").addMessage(Message.user("a")).user("alice").addTag("team-a").build());
            router.completion(ChatRequest.builder("h").addMessage(Message.user("b")).user("bob").addTag("team-a")
                    .addTag("batch").build());
            router.completion(ChatRequest.ofUser("free", "c"));

            SpendReport spend = router.spend();
            assertThat(spend.total()).isEqualByComparingTo("3");
            assertThat(spend.byDeployment().get("d1")).isEqualByComparingTo("1");
            assertThat(spend.byProvider().get("mistral")).isEqualByComparingTo("2");
            assertThat(spend.byModelGroup().get("h")).isEqualByComparingTo("2");
            assertThat(spend.byUser().get("alice")).isEqualByComparingTo("1");
            assertThat(spend.byTag().get("team-a")).isEqualByComparingTo("3");
            assertThat(spend.byTag().get("batch")).isEqualByComparingTo("2");
            assertThat(spend.unpricedResponses()).containsEntry("d3", 1L);
            assertThat(charges).hasSize(2);
        }
    }

    @Test
    void givenBudgetOnUnpricedDeployment_whenCalled_thenRefusedExplicitly() {
        try (Router router = Router.builder()
                .deployment(Deployment.builder("g", "custom/unknown-model").id("d").provider(FakeProvider.replying("")).build())
                .budget(Budget.forModelGroup("g").limitUsd("10").build())
                .build()) {
            assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("g", "x")))
                    .isInstanceOf(BudgetExceededException.class)
                    .hasMessageContaining("cannot enforce model group 'g'")
                    .hasMessageContaining("has no price");
        }
    }

    @Test
    void budgetPeriodsResetWhereDocumented() {
        Instant t = Instant.parse("2026-03-11T15:30:00Z"); // a Wednesday
        assertThat(BudgetPeriod.DAILY.nextReset(t)).isEqualTo(Instant.parse("2026-03-12T00:00:00Z"));
        assertThat(BudgetPeriod.WEEKLY.start(t)).isEqualTo(Instant.parse("2026-03-09T00:00:00Z"));
        assertThat(BudgetPeriod.MONTHLY.nextReset(t)).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(BudgetPeriod.every(Duration.ofHours(6)).nextReset(t)).isEqualTo(Instant.parse("2026-03-11T18:00:00Z"));
        assertThat(BudgetPeriod.daily(ZoneId.of("Europe/Berlin")).nextReset(t))
                .isEqualTo(Instant.parse("2026-03-11T23:00:00Z"));
        assertThatThrownBy(() -> Budget.forUser("x").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Budget.forUser("x").limitUsd("0")).isInstanceOf(IllegalArgumentException.class);
    }
}
