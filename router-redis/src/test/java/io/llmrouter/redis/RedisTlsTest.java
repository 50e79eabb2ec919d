package io.llmrouter.redis;

import static io.llmrouter.redis.Fleet.ask;
import static io.llmrouter.redis.Fleet.deployment;
import static io.llmrouter.redis.Fleet.oneTokenReplies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.Router;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.spi.StateStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The store talks TLS to a Redis that accepts nothing else, verifying its certificate. */
class RedisTlsTest {

    @Test
    void givenATlsOnlyRedis_whenTheStoreTrustsItsCa_thenTwoRoutersShareABudgetOverTls() throws Exception {
        try (RedisServer redis = RedisServer.startedWithTls();
                RedisStateStore a = redis.store("tls").tls(redis.caCertificate()).build();
                RedisStateStore b = redis.store("tls").tls(redis.caCertificate()).build();
                Router ra = router(a); Router rb = router(b)) {
            assertThat(a.availability()).isEqualTo(StateStore.Availability.AVAILABLE);
            assertThat(a.toString()).contains(" tls");
            ra.completion(ask());
            rb.completion(ask());
            assertThatThrownBy(() -> ra.completion(ask())).isInstanceOf(BudgetExceededException.class);
        }
    }

    @Test
    void givenATlsOnlyRedis_whenItsCertificateIsNotTrusted_thenTheStoreIsUnavailableAndTheRouterAnswers()
            throws Exception {
        try (RedisServer redis = RedisServer.startedWithTls();
                RedisStateStore s = redis.store("tls").tls().commandTimeout(Duration.ofMillis(500)).build();
                Router r = router(s)) {
            assertThat(s.availability()).isEqualTo(StateStore.Availability.UNAVAILABLE);
            assertThat(r.completion(ask()).text()).isEqualTo("ok");
        }
    }

    private static Router router(RedisStateStore store) {
        return Fleet.router(store).budget(Budget.global().limitUsd("2").period(BudgetPeriod.DAILY).build())
                .deployment(deployment("d", oneTokenReplies("ok"), Fleet.DOLLAR_PER_TOKEN).build()).build();
    }
}
