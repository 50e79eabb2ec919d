package io.llmrouter.internal;

import io.llmrouter.Router;
import io.llmrouter.spi.StateStore;
import io.llmrouter.spi.StateStoreContractTest;
import java.time.Clock;

/** The in-memory store passes the state store contract. */
class InMemoryStateStoreTest extends StateStoreContractTest {

    @Override
    protected StateStore newStore(Clock clock) {
        return new InMemoryStateStore(Router.DEFAULT_MAX_SPEND_KEYS);
    }
}
