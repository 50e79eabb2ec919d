package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.RouterClosedException;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetStatus;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 16, lifecycle: close, a closed router, threads, interrupts, deadline precision. */
class RouterLifecycleTest {

    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("2").build();

    private final ExecutorService callers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lifecycle-test-caller");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    private static ChatRequest ask(String group) {
        return ChatRequest.builder(group).addMessage(Message.user("hello")).user("alice").maxTokens(10).build();
    }

    private static Deployment deployment(String group, String id, Provider provider) {
        return Deployment.builder(group, "openai/" + id).id(id).price(PRICE).provider(provider).build();
    }

    private static int inFlight(Router router) {
        return router.deploymentStatuses().stream().mapToInt(DeploymentStatus::inFlight).sum();
    }

    private static BigDecimal reserved(Router router) {
        return router.budgetStatuses().stream().map(BudgetStatus::reservedUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the future did not complete: " + future, e);
        }
        throw new AssertionError("the future succeeded: " + future.join());
    }

    // 1. close() completes every outstanding call promptly, releasing counters and reservations

    @Test
    void givenCallsWaitingOnTimeoutDeadlineBackoffAndABlockedCaller_whenClosed_thenAllFailWithRouterClosedAndNothingIsHeld()
            throws Exception {
        // given: virtual time, so no timer fires unless the test advances it
        VirtualTime time = VirtualTime.create();
        FakeProvider hanging = FakeProvider.builder().hang().build();
        FakeProvider failing = FakeProvider.failingWith(500);
        Router router = Router.builder().clock(time.clock()).scheduler(time.scheduler())
                .deployment(deployment("hang", "hanging", hanging))
                .deployment(deployment("flaky", "failing", failing))
                .retryPolicy(retry -> retry.backoff(Duration.ofSeconds(30), Duration.ofSeconds(30)))
                .budget(Budget.global().limitUsd("100").build())
                .build();
        CompletableFuture<ChatResponse> onTimeout = router.completionAsync(ask("hang"));
        CompletableFuture<ChatResponse> onDeadline = router.completionAsync(ask("hang"),
                RequestOptions.builder().timeouts(timeouts -> timeouts.deadline(Duration.ofSeconds(20))).build());
        CompletableFuture<ChatResponse> inBackoff = router.completionAsync(ask("flaky"));
        CountDownLatch blocking = new CountDownLatch(1);
        Future<ChatResponse> blocked = callers.submit(() -> {
            blocking.countDown();
            return router.completion(ask("hang"));
        });
        blocking.await(5, TimeUnit.SECONDS);
        awaitUntil(() -> hanging.callCount() == 3 && failing.callCount() == 1);
        assertThat(inFlight(router)).isEqualTo(3);
        assertThat(reserved(router)).isPositive();

        // when
        router.close();

        // then
        for (CompletableFuture<ChatResponse> f : List.of(onTimeout, onDeadline, inBackoff)) {
            assertThat(failureOf(f)).isInstanceOf(RouterClosedException.class);
        }
        assertThatThrownBy(() -> blocked.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RouterClosedException.class);
        assertThat(inFlight(router)).isZero();
        assertThat(reserved(router)).isZero();
        assertThat(failing.callCount()).isEqualTo(1);
        time.advance(Duration.ofMinutes(20)); // timers that were pending change nothing now
        assertThat(failing.callCount()).isEqualTo(1);
        assertThat(inFlight(router)).isZero();
    }

    @Test
    void givenStreamInFlight_whenClosed_thenIterationEndsWithRouterClosed() {
        VirtualTime time = VirtualTime.create();
        FakeProvider hanging = FakeProvider.builder().hang().build();
        Router router = Router.builder().clock(time.clock()).scheduler(time.scheduler())
                .deployment(deployment("g", "d", hanging)).build();
        ChatStream stream = router.stream(ask("g"));

        router.close();

        assertThatThrownBy(() -> stream.iterator().hasNext()).isInstanceOf(RouterClosedException.class);
        assertThat(inFlight(router)).isZero();
    }

    @Test
    void givenCallsInFlight_whenClosedGracefully_thenTheyFinishAndNewCallsAreRefused() throws Exception {
        VirtualTime time = VirtualTime.create();
        FakeProvider slow = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofSeconds(2))
                .reply("done").build();
        Router router = Router.builder().clock(time.clock()).scheduler(time.scheduler())
                .deployment(deployment("g", "d", slow)).build();
        CompletableFuture<ChatResponse> inFlight = router.completionAsync(ask("g"));
        Future<Boolean> closing = callers.submit(() -> router.close(Duration.ofSeconds(30)));
        awaitUntil(router::isClosed);

        assertThat(failureOf(router.completionAsync(ask("g")))).isInstanceOf(RouterClosedException.class);
        time.advance(Duration.ofSeconds(2));

        assertThat(closing.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(inFlight.get(5, TimeUnit.SECONDS).text()).isEqualTo("done");
    }

    @Test
    void givenCallThatOutlastsTheGrace_whenClosedGracefully_thenItIsEndedAndCloseSaysSo() throws Exception {
        FakeProvider hanging = FakeProvider.builder().hang().build();
        Router router = Router.builder().deployment(deployment("g", "d", hanging)).build();
        CompletableFuture<ChatResponse> inFlight = router.completionAsync(ask("g"));

        boolean drained = router.close(Duration.ofMillis(50));

        assertThat(drained).isFalse();
        assertThat(failureOf(inFlight)).isInstanceOf(RouterClosedException.class);
        assertThat(router.close(Duration.ZERO)).isTrue(); // idempotent, nothing left
    }

    // 2. every entry point of a closed router fails the same typed way

    @Test
    void givenClosedRouter_whenAnyEntryPointIsCalled_thenRouterClosedExceptionThrownOrInTheFuture() throws Exception {
        FakeProvider provider = FakeProvider.replying("hi");
        Router router = Router.builder().deployment(deployment("g", "d", provider)).build();
        router.close();
        router.close(); // idempotent
        ChatRequest chat = ask("g");
        EmbeddingRequest embedding = EmbeddingRequest.of("g", "text");

        assertThat(router.isClosed()).isTrue();
        assertThatThrownBy(() -> router.completion(chat)).isInstanceOf(RouterClosedException.class);
        assertThatThrownBy(() -> router.embedding(embedding)).isInstanceOf(RouterClosedException.class);
        assertThatThrownBy(() -> router.stream(chat)).isInstanceOf(RouterClosedException.class);
        // the asynchronous ones never throw: the future fails
        assertThat(failureOf(router.completionAsync(chat))).isInstanceOf(RouterClosedException.class);
        assertThat(failureOf(router.streamAsync(chat, c -> { }))).isInstanceOf(RouterClosedException.class);
        assertThat(failureOf(router.embeddingAsync(embedding))).isInstanceOf(RouterClosedException.class);
        assertThat(provider.callCount()).isZero();
        // read-only views still work
        assertThat(router.deploymentStatuses()).hasSize(1);
    }

    // 3. a router dropped without close() leaks no thread

    @Test
    void givenTwoHundredRoutersDroppedWithoutClose_thenTheyDoNotLeaveTwoHundredThreads() throws Exception {
        long before = routerThreads(); // routers of other tests may still have a timer pending
        for (int i = 0; i < 200; i++) {
            Router router = Router.builder().deployment(deployment("g", "d", FakeProvider.replying("hi")))
                    .timeouts(timeouts -> timeouts.callTimeout(Duration.ofSeconds(5))).build();
            assertThat(router.completionAsync(ask("g")).get(5, TimeUnit.SECONDS).text()).isEqualTo("hi");
            // dropped: never closed
        }
        // The threads end by themselves once their router is idle; a bounded wait, polled.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long threads = routerThreads();
        while (threads > before && System.nanoTime() < deadline) {
            System.gc();
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            threads = routerThreads();
        }
        assertThat(threads).isLessThanOrEqualTo(before);
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("llmrouter")).allMatch(Thread::isDaemon)).isTrue();
    }

    private static long routerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("llmrouter-scheduler")).count();
    }

    // 4. an interrupt on the caller-thread path cancels the call at once and releases everything

    @Test
    void givenCallerBlockedInASynchronousCall_whenItsTaskIsCancelled_thenTheCallEndsAtOnceAndEverythingIsReleased()
            throws Exception {
        BlockingProvider provider = new BlockingProvider();
        Router router = Router.builder().deployment(deployment("g", "d", provider))
                .budget(Budget.global().limitUsd("100").build()).build();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> interruptFlag = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        Future<?> task = callers.submit(() -> {
            try {
                router.completion(ask("g"));
            } catch (RuntimeException e) {
                thrown.set(e);
            } finally {
                interruptFlag.set(Thread.currentThread().isInterrupted());
                ended.countDown();
            }
        });
        assertThat(provider.entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(inFlight(router)).isEqualTo(1);
        assertThat(reserved(router)).isPositive();

        task.cancel(true);

        assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(thrown.get()).isInstanceOf(RequestCancelledException.class);
        assertThat(interruptFlag.get()).isTrue();
        assertThat(inFlight(router)).isZero();
        assertThat(reserved(router)).isZero();
        assertThat(router.deploymentStatuses().get(0).state()).isEqualTo(DeploymentStatus.State.AVAILABLE);
        router.close();
    }

    @Test
    void givenCallerWaitingOnAnAsynchronousProvider_whenInterrupted_thenRequestCancelledAndEverythingIsReleased()
            throws Exception {
        FakeProvider hanging = FakeProvider.builder().hang().build(); // no synchronous call of its own
        Router router = Router.builder().deployment(deployment("g", "d", hanging))
                .budget(Budget.global().limitUsd("100").build()).build();
        AtomicReference<Thread> caller = new AtomicReference<>();
        Future<Throwable> task = callers.submit(() -> {
            caller.set(Thread.currentThread());
            try {
                router.completion(ask("g"));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        awaitUntil(() -> inFlight(router) == 1);

        caller.get().interrupt();

        assertThat(task.get(5, TimeUnit.SECONDS)).isInstanceOf(RequestCancelledException.class);
        assertThat(inFlight(router)).isZero();
        assertThat(reserved(router)).isZero();
        router.close();
    }

    @Test
    void givenReaderOfABlockingStream_whenInterrupted_thenRequestCancelledAndTheStreamIsCancelled() throws Exception {
        FakeProvider hanging = FakeProvider.builder().hang().build();
        Router router = Router.builder().deployment(deployment("g", "d", hanging)).build();
        ChatStream stream = router.stream(ask("g"));
        Future<Throwable> reader = callers.submit(() -> {
            Thread.currentThread().interrupt();
            try {
                stream.iterator().hasNext();
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });

        assertThat(reader.get(5, TimeUnit.SECONDS)).isInstanceOf(RequestCancelledException.class);
        assertThat(stream.future()).isCancelled();
        awaitUntil(() -> inFlight(router) == 0);
        router.close();
    }

    @Test
    void givenInterruptedThread_whenCompletion_thenNoCallIsSentAndTheFlagStaysSet() throws Exception {
        BlockingProvider provider = new BlockingProvider();
        Router router = Router.builder().deployment(deployment("g", "d", provider)).build();
        Future<Throwable> result = callers.submit(() -> {
            Thread.currentThread().interrupt();
            try {
                router.completion(ask("g"));
                return null;
            } catch (RuntimeException e) {
                return Thread.currentThread().isInterrupted() ? e : new AssertionError("flag cleared", e);
            }
        });

        assertThat(result.get(5, TimeUnit.SECONDS)).isInstanceOf(RequestCancelledException.class);
        assertThat(provider.calls).isZero();
        router.close();
    }

    // 5. deadline precision on the synchronous path

    @Test
    void givenSynchronousCallPastTheDeadline_thenTheCallerIsReleasedAtTheDeadlineItself() throws Exception {
        // given: a synchronous provider that ignores its time limit and ends only when cancelled
        VirtualTime time = VirtualTime.create();
        BlockingProvider provider = new BlockingProvider();
        Router router = Router.builder().clock(time.clock()).scheduler(time.scheduler())
                .deployment(deployment("g", "d", provider)).timeouts(timeouts -> timeouts.deadline(Duration.ofSeconds(10))).build();
        AtomicReference<Instant> releasedAt = new AtomicReference<>();
        Future<Throwable> caller = callers.submit(() -> {
            try {
                router.completion(ask("g"));
                return null;
            } catch (RuntimeException e) {
                releasedAt.set(time.now());
                return e;
            }
        });
        assertThat(provider.entered.await(5, TimeUnit.SECONDS)).isTrue();
        Instant start = time.now();
        // the time limit the call was given ends at the deadline, not past it
        assertThat(provider.timeout.get()).isLessThanOrEqualTo(Duration.ofSeconds(10));

        // when
        time.advance(Duration.ofMillis(9_999));
        assertThat(caller.isDone()).isFalse();
        time.advance(Duration.ofMillis(1));

        // then
        assertThat(caller.get(5, TimeUnit.SECONDS)).isInstanceOf(RequestTimeoutException.class)
                .hasMessageContaining("deadline");
        assertThat(Duration.between(start, releasedAt.get())).isEqualTo(Duration.ofSeconds(10));
        assertThat(inFlight(router)).isZero();
        router.close();
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * A provider with its own synchronous call (so the router makes it on the caller's thread) that
     * blocks until the router cancels it or the thread is interrupted, as an HTTP adapter does.
     */
    static final class BlockingProvider implements Provider {
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicReference<Duration> timeout = new AtomicReference<>();
        volatile int calls;

        @Override
        public String name() {
            return "blocking";
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
            return new CompletableFuture<>();
        }

        @Override
        public ChatResponse complete(ProviderCall call) {
            calls++;
            timeout.set(call.timeout());
            CountDownLatch cancelled = new CountDownLatch(1);
            call.cancellation().onCancel(cancelled::countDown);
            entered.countDown();
            try {
                cancelled.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RequestCancelledException("interrupted", io.llmrouter.api.exception.ErrorContext.none(), e);
            }
            throw new RequestCancelledException("cancelled", io.llmrouter.api.exception.ErrorContext.none(), null);
        }
    }
}
