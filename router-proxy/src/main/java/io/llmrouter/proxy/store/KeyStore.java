package io.llmrouter.proxy.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The proxy's virtual keys, stored by the SHA-256 hash of the key.
 *
 * <pre>{@code
 * KeyStore keys = store.keys();
 * keys.insert(VirtualKey.builderFor(apiKey).keyAlias("ci").build());
 * Optional<VirtualKey> found = keys.find(ApiKeys.hash(apiKey));
 * keys.update(found.get().tokenHash(), k -> k.blocked(true));
 * }</pre>
 *
 * <p>Every method runs in its own transaction and may throw {@link StoreException} when the
 * database fails. Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface KeyStore {

    /**
     * Stores a new key.
     *
     * @param key the key
     * @throws DuplicateKeyException if a key with the same hash or alias exists
     * @throws StoreException if the database fails
     */
    void insert(VirtualKey key);

    /**
     * The key with this hash.
     *
     * @param tokenHash {@link ApiKeys#hash} of the key
     * @return the key, or empty
     */
    Optional<VirtualKey> find(String tokenHash);

    /**
     * The key with this alias.
     *
     * @param alias the alias
     * @return the key, or empty
     */
    Optional<VirtualKey> findByAlias(String alias);

    /**
     * Changes a key: reads it, applies {@code change} to its builder and writes the result, in one
     * transaction that locks the row, so concurrent updates do not lose each other's changes. The
     * store sets {@link VirtualKey#updatedAt()} to its clock's time. {@code change} may run more
     * than once if the transaction is retried; it should have no side effect.
     *
     * @param tokenHash the key's hash
     * @param change what to change
     * @return the key as written, or empty if there is no such key
     * @throws DuplicateKeyException if the new alias belongs to another key
     * @throws StoreException if the database fails
     */
    Optional<VirtualKey> update(String tokenHash, UnaryOperator<VirtualKey.Builder> change);

    /**
     * Deletes a key; its spend log rows stay.
     *
     * @param tokenHash the key's hash
     * @return whether a key was deleted
     */
    boolean delete(String tokenHash);

    /**
     * A page of keys, oldest first (then by hash).
     *
     * @param offset the keys to skip, not negative
     * @param limit the most to return, positive
     * @return the keys, possibly empty
     */
    List<VirtualKey> list(int offset, int limit);

    /**
     * Starts a new budget period: sets the key's spend to zero and its
     * {@link VirtualKey#budgetResetAt()} to {@code nextResetAt}. Does nothing if there is no such key.
     *
     * @param tokenHash the key's hash
     * @param nextResetAt when the new period ends
     */
    void resetSpend(String tokenHash, Instant nextResetAt);
}
