package io.llmrouter.proxy.internal;

import io.llmrouter.api.Secret;
import io.llmrouter.proxy.store.ApiKeys;
import io.llmrouter.proxy.store.KeyStore;
import io.llmrouter.proxy.store.VirtualKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads the caller's key from {@code Authorization: Bearer}, {@code x-api-key} or {@code api-key}
 * and resolves it: the master key (compared in constant time), else a virtual key looked up by its
 * hash. Messages name keys only by their masked form.
 */
final class Authenticator {

    private final byte[] masterKey;
    private final KeyStore keys;
    private final KeyBudgets budgets;
    private final Clock clock;

    Authenticator(Secret masterKey, KeyStore keys, KeyBudgets budgets, Clock clock) {
        this.masterKey = masterKey.reveal().getBytes(StandardCharsets.UTF_8);
        this.keys = keys;
        this.budgets = budgets;
        this.clock = clock;
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
        VirtualKey key = keys.find(ApiKeys.hash(k))
                .orElseThrow(() -> ProxyError.unauthorized("invalid API key: " + ApiKeys.mask(k)));
        Instant now = clock.instant();
        if (key.blocked()) {
            throw ProxyError.unauthorized("API key " + key.keyName() + " is blocked");
        }
        if (key.isExpired(now)) {
            throw ProxyError.unauthorized("API key " + key.keyName() + " expired at "
                    + key.expires().map(Instant::toString).orElse("?"));
        }
        return new Caller(budgets.rollOver(key, now));
    }
}
