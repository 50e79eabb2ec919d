package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.budget.BudgetStatus;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.testing.FakeProvider;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** API-key budgets added and removed while the router runs, as a gateway does for its virtual keys. */
class ApiKeyBudgetTest {

    /** $1 per million input tokens: each call below costs $1. */
    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("2").build();

    private final FakeProvider provider = FakeProvider.builder().usage(Usage.of(1_000_000, 0)).reply("ok").build();

    private Router router() {
        return Router.builder()
                .deployment(Deployment.builder("g", "openai/m").id("d").price(PRICE).provider(provider).build())
                .build();
    }

    private static ChatRequest ask() {
        return ChatRequest.builder("g").addMessage(Message.user("hello")).maxTokens(10).build();
    }

    private static RequestOptions key(String id) {
        return RequestOptions.builder().apiKeyId(id).build();
    }

    private static Budget budget(String keyId, String usd) {
        return Budget.forApiKey(keyId).limitUsd(usd).period(BudgetPeriod.every(Duration.ofDays(30))).build();
    }

    @Test
    void givenApiKeyBudgetAddedLive_whenItsKeyOverspends_thenRefusedBeforeAnyCallWhileOtherKeysPass() {
        try (Router router = router()) {
            // given
            router.putBudget(budget("key-a", "0.50"));
            // when: the first call spends $1
            router.completion(ask(), key("key-a"));
            int calls = provider.requests().size();
            // then
            assertThatThrownBy(() -> router.completion(ask(), key("key-a")))
                    .isInstanceOf(BudgetExceededException.class)
                    .hasMessageContaining("api key 'key-a'");
            assertThat(provider.requests()).hasSize(calls);
            router.completion(ask(), key("key-b"));
            router.completion(ask());
            assertThat(provider.requests()).hasSize(calls + 2);
        }
    }

    @Test
    void givenSeededSpend_whenKeyCalls_thenStoredSpendCountsAndSeedingAgainDoesNotDoubleIt() {
        try (Router router = router()) {
            // given: $2 of a $2.50 budget already spent, seeded twice (two gateways on one store)
            Budget b = budget("key-a", "2.50");
            router.putBudget(b, new BigDecimal("2"));
            router.putBudget(b, new BigDecimal("2"));
            // when
            router.completion(ask(), key("key-a"));
            // then: $3 spent, the next call is refused
            assertThat(router.budgetStatuses()).singleElement()
                    .extracting(BudgetStatus::spentUsd).satisfies(s -> assertThat(s).isEqualByComparingTo("3"));
            assertThatThrownBy(() -> router.completion(ask(), key("key-a")))
                    .isInstanceOf(BudgetExceededException.class);
        }
    }

    @Test
    void givenBudgetReplacedWithHigherLimit_whenKeyCalls_thenNewLimitApplies() {
        try (Router router = router()) {
            router.putBudget(budget("key-a", "0.50"));
            router.completion(ask(), key("key-a"));
            // when: the limit is raised and the spend seeded from the gateway's database
            router.putBudget(budget("key-a", "5"), BigDecimal.ONE);
            // then
            router.completion(ask(), key("key-a"));
            assertThat(router.budgetStatuses()).hasSize(1);
        }
    }

    @Test
    void givenBudgetRemoved_whenKeyCalls_thenNoLongerLimited() {
        try (Router router = router()) {
            Budget b = budget("key-a", "0.50");
            router.putBudget(b);
            router.completion(ask(), key("key-a"));
            // when
            assertThat(router.removeBudget(b)).isTrue();
            // then
            router.completion(ask(), key("key-a"));
            assertThat(router.budgetStatuses()).isEmpty();
            assertThat(router.removeBudget(b)).isFalse();
        }
    }

    @Test
    void rejectsBlankApiKeyIdAndNegativeSeed() {
        assertThatThrownBy(() -> RequestOptions.builder().apiKeyId(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiKeyId");
        try (Router router = router()) {
            assertThatThrownBy(() -> router.putBudget(budget("k", "1"), new BigDecimal("-1")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spentUsd");
        }
    }
}
