package io.llmrouter.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the router's response cache keeps its entries: opaque byte values under opaque keys, with
 * an expiry, plus (for the semantic cache) small bounded lists of candidate records per scope. The
 * router makes the keys (a namespace and a SHA-256 hex digest: never a request's text, an API key,
 * a credential or a header) and the values (a versioned JSON envelope of the answer, which holds
 * no secret either); a backend only stores them. Built in: an in-memory Caffeine backend in
 * router-core (the default) and {@code io.llmrouter.redis.RedisResponseCache} for a fleet.
 *
 * <p>Every method returns at once; the futures complete on the backend's thread. A backend should
 * complete a failed read with {@link Optional#empty()} (a miss) rather than exceptionally; the
 * router treats an exceptional read as a miss and ignores a failed write either way. Implementations
 * must be thread-safe.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(gpt4o)
 *     .cache(CachePolicy.builder().backend(RedisResponseCache.on(store).build()).build())
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public interface ResponseCache {

    /**
     * The value stored under {@code key}, if present and not expired.
     *
     * @param key the key (ASCII, at most 200 characters)
     * @return the value, or empty for a miss
     */
    CompletableFuture<Optional<byte[]>> get(String key);

    /**
     * Stores {@code value} under {@code key} for {@code ttl}, replacing any value there.
     *
     * @param key the key (ASCII, at most 200 characters)
     * @param value the value; the router does not change the array afterwards
     * @param ttl how long the entry lives, positive
     * @return completes when stored (or failed)
     */
    CompletableFuture<Void> put(String key, byte[] value, Duration ttl);

    /**
     * The semantic cache's candidate records of {@code scope}, newest first. The default keeps
     * none (a backend without a semantic index).
     *
     * @param scope the scope (ASCII: a model group's and parameters' digest)
     * @return the candidates, at most the bound given to {@link #addCandidate}
     */
    default CompletableFuture<List<byte[]>> candidates(String scope) {
        return CompletableFuture.completedFuture(List.of());
    }

    /**
     * Adds a candidate record to {@code scope}, keeping only the newest {@code maxCandidates};
     * the scope expires {@code ttl} after its last addition. The default drops it.
     *
     * @param scope the scope
     * @param candidate the record (an embedding vector and the key of its entry)
     * @param maxCandidates how many the scope keeps, positive
     * @param ttl how long the scope lives after this addition
     * @return completes when stored (or failed)
     */
    default CompletableFuture<Void> addCandidate(String scope, byte[] candidate, int maxCandidates, Duration ttl) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * What the backend is, for the router's description of itself (never a secret).
     *
     * @return e.g. {@code in-memory (Caffeine, 10000 entries)}
     */
    default String description() {
        return getClass().getSimpleName();
    }
}
