package io.llmrouter.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.llmrouter.spi.ResponseCache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The response cache's default backend: Caffeine in memory, bounded by entries or by the bytes of
 * the values, each entry expiring after its own ttl on the router's clock. The semantic index is a
 * bounded list per scope (at most 10,000 scopes, each at most its bound). Every call completes at
 * once, on the caller's thread; eviction runs there too (no pool thread).
 *
 * <p>Internal: not API, may change in any release.
 */
public final class CaffeineResponseCache implements ResponseCache {

    /** How many semantic scopes (model group and parameters) are kept. */
    static final int MAX_SCOPES = 10_000;

    private record Stored(byte[] value, long ttlNanos) {
    }

    private static final CompletableFuture<Optional<byte[]>> MISS = CompletableFuture.completedFuture(Optional.empty());
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Cache<String, Stored> entries;
    private final Cache<String, Deque<byte[]>> scopes;
    private final String description;

    /**
     * @param maxEntries the bound on entries (used when {@code maxWeightBytes} is 0)
     * @param maxWeightBytes the bound on the values' bytes, or 0
     * @param clock the router's clock (expiry follows it, so virtual time expires entries)
     */
    public CaffeineResponseCache(long maxEntries, long maxWeightBytes, Clock clock) {
        Caffeine<Object, Object> b = Caffeine.newBuilder().executor(Runnable::run)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()));
        Expiry<String, Stored> expiry = new Expiry<>() {
            @Override
            public long expireAfterCreate(String key, Stored value, long currentTime) {
                return value.ttlNanos;
            }

            @Override
            public long expireAfterUpdate(String key, Stored value, long currentTime, long currentDuration) {
                return value.ttlNanos;
            }

            @Override
            public long expireAfterRead(String key, Stored value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        };
        this.entries = maxWeightBytes > 0
                ? b.maximumWeight(maxWeightBytes).weigher((String k, Stored v) -> k.length() + v.value.length + 48)
                        .expireAfter(expiry).build()
                : b.maximumSize(maxEntries).expireAfter(expiry).build();
        this.scopes = Caffeine.newBuilder().executor(Runnable::run).maximumSize(MAX_SCOPES)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).<String, Deque<byte[]>>build();
        this.description = "in-memory (Caffeine, " + (maxWeightBytes > 0 ? maxWeightBytes + " bytes"
                : maxEntries + " entries") + ")";
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(String key) {
        Stored s = entries.getIfPresent(key);
        return s == null ? MISS : CompletableFuture.completedFuture(Optional.of(s.value));
    }

    @Override
    public CompletableFuture<Void> put(String key, byte[] value, Duration ttl) {
        entries.put(key, new Stored(value, Math.max(1, ttl.toNanos())));
        return DONE;
    }

    @Override
    public CompletableFuture<List<byte[]>> candidates(String scope) {
        Deque<byte[]> d = scopes.getIfPresent(scope);
        if (d == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        synchronized (d) {
            return CompletableFuture.completedFuture(new ArrayList<>(d));
        }
    }

    @Override
    public CompletableFuture<Void> addCandidate(String scope, byte[] candidate, int maxCandidates, Duration ttl) {
        Deque<byte[]> d = scopes.get(scope, k -> new ArrayDeque<>());
        synchronized (d) {
            d.addFirst(candidate);
            while (d.size() > maxCandidates) {
                d.removeLast();
            }
        }
        return DONE;
    }

    /** Runs pending evictions (tests: the bound is then exact). */
    void cleanUp() {
        entries.cleanUp();
    }

    /** The entries held now. */
    long size() {
        return entries.estimatedSize();
    }

    @Override
    public String description() {
        return description;
    }
}
