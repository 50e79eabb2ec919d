package io.llmrouter.redis;

import static io.llmrouter.redis.Fleet.ask;
import static io.llmrouter.redis.Fleet.deployment;
import static io.llmrouter.redis.Fleet.oneTokenReplies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.spi.StateStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A Redis user granted only the commands fleet.md lists, on its prefix only, is enough for the store. */
class RedisAclTest {

    /** The ACL of src-docs/fleet.md, for prefix {@code app}. */
    private static final String ACL = "on >s3cret-pass resetkeys ~app:* resetchannels &app:* -@all +hello +auth"
            + " +select +ping +script|load +evalsha +hgetall +hmget +subscribe +hget +hset +hdel"
            + " +hincrby +del +zadd +zrem +zrangebyscore +pexpire +set +time +publish";

    @Test
    void givenAUserWithTheDocumentedAcl_whenTwoRoutersShareABudget_thenNothingIsRefusedByRedis() throws Exception {
        try (RedisServer redis = RedisServer.started();
                RedisClient admin = RedisClient.create("redis://127.0.0.1:" + redis.port());
                StatefulRedisConnection<String, String> c = admin.connect()) {
            // given
            c.sync().dispatch(io.lettuce.core.protocol.CommandType.ACL,
                    new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add("SETUSER")
                            .add("llmrouter").addValues(List.of(ACL.split(" "))));
            try (RedisStateStore a = store(redis); RedisStateStore b = store(redis);
                    Router ra = router(a); Router rb = router(b)) {
                // when
                ra.completion(ask());
                rb.completion(ask());
                // then
                assertThatThrownBy(() -> ra.completion(ask())).isInstanceOf(BudgetExceededException.class);
                b.flush().toCompletableFuture().get(5, TimeUnit.SECONDS); // b's writes are asynchronous
                a.flush().toCompletableFuture().get(5, TimeUnit.SECONDS); // and a reads the totals back
                assertThat(a.availability()).isEqualTo(StateStore.Availability.AVAILABLE);
                assertThat(a.spendTotals().total()).isEqualByComparingTo("2");
                assertThat(a.toString()).doesNotContain("s3cret");
            }
        }
    }

    @Test
    void givenAWrongPassword_whenBuilt_thenTheStoreIsUnavailableAndTheRouterStillAnswers() {
        try (RedisServer redis = RedisServer.started();
                RedisStateStore s = redis.store("app").username("nobody").password(Secret.of("wrong"))
                        .commandTimeout(Duration.ofMillis(500)).build();
                Router r = Fleet.router(s).deployment(deployment("d", oneTokenReplies("ok"),
                        Fleet.DOLLAR_PER_TOKEN).build()).build()) {
            assertThat(s.availability()).isEqualTo(StateStore.Availability.UNAVAILABLE);
            assertThat(r.completion(ask()).text()).isEqualTo("ok");
        }
    }

    private static RedisStateStore store(RedisServer redis) {
        return redis.store("app").username("llmrouter").password(Secret.of("s3cret-pass")).build();
    }

    private static Router router(RedisStateStore store) {
        return Fleet.router(store).budget(Budget.global().limitUsd("2").period(BudgetPeriod.DAILY).build())
                .deployment(deployment("d", oneTokenReplies("ok"), Fleet.DOLLAR_PER_TOKEN).build()).build();
    }
}
