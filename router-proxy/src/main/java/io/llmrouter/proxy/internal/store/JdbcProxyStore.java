package io.llmrouter.proxy.internal.store;

import io.llmrouter.proxy.store.ProxyStore;
import io.llmrouter.proxy.store.StoreSettings;

/** The JDBC {@link ProxyStore}. */
public final class JdbcProxyStore {

    private JdbcProxyStore() {
    }

    /**
     * Opens the store.
     *
     * @param settings the settings
     * @return the store
     */
    public static ProxyStore open(StoreSettings settings) {
        throw new UnsupportedOperationException("the JDBC store is being written");
    }
}
