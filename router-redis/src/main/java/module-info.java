/**
 * {@link io.llmrouter.redis.RedisStateStore}: the {@link io.llmrouter.spi.StateStore} a fleet of
 * routers shares on Redis, through Lettuce. No Lettuce type appears in its API, so Lettuce is read
 * but not re-exported.
 *
 * @since 0.1.0
 */
module io.llmrouter.redis {
    requires transitive io.llmrouter.core;
    requires lettuce.core;
    requires org.slf4j;

    exports io.llmrouter.redis;
}
