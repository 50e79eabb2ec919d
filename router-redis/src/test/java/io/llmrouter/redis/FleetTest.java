package io.llmrouter.redis;

import static io.llmrouter.redis.Fleet.ask;
import static io.llmrouter.redis.Fleet.deployment;
import static io.llmrouter.redis.Fleet.eventually;
import static io.llmrouter.redis.Fleet.oneTokenReplies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.DeploymentStatus;
import io.llmrouter.RequestOptions;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.budget.BudgetStatus;
import io.llmrouter.spi.BudgetWindow;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.testing.FakeProvider;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two and three routers in one JVM, each with its own Redis store (as in separate pods), act as one. */
class FleetTest {

    private static RedisServer redis;
    private final String prefix = RedisServer.uniquePrefix();
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.shared();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    /** A store of one instance of the fleet: each router has its own, as each pod would. */
    private RedisStateStore store() {
        RedisStateStore s = redis.store(prefix).refreshInterval(Duration.ofMillis(100)).build();
        closeAfter.add(s);
        return s;
    }

    private Router router(Router.Builder b) {
        Router r = b.build();
        closeAfter.add(r);
        return r;
    }

    private static Budget dollars(String limit) {
        return Budget.global().limitUsd(limit).period(BudgetPeriod.DAILY).build();
    }

    @Test
    void givenTwoRouters_whenBothSpend_thenOneBudgetHoldsForBoth() {
        // given: $1 a call, $3 a day for the fleet
        Router a = router(Fleet.router(store()).budget(dollars("3"))
                .deployment(deployment("d", oneTokenReplies("a"), Fleet.DOLLAR_PER_TOKEN).build()));
        Router b = router(Fleet.router(store()).budget(dollars("3"))
                .deployment(deployment("d", oneTokenReplies("b"), Fleet.DOLLAR_PER_TOKEN).build()));
        // when
        a.completion(ask());
        b.completion(ask());
        a.completion(ask());
        // then
        assertThatThrownBy(() -> b.completion(ask())).isInstanceOf(BudgetExceededException.class);
        assertThatThrownBy(() -> a.completion(ask())).isInstanceOf(BudgetExceededException.class);
    }

    @Test
    void givenTwoRouters_whenOneHitsARateLimit_thenTheOtherSkipsTheDeploymentWithinARoundTrip() throws Exception {
        // given: d answers router a with a 429 (retry after 30 s); router b has the same deployments
        CountDownLatch cooledOnB = new CountDownLatch(1);
        RouterListener onB = new RouterListener() {
            @Override
            public void onCooldownStart(String deploymentId, String modelGroup, Instant until, LlmRouterException c) {
                if (deploymentId.equals("d")) {
                    cooledOnB.countDown();
                }
            }
        };
        Router a = router(Fleet.router(store())
                .deployment(deployment("d", FakeProvider.failingWith(429, Duration.ofSeconds(30)),
                        Fleet.DOLLAR_PER_TOKEN).build())
                .deployment(deployment("e", oneTokenReplies("e"), Fleet.DOLLAR_PER_TOKEN).build()));
        FakeProvider dOnB = oneTokenReplies("d");
        Router b = router(Fleet.router(store()).listener(onB)
                .deployment(deployment("d", dOnB, Fleet.DOLLAR_PER_TOKEN).build())
                .deployment(deployment("e", oneTokenReplies("e"), Fleet.DOLLAR_PER_TOKEN).build()));
        RequestOptions noRetry = RequestOptions.builder().retryPolicy(r -> r.numRetries(0)).build();
        // when: a calls until d has answered it with its 429
        for (int i = 0; i < 100 && a.deploymentStatuses().get(0).state() == DeploymentStatus.State.AVAILABLE; i++) {
            try {
                a.completion(ask(), noRetry);
            } catch (RateLimitException expected) {
                // d's 429
            }
        }
        // then
        assertThat(cooledOnB.await(5, TimeUnit.SECONDS)).as("b heard of d's cooldown").isTrue();
        assertThat(b.deploymentStatuses().get(0).state()).isEqualTo(DeploymentStatus.State.COOLING_DOWN);
        int before = dOnB.callCount();
        for (int i = 0; i < 20; i++) {
            assertThat(b.completion(ask()).text()).isEqualTo("e");
        }
        assertThat(dOnB.callCount()).as("b sends nothing to d while it cools").isEqualTo(before);
    }

    @Test
    void givenTwoRouters_whenBothCall_thenTheRpmLimitCountsTheCallsOfBoth() throws Exception {
        // given: 3 requests a minute for d, across the fleet
        RedisStateStore storeA = store();
        Router a = router(Fleet.router(storeA)
                .deployment(deployment("d", oneTokenReplies("a"), Fleet.DOLLAR_PER_TOKEN).rpm(3).build()));
        Router b = router(Fleet.router(store())
                .deployment(deployment("d", oneTokenReplies("b"), Fleet.DOLLAR_PER_TOKEN).rpm(3).build()));
        // when: b makes two calls, and a's view of the fleet is refreshed (the fixed clock-minute window)
        long minute = System.currentTimeMillis() / 60_000;
        b.completion(ask());
        b.completion(ask());
        assertThat(eventually(Duration.ofSeconds(5), () -> storeA.usage("d").requests(System.currentTimeMillis()) >= 2))
                .isTrue();
        // then: a may make one more call in this minute, not three
        a.completion(ask());
        if (System.currentTimeMillis() / 60_000 == minute) {
            assertThatThrownBy(() -> a.completion(ask())).isInstanceOf(RateLimitException.class);
        }
    }

    @Test
    void givenThreeRouters_when300ConcurrentRequestsEach_thenTheSettledSpendNeverExceedsTheBudget() throws Exception {
        // given: $100 for the fleet; each request reserves $2 (two output tokens) and costs $1
        List<Router> routers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            routers.add(router(Fleet.router(store()).budget(dollars("100"))
                    .deployment(deployment("d", oneTokenReplies("r" + i), Fleet.DOLLAR_PER_TOKEN).build())));
        }
        ChatRequest twoTokens = ChatRequest.builder("g").addMessage(Message.user("hello")).maxTokens(2).build();
        // when
        List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            for (Router r : routers) {
                calls.add(r.completionAsync(twoTokens));
            }
        }
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        for (CompletableFuture<ChatResponse> c : calls) {
            try {
                c.get(60, TimeUnit.SECONDS);
                answered.incrementAndGet();
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(BudgetExceededException.class);
                refused.incrementAndGet();
            }
        }
        // then
        assertThat(answered.get() + refused.get()).isEqualTo(900);
        assertThat(answered.get()).isBetween(50, 100);
        assertThat(eventually(Duration.ofSeconds(5), () -> {
            BudgetStatus s = routers.get(0).budgetStatuses().get(0);
            return s.reservedUsd().signum() == 0 && s.spentUsd().compareTo(BigDecimal.valueOf(answered.get())) == 0;
        })).as("settled: $1 per answer, nothing reserved").isTrue();
        assertThat(routers.get(0).budgetStatuses().get(0).spentUsd()).isLessThanOrEqualTo(new BigDecimal("100"));
    }

    @Test
    void givenAReservationNeverSettled_whenItsTtlPasses_thenItIsReleased() throws Exception {
        // given: an instance that reserved $0.80 of $1 and died
        RedisStateStore dead = redis.store(prefix).reservationTtl(Duration.ofMillis(300)).build();
        Instant day = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        BudgetWindow w = new BudgetWindow("global", new BigDecimal("1"), day, day.plus(Duration.ofDays(1)));
        assertThat(dead.reserve(List.of(w), new BigDecimal("0.80")).toCompletableFuture().get(5, TimeUnit.SECONDS)
                .isGranted()).isTrue();
        dead.close();
        RedisStateStore alive = store();
        // when / then: refused while held, granted once it expired
        assertThat(alive.reserve(List.of(w), new BigDecimal("0.80")).toCompletableFuture().get(5, TimeUnit.SECONDS)
                .isGranted()).isFalse();
        assertThat(eventually(Duration.ofSeconds(5), () -> alive.reserve(List.of(w), new BigDecimal("0.80"))
                .toCompletableFuture().join().isGranted())).isTrue();
    }

    @Test
    void givenACancelledCall_whenItEnds_thenItsReservationIsReleased() throws Exception {
        // given: a provider that never answers
        Router a = router(Fleet.router(store()).budget(dollars("10"))
                .deployment(deployment("d", FakeProvider.builder().hang().build(), Fleet.DOLLAR_PER_TOKEN).build()));
        CompletableFuture<ChatResponse> call = a.completionAsync(ask());
        assertThat(eventually(Duration.ofSeconds(5),
                () -> a.budgetStatuses().get(0).reservedUsd().compareTo(BigDecimal.ONE) == 0)).isTrue();
        // when
        call.cancel(true);
        // then
        assertThat(eventually(Duration.ofSeconds(5), () -> a.budgetStatuses().get(0).reservedUsd().signum() == 0))
                .isTrue();
    }

    @Test
    void givenARestartedInstance_whenItStarts_thenItContinuesThePeriodsSpend() throws Exception {
        // given: an instance spent $2 and stopped
        RedisStateStore first = redis.store(prefix).build();
        try (Router a = Fleet.router(first).budget(dollars("3"))
                .deployment(deployment("d", oneTokenReplies("a"), Fleet.DOLLAR_PER_TOKEN).build()).build()) {
            a.completion(ask());
            a.completion(ask());
        }
        first.close();
        // when: it starts again
        Router again = router(Fleet.router(store()).budget(dollars("3"))
                .deployment(deployment("d", oneTokenReplies("a"), Fleet.DOLLAR_PER_TOKEN).build()));
        // then
        assertThat(eventually(Duration.ofSeconds(5),
                () -> again.budgetStatuses().get(0).spentUsd().compareTo(new BigDecimal("2")) == 0)).isTrue();
        assertThat(again.spend().total()).isEqualByComparingTo("2");
        again.completion(ask());
        assertThatThrownBy(() -> again.completion(ask())).isInstanceOf(BudgetExceededException.class);
    }

    @Test
    void givenADatabaseIndex_whenTheStoreWrites_thenItsKeysAreInThatDatabaseOnly() throws Exception {
        // given
        RedisStateStore s = redis.store(prefix).database(3).build();
        closeAfter.add(s);
        Router a = router(Fleet.router(s).budget(dollars("3"))
                .deployment(deployment("d", oneTokenReplies("a"), Fleet.DOLLAR_PER_TOKEN).build()));
        // when
        a.completion(ask());
        s.flush().toCompletableFuture().get(5, TimeUnit.SECONDS);
        // then
        try (var raw = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + redis.port());
                var c = raw.connect()) {
            assertThat(c.sync().keys(prefix + ":*")).as("database 0").isEmpty();
            c.sync().select(3);
            assertThat(c.sync().keys(prefix + ":*")).as("database 3").contains(prefix + ":spend");
        }
    }

    @Test
    void keysExpireAndHoldNoSecretOrPromptText() throws Exception {
        // given
        RedisStateStore s = store();
        Router a = router(Fleet.router(s).budget(dollars("3"))
                .deployment(deployment("d", oneTokenReplies("a"), Fleet.DOLLAR_PER_TOKEN)
                        .apiKey(io.llmrouter.api.Secret.of("sk-very-secret")).rpm(100).build()));
        a.completion(ChatRequest.builder("g").addMessage(Message.user("my prompt text")).maxTokens(1).build());
        s.flush().toCompletableFuture().get(5, TimeUnit.SECONDS);
        // when
        try (var raw = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + redis.port());
                var c = raw.connect()) {
            List<String> keys = c.sync().keys(prefix + ":*");
            // then
            assertThat(keys).isNotEmpty();
            for (String key : keys) {
                assertThat(c.sync().pttl(key)).as("ttl of " + key).isPositive();
                String dump = key + " " + switch (c.sync().type(key)) {
                    case "hash" -> c.sync().hgetall(key).toString();
                    case "zset" -> c.sync().zrange(key, 0, -1).toString();
                    default -> String.valueOf(c.sync().get(key));
                };
                assertThat(dump).doesNotContain("sk-very-secret").doesNotContain("prompt text");
            }
        }
        assertThat(s.toString()).doesNotContain("secret")
                .contains("refresh 100 ms")
                .contains("flush " + RedisStateStore.DEFAULT_FLUSH_INTERVAL.toMillis() + " ms");
    }
}
