package io.llmrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.StateStore;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Routers given one {@link StateStore} act as one: one budget, one rpm limit, one spend total. */
class SharedStateStoreTest {

    /** $1 per million input tokens: a call of a million input tokens costs $1. */
    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("0").build();

    private final VirtualTime time = VirtualTime.create();
    private final StateStore shared = new InMemoryStateStore(Router.DEFAULT_MAX_SPEND_KEYS);

    private Router router(StateStore store, Deployment.Builder deployment) {
        FakeProvider provider = FakeProvider.builder().usage(Usage.of(1_000_000, 0)).reply("ok").build();
        Router.Builder b = Router.builder().clock(time.clock()).scheduler(time.scheduler())
                .deployment(deployment.provider(provider).build())
                .budget(Budget.global().limitUsd("3").period(BudgetPeriod.DAILY).build());
        return store == null ? b.build() : b.stateStore(store).build();
    }

    private static ChatRequest ask() {
        return ChatRequest.builder("g").addMessage(Message.user("hello")).maxTokens(1).build();
    }

    private static Deployment.Builder deployment() {
        return Deployment.builder("g", "openai/m").id("d").price(PRICE);
    }

    @Test
    void givenTwoRoutersSharingAStore_whenBothSpend_thenOneBudgetHoldsForBoth() {
        // given
        try (Router a = router(shared, deployment()); Router b = router(shared, deployment())) {
            // when: $1 per call, two calls on each router against a $3 budget
            a.completion(ask());
            b.completion(ask());
            a.completion(ask());
            // then
            assertThatThrownBy(() -> b.completion(ask())).isInstanceOf(BudgetExceededException.class);
            assertThat(a.spend().total()).isEqualByComparingTo("3");
            assertThat(b.spend().total()).isEqualByComparingTo("3");
        }
    }

    @Test
    void givenTwoRoutersSharingAStore_whenBothCall_thenTheRpmLimitCountsTheCallsOfBoth() {
        // given
        try (Router a = router(shared, deployment().rpm(2)); Router b = router(shared, deployment().rpm(2))) {
            // when
            a.completion(ask());
            b.completion(ask());
            // then
            assertThatThrownBy(() -> a.completion(ask())).isInstanceOf(RateLimitException.class);
            time.advance(Duration.ofMinutes(1));
            assertThat(b.completion(ask()).text()).isEqualTo("ok");
        }
    }

    @Test
    void givenARouterWithAStore_whenADeploymentCoolsAndRecovers_thenTheStoreHoldsEachHealthTransition() {
        // given: deployment d answers a 429 with retry-after 7 s, then answers; e always answers
        FakeProvider flaky = FakeProvider.builder().fail(429, Duration.ofSeconds(7)).reply("ok").build();
        try (Router router = Router.builder().clock(time.clock()).scheduler(time.scheduler())
                .random(new java.util.SplittableRandom(1))
                .deployment(Deployment.builder("g", "openai/m").id("d").provider(flaky).build())
                .deployment(Deployment.builder("g", "openai/m").id("e").provider(FakeProvider.replying("ok")).build())
                .stateStore(shared).build()) {
            io.llmrouter.RequestOptions noRetry = io.llmrouter.RequestOptions.builder().retryPolicy(r -> r.numRetries(0)).build();
            long start = time.clock().millis();
            // when: calls until d has answered its 429 (no retry: the caller gets it)
            for (int i = 0; i < 50 && flaky.callCount() == 0; i++) {
                try {
                    router.completion(ask(), noRetry);
                } catch (io.llmrouter.api.exception.RateLimitException expected) {
                    // d's 429
                }
            }
            // then: d's cooldown is in the store, with its end and its kind
            io.llmrouter.spi.DeploymentHealth cooling = shared.health("d");
            assertThat(cooling.isCoolingDownAt(start)).isTrue();
            assertThat(cooling.coolingUntil()).contains(java.time.Instant.ofEpochMilli(start + 7_000));
            assertThat(cooling.reason()).isEqualTo("RATE_LIMIT");
            assertThat(shared.health("e").isCoolingDown()).isFalse();
            // when: the cooldown passes and d's probe answers
            time.advance(Duration.ofSeconds(7));
            for (int i = 0; i < 50 && flaky.callCount() == 1; i++) {
                router.completion(ask(), noRetry);
            }
            // then
            assertThat(flaky.callCount()).isEqualTo(2);
            assertThat(shared.health("d").isCoolingDown()).isFalse();
        }
    }

    @Test
    void theRoutersDescriptionNamesItsStateStore() throws Exception {
        try (Router own = router(null, deployment()); Router sharing = router(shared, deployment())) {
            ObjectMapper json = new ObjectMapper();
            JsonNode ownStore = json.readTree(own.describe().toJson()).at("/settings/state_store");
            JsonNode sharedStore = json.readTree(sharing.describe().toJson()).at("/settings/state_store");
            assertThat(ownStore.get("value").asText()).isEqualTo("in memory");
            assertThat(ownStore.get("default").asBoolean()).isTrue();
            assertThat(sharedStore.get("value").asText()).startsWith("InMemoryStateStore[");
            assertThat(sharedStore.get("default").asBoolean()).isFalse();
        }
    }

    @Test
    void givenRoutersWithoutAStore_whenBothSpend_thenEachKeepsItsOwnState() {
        // given
        try (Router a = router(null, deployment()); Router b = router(null, deployment())) {
            // when
            a.completion(ask());
            a.completion(ask());
            a.completion(ask());
            // then
            assertThat(b.completion(ask()).text()).isEqualTo("ok");
            assertThat(b.spend().total()).isEqualByComparingTo("1");
        }
    }
}
