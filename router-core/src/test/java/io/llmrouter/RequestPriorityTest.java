package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestOptions.Builder#priority(int)} and the model groups' queues of requests waiting for
 * capacity: priority order, first come first within a priority, the starvation bound, deadlines,
 * the bound on the queue, cancellation, rpm/tpm minute roll-over, no request lost or run twice.
 */
class RequestPriorityTest {

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
                .retryPolicy(r -> r.numRetries(0)).timeouts(t -> t.deadline(Duration.ofMinutes(5)));
    }

    private FakeProvider slow(Duration delay) {
        return FakeProvider.builder().scheduler(time.scheduler()).delay(delay).reply("ok").build();
    }

    /** A router over one deployment that takes one call at a time, each for a second. */
    private FakeProvider oneSlot(Router.Builder builder) {
        FakeProvider a = slow(Duration.ofSeconds(1));
        router = builder.deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(a)
                .maxParallelRequests(1).build()).build();
        return a;
    }

    private CompletableFuture<ChatResponse> ask(String text, int priority) {
        return router.completionAsync(ChatRequest.ofUser("g", text), RequestOptions.builder().priority(priority).build());
    }

    private CompletableFuture<ChatResponse> ask(String text) {
        return router.completionAsync(ChatRequest.ofUser("g", text));
    }

    private static List<String> served(FakeProvider p) {
        return p.requests().stream().map(r -> r.messages().get(0).text()).toList();
    }

    private void awaitAll(List<CompletableFuture<ChatResponse>> calls) {
        time.advanceUntil(() -> calls.stream().allMatch(CompletableFuture::isDone), Duration.ofMinutes(10));
        assertThat(calls).allSatisfy(f -> assertThat(f).isDone());
    }

    @Test
    void givenAFullDeployment_whenRequestsOfMixedPriorityWait_thenHigherPriorityGoesFirstAndFifoWithinAPriority() {
        FakeProvider a = oneSlot(virtual());
        List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
        calls.add(ask("holder"));
        calls.add(ask("low-1", 200));
        calls.add(ask("high-1", 0));
        calls.add(ask("unset-1"));
        calls.add(ask("low-2", 200));
        calls.add(ask("high-2", 0));
        calls.add(ask("medium-1", RequestOptions.DEFAULT_PRIORITY));

        awaitAll(calls);

        assertThat(calls).allSatisfy(f -> assertThat(f.join().text()).isEqualTo("ok"));
        assertThat(served(a)).containsExactly("holder", "high-1", "high-2", "unset-1", "medium-1", "low-1", "low-2");
    }

    @Test
    void givenTheLowestPriorityWaiting_whenHigherPriorityKeepsComing_thenAtMostMaxOvertakesGoAheadOfIt() {
        FakeProvider a = oneSlot(virtual().maxOvertakes(2));
        List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
        calls.add(ask("holder"));
        calls.add(ask("low", RequestOptions.LOWEST_PRIORITY));
        for (int i = 1; i <= 6; i++) {
            calls.add(ask("high-" + i, RequestOptions.HIGHEST_PRIORITY));
        }

        awaitAll(calls);

        assertThat(served(a)).containsExactly("holder", "high-1", "high-2", "low", "high-3", "high-4", "high-5",
                "high-6");
    }

    @Test
    void givenZeroOvertakes_whenRequestsWait_thenFirstComeFirstServedWhateverThePriority() {
        FakeProvider a = oneSlot(virtual().maxOvertakes(0));
        List<CompletableFuture<ChatResponse>> calls = List.of(ask("holder"), ask("low", 255), ask("high", 0),
                ask("mid", 100));

        awaitAll(calls);

        assertThat(served(a)).containsExactly("holder", "low", "high", "mid");
    }

    @Test
    void givenWaitersWithTheirOwnDeadlines_whenNoSlotFrees_thenEachFailsAtItsDeadlineAndLeavesTheQueue() {
        FakeProvider a = slow(Duration.ofSeconds(20));
        router = virtual().maxQueuedRequests(3)
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(a).maxParallelRequests(1)
                        .build())
                .build();
        CompletableFuture<ChatResponse> holder = ask("holder");
        List<CompletableFuture<ChatResponse>> waiters = new ArrayList<>();
        for (int seconds : new int[] {15, 5, 10}) {
            waiters.add(router.completionAsync(ChatRequest.ofUser("g", "w" + seconds), RequestOptions.builder()
                    .priority(1).timeouts(t -> t.deadline(Duration.ofSeconds(seconds))).build()));
        }

        assertThat(time.advanceUntil(() -> waiters.get(1).isDone(), Duration.ofMinutes(1))).isEqualTo(
                Duration.ofSeconds(5));
        assertThat(waiters.get(0)).isNotDone();
        assertThat(time.advanceUntil(() -> waiters.get(2).isDone(), Duration.ofMinutes(1))).isEqualTo(
                Duration.ofSeconds(5));
        assertThat(waiters.get(0)).isNotDone();
        assertThat(time.advanceUntil(() -> waiters.get(0).isDone(), Duration.ofMinutes(1))).isEqualTo(
                Duration.ofSeconds(5));
        assertThat(waiters).allSatisfy(f -> assertThat(f.handle((r, e) -> e).join())
                .isInstanceOf(RequestTimeoutException.class));

        // The queue is empty again: three more requests may wait (a fourth would be refused).
        List<CompletableFuture<ChatResponse>> again = List.of(ask("x"), ask("y"), ask("z"));
        assertThat(again).allSatisfy(f -> assertThat(f).isNotDone());
        awaitAll(List.of(holder));
        awaitAll(again);
        assertThat(again).allSatisfy(f -> assertThat(f.join().text()).isEqualTo("ok"));
        assertThat(a.callCount()).isEqualTo(4);
    }

    @Test
    void givenAFullQueue_whenAnotherRequestMustWait_thenItIsRefusedAtOnceWithARateLimit() {
        FakeProvider a = oneSlot(virtual().maxQueuedRequests(2));
        List<CompletableFuture<ChatResponse>> queued = List.of(ask("holder"), ask("w1", 0), ask("w2", 0));

        CompletableFuture<ChatResponse> refused = ask("w3", 0);

        assertThat(refused).isCompletedExceptionally();
        assertThat(refused.handle((r, e) -> e).join()).isInstanceOf(RateLimitException.class)
                .hasMessageContaining("queue is full (2 requests waiting, at most 2)")
                .satisfies(e -> assertThat(((RateLimitException) e).statusCode()).hasValue(429));
        awaitAll(queued);
        assertThat(served(a)).containsExactly("holder", "w1", "w2");
    }

    @Test
    void givenAWaitingRequest_whenTheCallerCancelsIt_thenItLeavesTheQueueAndIsNeverSent() {
        FakeProvider a = oneSlot(virtual().maxQueuedRequests(1));
        CompletableFuture<ChatResponse> holder = ask("holder");
        CompletableFuture<ChatResponse> cancelled = ask("cancelled", 0);

        cancelled.cancel(true);
        CompletableFuture<ChatResponse> next = ask("next", 0); // would be refused if the entry stayed

        awaitAll(List.of(holder, next));
        assertThat(next.join().text()).isEqualTo("ok");
        assertThat(served(a)).containsExactly("holder", "next");
    }

    @Test
    void givenARequestWithoutPriority_whenEveryDeploymentIsOverItsRpm_thenItFailsAtOnceAsBefore() {
        FakeProvider a = slow(Duration.ofMillis(10));
        router = virtual().deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(a).rpm(1).build())
                .build();
        awaitAll(List.of(ask("first")));

        CompletableFuture<ChatResponse> second = ask("second");

        assertThat(second.handle((r, e) -> e).join()).isInstanceOf(RateLimitException.class)
                .hasMessageContaining("over its rpm/tpm limit");
        assertThat(a.callCount()).isEqualTo(1);
    }

    @Test
    void givenPriorityRequestsOverTheRpm_whenTheMinuteRollsOver_thenTheyAreWokenInPriorityOrder() {
        FakeProvider a = slow(Duration.ofMillis(10));
        router = virtual().deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(a).rpm(2).build())
                .build();
        awaitAll(List.of(ask("m0-a"), ask("m0-b")));
        List<CompletableFuture<ChatResponse>> waiting = List.of(ask("low", 200), ask("high-1", 0), ask("high-2", 0));

        time.advance(Duration.ofSeconds(59));
        assertThat(waiting).allSatisfy(f -> assertThat(f).isNotDone());
        assertThat(time.advanceUntil(() -> waiting.get(1).isDone() && waiting.get(2).isDone(), Duration.ofMinutes(1)))
                .isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(waiting.get(0)).isNotDone();
        time.advanceUntil(() -> waiting.get(0).isDone(), Duration.ofMinutes(2));

        assertThat(time.now()).isBetween(VirtualTime.DEFAULT_START.plusSeconds(120),
                VirtualTime.DEFAULT_START.plusSeconds(121));
        assertThat(waiting).allSatisfy(f -> assertThat(f.join().text()).isEqualTo("ok"));
        assertThat(served(a)).containsExactly("m0-a", "m0-b", "high-1", "high-2", "low");
    }

    @Test
    void givenAPriorityRequestOverTheRpm_whenItsDeadlinePassesFirst_thenItFailsWithTheRateLimitAndItsRetryAfter() {
        FakeProvider a = slow(Duration.ofMillis(10));
        router = virtual().deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(a).rpm(1).build())
                .build();
        awaitAll(List.of(ask("first")));
        CompletableFuture<ChatResponse> waiting = router.completionAsync(ChatRequest.ofUser("g", "late"),
                RequestOptions.builder().priority(0).timeouts(t -> t.deadline(Duration.ofSeconds(10))).build());

        time.advanceUntil(waiting::isDone, Duration.ofMinutes(1));

        Throwable error = waiting.handle((r, e) -> e).join();
        assertThat(error).isInstanceOf(RateLimitException.class).hasMessageContaining("deadline");
        assertThat(((RateLimitException) error).retryAfter()).isPresent()
                .hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(49), Duration.ofSeconds(50)));
        assertThat(a.callCount()).isEqualTo(1);
    }

    @Test
    void givenASeededMixOfPrioritiesDeadlinesAndCancels_whenCapacityIsShort_thenNothingIsLostSentTwiceOrLeftQueued() {
        FakeProvider a = slow(Duration.ofSeconds(1));
        router = virtual().maxQueuedRequests(20).maxOvertakes(3)
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(a).maxParallelRequests(2)
                        .build())
                .build();
        SplittableRandom seeded = new SplittableRandom(2024);
        List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            time.advance(Duration.ofMillis(seeded.nextInt(400)));
            int deadline = 1 + seeded.nextInt(20);
            calls.add(router.completionAsync(ChatRequest.ofUser("g", "r" + i), RequestOptions.builder()
                    .priority(seeded.nextInt(256)).timeouts(t -> t.deadline(Duration.ofSeconds(deadline))).build()));
            if (seeded.nextInt(10) == 0) {
                calls.get(seeded.nextInt(calls.size())).cancel(true);
            }
        }
        awaitAll(calls);

        List<String> sent = served(a);
        assertThat(sent).doesNotHaveDuplicates();
        assertThat(calls).allSatisfy(f -> {
            Throwable error = f.handle((r, e) -> e).join();
            if (error == null) {
                assertThat(f.join().text()).isEqualTo("ok");
            } else {
                assertThat(error).isInstanceOfAny(RequestTimeoutException.class, RateLimitException.class,
                        java.util.concurrent.CancellationException.class);
            }
        });
        assertThat(calls).filteredOn(f -> !f.isCompletedExceptionally()).hasSizeLessThanOrEqualTo(sent.size());
        // The mix reached every outcome: answers, deadlines while waiting, a full queue, cancels.
        assertThat(calls).filteredOn(f -> !f.isCompletedExceptionally()).isNotEmpty();
        assertThat(calls).filteredOn(f -> f.handle((r, e) -> e).join() instanceof RequestTimeoutException)
                .isNotEmpty();
        assertThat(calls).filteredOn(f -> f.handle((r, e) -> e).join() instanceof RateLimitException).isNotEmpty();
        assertThat(calls).filteredOn(CompletableFuture::isCancelled).isNotEmpty();
        assertThat(router.deploymentStatuses()).allSatisfy(s -> assertThat(s.inFlight()).isZero());

        // Nothing was left in the queue: two calls run and twenty wait, none refused.
        List<CompletableFuture<ChatResponse>> burst = new ArrayList<>();
        for (int i = 0; i < 22; i++) {
            burst.add(ask("burst-" + i, 0));
        }
        assertThat(burst).noneMatch(CompletableFuture::isCompletedExceptionally);
        awaitAll(burst);
        assertThat(burst).allSatisfy(f -> assertThat(f.join().text()).isEqualTo("ok"));
    }

    @Test
    void checksThePriorityRangeAndKeepsItInOptions() {
        assertThatThrownBy(() -> RequestOptions.builder().priority(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("priority");
        assertThatThrownBy(() -> RequestOptions.builder().priority(256)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RequestOptions.builder().priority(3).build().priority()).hasValue(3);
        assertThat(RequestOptions.none().priority()).isEmpty();
        RequestOptions withPriority = RequestOptions.builder().priority(3).build();
        assertThat(withPriority.isEmpty()).isFalse();
        assertThat(withPriority.toBuilder().build()).isEqualTo(withPriority).hasSameHashCodeAs(withPriority);
        assertThat(withPriority).isNotEqualTo(RequestOptions.builder().priority(4).build());
        assertThat(withPriority.toString()).contains("priority=3");
        assertThatThrownBy(() -> Router.builder().maxQueuedRequests(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Router.builder().maxOvertakes(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A provider that answers after a short real delay and records every request text and the most calls at once. */
    private static final class CountingProvider implements Provider {
        private final FakeProvider answers = FakeProvider.replying("ok");
        private final ScheduledExecutorService timer;
        final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        CountingProvider(ScheduledExecutorService timer) {
            this.timer = timer;
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
            seen.computeIfAbsent(call.request().messages().get(0).text(), k -> new AtomicInteger()).incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<ChatResponse> out = new CompletableFuture<>();
            timer.schedule(() -> {
                inFlight.decrementAndGet();
                answers.completeAsync(call).whenComplete((r, e) -> out.complete(r));
            }, 1, TimeUnit.MILLISECONDS);
            return out;
        }
    }

    @Test
    void givenManyConcurrentCallersWithSeededPriorities_whenCapacityIsShort_thenEveryRequestIsSentExactlyOnce()
            throws Exception {
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        ExecutorService callers = Executors.newFixedThreadPool(32);
        try {
            CountingProvider a = new CountingProvider(timer);
            router = Router.builder().random(new SplittableRandom(5)).retryPolicy(r -> r.numRetries(0))
                    .timeouts(t -> t.deadline(Duration.ofMinutes(2))).maxOvertakes(3)
                    .deployment(Deployment.builder("g", "openai/gpt-4o").id("a").provider(a).maxParallelRequests(2)
                            .build())
                    .build();
            SplittableRandom seeded = new SplittableRandom(42);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int caller = i;
                int priority = seeded.nextInt(256);
                results.add(callers.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int j = 0; j < 4; j++) {
                        ChatResponse r = router.completion(ChatRequest.ofUser("g", caller + "-" + j),
                                RequestOptions.builder().priority(priority).build());
                        ok += r.text().equals("ok") ? 1 : 0;
                    }
                    return ok;
                }));
            }
            start.countDown();
            int succeeded = 0;
            for (Future<Integer> r : results) {
                succeeded += r.get(2, TimeUnit.MINUTES);
            }

            assertThat(succeeded).isEqualTo(128);
            assertThat(a.seen).hasSize(128).allSatisfy((text, count) -> assertThat(count.get()).isEqualTo(1));
            assertThat(a.maxInFlight.get()).isBetween(1, 2);
            assertThat(router.deploymentStatuses()).allSatisfy(s -> assertThat(s.inFlight()).isZero());
        } finally {
            callers.shutdownNow();
            timer.shutdownNow();
        }
    }
}
