package io.llmrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Deployment;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.BudgetBalance;
import io.llmrouter.spi.BudgetReservation;
import io.llmrouter.spi.BudgetWindow;
import io.llmrouter.spi.DeploymentHealth;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.spi.SpendTotals;
import io.llmrouter.spi.StateStore;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * What a router does with the events of a shared {@link StateStore}: it applies cooldowns other
 * routers published, warns once per outage, shows the outage in its statuses and description, and
 * lets each budget fail open or closed on a reservation the store could only grant provisionally.
 */
class SharedStoreEventsTest {

    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("0").build();

    private final VirtualTime time = VirtualTime.create();
    private final OutageStore store = new OutageStore();

    /** An in-memory store that can be put in an outage and lets the test play its events. */
    private static final class OutageStore implements StateStore {
        private final InMemoryStateStore local = new InMemoryStateStore(Router.DEFAULT_MAX_SPEND_KEYS);
        final List<Subscriber> subscribers = new ArrayList<>();
        volatile Availability availability = Availability.AVAILABLE;
        private long seq;

        void outage(Availability a) {
            availability = a;
            subscribers.forEach(s -> s.onAvailability(a, a == Availability.UNAVAILABLE ? "connection refused" : "back"));
        }

        @Override
        public Availability availability() {
            return availability;
        }

        @Override
        public Subscription subscribe(Subscriber subscriber) {
            subscribers.add(subscriber);
            return () -> subscribers.remove(subscriber);
        }

        @Override
        public CompletionStage<BudgetReservation> reserve(List<BudgetWindow> windows, BigDecimal amountUsd) {
            if (availability == Availability.UNAVAILABLE) {
                return CompletableFuture.completedFuture(BudgetReservation.provisional("p" + ++seq, amountUsd, windows));
            }
            return local.reserve(windows, amountUsd);
        }

        @Override
        public UsageCounter usage(String deploymentId) {
            return local.usage(deploymentId);
        }

        @Override
        public void publishHealth(DeploymentHealth transition) {
            local.publishHealth(transition);
        }

        @Override
        public DeploymentHealth health(String deploymentId) {
            return local.health(deploymentId);
        }

        @Override
        public void addSpend(String deploymentId, String provider, String modelGroup, Optional<String> user,
                List<String> tags, BigDecimal usd) {
            local.addSpend(deploymentId, provider, modelGroup, user, tags, usd);
        }

        @Override
        public void countUnpriced(String deploymentId) {
            local.countUnpriced(deploymentId);
        }

        @Override
        public SpendTotals spendTotals() {
            return local.spendTotals();
        }

        @Override
        public void settle(BudgetReservation reservation, BigDecimal actualUsd, List<BudgetWindow> chargeTo) {
            if (reservation.isProvisional()) {
                // nothing was held: charge only (a network store adds it to the shared spend later)
                BudgetReservation charge = local.reserve(chargeTo, BigDecimal.ZERO).toCompletableFuture().join();
                local.settle(charge, actualUsd, chargeTo);
            } else {
                local.settle(reservation, actualUsd, chargeTo);
            }
        }

        @Override
        public BudgetBalance balance(BudgetWindow window) {
            return local.balance(window);
        }

        @Override
        public LatencyRecorder latency(String deploymentId) {
            return local.latency(deploymentId);
        }

        @Override
        public CompletionStage<Void> flush() {
            return local.flush();
        }

        @Override
        public String toString() {
            return "OutageStore[" + availability + "]";
        }
    }

    private static ChatRequest ask() {
        return ChatRequest.builder("g").addMessage(Message.user("hello")).maxTokens(1).build();
    }

    private Router.Builder router(Budget budget) {
        FakeProvider provider = FakeProvider.builder().usage(Usage.of(1_000_000, 0)).reply("ok").build();
        Router.Builder b = Router.builder().clock(time.clock()).scheduler(time.scheduler()).stateStore(store)
                .deployment(Deployment.builder("g", "openai/m").id("d").price(PRICE).provider(provider).build());
        return budget == null ? b : b.budget(budget);
    }

    @Test
    void givenAStoreOutage_whenABudgetFailsClosed_thenTheCallIsRefusedBeforeAnyProviderCall() throws Exception {
        // given
        Budget failClosed = Budget.global().limitUsd("10").period(BudgetPeriod.DAILY)
                .storeOutage(Budget.StoreOutage.FAIL_CLOSED).build();
        try (Router router = router(failClosed).build()) {
            store.outage(StateStore.Availability.UNAVAILABLE);
            // when / then
            assertThatThrownBy(() -> router.completion(ask())).isInstanceOf(BudgetExceededException.class)
                    .hasMessageContaining("state store is unavailable");
            assertThat(router.spend().total()).isEqualByComparingTo("0");
            assertThat(new ObjectMapper().readTree(router.describe().toJson()).at("/budgets/0/store_outage").asText())
                    .isEqualTo("FAIL_CLOSED");
        }
    }

    @Test
    void givenAStoreOutage_whenTheBudgetFailsOpen_thenTheCallIsAnsweredAndCharged() {
        // given: the default
        Budget failOpen = Budget.global().limitUsd("10").period(BudgetPeriod.DAILY).build();
        try (Router router = router(failOpen).build()) {
            store.outage(StateStore.Availability.UNAVAILABLE);
            // when
            String text = router.completion(ask()).text();
            // then
            assertThat(text).isEqualTo("ok");
            assertThat(router.budgetStatuses().get(0).spentUsd()).isEqualByComparingTo("1");
        }
    }

    @Test
    void givenACooldownPublishedByAnotherRouter_whenItArrives_thenThisRouterTakesTheDeploymentOut() {
        // given
        try (Router router = router(null)
                .deployment(Deployment.builder("g", "openai/m").id("e").provider(FakeProvider.replying("e")).build())
                .build()) {
            // when
            java.time.Instant now = time.now();
            store.subscribers.forEach(s -> s.onHealth(
                    DeploymentHealth.coolingDown("d", now.plusSeconds(30), "RATE_LIMIT", now)));
            // then
            DeploymentStatus d = router.deploymentStatuses().get(0);
            assertThat(d.state()).isEqualTo(DeploymentStatus.State.COOLING_DOWN);
            assertThat(d.coolingUntil()).contains(now.plusSeconds(30));
            for (int i = 0; i < 20; i++) {
                assertThat(router.completion(ask()).text()).isEqualTo("e");
            }
        }
    }

    @Test
    void givenAStoreOutage_whenItStartsAndEnds_thenListenersHearEachOnceAndStatusesShowIt() throws Exception {
        // given
        List<String> events = new ArrayList<>();
        RouterListener listener = new RouterListener() {
            @Override
            public void onStateStoreUnavailable(String detail) {
                events.add("unavailable: " + detail);
            }

            @Override
            public void onStateStoreAvailable() {
                events.add("available");
            }
        };
        try (Router router = router(null).listener(listener).build()) {
            // when
            store.outage(StateStore.Availability.UNAVAILABLE);
            // then
            assertThat(router.deploymentStatuses()).extracting(DeploymentStatus::stateStore)
                    .containsOnly(StateStore.Availability.UNAVAILABLE);
            assertThat(new ObjectMapper().readTree(router.describe().toJson())
                    .at("/settings/state_store_availability").asText()).isEqualTo("UNAVAILABLE");
            // when
            store.outage(StateStore.Availability.AVAILABLE);
            // then
            assertThat(events).containsExactly("unavailable: connection refused", "available");
            assertThat(router.deploymentStatuses()).extracting(DeploymentStatus::stateStore)
                    .containsOnly(StateStore.Availability.AVAILABLE);
        }
    }

    @Test
    void aClosedRouterStopsListeningToItsStore() {
        Router router = router(null).build();
        assertThat(store.subscribers).hasSize(1);

        router.close();

        assertThat(store.subscribers).isEmpty();
    }
}
