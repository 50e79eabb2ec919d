package io.llmrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.spi.BudgetBalance;
import io.llmrouter.spi.BudgetReservation;
import io.llmrouter.spi.BudgetWindow;
import io.llmrouter.spi.DeploymentHealth;
import io.llmrouter.spi.SpendTotals;
import io.llmrouter.spi.StateStore;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A live change on a router whose shared store echoes every health transition back, as Redis does. */
class LiveChangeSharedStoreTest {

    private final VirtualTime time = VirtualTime.create();

    /** An in-memory store that tells its subscribers of every published transition, this router's too. */
    private static final class EchoStore implements StateStore {
        private final InMemoryStateStore local = new InMemoryStateStore(Router.DEFAULT_MAX_SPEND_KEYS);
        final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
        final List<DeploymentHealth> published = new CopyOnWriteArrayList<>();

        @Override
        public Subscription subscribe(Subscriber subscriber) {
            subscribers.add(subscriber);
            return () -> subscribers.remove(subscriber);
        }

        @Override
        public void publishHealth(DeploymentHealth transition) {
            published.add(transition);
            local.publishHealth(transition);
            subscribers.forEach(s -> s.onHealth(transition));
        }

        @Override
        public CompletionStage<BudgetReservation> reserve(List<BudgetWindow> windows, BigDecimal amountUsd) {
            return local.reserve(windows, amountUsd);
        }

        @Override
        public UsageCounter usage(String deploymentId) {
            return local.usage(deploymentId);
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
            local.settle(reservation, actualUsd, chargeTo);
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
    }

    @Test
    void givenACallInFlightOnAReplacedDeployment_whenItFails_thenTheReplacementIsNotCooledThroughTheStore() {
        EchoStore store = new EchoStore();
        FakeProvider badKey = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofSeconds(5))
                .fail(401).build();
        FakeProvider fixed = FakeProvider.replying("fixed");
        try (Router router = Router.builder().clock(time.clock()).scheduler(time.scheduler()).stateStore(store)
                .retryPolicy(r -> r.numRetries(0))
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("d").provider(badKey).build())
                .build()) {
            CompletableFuture<ChatResponse> inFlight = router.completionAsync(ChatRequest.ofUser("g", "hello"));
            time.advance(Duration.ofSeconds(1));

            router.upsertDeployment(Deployment.builder("g", "openai/gpt-4o").id("d").provider(fixed).build());
            time.advanceUntil(inFlight::isDone, Duration.ofMinutes(1));

            assertThat(inFlight).isCompletedExceptionally();
            assertThat(store.published).isEmpty();
            assertThat(router.deploymentStatuses()).singleElement()
                    .extracting(DeploymentStatus::state).isEqualTo(DeploymentStatus.State.AVAILABLE);
            CompletableFuture<ChatResponse> next = router.completionAsync(ChatRequest.ofUser("g", "hello"));
            time.advanceUntil(next::isDone, Duration.ofMinutes(1));
            assertThat(next.join().text()).isEqualTo("fixed");
        }
    }
}
