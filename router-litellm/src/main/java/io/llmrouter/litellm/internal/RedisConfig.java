package io.llmrouter.litellm.internal;

import io.llmrouter.api.Secret;
import java.util.Optional;

/**
 * Where a Redis server is, as a config names it ({@code router_settings.redis_*} or
 * {@code litellm_settings.cache_params}); the password stays a {@link Secret}.
 *
 * @param host the host
 * @param port the port
 * @param username the ACL user, or null
 * @param password the password, or null
 * @param database the database number
 * @param tls whether to connect with TLS ({@code rediss://})
 */
record RedisConfig(String host, int port, String username, Secret password, int database, boolean tls) {

    /** The default port: {@value}. */
    static final int DEFAULT_PORT = 6379;

    Optional<Secret> passwordIfAny() {
        return Optional.ofNullable(password);
    }

    /** Whether {@code other} is the same server and database (then one client serves both). */
    boolean sameServer(RedisConfig other) {
        return host.equals(other.host) && port == other.port && database == other.database && tls == other.tls;
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + host + ":" + port + "/" + database
                + (password != null ? " (password set)" : "");
    }
}
