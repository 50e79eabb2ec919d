package io.llmrouter.proxy.store;

import io.llmrouter.proxy.internal.store.JdbcProxyStore;
import java.time.Duration;

/**
 * The proxy's database: virtual keys and the spend log, on PostgreSQL or the embedded default.
 *
 * <pre>{@code
 * try (ProxyStore store = ProxyStore.open(StoreSettings.builder()
 *         .jdbcUrl("jdbc:postgresql://db:5432/llmrouter").username("proxy").password(Secret.fromEnv("PG_PASSWORD"))
 *         .build())) {
 *     store.keys().insert(VirtualKey.builderFor(ApiKeys.generate()).build());
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface ProxyStore extends AutoCloseable {

    /**
     * Connects to the database of {@code settings} and applies the migrations it lacks.
     *
     * @param settings where and how
     * @return the open store
     * @throws StoreException naming the database kind and the cause (wrong password, unreachable
     *     host, failed migration), never the password
     */
    static ProxyStore open(StoreSettings settings) {
        return JdbcProxyStore.open(settings);
    }

    /** The virtual keys. */
    KeyStore keys();

    /** The spend log. */
    SpendLog spendLog();

    /**
     * Whether the database answers a {@code SELECT 1} within {@code timeout}. Never throws for a
     * database failure: that is a {@link StoreHealth#down} answer.
     *
     * @param timeout how long to wait, positive
     * @return up or down, with a message that holds no secret
     */
    StoreHealth health(Duration timeout);

    /** The database kind and its URL without any password, e.g. {@code PostgreSQL jdbc:postgresql://db:5432/llmrouter}. */
    String description();

    /** Closes the spend log (flushing it) and the connection pool. */
    @Override
    void close();
}
