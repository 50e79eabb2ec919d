package io.llmrouter.proxy.store;

import java.util.Optional;
import java.util.UUID;

/** The contract on an in-memory H2 database in PostgreSQL mode (what tests of other modules use). */
class H2MemoryProxyStoreTest extends ProxyStoreContractTest {

    private final String name = "proxy-" + UUID.randomUUID();

    @Override
    StoreSettings.Builder database() {
        // DB_CLOSE_DELAY=-1: the database outlives its connections, so a reopened store finds it.
        return StoreSettings.builder().jdbcUrl("jdbc:h2:mem:" + name
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    }

    @Override
    Optional<String> password() {
        return Optional.empty();
    }

    @Override
    Optional<StoreSettings> wrongPassword() {
        return Optional.empty();
    }
}
