package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.budget.BudgetStatus;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.testing.FakeProvider;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Budget periods follow the router's clock, also when the clock is set back a little. */
class BudgetClockTest {

    /** $1 per million input tokens: each call below costs $1. */
    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("0").build();

    @Test
    void givenTheClockSetBackOverAPeriodStart_whenACallEnds_thenItsReservationIsReleasedInTheCurrentPeriod() {
        // given: a daily $5 budget, one call just after midnight
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T00:00:00.500Z"));
        FakeProvider provider = FakeProvider.builder().usage(Usage.of(1_000_000, 0)).reply("ok").build();
        try (Router router = Router.builder().clock(clock)
                .deployment(Deployment.builder("g", "openai/m").id("d").price(PRICE).provider(provider).build())
                .budget(Budget.global().limitUsd("5").period(BudgetPeriod.DAILY).build())
                .build()) {
            ChatRequest ask = ChatRequest.builder("g").addMessage(Message.user("hi")).maxTokens(1).build();
            router.completion(ask);
            // when: the clock is corrected one second back, before midnight, and another call ends
            clock.advance(Duration.ofSeconds(-1));
            router.completion(ask);
            clock.advance(Duration.ofSeconds(2));
            // then: both calls count in the day that had begun, and nothing stays reserved
            BudgetStatus status = router.budgetStatuses().get(0);
            assertThat(status.spentUsd()).isEqualByComparingTo("2");
            assertThat(status.reservedUsd()).isEqualByComparingTo("0");
        }
    }
}
