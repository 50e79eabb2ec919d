package io.llmrouter.redis;

import io.llmrouter.spi.StateStore;
import io.llmrouter.spi.StateStoreContractTest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The Redis store passes the state store contract, on a real redis-server. */
class RedisStateStoreContractTest extends StateStoreContractTest {

    private static RedisServer redis;
    private final List<RedisStateStore> stores = new ArrayList<>();

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

    @Override
    protected StateStore newStore(Clock clock) {
        RedisStateStore s = redis.store(RedisServer.uniquePrefix()).clock(clock).build();
        stores.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        stores.forEach(RedisStateStore::close);
    }
}
