package io.llmrouter.litellm.internal;

import java.time.Duration;

/**
 * A config's response cache ({@code litellm_settings.cache} with {@code cache_params}, or
 * {@code router_settings.cache_responses}).
 *
 * @param redis the Redis server of a {@code redis} or {@code redis-semantic} cache, null in memory
 * @param ttl how long entries live, or null for the policy's default
 * @param namespace the key namespace, or null
 * @param semanticGroup the embedding model group of a semantic cache, or null
 * @param similarityThreshold the semantic cache's threshold, or null for the default
 */
record CacheConfig(RedisConfig redis, Duration ttl, String namespace, String semanticGroup,
        Double similarityThreshold) {
}
