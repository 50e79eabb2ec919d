package io.llmrouter.litellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.testing.FakeProvider;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Redis and cache settings: {@code router_settings.redis_*}, {@code litellm_settings.cache} with
 * {@code cache_params}, {@code router_settings.cache_responses}. Redis is a closed loopback port
 * here (the clients are built in their outage mode); what is checked is what the router is given,
 * who closes it, and that the password never shows.
 */
class LiteLlmRedisAndCacheTest {

    private static final String PASSWORD = "redis-pw-DO-NOT-LEAK-42";
    private static final String KEY = "sk-live-DO-NOT-LEAK-1234";

    private final Map<String, String> env = new HashMap<>(Map.of("REDIS_HOST", "127.0.0.1",
            "REDIS_PASSWORD", PASSWORD, "OPENAI_API_KEY", KEY, "AZURE_API_KEY_EU", KEY, "AZURE_API_KEY_CA", KEY,
            "AZURE_API_KEY_FR", KEY));

    LiteLlmRedisAndCacheTest() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            env.put("REDIS_PORT", String.valueOf(s.getLocalPort())); // closed once the socket is
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(LiteLlmRedisAndCacheTest.class.getResource("/litellm/" + name).toURI());
    }

    private static JsonNode describe(Router router) throws Exception {
        return new ObjectMapper().readTree(router.describe().toJson());
    }

    private LiteLlmConfig yaml(String text) {
        return LiteLlmConfig.load(new StringReader(text), env);
    }

    private static long redisThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("llmrouter-redis-")).count();
    }

    @Test
    void theLoadBalancingExampleSharesStateInRedisAndTheRouterClosesTheClient() throws Exception {
        LiteLlmConfig config = LiteLlmConfig.load(resource("load-balancing.yaml"), env);
        assertThat(config.notes()).extracting(ConfigNote::key).noneMatch(k -> k.contains("redis"));
        long before = redisThreads();

        Router router = config.routerBuilder().build();
        JsonNode settings = describe(router).path("settings");
        assertThat(settings.path("state_store").path("value").asText())
                .startsWith("RedisStateStore[127.0.0.1:" + env.get("REDIS_PORT") + " db 0");
        assertThat(redisThreads()).as("the store's keeper thread").isEqualTo(before + 1);
        assertThat(router.describe().toJson() + router.describe().toMarkdown() + config + config.notes())
                .doesNotContain(PASSWORD).doesNotContain(KEY);

        router.close();
        assertThat(redisThreads()).as("closed with the router").isEqualTo(before);
    }

    @Test
    void aRedisUrlWinsOverHostAndPortAndItsPasswordNeverShows() throws Exception {
        env.put("REDIS_URL", "redis://app:" + PASSWORD + "@127.0.0.1:" + env.get("REDIS_PORT") + "/3");
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o}
                router_settings:
                  redis_url: os.environ/REDIS_URL
                  redis_host: elsewhere.invalid
                """);
        try (Router router = config.routerBuilder().build()) {
            assertThat(describe(router).path("settings").path("state_store").path("value").asText())
                    .startsWith("RedisStateStore[127.0.0.1:" + env.get("REDIS_PORT") + " db 3");
            assertThat(router.describe().toJson()).doesNotContain(PASSWORD);
        }
    }

    @Test
    void aBadRedisUrlNamesTheKeyButNeverTheUrl() {
        env.put("REDIS_URL", "http://user:" + PASSWORD + "@host");
        assertThatThrownBy(() -> yaml("router_settings:\n  redis_url: os.environ/REDIS_URL\n"))
                .isInstanceOf(LiteLlmConfigException.class)
                .hasMessage("config.yaml:2: router_settings.redis_url: expected a redis:// or rediss:// URL with a host")
                .message().doesNotContain(PASSWORD);
    }

    @Test
    void theCachingExampleCachesInRedisWithItsTtlAndNamespaceAndTheRouterClosesBothClients() throws Exception {
        LiteLlmConfig config = LiteLlmConfig.load(resource("caching.yaml"), env);
        assertThat(config.notes()).extracting(ConfigNote::key).containsExactlyInAnyOrder(
                "litellm_settings.set_verbose", "litellm_settings.cache_params.supported_call_types");
        long before = redisThreads();

        Router router = config.routerBuilder().build();
        JsonNode cache = describe(router).path("cache");
        assertThat(cache.path("enabled").asBoolean()).isTrue();
        assertThat(cache.path("backend").asText()).containsIgnoringCase("redis");
        assertThat(cache.path("ttl").asText()).isEqualTo("PT10M");
        assertThat(cache.path("namespace").asText()).isEqualTo("litellm.caching.caching");
        assertThat(describe(router).path("settings").path("state_store").path("value").asText())
                .startsWith("RedisStateStore[");
        assertThat(redisThreads()).as("one client for the store and the cache: same server").isEqualTo(before + 1);
        assertThat(router.describe().toJson()).doesNotContain(PASSWORD);

        router.close();
        assertThat(redisThreads()).isEqualTo(before);
    }

    @Test
    void aLocalCacheIsTheRoutersInMemoryCacheAndServesARepeatedRequest() throws Exception {
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o}
                litellm_settings:
                  cache: true
                  cache_params: {type: local, ttl: 30}
                """);
        FakeProvider fake = FakeProvider.replying("cached?");
        try (Router router = config.routerBuilder().provider("openai", fake).build()) {
            assertThat(describe(router).path("cache").path("ttl").asText()).isEqualTo("PT30S");
            ChatResponse first = router.completion(ChatRequest.ofUser("a", "hi"));
            ChatResponse again = router.completion(ChatRequest.ofUser("a", "hi"));
            assertThat(again.text()).isEqualTo(first.text());
            assertThat(again.cache()).isPresent();
            assertThat(fake.callCount()).isEqualTo(1);
        }
    }

    @Test
    void cacheResponsesWithoutParamsCachesInMemoryAndRouterSettingsWin() throws Exception {
        LiteLlmConfig on = yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o}
                router_settings:
                  cache_responses: true
                """);
        try (Router router = on.routerBuilder().build()) {
            assertThat(describe(router).path("cache").path("enabled").asBoolean()).isTrue();
            assertThat(describe(router).path("cache").path("backend").asText()).doesNotContainIgnoringCase("redis");
        }
        LiteLlmConfig off = yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o}
                litellm_settings:
                  cache: true
                router_settings:
                  cache_responses: false
                """);
        try (Router router = off.routerBuilder().build()) {
            assertThat(describe(router).path("cache").path("enabled").asBoolean()).isFalse();
        }
    }

    @Test
    void aRedisSemanticCacheUsesTheEmbeddingGroupAndThreshold() throws Exception {
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: gpt-4o
                    litellm_params: {model: openai/gpt-4o}
                  - model_name: embed
                    litellm_params: {model: openai/text-embedding-3-small}
                litellm_settings:
                  cache: true
                  cache_params:
                    type: redis-semantic
                    host: os.environ/REDIS_HOST
                    port: os.environ/REDIS_PORT
                    similarity_threshold: 0.8
                    redis_semantic_cache_embedding_model: embed
                """);
        try (Router router = config.routerBuilder().build()) {
            JsonNode cache = describe(router).path("cache");
            assertThat(cache.path("semantic_group").asText()).isEqualTo("embed");
            assertThat(cache.path("semantic_threshold").asDouble()).isEqualTo(0.8);
            assertThat(cache.path("backend").asText()).containsIgnoringCase("redis");
        }
    }

    @Test
    void cacheTypesTheLibraryLacksLeaveCachingOffWithANoteAndUnknownOnesFail() throws Exception {
        LiteLlmConfig s3 = yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o}
                litellm_settings:
                  cache: true
                  cache_params: {type: s3, s3_bucket_name: cache-bucket}
                """);
        assertThat(s3.notes()).extracting(ConfigNote::key).containsExactly(
                "litellm_settings.cache_params.s3_bucket_name", "litellm_settings.cache_params.type");
        try (Router router = s3.routerBuilder().build()) {
            assertThat(describe(router).path("cache").path("enabled").asBoolean()).isFalse();
        }
        assertThatThrownBy(() -> yaml("litellm_settings:\n  cache: true\n  cache_params:\n    type: memcached\n"))
                .hasMessageStartingWith("config.yaml:4: litellm_settings.cache_params.type: unknown cache type");
        assertThatThrownBy(() -> yaml("litellm_settings:\n  cache_params:\n    tll: 5\n"))
                .hasMessage("config.yaml:3: litellm_settings.cache_params.tll: unknown key");
    }

    @Test
    void aRedisCacheWithoutAnyServerFailsNamingTheKey() {
        env.remove("REDIS_HOST");
        assertThatThrownBy(() -> yaml("""
                litellm_settings:
                  cache: true
                  cache_params:
                    type: redis
                """)).isInstanceOf(LiteLlmConfigException.class)
                .hasMessageStartingWith("config.yaml:4: litellm_settings.cache_params: a Redis cache needs a server");
    }

    @Test
    void modelGroupRetryPolicyGivesEachGroupItsOwnCounts() throws Exception {
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: gpt-3.5-turbo
                    litellm_params: {model: openai/gpt-3.5-turbo}
                  - model_name: gpt-4o
                    litellm_params: {model: openai/gpt-4o}
                router_settings:
                  retry_policy: {"RateLimitErrorRetries": 3}
                  model_group_retry_policy:
                    gpt-3.5-turbo:
                      RateLimitErrorRetries: 0
                      TimeoutErrorRetries: 1
                """);
        FakeProvider fake = FakeProvider.failingWith(429);
        try (Router router = config.routerBuilder().provider("openai", fake)
                .retryPolicy(r -> r.backoff(java.time.Duration.ZERO, java.time.Duration.ZERO))
                .cooldownPolicy(c -> c.cooldownTime(java.time.Duration.ZERO)).build()) {
            JsonNode groups = describe(router).path("model_groups");
            assertThat(groups.get(0).path("retry_policy").asText()).isEqualTo("RetryPolicy{RATE_LIMIT=0, TIMEOUT=1}");
            assertThat(groups.get(1).has("retry_policy")).isFalse();
            assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("gpt-3.5-turbo", "hi")));
            assertThat(fake.callCount()).as("no retry for the group's rate limits").isEqualTo(1);
        }
        assertThat(config.notes()).isEmpty();
    }

    @Test
    void withARealRedisARepeatedRequestIsServedFromTheRedisCache() throws Exception {
        String port = System.getenv("LLMROUTER_REDIS_PORT"); // .ci/run starts redis-server and sets it
        org.junit.jupiter.api.Assumptions.assumeTrue(port != null && !port.isBlank(), "no Redis: LLMROUTER_REDIS_PORT unset");
        env.put("REDIS_PORT", port);
        env.remove("REDIS_PASSWORD");
        LiteLlmConfig config = yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o}
                router_settings:
                  redis_host: os.environ/REDIS_HOST
                  redis_port: os.environ/REDIS_PORT
                  cache_responses: true
                litellm_settings:
                  cache_params: {namespace: "yaml-test-%d"}
                """.formatted(System.nanoTime()));
        FakeProvider fake = FakeProvider.replying("from redis?");
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", Integer.parseInt(port)));
        try (StatefulRedisConnection<String, String> admin = client.connect();
                StatefulRedisPubSubConnection<String, String> events = client.connectPubSub();
                Router router = config.routerBuilder().provider("openai", fake).build()) {
            // The cache stores the answer after returning it: wait for Redis to report the entry's SET
            // (a keyspace notification on this test's own redis-server) instead of polling for it.
            String notify = admin.sync().configGet("notify-keyspace-events").getOrDefault("notify-keyspace-events", "");
            admin.sync().configSet("notify-keyspace-events", "K$");
            try {
                CountDownLatch stored = new CountDownLatch(1);
                events.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String pattern, String channel, String message) {
                        if (channel.contains(":cache:") && message.equals("set")) {
                            stored.countDown();
                        }
                    }
                });
                events.sync().psubscribe("__keyspace@*__:*:cache:*");

                router.completion(ChatRequest.ofUser("a", "hi"));
                assertThat(stored.await(10, TimeUnit.SECONDS)).as("the answer was stored in Redis").isTrue();
                ChatResponse again = router.completion(ChatRequest.ofUser("a", "hi"));

                assertThat(again.cache()).as("served from Redis").isPresent();
                assertThat(fake.callCount()).isEqualTo(1);
                assertThat(describe(router).path("cache").path("backend").asText()).containsIgnoringCase("redis");
            } finally {
                admin.sync().configSet("notify-keyspace-events", notify);
            }
        } finally {
            client.shutdown();
        }
    }
}
