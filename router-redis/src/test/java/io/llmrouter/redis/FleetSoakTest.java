package io.llmrouter.redis;

import static io.llmrouter.redis.Fleet.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.testing.FakeProvider;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 10,000 calls across three router instances on one Redis, with faults on both sides: a flaky
 * deployment (one call in five fails with a 500, retried elsewhere), Redis frozen twice and its
 * connections killed once. No answer is lost or doubled, and the fleet's spend and budget are
 * exact to the cent.
 */
class FleetSoakTest {

    private static final int CALLS = 10_000;
    private static final int INSTANCES = 3;

    /** A script of {@code steps} calls where every fifth fails with a 500. */
    private static FakeProvider flaky(int steps) {
        FakeProvider.Builder b = FakeProvider.builder().usage(Usage.of(5, 1)).maxRecordedCalls(0);
        for (int i = 0; i < steps; i++) {
            if (i % 5 == 4) {
                b.fail(500);
            } else {
                b.reply("flaky");
            }
        }
        return b.reply("flaky").build();
    }

    private static int failuresIn(int calls, int steps) {
        int failures = 0;
        for (int i = 0; i < Math.min(calls, steps); i++) {
            if (i % 5 == 4) {
                failures++;
            }
        }
        return failures;
    }

    @Test
    void givenFaultsOnBothSides_when10000CallsAcrossThreeInstances_thenNoAnswerIsLostOrDoubledAndSpendIsExact()
            throws Exception {
        // given
        String prefix = RedisServer.uniquePrefix();
        int steps = CALLS;
        List<AutoCloseable> closeAfter = new ArrayList<>();
        try (RedisServer redis = RedisServer.started();
                RedisClient admin = RedisClient.create("redis://127.0.0.1:" + redis.port());
                StatefulRedisConnection<String, String> adminConnection = admin.connect()) {
            List<Router> routers = new ArrayList<>();
            List<RedisStateStore> stores = new ArrayList<>();
            List<FakeProvider> flaky = new ArrayList<>();
            List<FakeProvider> steady = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                RedisStateStore store = redis.store(prefix).refreshInterval(Duration.ofMillis(100))
                        .commandTimeout(Duration.ofMillis(500)).reservationTtl(Duration.ofSeconds(5)).build();
                closeAfter.add(store);
                stores.add(store);
                flaky.add(flaky(steps));
                steady.add(Fleet.oneTokenReplies("steady"));
                Router r = Fleet.router(store)
                        .budget(Budget.global().limitUsd("1000").period(BudgetPeriod.DAILY).build())
                        .deployment(deployment("flaky", flaky.get(i), Fleet.MILLI_PER_TOKEN).build())
                        .deployment(deployment("steady", steady.get(i), Fleet.MILLI_PER_TOKEN).build())
                        .build();
                closeAfter.add(r);
                routers.add(r);
            }
            ExecutorService callers = Executors.newFixedThreadPool(12);
            closeAfter.add(callers::shutdownNow);
            AtomicInteger started = new AtomicInteger();
            List<Future<ChatResponse>> calls = new ArrayList<>(CALLS);
            // when: calls from 12 threads, round robin over the instances, faults injected as they run
            for (int n = 0; n < CALLS; n++) {
                Router r = routers.get(n % INSTANCES);
                ChatRequest request = ChatRequest.builder("g").addMessage(Message.user("call " + n)).maxTokens(1)
                        .build();
                calls.add(callers.submit(() -> {
                    started.incrementAndGet();
                    return r.completion(request);
                }));
            }
            waitFor(started, CALLS / 4);
            redis.freeze();
            TimeUnit.MILLISECONDS.sleep(1_500); // a fault lasting a while, not a wait for a result
            redis.thaw();
            waitFor(started, CALLS / 2);
            adminConnection.sync().clientKill(KillArgs.Builder.typeNormal());
            waitFor(started, 3 * CALLS / 4);
            redis.freeze();
            TimeUnit.MILLISECONDS.sleep(1_000);
            redis.thaw();
            int answered = 0;
            for (Future<ChatResponse> c : calls) {
                assertThat(c.get(60, TimeUnit.SECONDS).text()).isIn("flaky", "steady");
                answered++;
            }
            // then: every call answered once, by exactly one successful provider call
            int successes = 0;
            for (int i = 0; i < INSTANCES; i++) {
                successes += flaky.get(i).callCount() - failuresIn(flaky.get(i).callCount(), steps);
                successes += steady.get(i).callCount();
            }
            assertThat(answered).isEqualTo(CALLS);
            assertThat(successes).as("provider answers, none lost, none doubled").isEqualTo(CALLS);
            // and the spend is exact once every instance has caught up: $0.001 a call
            BigDecimal expected = new BigDecimal("10.000");
            for (Router r : routers) {
                assertThat(Fleet.eventually(Duration.ofSeconds(20),
                        () -> r.budgetStatuses().get(0).spentUsd().compareTo(expected) == 0))
                        .as("budget spent as seen by each instance").isTrue();
            }
            for (RedisStateStore s : stores) {
                s.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            try (RedisStateStore reader = redis.store(prefix).build()) {
                reader.flush().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertThat(reader.spendTotals().total()).isEqualByComparingTo(expected);
                assertThat(reader.spendTotals().byDeployment().values().stream().reduce(BigDecimal.ZERO,
                        BigDecimal::add)).isEqualByComparingTo(expected);
            }
        } finally {
            for (int i = closeAfter.size() - 1; i >= 0; i--) {
                closeAfter.get(i).close();
            }
        }
    }

    private static void waitFor(AtomicInteger started, int count) throws InterruptedException {
        assertThat(Fleet.eventually(Duration.ofSeconds(60), () -> started.get() >= count)).isTrue();
    }
}
