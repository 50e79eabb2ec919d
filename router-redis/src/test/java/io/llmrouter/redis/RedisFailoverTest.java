package io.llmrouter.redis;

import static io.llmrouter.redis.Fleet.ask;
import static io.llmrouter.redis.Fleet.deployment;
import static io.llmrouter.redis.Fleet.eventually;
import static io.llmrouter.redis.Fleet.oneTokenReplies;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.llmrouter.Router;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.spi.StateStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A failover at the store's address: the primary becomes a replica (its writes answer
 * {@code READONLY}) while its replica takes over, then it is promoted back. The router answers
 * throughout, warns once, and the spend of the failover is written once when writes are accepted again.
 */
class RedisFailoverTest {

    @Test
    void givenThePrimaryDemotedAndPromotedBack_whenCalledThroughout_thenAnswersWarnsOnceAndSpendIsExact()
            throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        RouterListener listener = new RouterListener() {
            @Override
            public void onStateStoreUnavailable(String detail) {
                events.add("unavailable");
            }

            @Override
            public void onStateStoreAvailable() {
                events.add("available");
            }
        };
        String prefix = RedisServer.uniquePrefix();
        try (RedisServer a = RedisServer.started(); RedisServer b = RedisServer.started();
                RedisClient adminA = RedisClient.create("redis://127.0.0.1:" + a.port());
                RedisClient adminB = RedisClient.create("redis://127.0.0.1:" + b.port());
                var connA = adminA.connect(); var connB = adminB.connect()) {
            RedisCommands<String, String> onA = connA.sync();
            RedisCommands<String, String> onB = connB.sync();
            onB.replicaof("127.0.0.1", a.port());
            assertThat(eventually(Duration.ofSeconds(10), () -> linkUp(onB))).as("b replicates a").isTrue();
            try (RedisStateStore store = a.store(prefix).refreshInterval(Duration.ofMillis(100)).build();
                    Router router = Fleet.router(store).listener(listener)
                            .budget(Budget.global().limitUsd("10").period(BudgetPeriod.DAILY).build())
                            .deployment(deployment("d", oneTokenReplies("ok"), Fleet.MILLI_PER_TOKEN).build())
                            .build()) {
                for (int i = 0; i < 3; i++) {
                    router.completion(ask());
                }
                store.flush().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertThat(eventually(Duration.ofSeconds(10), () -> offsetsEqual(onA, onB))).isTrue();
                // when: b takes over, a follows it (a's writes now answer READONLY)
                onB.replicaofNoOne();
                onA.replicaof("127.0.0.1", b.port());
                for (int i = 0; i < 4; i++) {
                    assertThat(router.completion(ask()).text()).isEqualTo("ok");
                }
                assertThat(eventually(Duration.ofSeconds(10), () -> events.contains("unavailable"))).isTrue();
                assertThat(store.availability()).isEqualTo(StateStore.Availability.UNAVAILABLE);
                // when: a is promoted back (with b's data, which is a's from before)
                assertThat(eventually(Duration.ofSeconds(10), () -> linkUp(onA))).as("a replicates b").isTrue();
                onA.replicaofNoOne();
                onB.replicaof("127.0.0.1", a.port());
                // then
                assertThat(eventually(Duration.ofSeconds(10), () -> events.contains("available"))).isTrue();
                assertThat(events).containsExactly("unavailable", "available");
                router.completion(ask());
                store.flush().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertThat(store.spendTotals().total()).isEqualByComparingTo("0.008");
                assertThat(eventually(Duration.ofSeconds(5),
                        () -> router.budgetStatuses().get(0).spentUsd().compareTo(new java.math.BigDecimal("0.008")) == 0))
                        .isTrue();
            }
        }
    }

    private static boolean linkUp(RedisCommands<String, String> replica) {
        return replica.info("replication").contains("master_link_status:up");
    }

    private static boolean offsetsEqual(RedisCommands<String, String> primary, RedisCommands<String, String> replica) {
        return offset(primary.info("replication"), "master_repl_offset:")
                == offset(replica.info("replication"), "slave_repl_offset:");
    }

    private static long offset(String info, String field) {
        return info.lines().filter(l -> l.startsWith(field)).mapToLong(l -> Long.parseLong(l.substring(field.length())
                .trim())).findFirst().orElse(-1);
    }
}
