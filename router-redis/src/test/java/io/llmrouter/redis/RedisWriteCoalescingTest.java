package io.llmrouter.redis;

import static io.llmrouter.redis.Fleet.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.llmrouter.spi.StateStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A call's usage and spend are summed locally and sent in one batch per flush interval: no write
 * per call, exact sums (nano-USD), kept through an outage, sent at close. The flush is driven
 * explicitly ({@code flush()}, {@code close()}) with a flush interval of a day, so nothing here
 * depends on timing, except the one test of the interval itself.
 */
class RedisWriteCoalescingTest {

    /** Far beyond the test: the batches go out only when the test says so. */
    private static final Duration NEVER = Duration.ofDays(1);

    /** A private server: its command statistics count this test's commands only. */
    private static RedisServer redis;
    private static RedisClient admin;
    private static StatefulRedisConnection<String, String> raw;

    private final String prefix = RedisServer.uniquePrefix();
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    /** A fixed instant in the middle of a clock minute: the usage key is known. */
    private final long now = (System.currentTimeMillis() / 60_000) * 60_000 + 30_000;
    private final long minute = now / 60_000;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.started();
        admin = RedisClient.create("redis://127.0.0.1:" + redis.port());
        raw = admin.connect();
    }

    @AfterAll
    static void stopRedis() {
        if (raw != null) {
            raw.close();
            admin.shutdown();
        }
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

    private RedisStateStore store(RedisServer server) {
        RedisStateStore s = server.store(prefix).flushInterval(NEVER).refreshInterval(Duration.ofMillis(100))
                .commandTimeout(Duration.ofMillis(500)).build();
        closeAfter.add(s);
        return s;
    }

    private static void flush(RedisStateStore s) throws Exception {
        s.flush().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** The scripts Redis ran so far (every write of the store is one). */
    private static long scriptCalls() {
        for (String line : raw.sync().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:calls=")) {
                return Long.parseLong(line.substring("cmdstat_evalsha:calls=".length(), line.indexOf(',')));
            }
        }
        return 0;
    }

    private Map<String, String> usageHash(String deploymentId, long m) {
        return raw.sync().hgetall(prefix + ":u:" + deploymentId + ":" + m);
    }

    private Map<String, String> spendHash() {
        return raw.sync().hgetall(prefix + ":spend");
    }

    /** One priced call as the router records it: an rpm/tpm reservation, a token correction, its spend. */
    private void call(StateStore s, String deploymentId, BigDecimal usd) {
        StateStore.UsageCounter u = s.usage(deploymentId);
        long m = u.tryReserve(now, 1_000_000, 0, 10);
        u.correct(m, -3);
        s.addSpend(deploymentId, "openai", "g", Optional.of("alice"), List.of("eu"), usd);
    }

    @Test
    void givenManyCalls_whenFlushed_thenEachKeyGetsOneWriteWithTheExactSums() throws Exception {
        // given
        RedisStateStore store = store(redis);
        long scriptsBefore = scriptCalls();
        // when: a thousand calls of $0.000000123 and one of $1.234567891
        for (int i = 0; i < 1_000; i++) {
            call(store, "d", new BigDecimal("0.000000123"));
        }
        call(store, "d", new BigDecimal("1.234567891"));
        // then: nothing sent per call, and this instance's own view is exact at once
        assertThat(scriptCalls()).as("scripts run by the calls").isEqualTo(scriptsBefore);
        assertThat(usageHash("d", minute)).isEmpty();
        assertThat(store.usage("d").requests(now)).isEqualTo(1_001);
        assertThat(store.usage("d").tokens(now)).isEqualTo(7L * 1_001);
        assertThat(store.spendTotals().total()).isEqualByComparingTo("1.234690891");
        // when
        flush(store);
        // then: one write for the deployment's minute, one for the spend fields, with the exact sums
        assertThat(scriptCalls() - scriptsBefore).as("scripts run by the flush").isEqualTo(2);
        assertThat(usageHash("d", minute)).containsEntry("r", "1001").containsEntry("t", "7007");
        assertThat(spendHash()).containsEntry("total", "1234690891").containsEntry("d:d", "1234690891")
                .containsEntry("p:openai", "1234690891").containsEntry("g:g", "1234690891")
                .containsEntry("u:alice", "1234690891").containsEntry("t:eu", "1234690891");
        assertThat(raw.sync().pttl(prefix + ":u:d:" + minute)).isPositive();
        // and a flush with nothing new sends nothing
        long afterFirst = scriptCalls();
        flush(store);
        assertThat(scriptCalls()).isEqualTo(afterFirst);
    }

    @Test
    void givenTwoInstances_whenOneFlushes_thenTheOtherCountsItsUsageAndSpendExactly() throws Exception {
        // given
        RedisStateStore a = store(redis);
        RedisStateStore b = store(redis);
        b.usage("d").requests(now); // b follows d's minute from now on
        for (int i = 0; i < 40; i++) {
            call(a, "d", new BigDecimal("0.001"));
        }
        // when
        flush(a);
        // then: b sees a's counts at its next refresh (its own are zero), and a's spend at its flush
        assertThat(eventually(Duration.ofSeconds(5), () -> b.usage("d").requests(now) == 40)).isTrue();
        assertThat(b.usage("d").tokens(now)).isEqualTo(280);
        flush(b);
        assertThat(b.spendTotals().total()).isEqualByComparingTo("0.040");
        // and a's own view still counts each of its calls once
        assertThat(a.usage("d").requests(now)).isEqualTo(40);
        assertThat(a.spendTotals().total()).isEqualByComparingTo("0.040");
    }

    @Test
    void givenCallsInTwoMinutes_whenFlushed_thenEachMinuteGetsItsOwnCounts() throws Exception {
        // given
        RedisStateStore store = store(redis);
        StateStore.UsageCounter u = store.usage("d");
        for (int i = 0; i < 3; i++) {
            u.tryReserve(now, 0, 0, 5);
        }
        // when: the next minute starts before the flush
        for (int i = 0; i < 2; i++) {
            u.tryReserve(now + 60_000, 0, 0, 5);
        }
        flush(store);
        // then
        assertThat(usageHash("d", minute)).containsEntry("r", "3").containsEntry("t", "15");
        assertThat(usageHash("d", minute + 1)).containsEntry("r", "2").containsEntry("t", "10");
    }

    @Test
    void givenCallsDuringAnOutage_whenRedisReturns_thenTheirSumsAreWrittenOnce() throws Exception {
        // given: a server of this test's own, which it restarts
        RedisServer own = RedisServer.started();
        closeAfter.add(own);
        RedisStateStore store = store(own);
        call(store, "d", new BigDecimal("0.5"));
        flush(store);
        // when: Redis dies, and calls go on
        own.kill();
        for (int i = 0; i < 500; i++) {
            call(store, "d", new BigDecimal("0.001"));
        }
        store.flush().toCompletableFuture().get(5, TimeUnit.SECONDS); // nothing to send them to: kept
        assertThat(eventually(Duration.ofSeconds(10),
                () -> store.availability() == StateStore.Availability.UNAVAILABLE)).isTrue();
        assertThat(store.queuedWrites()).as("no write queued per call").isLessThanOrEqualTo(1);
        // then: it returns (empty: no persistence), and receives the outage's sums, once
        own.start();
        assertThat(eventually(Duration.ofSeconds(10),
                () -> store.availability() == StateStore.Availability.AVAILABLE)).isTrue();
        flush(store);
        try (RedisClient c = RedisClient.create("redis://127.0.0.1:" + own.port());
                StatefulRedisConnection<String, String> conn = c.connect()) {
            assertThat(eventually(Duration.ofSeconds(5),
                    () -> "500000000".equals(conn.sync().hget(prefix + ":spend", "total")))).isTrue();
            assertThat(conn.sync().hgetall(prefix + ":spend")).containsEntry("u:alice", "500000000");
            assertThat(conn.sync().hgetall(prefix + ":u:d:" + minute)).containsEntry("r", "500")
                    .containsEntry("t", "3500");
            flush(store);
            assertThat(conn.sync().hget(prefix + ":spend", "total")).as("not twice").isEqualTo("500000000");
            c.shutdown();
        }
        // and the local view keeps every call, the one before the outage included
        assertThat(store.usage("d").requests(now)).isEqualTo(501);
    }

    @Test
    void givenUnsentIncrements_whenClosed_thenTheyAreWritten() throws Exception {
        // given
        RedisStateStore store = redis.store(prefix).flushInterval(NEVER).build();
        for (int i = 0; i < 25; i++) {
            call(store, "d", new BigDecimal("0.01"));
        }
        // when
        store.close();
        // then
        assertThat(spendHash()).containsEntry("total", "250000000");
        assertThat(usageHash("d", minute)).containsEntry("r", "25");
        try (RedisStateStore reader = redis.store(prefix).build()) {
            flush(reader);
            assertThat(reader.spendTotals().total()).isEqualByComparingTo("0.25");
            assertThat(reader.spendTotals().byUser()).containsEntry("alice", new BigDecimal("0.25"));
        }
    }

    @Test
    void givenCallersOnManyThreads_whenFlushesRunMeanwhile_thenNoIncrementIsLostOrCountedTwice() throws Exception {
        // given: a flush every millisecond, racing the callers
        RedisStateStore store = redis.store(prefix).flushInterval(Duration.ofMillis(1)).build();
        int threads = 8;
        int calls = 5_000;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        // when
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < calls; i++) {
                    call(store, "d", new BigDecimal("0.000001"));
                }
            }));
        }
        for (java.util.concurrent.Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        store.close();
        // then
        long n = (long) threads * calls;
        assertThat(spendHash()).containsEntry("total", Long.toString(n * 1_000))
                .containsEntry("u:alice", Long.toString(n * 1_000));
        assertThat(usageHash("d", minute)).containsEntry("r", Long.toString(n)).containsEntry("t", Long.toString(7 * n));
    }

    @Test
    void givenTheFlushInterval_whenItPasses_thenTheIncrementsAreSentWithoutAFlushCall() throws Exception {
        // given
        RedisStateStore store = redis.store(prefix).flushInterval(Duration.ofMillis(50)).build();
        closeAfter.add(store);
        // when
        for (int i = 0; i < 10; i++) {
            call(store, "d", new BigDecimal("0.1"));
        }
        // then
        assertThat(eventually(Duration.ofSeconds(5), () -> "1000000000".equals(spendHash().get("total")))).isTrue();
        assertThat(eventually(Duration.ofSeconds(5), () -> "10".equals(usageHash("d", minute).get("r")))).isTrue();
    }
}
