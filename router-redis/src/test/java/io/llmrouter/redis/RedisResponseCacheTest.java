package io.llmrouter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.llmrouter.CachePolicy;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.testing.FakeProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis response cache on a real redis-server: shared by routers, compressed, expiring, secret-free. */
class RedisResponseCacheTest {

    private static final String API_KEY = "sk-redis-cache-secret-987654321";

    private static RedisServer redis;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final String prefix = RedisServer.uniquePrefix();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.shared();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private RedisResponseCache cache(RedisResponseCache.Builder b) throws InterruptedException {
        RedisResponseCache c = b.build();
        assertThat(Fleet.eventually(Duration.ofSeconds(10), c::isConnected)).as("connected to Redis").isTrue();
        return c;
    }

    private RedisStateStore store() {
        RedisStateStore s = redis.store(prefix).build();
        closing.add(s);
        return s;
    }

    private Router router(RedisStateStore store, RedisResponseCache cache, Provider provider) {
        Router r = Router.builder().stateStore(store)
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("d1").apiKey(Secret.of(API_KEY))
                        .provider(provider).build())
                .cache(CachePolicy.builder().backend(cache).ttl(Duration.ofMinutes(5)).build())
                .build();
        closing.add(r);
        return r;
    }

    @Test
    void givenTwoRoutersOnOneRedis_whenSecondAsksWhatFirstAsked_thenHitWithoutProviderCall() throws Exception {
        RedisStateStore storeA = store();
        RedisStateStore storeB = store();
        RedisResponseCache cacheA = cache(RedisResponseCache.on(storeA));
        closing.add(cacheA);
        RedisResponseCache cacheB = cache(RedisResponseCache.on(storeB));
        closing.add(cacheB);
        FakeProvider a = FakeProvider.replying("Paris");
        FakeProvider b = FakeProvider.replying("unused");

        router(storeA, cacheA, a).completion(ChatRequest.ofUser("gpt-4o", "capital of France?"));
        ChatResponse fromB = awaitHit(router(storeB, cacheB, b), ChatRequest.ofUser("gpt-4o", "capital of France?"),
                "chat:*");

        assertThat(fromB.text()).isEqualTo("Paris");
        assertThat(fromB.cache()).isPresent();
        assertThat(b.callCount()).isZero();
    }

    /** The write is asynchronous: waits until {@code pattern}'s keys are in Redis, then asks once. */
    private ChatResponse awaitHit(Router router, ChatRequest request, String pattern) throws InterruptedException {
        try (RedisClient raw = RedisClient.create("redis://127.0.0.1:" + redis.port());
                StatefulRedisConnection<byte[], byte[]> c = raw.connect(ByteArrayCodec.INSTANCE)) {
            assertThat(Fleet.eventually(Duration.ofSeconds(10), () -> !keys(c, prefix + ":cache:" + pattern).isEmpty()))
                    .as("the first router's answer reached Redis").isTrue();
        }
        return router.completion(request);
    }

    @Test
    void givenLargeAnswer_whenStored_thenDeflatedUnderThePrefixWithTheTtlAsExpiry() throws Exception {
        RedisStateStore store = store();
        RedisResponseCache cache = cache(RedisResponseCache.on(store).compressAboveBytes(256));
        closing.add(cache);
        String big = "All work and no play makes Jack a dull boy. ".repeat(200);
        Router router = router(store, cache, FakeProvider.replying(big));

        router.completion(ChatRequest.ofUser("gpt-4o", "write it"));
        ChatResponse again = awaitHit(router, ChatRequest.ofUser("gpt-4o", "write it"), "chat:*");

        assertThat(again.text()).isEqualTo(big);
        try (RedisClient raw = RedisClient.create("redis://127.0.0.1:" + redis.port());
                StatefulRedisConnection<byte[], byte[]> c = raw.connect(ByteArrayCodec.INSTANCE)) {
            List<byte[]> keys = keys(c, prefix + ":cache:*");
            assertThat(keys).singleElement().satisfies(k -> {
                String name = new String(k, StandardCharsets.UTF_8);
                assertThat(name).matches(prefix + ":cache:chat:[0-9a-f]{64}");
                byte[] value = c.sync().get(k);
                assertThat(value[0]).isEqualTo((byte) 1);
                assertThat(value.length).isLessThan(big.length() / 4);
                assertThat(c.sync().pttl(k)).isBetween(Duration.ofMinutes(4).toMillis(), Duration.ofMinutes(5).toMillis());
            });
        }
    }

    @Test
    void noSecretInAnyKeyOrValueInRedis() throws Exception {
        RedisStateStore store = store();
        RedisResponseCache cache = cache(RedisResponseCache.on(store).compressAboveBytes(Integer.MAX_VALUE));
        closing.add(cache);
        TopicEmbeddings embedder = new TopicEmbeddings();
        Router router = Router.builder().stateStore(store)
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("d1").apiKey(Secret.of(API_KEY))
                        .provider(FakeProvider.replying("about France: Paris")).build())
                .deployment(Deployment.builder("embed", "topics/embed").id("e").apiKey(Secret.of(API_KEY))
                        .provider(embedder).build())
                .provider("topics", embedder)
                .cache(CachePolicy.builder().backend(cache).semantic("embed").semanticThreshold(0.9).build())
                .build();
        closing.add(router);

        router.completion(ChatRequest.builder("gpt-4o").addMessage(io.llmrouter.api.chat.Message.user("France?"))
                .user("alice").build());
        ChatResponse semantic = awaitHit(router, ChatRequest.ofUser("gpt-4o", "tell me about FRANCE"), "sem:*");

        assertThat(semantic.cache()).get().satisfies(i -> assertThat(i.semantic()).isTrue());
        try (RedisClient raw = RedisClient.create("redis://127.0.0.1:" + redis.port());
                StatefulRedisConnection<byte[], byte[]> c = raw.connect(ByteArrayCodec.INSTANCE)) {
            List<byte[]> keys = keys(c, prefix + ":cache:*");
            assertThat(keys).hasSizeGreaterThanOrEqualTo(3); // chat entry, embedding entries, semantic scope
            List<String> everything = new ArrayList<>();
            for (byte[] k : keys) {
                everything.add(new String(k, StandardCharsets.UTF_8));
                String type = c.sync().type(k);
                if (type.equals("list")) {
                    c.sync().lrange(k, 0, -1).forEach(v -> everything.add(new String(v, StandardCharsets.UTF_8)));
                } else {
                    everything.add(new String(c.sync().get(k), StandardCharsets.UTF_8));
                }
            }
            assertThat(everything).isNotEmpty().noneSatisfy(s -> assertThat(s).contains("sk-redis"))
                    .noneSatisfy(s -> assertThat(s).contains("alice"));
        }
    }

    @Test
    void givenRedisUnreachable_whenAsked_thenMissesAndAnswersFromTheProvider() {
        RedisStateStore store = RedisStateStore.builder().port(1).keyPrefix(prefix)
                .commandTimeout(Duration.ofMillis(200)).build();
        closing.add(store);
        RedisResponseCache cache = RedisResponseCache.on(store).build();
        closing.add(cache);
        FakeProvider provider = FakeProvider.replying("ok");
        Router router = router(store, cache, provider);

        router.completion(ChatRequest.ofUser("gpt-4o", "q"));
        ChatResponse second = router.completion(ChatRequest.ofUser("gpt-4o", "q"));

        assertThat(second.text()).isEqualTo("ok");
        assertThat(provider.callCount()).isEqualTo(2);
    }

    @Test
    void packedValuesRoundTrip() throws Exception {
        RedisResponseCache cache = cache(RedisResponseCache.on(store()).compressAboveBytes(10));
        closing.add(cache);
        byte[] small = "tiny".getBytes(StandardCharsets.UTF_8);
        byte[] large = "x".repeat(10_000).getBytes(StandardCharsets.UTF_8);

        assertThat(RedisResponseCache.unpack(cache.pack(small))).isEqualTo(small);
        assertThat(cache.pack(large)).hasSizeLessThan(200);
        assertThat(RedisResponseCache.unpack(cache.pack(large))).isEqualTo(large);
        assertThat(RedisResponseCache.unpack(new byte[] {7, 1, 2})).isNull();
        assertThat(RedisResponseCache.unpack(new byte[] {1, 1, 2})).isNull();
    }

    private static List<byte[]> keys(StatefulRedisConnection<byte[], byte[]> c, String pattern) {
        List<byte[]> out = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<byte[]> page = c.sync().scan(cursor,
                    ScanArgs.Builder.matches(pattern.getBytes(StandardCharsets.UTF_8)).limit(500));
            out.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return out;
    }

    /** Embeds by topic: texts about France point one way, everything else another. */
    private static final class TopicEmbeddings implements Provider {
        @Override
        public String name() {
            return "topics";
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<EmbeddingResponse> embedAsync(EmbeddingCall call) {
            EmbeddingResponse.Builder b = EmbeddingResponse.builder().model("topic-embed");
            List<String> inputs = call.request().inputs();
            for (int i = 0; i < inputs.size(); i++) {
                boolean france = inputs.get(i).toLowerCase(Locale.ROOT).contains("france");
                b.addEmbedding(Embedding.of(i, france ? new float[] {1f, 0.05f, 0f} : new float[] {0f, 0f, 1f}));
            }
            return CompletableFuture.completedFuture(b.usage(Usage.of(3, 0)).build());
        }
    }
}
