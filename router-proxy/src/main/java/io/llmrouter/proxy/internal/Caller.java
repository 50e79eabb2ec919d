package io.llmrouter.proxy.internal;

import io.llmrouter.proxy.store.VirtualKey;

/**
 * Who made a request: the master key (key is null) or a virtual key.
 *
 * @param key the virtual key, or null for the master key
 */
record Caller(VirtualKey key) {

    static final Caller MASTER = new Caller(null);

    boolean isMaster() {
        return key == null;
    }

    /** Whether the caller may use {@code model}: the master key and keys without a list may use every model. */
    boolean allows(String model) {
        return key == null || key.models().isEmpty() || key.models().contains(model);
    }
}
