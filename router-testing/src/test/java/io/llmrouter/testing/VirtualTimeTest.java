package io.llmrouter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {

    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    private final VirtualTime vt = VirtualTime.startingAt(START);
    private final ScheduledExecutorService scheduler = vt.scheduler();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void createStartsAtTheDefaultStartInUtc() {
        VirtualTime fresh = VirtualTime.create();

        assertThat(fresh.now()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(fresh.clock().instant()).isEqualTo(VirtualTime.DEFAULT_START);
        assertThat(fresh.clock().millis()).isEqualTo(VirtualTime.DEFAULT_START.toEpochMilli());
        assertThat(fresh.clock().getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void runsTasksInDueTimeOrderAndTiesInSubmissionOrder() {
        scheduler.schedule(() -> log.add("c@3s"), 3, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("a@1s"), 1, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("b1@2s"), 2000, TimeUnit.MILLISECONDS);
        scheduler.schedule(() -> log.add("b2@2s"), 2, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("b3@2s"), 2_000_000, TimeUnit.MICROSECONDS);

        vt.advance(Duration.ofSeconds(3));

        assertThat(log).containsExactly("a@1s", "b1@2s", "b2@2s", "b3@2s", "c@3s");
    }

    @Test
    void tasksNeverRunOnTheirOwnNorInline() {
        scheduler.execute(() -> log.add("executed"));
        scheduler.schedule(() -> log.add("zero"), 0, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("negative"), -5, TimeUnit.SECONDS);
        Future<String> submitted = scheduler.submit(() -> "submitted");

        assertThat(log).isEmpty();
        assertThat(submitted).isNotDone();
        assertThat(vt.pendingTasks()).isEqualTo(4);
        assertThat(vt.nextDueTime()).contains(START);
    }

    @Test
    void runDueTasksRunsWhatIsDueWithoutMovingTime() throws Exception {
        scheduler.execute(() -> {
            log.add("first");
            scheduler.execute(() -> log.add("scheduled by first"));
        });
        scheduler.schedule(() -> log.add("later"), 1, TimeUnit.MILLISECONDS);
        Future<String> submitted = scheduler.submit(() -> "done");

        vt.runDueTasks();

        assertThat(log).containsExactly("first", "scheduled by first");
        assertThat(submitted.get()).isEqualTo("done");
        assertThat(vt.now()).isEqualTo(START);
        assertThat(vt.pendingTasks()).isEqualTo(1);
    }

    @Test
    void tasksScheduledByRunningTasksRunInTheSameAdvanceWhenDueWithinIt() {
        scheduler.schedule(() -> {
            log.add("attempt 1 at " + vt.now());
            scheduler.schedule(() -> {
                log.add("attempt 2 at " + vt.now());
                scheduler.schedule(() -> log.add("attempt 3 at " + vt.now()), 4, TimeUnit.SECONDS);
            }, 0, TimeUnit.MILLISECONDS);
        }, 1, TimeUnit.SECONDS);

        vt.advance(Duration.ofSeconds(3));

        assertThat(log).containsExactly("attempt 1 at " + START.plusSeconds(1), "attempt 2 at " + START.plusSeconds(1));
        assertThat(vt.nextDueTime()).contains(START.plusSeconds(5));

        vt.advance(Duration.ofSeconds(2));

        assertThat(log).last().isEqualTo("attempt 3 at " + START.plusSeconds(5));
    }

    @Test
    void zeroDelayTaskScheduledDuringARunGoesAfterTasksAlreadyDueThen() {
        scheduler.schedule(() -> {
            log.add("a");
            scheduler.execute(() -> log.add("a's follow-up"));
        }, 1, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("b"), 1, TimeUnit.SECONDS);

        vt.advance(Duration.ofSeconds(1));

        assertThat(log).containsExactly("a", "b", "a's follow-up");
    }

    @Test
    void cancelledTaskNeverRunsAndLeavesTheQueue() {
        ScheduledFuture<?> cancelled = scheduler.schedule(() -> log.add("cancelled"), 1, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("kept"), 2, TimeUnit.SECONDS);

        assertThat(cancelled.cancel(false)).isTrue();

        assertThat(cancelled.isCancelled()).isTrue();
        assertThat(cancelled.isDone()).isTrue();
        assertThat(vt.pendingTasks()).isEqualTo(1);
        assertThat(vt.nextDueTime()).contains(START.plusSeconds(2));
        vt.advance(Duration.ofSeconds(5));
        assertThat(log).containsExactly("kept");
    }

    @Test
    void taskCancelledByAnEarlierTaskInTheSameAdvanceNeverRuns() {
        ScheduledFuture<?> timeout = scheduler.schedule(() -> log.add("timeout"), 2, TimeUnit.SECONDS);
        scheduler.schedule(() -> timeout.cancel(true), 1, TimeUnit.SECONDS);

        vt.advance(Duration.ofSeconds(3));

        assertThat(log).isEmpty();
        assertThat(timeout.isCancelled()).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void clockReadsTheTaskDueTimeWhileItRuns() {
        List<Instant> seen = new CopyOnWriteArrayList<>();
        scheduler.schedule(() -> seen.add(vt.clock().instant()), 1500, TimeUnit.MILLISECONDS);
        scheduler.schedule(() -> seen.add(vt.clock().instant()), 250, TimeUnit.MILLISECONDS);

        vt.advance(Duration.ofSeconds(10));

        assertThat(seen).containsExactly(START.plusMillis(250), START.plusMillis(1500));
    }

    @Test
    void advanceLeavesTheClockAtExactlyTheEnd() {
        scheduler.schedule(() -> log.add("ran"), 1, TimeUnit.SECONDS);

        vt.advance(Duration.ofMillis(2500));
        vt.advance(Duration.ofNanos(7));

        assertThat(log).containsExactly("ran");
        assertThat(vt.now()).isEqualTo(START.plusMillis(2500).plusNanos(7));
        assertThat(vt.clock().instant()).isEqualTo(vt.now());
        assertThat(vt.clock().millis()).isEqualTo(START.plusMillis(2500).toEpochMilli());
    }

    @Test
    void advanceLeavesTasksDueAfterTheWindowQueued() {
        scheduler.schedule(() -> log.add("late"), 3, TimeUnit.SECONDS);

        vt.advance(Duration.ofMillis(2999));

        assertThat(log).isEmpty();
        assertThat(vt.pendingTasks()).isEqualTo(1);
        vt.advance(Duration.ofMillis(1));
        assertThat(log).containsExactly("late");
    }

    @Test
    void rejectsNegativeAdvance() {
        assertThatThrownBy(() -> vt.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration");
    }

    @Test
    void fixedRateTaskRunsEveryPeriodWithinTheAdvance() {
        List<Instant> runs = new CopyOnWriteArrayList<>();
        ScheduledFuture<?> ticker = scheduler.scheduleAtFixedRate(() -> runs.add(vt.now()), 1, 3, TimeUnit.SECONDS);

        vt.advance(Duration.ofSeconds(10));

        assertThat(runs).containsExactly(START.plusSeconds(1), START.plusSeconds(4), START.plusSeconds(7),
                START.plusSeconds(10));
        assertThat(ticker.isDone()).isFalse();
        assertThat(ticker.getDelay(TimeUnit.SECONDS)).isEqualTo(3);
        ticker.cancel(false);
        vt.advance(Duration.ofSeconds(10));
        assertThat(runs).hasSize(4);
    }

    @Test
    void fixedDelayTaskRunsAgainAfterTheDelay() {
        List<Instant> runs = new CopyOnWriteArrayList<>();
        scheduler.scheduleWithFixedDelay(() -> runs.add(vt.now()), 0, 2, TimeUnit.SECONDS);

        vt.advance(Duration.ofSeconds(5));

        assertThat(runs).containsExactly(START, START.plusSeconds(2), START.plusSeconds(4));
    }

    @Test
    void periodicTaskStopsAfterThrowingAndItsFutureHoldsTheError() {
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> ticker = scheduler.scheduleAtFixedRate(() -> {
            if (runs.incrementAndGet() == 2) {
                throw new IllegalStateException("boom");
            }
        }, 1, 1, TimeUnit.SECONDS);

        vt.advance(Duration.ofSeconds(10));

        assertThat(runs).hasValue(2);
        assertThat(ticker.isDone()).isTrue();
        assertThatThrownBy(ticker::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("boom");
    }

    @Test
    void rejectsNonPositivePeriod() {
        assertThatThrownBy(() -> scheduler.scheduleAtFixedRate(() -> { }, 0, 0, TimeUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("period");
    }

    @Test
    void shutdownRejectsNewTasksButRunsQueuedOneShotTasks() {
        scheduler.schedule(() -> log.add("queued"), 1, TimeUnit.SECONDS);
        ScheduledFuture<?> ticker = scheduler.scheduleAtFixedRate(() -> log.add("tick"), 5, 5, TimeUnit.SECONDS);

        scheduler.shutdown();

        assertThat(scheduler.isShutdown()).isTrue();
        assertThat(ticker.isCancelled()).isTrue();
        assertThatThrownBy(() -> scheduler.schedule(() -> { }, 1, TimeUnit.SECONDS))
                .isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> scheduler.execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(scheduler.isTerminated()).isFalse();

        vt.advance(Duration.ofSeconds(1));

        assertThat(log).containsExactly("queued");
        assertThat(scheduler.isTerminated()).isTrue();
    }

    @Test
    void awaitTerminationReturnsAtOnce() throws Exception {
        scheduler.shutdown();

        assertThat(scheduler.awaitTermination(1, TimeUnit.DAYS)).isTrue();
    }

    @Test
    void shutdownNowCancelsAndReturnsQueuedTasks() {
        ScheduledFuture<?> queued = scheduler.schedule(() -> log.add("never"), 1, TimeUnit.SECONDS);

        List<Runnable> dropped = scheduler.shutdownNow();

        assertThat(dropped).containsExactly((Runnable) queued);
        assertThat(queued.isCancelled()).isTrue();
        assertThat(scheduler.isTerminated()).isTrue();
        vt.advance(Duration.ofSeconds(2));
        assertThat(log).isEmpty();
    }

    @Test
    void taskExceptionsAreCapturedInTheirFutures() {
        ScheduledFuture<String> failing = scheduler.schedule(() -> {
            throw new IllegalStateException("task failed");
        }, 1, TimeUnit.SECONDS);
        ScheduledFuture<String> next = scheduler.schedule(() -> "still ran", 2, TimeUnit.SECONDS);

        vt.advance(Duration.ofSeconds(2));

        assertThat(failing.isDone()).isTrue();
        assertThatThrownBy(failing::get)
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("task failed");
        assertThat(next.isDone()).isTrue();
    }

    @Test
    void getOfATaskNotRunYetThrowsInsteadOfBlocking() {
        ScheduledFuture<String> pending = scheduler.schedule(() -> "value", 1, TimeUnit.SECONDS);

        assertThatThrownBy(pending::get)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("task not run yet; advance virtual time");
        assertThatThrownBy(() -> pending.get(1, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void getReturnsTheResultOnceRun() throws Exception {
        ScheduledFuture<String> task = scheduler.schedule(() -> "value", 1, TimeUnit.SECONDS);

        vt.advance(Duration.ofSeconds(1));

        assertThat(task.get()).isEqualTo("value");
        assertThat(task.get(0, TimeUnit.SECONDS)).isEqualTo("value");
    }

    @Test
    void getDelayIsRelativeToVirtualNow() {
        ScheduledFuture<?> task = scheduler.schedule(() -> { }, 10, TimeUnit.SECONDS);
        ScheduledFuture<?> earlier = scheduler.schedule(() -> { }, 5, TimeUnit.SECONDS);

        assertThat(task.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(10_000);

        vt.advance(Duration.ofSeconds(4));

        assertThat(task.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(6_000);
        assertThat(task.getDelay(TimeUnit.NANOSECONDS)).isEqualTo(Duration.ofSeconds(6).toNanos());
        assertThat(earlier.compareTo(task)).isNegative();
        assertThat(task.compareTo(earlier)).isPositive();
        assertThat(task.compareTo(task)).isZero();
    }

    @Test
    void advanceUntilStopsAtTheTaskThatMakesTheConditionHold() {
        CompletableFuture<String> result = new CompletableFuture<>();
        scheduler.schedule(() -> log.add("1s"), 1, TimeUnit.SECONDS);
        scheduler.schedule(() -> result.complete("done"), 3, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("5s"), 5, TimeUnit.SECONDS);

        Duration elapsed = vt.advanceUntil(result::isDone, Duration.ofMinutes(1));

        assertThat(elapsed).isEqualTo(Duration.ofSeconds(3));
        assertThat(result).isCompletedWithValue("done");
        assertThat(vt.now()).isEqualTo(START.plusSeconds(3));
        assertThat(log).containsExactly("1s");
        assertThat(vt.pendingTasks()).isEqualTo(1);
    }

    @Test
    void advanceUntilReturnsAtOnceWhenTheConditionAlreadyHolds() {
        scheduler.execute(() -> log.add("due now"));

        assertThat(vt.advanceUntil(() -> true, Duration.ofMinutes(1))).isZero();
        assertThat(log).isEmpty();
    }

    @Test
    void advanceUntilGoesToMaxWhenTheConditionNeverHolds() {
        scheduler.schedule(() -> log.add("2s"), 2, TimeUnit.SECONDS);
        scheduler.schedule(() -> log.add("20s"), 20, TimeUnit.SECONDS);

        Duration elapsed = vt.advanceUntil(() -> false, Duration.ofSeconds(10));

        assertThat(elapsed).isEqualTo(Duration.ofSeconds(10));
        assertThat(vt.now()).isEqualTo(START.plusSeconds(10));
        assertThat(log).containsExactly("2s");
    }

    @Test
    void advancingFromInsideATaskFailsThatTask() {
        ScheduledFuture<?> nested = scheduler.schedule(() -> vt.advance(Duration.ofSeconds(1)), 1, TimeUnit.SECONDS);

        vt.advance(Duration.ofSeconds(1));

        assertThatThrownBy(nested::get).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(vt.now()).isEqualTo(START.plusSeconds(1));
    }

    @Test
    void tasksScheduledFromAnotherThreadRunOnTheNextAdvance() throws Exception {
        Thread httpThread = new Thread(() -> scheduler.schedule(() -> log.add("from http thread"), 1,
                TimeUnit.SECONDS));
        httpThread.start();
        httpThread.join(TimeUnit.SECONDS.toMillis(5));

        assertThat(log).isEmpty();
        vt.advance(Duration.ofSeconds(1));
        assertThat(log).containsExactly("from http thread");
    }

    @Test
    void invokeAllIsUnsupported() {
        assertThatThrownBy(() -> scheduler.invokeAll(List.of(() -> "x")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> scheduler.invokeAny(List.of(() -> "x")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void givenResilience4jAsyncRetryOnTheScheduler_whenSupplierFailsTwice_thenRetriesFollowVirtualTime() {
        // given
        Retry retry = Retry.of("virtual", RetryConfig.custom()
                .maxAttempts(3)
                .waitDuration(Duration.ofSeconds(2))
                .build());
        AtomicInteger attempts = new AtomicInteger();
        Supplier<CompletionStage<String>> flaky = () -> attempts.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new IllegalStateException("attempt " + attempts.get() + " failed"))
                : CompletableFuture.completedFuture("ok on attempt " + attempts.get());

        // when
        CompletableFuture<String> result =
                Retry.decorateCompletionStage(retry, scheduler, flaky).get().toCompletableFuture();

        // then
        assertThat(attempts).hasValue(1);
        assertThat(result).isNotDone();
        assertThat(vt.nextDueTime()).contains(START.plusSeconds(2));

        vt.advance(Duration.ofMillis(1999));
        assertThat(attempts).hasValue(1);

        vt.advance(Duration.ofMillis(1));
        assertThat(attempts).hasValue(2);
        assertThat(result).isNotDone();

        vt.advance(Duration.ofSeconds(2));
        assertThat(attempts).hasValue(3);
        assertThat(result).isCompletedWithValue("ok on attempt 3");
        assertThat(vt.pendingTasks()).isZero();
    }
}
