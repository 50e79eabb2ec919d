package io.llmrouter.litellm.internal;

import io.llmrouter.CachePolicy;
import io.llmrouter.Router;
import io.llmrouter.redis.RedisResponseCache;
import io.llmrouter.redis.RedisStateStore;

/**
 * The one class that names router-redis types, loaded only when {@link #isPresent()} (router-redis
 * is an optional dependency of router-litellm).
 */
final class RedisSupport {

    private RedisSupport() {
    }

    /** Whether router-redis can be loaded (on the module path it must be resolved too, e.g. --add-modules). */
    static boolean isPresent() {
        try {
            Class.forName("io.llmrouter.redis.RedisStateStore", false, RedisSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Gives {@code builder} a {@link RedisStateStore} on {@code state} (when not null) and, when
     * {@code cache} is not null, a {@link RedisResponseCache} backend on {@code cachePolicy} (on
     * the same client when it is the same server). The router built from {@code builder} owns and
     * closes every client made here ({@link Router.Builder#closeOnClose(AutoCloseable)}).
     */
    static void apply(Router.Builder builder, RedisConfig state, RedisConfig cache, CachePolicy.Builder cachePolicy) {
        RedisStateStore store = null;
        if (state != null) {
            store = store(state);
            builder.stateStore(store).closeOnClose(store);
        }
        if (cache != null && cachePolicy != null) {
            RedisStateStore base = store != null && cache.sameServer(state) ? store : null;
            if (base == null) {
                base = store(cache);
                builder.closeOnClose(base);
            }
            RedisResponseCache backend = RedisResponseCache.on(base).build();
            builder.closeOnClose(backend);
            cachePolicy.backend(backend);
        }
    }

    /** A store on {@code config}'s server; it connects now or, when Redis is down, when it answers. */
    private static RedisStateStore store(RedisConfig config) {
        RedisStateStore.Builder b = RedisStateStore.builder().host(config.host()).port(config.port())
                .database(config.database());
        if (config.username() != null) {
            b.username(config.username());
        }
        config.passwordIfAny().ifPresent(b::password);
        if (config.tls()) {
            b.tls();
        }
        return b.build();
    }
}
