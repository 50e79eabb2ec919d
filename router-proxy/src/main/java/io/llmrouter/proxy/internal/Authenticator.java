package io.llmrouter.proxy.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.llmrouter.api.Secret;
import io.llmrouter.proxy.store.ApiKeys;
import io.llmrouter.proxy.store.KeyStore;
import io.llmrouter.proxy.store.VirtualKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads the caller's key from {@code Authorization: Bearer}, {@code x-api-key} or {@code api-key}
 * and resolves it: the master key (compared in constant time), else a virtual key looked up by its
 * hash. Messages name keys only by their masked form.
 *
 * <p>A virtual key found in the store is kept for {@link #KEY_CACHE_TTL} (by its hash, never the
 * key), so a request does not wait for a database connection: under 64 concurrent clients the
 * store's pool was the proxy's main queue. Changes made through this proxy's admin API apply at
 * once ({@link #forget}); changes made through another proxy sharing the database apply within
 * that time.
 */
final class Authenticator {

    /** How long a verified virtual key is reused without reading the store again. */
    static final Duration KEY_CACHE_TTL = Duration.ofSeconds(1);
    private static final int KEY_CACHE_SIZE = 10_000;

    private final byte[] masterKey;
    private final KeyStore keys;
    private final KeyBudgets budgets;
    private final Clock clock;
    private final Cache<String, VirtualKey> found;

    Authenticator(Secret masterKey, KeyStore keys, KeyBudgets budgets, Clock clock) {
        this.masterKey = masterKey.reveal().getBytes(StandardCharsets.UTF_8);
        this.keys = keys;
        this.budgets = budgets;
        this.clock = clock;
        this.found = Caffeine.newBuilder()
                .maximumSize(KEY_CACHE_SIZE)
                .expireAfterWrite(KEY_CACHE_TTL)
                .build();
    }

    /** Drops the cached copy of a key that was created, changed or deleted here. */
    void forget(String tokenHash) {
        found.invalidate(tokenHash);
    }

    /** The presented key, if any. */
    static Optional<String> presentedKey(String authorization, String xApiKey, String apiKey) {
        if (authorization != null) {
            String a = authorization.strip();
            if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String k = a.substring(7).strip();
                return k.isEmpty() ? Optional.empty() : Optional.of(k);
            }
            return a.isEmpty() ? Optional.empty() : Optional.of(a);
        }
        if (xApiKey != null && !xApiKey.isBlank()) {
            return Optional.of(xApiKey.strip());
        }
        if (apiKey != null && !apiKey.isBlank()) {
            return Optional.of(apiKey.strip());
        }
        return Optional.empty();
    }

    boolean isMaster(String presented) {
        return MessageDigest.isEqual(masterKey, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The master key only (admin routes). */
    void requireMaster(Optional<String> presented) {
        if (presented.isEmpty()) {
            throw ProxyError.unauthorized("missing API key: send the master key as 'Authorization: Bearer sk-...'");
        }
        if (!isMaster(presented.get())) {
            throw ProxyError.unauthorized("this route needs the master key");
        }
    }

    /** The master key or a valid virtual key. */
    Caller authenticate(Optional<String> presented) {
        if (presented.isEmpty()) {
            throw ProxyError.unauthorized("missing API key: send it as 'Authorization: Bearer sk-...'");
        }
        String k = presented.get();
        if (isMaster(k)) {
            return Caller.MASTER;
        }
        if (!k.startsWith(ApiKeys.PREFIX)) {
            throw ProxyError.unauthorized("invalid API key");
        }
        String hash = ApiKeys.hash(k);
        VirtualKey key = found.getIfPresent(hash);
        if (key == null) {
            key = keys.find(hash)
                    .orElseThrow(() -> ProxyError.unauthorized("invalid API key: " + ApiKeys.mask(k)));
        }
        Instant now = clock.instant();
        if (key.blocked()) {
            throw ProxyError.unauthorized("API key " + key.keyName() + " is blocked");
        }
        if (key.isExpired(now)) {
            throw ProxyError.unauthorized("API key " + key.keyName() + " expired at "
                    + key.expires().map(Instant::toString).orElse("?"));
        }
        VirtualKey current = budgets.rollOver(key, now);
        found.put(hash, current);
        return new Caller(current);
    }
}
