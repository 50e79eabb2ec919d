package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Deployment.Builder#maxParallelRequests(int)}: a bulkhead that selection respects, requests wait for, and nothing exceeds. */
class MaxParallelRequestsTest {

    private final VirtualTime time = VirtualTime.create();
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private Router.Builder virtual() {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(7))
                .retryPolicy(r -> r.numRetries(0));
    }

    private FakeProvider slow(Duration delay) {
        return FakeProvider.builder().scheduler(time.scheduler()).delay(delay).reply("ok").build();
    }

    private static ChatRequest hello() {
        return ChatRequest.ofUser("g", "hello");
    }

    @Test
    void givenTwoLimitedDeployments_whenMoreRequestsThanSlotsAndNoDeadline_thenEachGetsItsLimitAndTheRestFailTyped() {
        FakeProvider a = slow(Duration.ofSeconds(1));
        FakeProvider b = slow(Duration.ofSeconds(1));
        router = virtual()
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(a).maxParallelRequests(2).build())
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("b").provider(b).maxParallelRequests(3).build())
                .build();

        List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(router.completionAsync(hello()));
        }
        time.advanceUntil(() -> calls.stream().allMatch(CompletableFuture::isDone), Duration.ofMinutes(1));

        assertThat(a.callCount()).isEqualTo(2);
        assertThat(b.callCount()).isEqualTo(3);
        assertThat(calls).filteredOn(f -> !f.isCompletedExceptionally()).hasSize(5);
        assertThat(calls).filteredOn(CompletableFuture::isCompletedExceptionally).hasSize(3)
                .allSatisfy(f -> assertThat(f.handle((r, e) -> e).join())
                        .isInstanceOf(NoDeploymentAvailableException.class)
                        .hasMessageContaining("at their max parallel requests"));
    }

    @Test
    void givenAFullDeploymentAndAFreeOne_whenARequestArrives_thenItGoesToTheFreeOne() {
        FakeProvider a = slow(Duration.ofSeconds(10));
        FakeProvider b = slow(Duration.ofSeconds(1));
        router = virtual()
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(a).maxParallelRequests(1)
                        .order(1).build())
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("b").provider(b).order(2).build())
                .build();

        CompletableFuture<ChatResponse> first = router.completionAsync(hello());
        CompletableFuture<ChatResponse> second = router.completionAsync(hello());
        time.advanceUntil(() -> first.isDone() && second.isDone(), Duration.ofMinutes(1));

        assertThat(first.join().routing().orElseThrow().deploymentId()).isEqualTo("a");
        assertThat(second.join().routing().orElseThrow().deploymentId()).isEqualTo("b");
    }

    @Test
    void givenADeadline_whenEveryDeploymentIsFull_thenRequestsWaitForASlotAndAllSucceedOneAtATime() {
        FakeProvider a = slow(Duration.ofSeconds(1));
        router = virtual().timeouts(t -> t.deadline(Duration.ofSeconds(30)))
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(a).maxParallelRequests(1).build())
                .build();

        List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(router.completionAsync(hello()));
        }
        time.advanceUntil(() -> calls.get(0).isDone(), Duration.ofMinutes(1));
        assertThat(a.callCount()).isEqualTo(1);
        time.advanceUntil(() -> calls.stream().allMatch(CompletableFuture::isDone), Duration.ofMinutes(1));

        assertThat(calls).allSatisfy(f -> assertThat(f).isCompletedWithValueMatching(r -> r.text().equals("ok")));
        assertThat(a.callCount()).isEqualTo(3);
    }

    @Test
    void givenADeadline_whenTheSlotDoesNotFreeInTime_thenTheWaitingRequestTimesOut() {
        FakeProvider a = slow(Duration.ofSeconds(20));
        router = virtual().timeouts(t -> t.deadline(Duration.ofSeconds(5)))
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(a).maxParallelRequests(1).build())
                .build();

        CompletableFuture<ChatResponse> holder = router.completionAsync(hello());
        CompletableFuture<ChatResponse> waiter = router.completionAsync(hello());
        time.advanceUntil(waiter::isDone, Duration.ofMinutes(1));

        assertThat(waiter.handle((r, e) -> e).join()).isInstanceOf(RequestTimeoutException.class);
        assertThat(a.callCount()).isEqualTo(1);
        time.advanceUntil(holder::isDone, Duration.ofMinutes(1));
    }

    @Test
    void givenAPinnedCallToAFullDeployment_whenNoDeadline_thenItFailsTypedWithoutCallingIt() {
        FakeProvider a = slow(Duration.ofSeconds(5));
        router = virtual()
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(a).maxParallelRequests(1).build())
                .build();
        CompletableFuture<ChatResponse> holder = router.completionAsync(hello());

        CompletableFuture<ChatResponse> pinned = router.completionAsync(hello(),
                RequestOptions.builder().deployment("a").build());
        time.advanceUntil(() -> holder.isDone() && pinned.isDone(), Duration.ofMinutes(1));

        assertThat(pinned.handle((r, e) -> e).join()).isInstanceOf(NoDeploymentAvailableException.class);
        assertThat(a.callCount()).isEqualTo(1);
    }

    @Test
    void givenAUserOverBudget_whenRefused_thenTheDeploymentsSlotIsGivenBack() {
        FakeProvider a = FakeProvider.builder().usage(Usage.of(1_000_000, 0)).reply("ok").build();
        router = virtual()
                .deployment(Deployment.builder("g", "openai/m").id("a").provider(a).maxParallelRequests(1)
                        .price(ModelPrice.builder().inputPerMillion("1").outputPerMillion("1").build()).build())
                .budget(Budget.forUser("alice").limitUsd("0.50").period(BudgetPeriod.DAILY).build())
                .build();
        router.completion(ask("alice")); // spends $1, over her $0.50

        assertThatThrownBy(() -> router.completion(ask("alice"))).isInstanceOf(BudgetExceededException.class);

        assertThat(router.completion(ask("bob")).text()).isEqualTo("ok");
        assertThat(router.deploymentStatuses()).singleElement().satisfies(s -> assertThat(s.inFlight()).isZero());
    }

    private static ChatRequest ask(String user) {
        return ChatRequest.builder("g").addMessage(Message.user("hello")).user(user).maxTokens(10).build();
    }

    @Test
    void givenALimit_whenDescribed_thenTheSettingIsShown() {
        router = virtual()
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(FakeProvider.replying("ok"))
                        .maxParallelRequests(7).build())
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("b").provider(FakeProvider.replying("ok"))
                        .build())
                .build();

        assertThat(router.describe().toJson()).contains("\"max_parallel_requests\" : \"7\"")
                .contains("\"max_parallel_requests\" : \"unlimited\"");
        assertThat(router.describe().toMarkdown()).contains("| max parallel |");
        assertThat(router.deployments().get(0).toString()).contains("maxParallelRequests=7");
    }

    @Test
    void givenAZeroLimit_whenBuilding_thenIllegalArgument() {
        assertThatThrownBy(() -> Deployment.builder("g", "openai/gpt-4o").maxParallelRequests(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxParallelRequests");
    }

    /** A provider that answers after a short real delay and records the most calls it had in flight at once. */
    private static final class CountingProvider implements Provider {
        private final FakeProvider answers = FakeProvider.replying("ok");
        private final ScheduledExecutorService timer;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();

        CountingProvider(ScheduledExecutorService timer) {
            this.timer = timer;
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
            calls.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<ChatResponse> out = new CompletableFuture<>();
            timer.schedule(() -> {
                inFlight.decrementAndGet();
                answers.completeAsync(call).whenComplete((r, e) -> out.complete(r));
            }, 2, TimeUnit.MILLISECONDS);
            return out;
        }
    }

    @Test
    void given64ConcurrentCallers_whenTheyShareLimitedDeployments_thenNoLimitIsEverExceededAndAllSucceed()
            throws Exception {
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        ExecutorService callers = Executors.newFixedThreadPool(64);
        try {
            CountingProvider a = new CountingProvider(timer);
            CountingProvider b = new CountingProvider(timer);
            router = Router.builder().random(new SplittableRandom(3)).retryPolicy(r -> r.numRetries(0))
                    .timeouts(t -> t.deadline(Duration.ofMinutes(2)))
                    .deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(a).maxParallelRequests(3)
                            .build())
                    .deployment(Deployment.builder("g", "openai/gpt-4o").id("b").provider(b).maxParallelRequests(2)
                            .build())
                    .build();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(callers.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int j = 0; j < 4; j++) {
                        if (router.completion(hello()).text().equals("ok")) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            start.countDown();
            int succeeded = 0;
            for (Future<Integer> r : results) {
                succeeded += r.get(2, TimeUnit.MINUTES);
            }

            assertThat(succeeded).isEqualTo(256);
            assertThat(a.calls.get() + b.calls.get()).isEqualTo(256);
            assertThat(a.maxInFlight.get()).isBetween(1, 3);
            assertThat(b.maxInFlight.get()).isBetween(1, 2);
            assertThat(router.deploymentStatuses()).allSatisfy(s -> assertThat(s.inFlight()).isZero());
        } finally {
            callers.shutdownNow();
            timer.shutdownNow();
        }
    }
}
