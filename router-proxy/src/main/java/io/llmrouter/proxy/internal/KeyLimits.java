package io.llmrouter.proxy.internal;

import io.llmrouter.proxy.store.VirtualKey;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each virtual key's rpm and tpm limits, counted per calendar minute by this proxy (not shared
 * with other proxies: see src-docs/proxy.md). A request is refused when the key already made
 * {@code rpm_limit} requests this minute, or its calls this minute used {@code tpm_limit} tokens.
 */
final class KeyLimits {

    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    KeyLimits(Clock clock) {
        this.clock = clock;
    }

    private static final class Window {
        long minute;
        long requests;
        long tokens;

        void roll(long now) {
            if (now != minute) {
                minute = now;
                requests = 0;
                tokens = 0;
            }
        }
    }

    /** Counts a request of {@code key}, or throws a 429 when over its rpm or tpm this minute. */
    void acquire(VirtualKey key) {
        if (key.rpmLimit().isEmpty() && key.tpmLimit().isEmpty()) {
            return;
        }
        long millis = clock.millis();
        long minute = millis / 60_000;
        Window w = windows.computeIfAbsent(key.tokenHash(), h -> new Window());
        synchronized (w) {
            w.roll(minute);
            if (key.rpmLimit().isPresent() && w.requests >= key.rpmLimit().getAsLong()) {
                throw ProxyError.rateLimited("API key " + key.keyName() + " is over its rpm limit of "
                        + key.rpmLimit().getAsLong(), Duration.ofMillis((minute + 1) * 60_000 - millis));
            }
            if (key.tpmLimit().isPresent() && w.tokens >= key.tpmLimit().getAsLong()) {
                throw ProxyError.rateLimited("API key " + key.keyName() + " is over its tpm limit of "
                        + key.tpmLimit().getAsLong(), Duration.ofMillis((minute + 1) * 60_000 - millis));
            }
            w.requests++;
        }
    }

    /** Adds a finished call's tokens to its key's minute. */
    void addTokens(VirtualKey key, long tokens) {
        if (key.tpmLimit().isEmpty() || tokens <= 0) {
            return;
        }
        Window w = windows.computeIfAbsent(key.tokenHash(), h -> new Window());
        synchronized (w) {
            w.roll(clock.millis() / 60_000);
            w.tokens += tokens;
        }
    }

    void forget(String tokenHash) {
        windows.remove(tokenHash);
    }
}
