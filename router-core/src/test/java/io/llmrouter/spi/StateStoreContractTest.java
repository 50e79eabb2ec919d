package io.llmrouter.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.testing.VirtualTime;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StateStore} passes: atomicity under concurrency (budgets never
 * overspent, usage never lost, spend totals exact), expiry by the caller's clock (minutes roll,
 * cooldowns end, budget periods start fresh), ordering of health transitions, and the
 * settle/release rules of budget reservations. A store's test extends this class and implements
 * {@link #newStore(Clock)}; router-core publishes it in its test jar.
 */
public abstract class StateStoreContractTest {

    private static final int THREADS = 8;

    protected VirtualTime time;
    protected StateStore store;
    private ExecutorService pool;

    /**
     * A new, empty store. Its callers' times come from {@code clock} (a virtual clock the test
     * moves); a store that keeps time of its own (TTLs) must follow it.
     *
     * @param clock the test's clock
     * @return the store
     */
    protected abstract StateStore newStore(Clock clock);

    @BeforeEach
    void createStore() {
        time = VirtualTime.startingAt(Instant.parse("2026-03-01T10:00:00Z"));
        store = newStore(time.clock());
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stopPool() throws Exception {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private long now() {
        return time.clock().millis();
    }

    /** Runs {@code task} on every pool thread at once and returns their results. */
    private <T> List<T> onAllThreads(Callable<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get(30, TimeUnit.SECONDS));
        }
        store.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return out;
    }

    private BudgetReservation reserve(BigDecimal usd, BudgetWindow... windows) throws Exception {
        return store.reserve(List.of(windows), usd).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private void flush() throws Exception {
        store.flush().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount);
    }

    private BudgetWindow dailyWindow(String id, String limit) {
        Instant day = Instant.ofEpochMilli(now()).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        return new BudgetWindow(id, usd(limit), day, day.plus(Duration.ofDays(1)));
    }

    // ---- per-minute usage ---------------------------------------------------------------------

    @Test
    void usageCountsRequestsAndTokensOfTheCurrentMinute() {
        StateStore.UsageCounter usage = store.usage("a");

        long minute = usage.tryReserve(now(), 0, 0, 100);
        usage.tryReserve(now(), 0, 0, 50);

        assertThat(minute).isEqualTo(Math.floorDiv(now(), 60_000L));
        assertThat(usage.requests(now())).isEqualTo(2);
        assertThat(usage.tokens(now())).isEqualTo(150);
        assertThat(store.usage("a").requests(now())).as("the same deployment's counter").isEqualTo(2);
        assertThat(store.usage("b").requests(now())).as("another deployment's counter").isZero();
    }

    @Test
    void usageRefusesPastTheRpmAndTpmLimitsAndDoesNotCountTheRefusal() {
        StateStore.UsageCounter usage = store.usage("a");

        assertThat(usage.tryReserve(now(), 2, 0, 10)).isNotEqualTo(StateStore.UsageCounter.NO_CAPACITY);
        assertThat(usage.tryReserve(now(), 2, 0, 10)).isNotEqualTo(StateStore.UsageCounter.NO_CAPACITY);
        assertThat(usage.fits(now(), 2, 0, 10)).isFalse();
        assertThat(usage.tryReserve(now(), 2, 0, 10)).isEqualTo(StateStore.UsageCounter.NO_CAPACITY);
        assertThat(usage.tryReserve(now(), 0, 25, 10)).isEqualTo(StateStore.UsageCounter.NO_CAPACITY);

        assertThat(usage.requests(now())).isEqualTo(2);
        assertThat(usage.tokens(now())).isEqualTo(20);
    }

    @Test
    void usageWindowRollsWithTheClockMinute() {
        StateStore.UsageCounter usage = store.usage("a");
        usage.tryReserve(now(), 1, 0, 10);
        assertThat(usage.tryReserve(now(), 1, 0, 10)).isEqualTo(StateStore.UsageCounter.NO_CAPACITY);

        time.advance(Duration.ofMinutes(1));

        assertThat(usage.requests(now())).isZero();
        assertThat(usage.tokens(now())).isZero();
        assertThat(usage.tryReserve(now(), 1, 0, 10)).isNotEqualTo(StateStore.UsageCounter.NO_CAPACITY);
    }

    @Test
    void usageCorrectionChangesOnlyTheCurrentMinute() {
        StateStore.UsageCounter usage = store.usage("a");
        long first = usage.tryReserve(now(), 0, 0, 100);
        usage.correct(first, -40);
        assertThat(usage.tokens(now())).isEqualTo(60);

        time.advance(Duration.ofMinutes(1));
        long second = usage.tryReserve(now(), 0, 0, 10);
        usage.correct(first, 1_000);

        assertThat(second).isEqualTo(first + 1);
        assertThat(usage.tokens(now())).as("a past minute's correction is dropped").isEqualTo(10);
    }

    @Test
    void concurrentUsageIncrementsAreNeverLost() throws Exception {
        int perThread = 2_000;
        StateStore.UsageCounter usage = store.usage("a");

        onAllThreads(() -> {
            for (int i = 0; i < perThread; i++) {
                usage.tryReserve(now(), 0, 0, 3);
            }
            return null;
        });

        assertThat(usage.requests(now())).isEqualTo(THREADS * perThread);
        assertThat(usage.tokens(now())).isEqualTo(3L * THREADS * perThread);
    }

    @Test
    void concurrentReservationsNeverPassTheRpmLimit() throws Exception {
        int rpm = 100;
        StateStore.UsageCounter usage = store.usage("a");

        List<Integer> granted = onAllThreads(() -> {
            int n = 0;
            for (int i = 0; i < 50; i++) {
                if (usage.tryReserve(now(), rpm, 0, 1) != StateStore.UsageCounter.NO_CAPACITY) {
                    n++;
                }
            }
            return n;
        });

        assertThat(granted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(rpm);
        assertThat(usage.requests(now())).isEqualTo(rpm);
    }

    // ---- health -------------------------------------------------------------------------------

    @Test
    void anUnknownDeploymentIsAvailable() {
        DeploymentHealth h = store.health("a");

        assertThat(h.deploymentId()).isEqualTo("a");
        assertThat(h.isCoolingDown()).isFalse();
        assertThat(h.isCoolingDownAt(now())).isFalse();
    }

    @Test
    void aCooldownEndsWhenTheClockReachesItsEnd() throws Exception {
        Instant t = time.now();
        store.publishHealth(DeploymentHealth.coolingDown("a", t.plusSeconds(5), "RATE_LIMIT", t));
        flush();

        assertThat(store.health("a").isCoolingDownAt(now())).isTrue();
        assertThat(store.health("a").reason()).isEqualTo("RATE_LIMIT");
        time.advance(Duration.ofMillis(4_999));
        assertThat(store.health("a").isCoolingDownAt(now())).isTrue();
        time.advance(Duration.ofMillis(1));
        assertThat(store.health("a").isCoolingDownAt(now())).isFalse();
    }

    @Test
    void aLaterShorterCooldownDoesNotShortenARunningLongerOne() throws Exception {
        Instant t = time.now();
        store.publishHealth(DeploymentHealth.coolingDown("a", t.plusSeconds(60), "AUTHENTICATION", t));
        store.publishHealth(DeploymentHealth.coolingDown("a", t.plusSeconds(6), "RATE_LIMIT", t.plusSeconds(1)));
        flush();

        assertThat(store.health("a").coolingUntil()).contains(t.plusSeconds(60));
        assertThat(store.health("a").reason()).isEqualTo("AUTHENTICATION");
    }

    @Test
    void aLaterLongerCooldownExtendsARunningOne() throws Exception {
        Instant t = time.now();
        store.publishHealth(DeploymentHealth.coolingDown("a", t.plusSeconds(5), "SERVER_ERROR", t));
        store.publishHealth(DeploymentHealth.coolingDown("a", t.plusSeconds(30), "RATE_LIMIT", t.plusSeconds(1)));
        flush();

        assertThat(store.health("a").coolingUntil()).contains(t.plusSeconds(30));
    }

    @Test
    void aCooldownAfterAnEndedOneStartsAfresh() throws Exception {
        Instant t = time.now();
        store.publishHealth(DeploymentHealth.coolingDown("a", t.plusSeconds(60), "SERVER_ERROR", t));
        store.publishHealth(DeploymentHealth.available("a", t.plusSeconds(61)));
        store.publishHealth(DeploymentHealth.coolingDown("a", t.plusSeconds(65), "TIMEOUT", t.plusSeconds(62)));
        flush();

        assertThat(store.health("a").coolingUntil()).contains(t.plusSeconds(65));
        assertThat(store.health("a").reason()).isEqualTo("TIMEOUT");
    }

    @Test
    void anAvailableTransitionEndsTheCooldownThatStartedBeforeIt() throws Exception {
        Instant t = time.now();
        store.publishHealth(DeploymentHealth.coolingDown("a", t.plusSeconds(60), "SERVER_ERROR", t));
        store.publishHealth(DeploymentHealth.available("a", t.plusSeconds(2)));
        flush();

        assertThat(store.health("a").isCoolingDown()).isFalse();
        assertThat(store.health("a").isCoolingDownAt(now())).isFalse();
    }

    @Test
    void transitionsAreAppliedInTheOrderTheyHappenedNotTheOrderTheyArrive() throws Exception {
        Instant t = time.now();
        // A newer cooldown arrives before an older "available": the late message does not end it.
        store.publishHealth(DeploymentHealth.coolingDown("a", t.plusSeconds(60), "SERVER_ERROR", t.plusSeconds(5)));
        store.publishHealth(DeploymentHealth.available("a", t.plusSeconds(1)));
        // And a cooldown older than the recovery that ended it does not come back.
        store.publishHealth(DeploymentHealth.available("b", t.plusSeconds(10)));
        store.publishHealth(DeploymentHealth.coolingDown("b", t.plusSeconds(9), "SERVER_ERROR", t.plusSeconds(3)));
        flush();

        assertThat(store.health("a").isCoolingDownAt(now())).isTrue();
        assertThat(store.health("b").isCoolingDown()).isFalse();
    }

    @Test
    void concurrentCooldownsKeepTheLongest() throws Exception {
        Instant t = time.now();
        AtomicInteger seq = new AtomicInteger();

        onAllThreads(() -> {
            for (int i = 0; i < 500; i++) {
                int n = seq.incrementAndGet();
                store.publishHealth(DeploymentHealth.coolingDown("a", t.plusMillis(1_000 + n), "RATE_LIMIT", t));
            }
            return null;
        });

        assertThat(store.health("a").coolingUntil()).contains(t.plusMillis(1_000 + THREADS * 500));
    }

    // ---- spend --------------------------------------------------------------------------------

    @Test
    void concurrentSpendTotalsAreExact() throws Exception {
        int perThread = 1_000;

        onAllThreads(() -> {
            for (int i = 0; i < perThread; i++) {
                store.addSpend("d1", "openai", "gpt", Optional.of("user-" + (i % 3)), List.of("t1", "t2"),
                        usd("0.001"));
            }
            return null;
        });
        SpendTotals totals = store.spendTotals();

        BigDecimal expected = usd("0.001").multiply(BigDecimal.valueOf((long) THREADS * perThread));
        assertThat(totals.total()).isEqualByComparingTo(expected);
        assertThat(totals.byDeployment().get("d1")).isEqualByComparingTo(expected);
        assertThat(totals.byProvider().get("openai")).isEqualByComparingTo(expected);
        assertThat(totals.byModelGroup().get("gpt")).isEqualByComparingTo(expected);
        BigDecimal users = totals.otherUsers();
        for (BigDecimal v : totals.byUser().values()) {
            users = users.add(v);
        }
        assertThat(users).isEqualByComparingTo(expected);
        BigDecimal tags = totals.otherTags();
        for (BigDecimal v : totals.byTag().values()) {
            tags = tags.add(v);
        }
        assertThat(tags).as("each of two tags counts the spend").isEqualByComparingTo(expected.multiply(usd("2")));
    }

    @Test
    void unpricedAnswersAreCountedAndNotSpent() throws Exception {
        store.countUnpriced("d1");
        store.countUnpriced("d1");
        flush();

        SpendTotals totals = store.spendTotals();
        assertThat(totals.unpricedResponses()).containsEntry("d1", 2L);
        assertThat(totals.total()).isEqualByComparingTo(BigDecimal.ZERO);
    }

    // ---- budgets ------------------------------------------------------------------------------

    @Test
    void concurrentReservationsNeverOverspendABudget() throws Exception {
        // Many small budgets, each raced to its limit by every thread: the end game, where
        // settlements and reservations meet at the limit, is where a store can overspend.
        int rounds = 1_000;
        CyclicBarrier roundStart = new CyclicBarrier(THREADS);

        List<Integer> granted = onAllThreads(() -> {
            int n = 0;
            for (int round = 0; round < rounds; round++) {
                roundStart.await(30, TimeUnit.SECONDS);
                BudgetWindow w = dailyWindow("round " + round, "0.08");
                for (int i = 0; i < 40; i++) {
                    BudgetReservation r = reserve(usd("0.01"), w);
                    if (r.isGranted()) {
                        n++;
                        store.settle(r, usd("0.01"), r.windows());
                    }
                }
            }
            return n;
        });

        assertThat(granted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(8 * rounds);
        for (int round = 0; round < rounds; round++) {
            BudgetBalance b = store.balance(dailyWindow("round " + round, "0.08"));
            assertThat(b.spentUsd()).isEqualByComparingTo("0.08");
            assertThat(b.reservedUsd()).isEqualByComparingTo("0");
        }
    }

    @Test
    void concurrentOpenReservationsNeverPassTheLimit() throws Exception {
        BudgetWindow w = dailyWindow("global", "1.00");

        List<Integer> granted = onAllThreads(() -> {
            int n = 0;
            for (int i = 0; i < 100; i++) {
                if (reserve(usd("0.03"), w).isGranted()) {
                    n++;
                }
            }
            return n;
        });

        assertThat(granted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(33);
        assertThat(store.balance(w).reservedUsd()).isEqualByComparingTo("0.99");
    }

    @Test
    void settleReplacesTheReservationByTheActualCost() throws Exception {
        BudgetWindow w = dailyWindow("global", "1.00");
        BudgetReservation r = reserve(usd("0.50"), w);
        assertThat(store.balance(w).reservedUsd()).isEqualByComparingTo("0.50");

        store.settle(r, usd("0.20"), r.windows());
        flush();

        assertThat(store.balance(w).spentUsd()).isEqualByComparingTo("0.20");
        assertThat(store.balance(w).reservedUsd()).isEqualByComparingTo("0");
    }

    @Test
    void aReservationIsSettledAtMostOnce() throws Exception {
        BudgetWindow w = dailyWindow("global", "1.00");
        BudgetReservation r = reserve(usd("0.50"), w);
        reserve(usd("0.30"), w);

        store.settle(r, usd("0.20"), r.windows());
        store.settle(r, usd("0.20"), r.windows());
        store.release(r);
        flush();

        assertThat(store.balance(w).spentUsd()).isEqualByComparingTo("0.20");
        assertThat(store.balance(w).reservedUsd()).as("the other reservation stays").isEqualByComparingTo("0.30");
    }

    @Test
    void concurrentSettlementsOfOneReservationCountOnce() throws Exception {
        BudgetWindow w = dailyWindow("global", "1.00");
        BudgetReservation r = reserve(usd("0.50"), w);

        onAllThreads(() -> {
            store.settle(r, usd("0.40"), r.windows());
            return null;
        });

        assertThat(store.balance(w).spentUsd()).isEqualByComparingTo("0.40");
        assertThat(store.balance(w).reservedUsd()).isEqualByComparingTo("0");
    }

    @Test
    void releaseReturnsTheReservedAmount() throws Exception {
        BudgetWindow w = dailyWindow("global", "1.00");
        BudgetReservation first = reserve(usd("0.60"), w);
        assertThat(reserve(usd("0.60"), w).isGranted()).isFalse();

        store.release(first);
        flush();

        assertThat(store.balance(w).reservedUsd()).isEqualByComparingTo("0");
        assertThat(store.balance(w).spentUsd()).isEqualByComparingTo("0");
        assertThat(reserve(usd("0.60"), w).isGranted()).isTrue();
    }

    @Test
    void aReservationOverSeveralBudgetsIsAllOrNothing() throws Exception {
        BudgetWindow roomy = dailyWindow("global", "10.00");
        BudgetWindow tight = dailyWindow("user 'alice'", "0.10");

        BudgetReservation refused = reserve(usd("0.50"), roomy, tight);

        assertThat(refused.isGranted()).isFalse();
        assertThat(refused.refusedBy()).contains(tight);
        assertThat(refused.id()).isEmpty();
        assertThat(store.balance(roomy).reservedUsd()).as("released").isEqualByComparingTo("0");
        BudgetReservation granted = reserve(usd("0.05"), roomy, tight);
        assertThat(granted.isGranted()).isTrue();
        assertThat(granted.windows()).containsExactly(roomy, tight);
        assertThat(store.balance(roomy).reservedUsd()).isEqualByComparingTo("0.05");
        assertThat(store.balance(tight).reservedUsd()).isEqualByComparingTo("0.05");
    }

    @Test
    void settlingARefusedReservationDoesNothing() throws Exception {
        BudgetWindow w = dailyWindow("global", "0.10");
        BudgetReservation refused = reserve(usd("0.50"), w);

        store.settle(refused, usd("0.50"), List.of(w));
        flush();

        assertThat(store.balance(w).spentUsd()).isEqualByComparingTo("0");
    }

    @Test
    void aNewBudgetPeriodStartsWithNothingSpentOrReserved() throws Exception {
        BudgetWindow today = dailyWindow("global", "1.00");
        BudgetReservation r = reserve(usd("0.80"), today);
        store.settle(r, usd("0.80"), r.windows());
        reserve(usd("0.10"), today);
        assertThat(reserve(usd("0.50"), today).isGranted()).isFalse();

        time.advance(Duration.ofDays(1));
        BudgetWindow tomorrow = dailyWindow("global", "1.00");

        assertThat(store.balance(tomorrow)).isEqualTo(BudgetBalance.ZERO);
        assertThat(reserve(usd("1.00"), tomorrow).isGranted()).isTrue();
        assertThat(store.balance(today).committedUsd()).as("a replaced window reads as zero")
                .isEqualByComparingTo("0");
    }

    @Test
    void aCallThatOutlivesItsPeriodIsChargedToTheWindowsGiven() throws Exception {
        BudgetWindow today = dailyWindow("global", "1.00");
        BudgetReservation r = reserve(usd("0.80"), today);
        time.advance(Duration.ofDays(1));
        BudgetWindow tomorrow = dailyWindow("global", "1.00");

        store.settle(r, usd("0.30"), List.of(tomorrow));
        flush();

        assertThat(store.balance(tomorrow).spentUsd()).isEqualByComparingTo("0.30");
        assertThat(store.balance(tomorrow).reservedUsd()).isEqualByComparingTo("0");
    }

    // ---- latency and writes -------------------------------------------------------------------

    @Test
    void latencySamplesAreSummarized() {
        StateStore.LatencyRecorder latency = store.latency("a");
        assertThat(latency.stats().samples()).isZero();

        latency.record(Duration.ofMillis(100).toNanos(), 10);
        latency.record(Duration.ofMillis(300).toNanos(), 10);
        latency.recordFirstToken(Duration.ofMillis(50).toNanos());

        LatencyStats stats = store.latency("a").stats();
        assertThat(stats.samples()).isEqualTo(2);
        assertThat(stats.mean()).isEqualTo(Duration.ofMillis(200));
        assertThat(stats.meanTimeToFirstToken()).isEqualTo(Duration.ofMillis(50));
    }

    // ---- availability and events ---------------------------------------------------------------

    @Test
    void aReachableStoreIsAvailableAndTakesASubscriptionThatClosesTwice() {
        assertThat(store.availability()).isEqualTo(StateStore.Availability.AVAILABLE);

        StateStore.Subscription subscription = store.subscribe(new StateStore.Subscriber() { });

        assertThat(subscription).isNotNull();
        subscription.close();
        subscription.close();
    }

    @Test
    void flushCompletes() throws Exception {
        store.usage("a").tryReserve(now(), 0, 0, 1);

        assertThat(store.flush().toCompletableFuture().get(5, TimeUnit.SECONDS)).isNull();
    }
}
