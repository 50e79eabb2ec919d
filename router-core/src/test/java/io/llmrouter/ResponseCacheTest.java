package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.CacheInfo;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.spi.CacheEvent;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ResponseCache;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {

    private static final String API_KEY = "sk-test-cache-secret-0123456789";

    private final VirtualTime time = VirtualTime.create();
    private final List<CacheEvent> hits = new CopyOnWriteArrayList<>();
    private final List<CacheEvent> misses = new CopyOnWriteArrayList<>();

    private final RouterListener events = new RouterListener() {
        @Override
        public void onCacheHit(CacheEvent event) {
            hits.add(event);
        }

        @Override
        public void onCacheMiss(CacheEvent event) {
            misses.add(event);
        }
    };

    private Router.Builder router(Provider provider, CachePolicy cache) {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).listener(events)
                .retryPolicy(r -> r.backoff(Duration.ZERO, Duration.ZERO))
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("d1").apiKey(Secret.of(API_KEY))
                        .provider(provider).build())
                .cache(cache);
    }

    private static ChatResponse answer(String text, FinishReason reason) {
        return ChatResponse.builder().id("chatcmpl-1").model("gpt-4o-2024-08-06")
                .addChoice(Choice.of(0, Message.assistant(text), reason)).usage(Usage.of(1000, 1000)).build();
    }

    @Test
    void givenCacheOn_whenSameRequestTwice_thenSecondIsAFreeHitWithoutProviderCall() {
        FakeProvider provider = FakeProvider.builder().usage(Usage.of(1000, 1000)).reply("Paris").build();
        try (Router router = router(provider, CachePolicy.builder().build()).build()) {
            ChatResponse first = router.completion(ChatRequest.ofUser("gpt-4o", "capital of France?"));
            time.advance(Duration.ofSeconds(30));
            ChatResponse second = router.completion(ChatRequest.ofUser("gpt-4o", "capital of France?"));

            assertThat(provider.callCount()).isEqualTo(1);
            assertThat(first.cache()).isEmpty();
            assertThat(second.text()).isEqualTo("Paris");
            assertThat(second.cache()).get().extracting(CacheInfo::age, CacheInfo::semantic)
                    .containsExactly(Duration.ofSeconds(30), false);
            assertThat(second.cost().totalUsd()).get().satisfies(t -> assertThat(t).isZero());
            BigDecimal firstCost = first.cost().totalUsd().orElseThrow();
            assertThat(firstCost).isPositive();
            assertThat(router.spend().total()).isEqualByComparingTo(firstCost);
            assertThat(router.spend().cacheHits()).isEqualTo(1);
            assertThat(router.spend().cacheSavedUsd()).isEqualByComparingTo(firstCost);
            assertThat(hits).singleElement().satisfies(e -> {
                assertThat(e.modelGroup()).isEqualTo("gpt-4o");
                assertThat(e.savedUsd()).isEqualByComparingTo(firstCost);
            });
            assertThat(misses).hasSize(1);
        }
    }

    @Test
    void givenRpmAndBudgetSpent_whenCachedRequestAskedAgain_thenServedWithoutChargingEither() {
        FakeProvider provider = FakeProvider.builder().usage(Usage.of(1000, 1000)).reply("ok").build();
        try (Router router = Router.builder().clock(time.clock()).scheduler(time.scheduler())
                .retryPolicy(r -> r.numRetries(0))
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("d1").rpm(1).provider(provider).build())
                .budget(io.llmrouter.budget.Budget.global().limitUsd("0.17").build())
                .cache(CachePolicy.builder().build()).build()) {
            router.completion(ChatRequest.ofUser("gpt-4o", "q"));
            BigDecimal spent = router.spend().total();
            ChatResponse again = router.completion(ChatRequest.ofUser("gpt-4o", "q"));

            assertThat(again.cache()).isPresent();
            assertThat(router.spend().total()).isEqualByComparingTo(spent);
            assertThat(provider.callCount()).isEqualTo(1);
            assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("gpt-4o", "another question")))
                    .isInstanceOf(io.llmrouter.api.exception.LlmRouterException.class);
        }
    }

    @Test
    void givenCacheOff_whenSameRequestTwice_thenProviderCalledTwice() {
        FakeProvider provider = FakeProvider.replying("Paris");
        try (Router router = router(provider, CachePolicy.disabled()).build()) {
            router.completion(ChatRequest.ofUser("gpt-4o", "q"));
            ChatResponse second = router.completion(ChatRequest.ofUser("gpt-4o", "q"));

            assertThat(provider.callCount()).isEqualTo(2);
            assertThat(second.cache()).isEmpty();
            assertThat(router.spend().cacheHits()).isZero();
        }
    }

    @Test
    void givenRequestBuiltTwoWays_whenCompletion_thenSameEntryServes() {
        FakeProvider provider = FakeProvider.replying("ok");
        try (Router router = router(provider, CachePolicy.builder().build()).build()) {
            router.completion(ChatRequest.builder("gpt-4o").addMessage(Message.user("hi")).temperature(0.5)
                    .stop(List.of("END")).user("alice").build());
            ChatResponse second = router.completion(ChatRequest.builder("gpt-4o").user("bob").stop("END")
                    .temperature(0.50).n(1).addMessage(Message.user("hi")).build());
            ChatResponse other = router.completion(ChatRequest.builder("gpt-4o").addMessage(Message.user("hi"))
                    .temperature(0.7).stop("END").build());

            assertThat(second.cache()).isPresent();
            assertThat(other.cache()).isEmpty();
            assertThat(provider.callCount()).isEqualTo(2);
        }
    }

    @Test
    void noCacheSkipsTheReadButStores_noStoreReadsButDoesNotStore() {
        FakeProvider provider = FakeProvider.replying("ok");
        try (Router router = router(provider, CachePolicy.builder().build()).build()) {
            ChatRequest q = ChatRequest.ofUser("gpt-4o", "q");
            router.completion(q, RequestOptions.builder().noStore().build());
            router.completion(q, RequestOptions.builder().noCache().build());
            ChatResponse third = router.completion(q);

            assertThat(provider.callCount()).isEqualTo(2);
            assertThat(third.cache()).isPresent();
        }
    }

    @Test
    void givenTtlAndSMaxAge_whenEntryTooOld_thenMiss() {
        FakeProvider provider = FakeProvider.replying("ok");
        try (Router router = router(provider, CachePolicy.builder().ttl(Duration.ofMinutes(10)).build()).build()) {
            ChatRequest q = ChatRequest.ofUser("gpt-4o", "q");
            router.completion(q, RequestOptions.builder().cacheTtl(Duration.ofMinutes(2)).build());
            time.advance(Duration.ofMinutes(1));
            ChatResponse young = router.completion(q, RequestOptions.builder().sMaxAge(Duration.ofSeconds(90)).build());
            ChatResponse tooOldForCaller = router.completion(q,
                    RequestOptions.builder().sMaxAge(Duration.ofSeconds(30)).noStore().build());
            time.advance(Duration.ofMinutes(2));
            ChatResponse expired = router.completion(q);

            assertThat(young.cache()).isPresent();
            assertThat(tooOldForCaller.cache()).isEmpty();
            assertThat(expired.cache()).isEmpty();
            assertThat(provider.callCount()).isEqualTo(3);
        }
    }

    @Test
    void givenContentFilteredAnswer_whenAskedAgain_thenNotServedFromCache() {
        FakeProvider provider = FakeProvider.builder().reply(answer("", FinishReason.CONTENT_FILTER)).build();
        try (Router router = router(provider, CachePolicy.builder().build()).build()) {
            router.completion(ChatRequest.ofUser("gpt-4o", "q"));
            ChatResponse second = router.completion(ChatRequest.ofUser("gpt-4o", "q"));

            assertThat(second.cache()).isEmpty();
            assertThat(provider.callCount()).isEqualTo(2);
        }
    }

    @Test
    void givenGroupNotOptedIn_whenAskedTwice_thenNotCached() {
        FakeProvider provider = FakeProvider.replying("ok");
        try (Router router = router(provider, CachePolicy.builder().addGroup("cheap").build())
                .deployment(Deployment.builder("cheap", "openai/gpt-4o-mini").id("c1").provider(provider).build())
                .build()) {
            router.completion(ChatRequest.ofUser("gpt-4o", "q"));
            router.completion(ChatRequest.ofUser("gpt-4o", "q"));
            router.completion(ChatRequest.ofUser("cheap", "q"));
            ChatResponse cheap = router.completion(ChatRequest.ofUser("cheap", "q"));

            assertThat(provider.callCount()).isEqualTo(3);
            assertThat(cheap.cache()).isPresent();
        }
    }

    @Test
    void givenPolicyNamingUnknownGroup_whenBuilt_thenRefused() {
        assertThatThrownBy(() -> router(FakeProvider.replying("x"), CachePolicy.builder().addGroup("nope").build())
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("'nope'");
        assertThatThrownBy(() -> router(FakeProvider.replying("x"), CachePolicy.builder().semantic("nope").build())
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("'nope'");
    }

    @Test
    void givenCompletedStream_whenStreamedAgain_thenReplayedAsChunksFromTheCache() throws Exception {
        FakeProvider provider = FakeProvider.builder().stream("Hel", "lo").build();
        try (Router router = router(provider, CachePolicy.builder().build()).build()) {
            List<ChatChunk> firstChunks = new ArrayList<>();
            ChatResponse first = router.streamAsync(ChatRequest.ofUser("gpt-4o", "q"), firstChunks::add)
                    .get(5, TimeUnit.SECONDS);
            List<ChatChunk> replayed = new ArrayList<>();
            ChatResponse second = router.streamAsync(ChatRequest.ofUser("gpt-4o", "q"), replayed::add)
                    .get(5, TimeUnit.SECONDS);
            ChatResponse completion = router.completion(ChatRequest.ofUser("gpt-4o", "q"));

            assertThat(provider.callCount()).isEqualTo(1);
            assertThat(first.text()).isEqualTo("Hello");
            assertThat(second.cache()).isPresent();
            assertThat(second.text()).isEqualTo("Hello");
            io.llmrouter.api.chat.ChatStreamAccumulator acc = new io.llmrouter.api.chat.ChatStreamAccumulator();
            replayed.forEach(acc::add);
            assertThat(acc.text()).isEqualTo("Hello");
            assertThat(replayed).anySatisfy(c -> assertThat(c.finishReason()).contains(FinishReason.STOP));
            assertThat(replayed.get(0).role()).contains("assistant");
            assertThat(completion.cache()).isPresent();
        }
    }

    @Test
    void givenTwoIdenticalStreamsAtOnce_whenTheFirstCompletes_thenTheSecondGetsItReplayedWithoutACall()
            throws Exception {
        FakeProvider provider = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofSeconds(1))
                .stream("Hel", "lo").build();
        try (Router router = router(provider, CachePolicy.builder().build()).build()) {
            List<ChatChunk> leaderChunks = new CopyOnWriteArrayList<>();
            List<ChatChunk> followerChunks = new CopyOnWriteArrayList<>();
            CompletableFuture<ChatResponse> leader = router.streamAsync(ChatRequest.ofUser("gpt-4o", "q"),
                    leaderChunks::add);
            CompletableFuture<ChatResponse> follower = router.streamAsync(ChatRequest.ofUser("gpt-4o", "q"),
                    followerChunks::add);
            assertThat(followerChunks).isEmpty();
            time.advance(Duration.ofSeconds(2));

            assertThat(leader.get(5, TimeUnit.SECONDS).text()).isEqualTo("Hello");
            assertThat(follower.get(5, TimeUnit.SECONDS).cache()).get().extracting(CacheInfo::age)
                    .isEqualTo(Duration.ZERO);
            io.llmrouter.api.chat.ChatStreamAccumulator acc = new io.llmrouter.api.chat.ChatStreamAccumulator();
            followerChunks.forEach(acc::add);
            assertThat(acc.text()).isEqualTo("Hello");
            assertThat(provider.callCount()).isEqualTo(1);
        }
    }

    @Test
    void givenCompletionCached_whenStreamed_thenStreamServedFromTheCache() {
        FakeProvider provider = FakeProvider.replying("cached words");
        try (Router router = router(provider, CachePolicy.builder().build()).build()) {
            router.completion(ChatRequest.ofUser("gpt-4o", "q"));
            StringBuilder text = new StringBuilder();
            try (ChatStream stream = router.stream(ChatRequest.ofUser("gpt-4o", "q"))) {
                for (ChatChunk c : stream) {
                    c.text().ifPresent(text::append);
                }
            }

            assertThat(text.toString()).isEqualTo("cached words");
            assertThat(provider.callCount()).isEqualTo(1);
        }
    }

    @Test
    void givenBatchWithSomeCachedInputs_whenEmbedding_thenOnlyMissesAreSentAndOrderIsKept() {
        FakeProvider provider = FakeProvider.replying("unused");
        try (Router router = router(FakeProvider.replying("x"), CachePolicy.builder().build())
                .deployment(Deployment.builder("embed", "openai/text-embedding-3-small").id("e1").provider(provider)
                        .build()).build()) {
            EmbeddingResponse first = router.embedding(EmbeddingRequest.of("embed", "a", "b"));
            EmbeddingResponse second = router.embedding(EmbeddingRequest.of("embed", "b", "c", "a"));
            EmbeddingResponse third = router.embedding(EmbeddingRequest.of("embed", "c", "a"));

            assertThat(provider.embeddingRequests()).extracting(EmbeddingRequest::inputs)
                    .containsExactly(List.of("a", "b"), List.of("c"));
            assertThat(second.data()).extracting(Embedding::index).containsExactly(0, 1, 2);
            assertThat(second.data().get(0)).isEqualTo(Embedding.of(0, first.data().get(1).vector()));
            assertThat(second.data().get(2)).isEqualTo(Embedding.of(2, first.data().get(0).vector()));
            assertThat(second.cache()).isEmpty();
            assertThat(third.cache()).isPresent();
            assertThat(third.cost().totalUsd()).get().satisfies(t -> assertThat(t).isZero());
            assertThat(third.data()).extracting(Embedding::index).containsExactly(0, 1);
        }
    }

    /** A provider whose calls all wait for {@link #release}; counts them. */
    private static final class GateProvider implements Provider {
        final AtomicInteger calls = new AtomicInteger();
        final List<CompletableFuture<ChatResponse>> pending = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "gate";
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
            calls.incrementAndGet();
            CompletableFuture<ChatResponse> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        void release(int index, ChatResponse response) {
            pending.get(index).complete(response);
        }
    }

    @Test
    void given64ConcurrentIdenticalMisses_whenLeaderAnswers_thenOneUpstreamCallAndEveryoneGetsTheAnswer()
            throws Exception {
        GateProvider gate = new GateProvider();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try (Router router = router(gate, CachePolicy.builder().build()).build()) {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<CompletableFuture<ChatResponse>>> submitted = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                submitted.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return router.completionAsync(ChatRequest.ofUser("gpt-4o", "same question"));
                }, pool));
            }
            start.countDown();
            List<CompletableFuture<ChatResponse>> answers = new ArrayList<>();
            for (var s : submitted) {
                answers.add(s.get(5, TimeUnit.SECONDS));
            }
            assertThat(gate.calls.get()).isEqualTo(1);
            gate.release(0, answer("shared", FinishReason.STOP));

            for (CompletableFuture<ChatResponse> a : answers) {
                assertThat(a.get(5, TimeUnit.SECONDS).text()).isEqualTo("shared");
            }
            assertThat(gate.calls.get()).isEqualTo(1);
            assertThat(answers.stream().filter(a -> a.join().cache().isEmpty()).count()).isEqualTo(1);
            assertThat(router.spend().cacheHits()).isEqualTo(63);
            assertThat(hits).hasSize(63).allSatisfy(e -> assertThat(e.shared()).isTrue());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenLeaderStillWaiting_whenFollowersDeadlinePasses_thenFollowerTimesOutAlone() throws Exception {
        GateProvider gate = new GateProvider();
        try (Router router = router(gate, CachePolicy.builder().build()).build()) {
            CompletableFuture<ChatResponse> leader = router.completionAsync(ChatRequest.ofUser("gpt-4o", "q"));
            CompletableFuture<ChatResponse> follower = router.completionAsync(ChatRequest.ofUser("gpt-4o", "q"),
                    RequestOptions.builder().timeouts(t -> t.deadline(Duration.ofSeconds(2))).build());
            time.advance(Duration.ofSeconds(3));

            assertThat(follower).isCompletedExceptionally();
            assertThatThrownBy(() -> follower.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(
                    RequestTimeoutException.class);
            assertThat(leader).isNotDone();
            gate.release(0, answer("late", FinishReason.STOP));
            assertThat(leader.get(5, TimeUnit.SECONDS).text()).isEqualTo("late");
            assertThat(gate.calls.get()).isEqualTo(1);
        }
    }

    @Test
    void givenLeaderFails_whenFollowersWaiting_thenEachMakesItsOwnCall() throws Exception {
        GateProvider gate = new GateProvider();
        try (Router router = router(gate, CachePolicy.builder().build()).retryPolicy(r -> r.numRetries(0)).build()) {
            CompletableFuture<ChatResponse> leader = router.completionAsync(ChatRequest.ofUser("gpt-4o", "q"));
            CompletableFuture<ChatResponse> follower = router.completionAsync(ChatRequest.ofUser("gpt-4o", "q"));
            gate.pending.get(0).completeExceptionally(
                    io.llmrouter.api.exception.LlmRouterException.ofStatus(500, "boom",
                            io.llmrouter.api.exception.ErrorContext.none(), null));

            assertThatThrownBy(() -> leader.get(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(gate.calls.get()).isEqualTo(2);
            gate.release(1, answer("own", FinishReason.STOP));
            assertThat(follower.get(5, TimeUnit.SECONDS).text()).isEqualTo("own");
        }
    }

    @Test
    void givenIdenticalRequestInFlight_whenNoCacheRequest_thenItMakesItsOwnCall() throws Exception {
        GateProvider gate = new GateProvider();
        try (Router router = router(gate, CachePolicy.builder().build()).build()) {
            CompletableFuture<ChatResponse> leader = router.completionAsync(ChatRequest.ofUser("gpt-4o", "q"));
            CompletableFuture<ChatResponse> fresh = router.completionAsync(ChatRequest.ofUser("gpt-4o", "q"),
                    RequestOptions.builder().noCache().build());

            assertThat(gate.calls.get()).isEqualTo(2);
            gate.release(1, answer("fresh", FinishReason.STOP));
            gate.release(0, answer("first", FinishReason.STOP));
            assertThat(fresh.get(5, TimeUnit.SECONDS).text()).isEqualTo("fresh");
            assertThat(leader.get(5, TimeUnit.SECONDS).text()).isEqualTo("first");
        }
    }

    /** Embeds by a table: texts about France point one way, everything else another. */
    private static final class TopicEmbeddings implements Provider {
        final AtomicInteger calls = new AtomicInteger();

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
            calls.incrementAndGet();
            EmbeddingResponse.Builder b = EmbeddingResponse.builder().model("topic-embed");
            List<String> inputs = call.request().inputs();
            for (int i = 0; i < inputs.size(); i++) {
                String t = inputs.get(i).toLowerCase(java.util.Locale.ROOT);
                float[] v = t.contains("france") ? new float[] {1f, 0.02f * t.length() % 0.1f, 0f}
                        : new float[] {0f, 0f, 1f};
                b.addEmbedding(Embedding.of(i, v));
            }
            return CompletableFuture.completedFuture(b.usage(Usage.of(3, 0)).build());
        }
    }

    @Test
    void givenSemanticCache_whenSimilarQuestion_thenSemanticHitAndUnrelatedQuestionMisses() {
        FakeProvider chat = FakeProvider.replying("Paris");
        TopicEmbeddings embedder = new TopicEmbeddings();
        try (Router router = router(chat, CachePolicy.builder().addGroup("gpt-4o").semantic("embed")
                .semanticThreshold(0.9).build())
                .deployment(Deployment.builder("embed", "topics/embed").id("e").provider(embedder).build())
                .provider("topics", embedder)
                .build()) {
            router.completion(ChatRequest.ofUser("gpt-4o", "What is the capital of France?"));
            ChatResponse similar = router.completion(ChatRequest.ofUser("gpt-4o", "capital of france, please"));
            ChatResponse unrelated = router.completion(ChatRequest.ofUser("gpt-4o", "How tall is Everest?"));
            ChatResponse otherParams = router.completion(ChatRequest.builder("gpt-4o")
                    .addMessage(Message.user("capital of France")).temperature(0.2).build());

            assertThat(similar.cache()).get().extracting(CacheInfo::semantic).isEqualTo(true);
            assertThat(similar.text()).isEqualTo("Paris");
            assertThat(unrelated.cache()).isEmpty();
            assertThat(otherParams.cache()).isEmpty();
            assertThat(chat.callCount()).isEqualTo(3);
            assertThat(hits).singleElement().satisfies(e -> assertThat(e.semantic()).isTrue());
        }
    }

    /** Wraps the in-memory cache and keeps every key and value written, for the secret scan. */
    private static final class RecordingCache implements ResponseCache {
        final Map<String, byte[]> written = new ConcurrentHashMap<>();
        final Map<String, List<byte[]>> candidates = new ConcurrentHashMap<>();

        @Override
        public CompletableFuture<Optional<byte[]>> get(String key) {
            return CompletableFuture.completedFuture(Optional.ofNullable(written.get(key)));
        }

        @Override
        public CompletableFuture<Void> put(String key, byte[] value, Duration ttl) {
            written.put(key, value);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<List<byte[]>> candidates(String scope) {
            return CompletableFuture.completedFuture(List.copyOf(candidates.getOrDefault(scope, List.of())));
        }

        @Override
        public CompletableFuture<Void> addCandidate(String scope, byte[] candidate, int max, Duration ttl) {
            candidates.computeIfAbsent(scope, k -> new CopyOnWriteArrayList<>()).add(0, candidate);
            return CompletableFuture.completedFuture(null);
        }
    }

    @Test
    void noSecretInAnyKeyOrStoredValue() {
        RecordingCache cache = new RecordingCache();
        TopicEmbeddings embedder = new TopicEmbeddings();
        FakeProvider chat = FakeProvider.replying("about France: Paris");
        try (Router router = router(chat, CachePolicy.builder().backend(cache).semantic("embed").build())
                .deployment(Deployment.builder("embed", "topics/embed").id("e").apiKey(Secret.of(API_KEY + "-e"))
                        .provider(embedder).build())
                .provider("topics", embedder).build()) {
            router.completion(ChatRequest.builder("gpt-4o").addMessage(Message.user("about france")).user("alice")
                    .build());
            router.embedding(EmbeddingRequest.of("embed", "x", "y"));

            assertThat(cache.written).isNotEmpty();
            assertThat(cache.candidates).isNotEmpty();
            List<String> everything = new ArrayList<>();
            cache.written.forEach((k, v) -> {
                everything.add(k);
                everything.add(new String(v, StandardCharsets.UTF_8));
            });
            cache.candidates.forEach((k, v) -> {
                everything.add(k);
                v.forEach(c -> everything.add(new String(c, StandardCharsets.UTF_8)));
            });
            assertThat(everything).noneSatisfy(s -> assertThat(s).contains("sk-test"));
            assertThat(everything).noneSatisfy(s -> assertThat(s).contains("alice"));
            assertThat(cache.written.keySet()).allSatisfy(k -> assertThat(k).matches("(chat|emb):[0-9a-f]{64}"));
        }
    }

    @Test
    void givenNamespace_whenSameRequestInOtherNamespace_thenMiss() {
        FakeProvider provider = FakeProvider.replying("ok");
        try (Router router = router(provider, CachePolicy.builder().namespace("app-a").build()).build()) {
            router.completion(ChatRequest.ofUser("gpt-4o", "q"));
            ChatResponse other = router.completion(ChatRequest.ofUser("gpt-4o", "q"),
                    RequestOptions.builder().cacheNamespace("app-b").build());
            ChatResponse same = router.completion(ChatRequest.ofUser("gpt-4o", "q"));

            assertThat(other.cache()).isEmpty();
            assertThat(same.cache()).isPresent();
        }
    }

    @Test
    void describeShowsTheCacheConfiguration() {
        try (Router router = router(FakeProvider.replying("x"), CachePolicy.builder().addGroup("gpt-4o")
                .ttl(Duration.ofHours(1)).build()).build()) {
            String markdown = router.describe().toMarkdown();
            String json = router.describe().toJson();

            assertThat(markdown).contains("## Response cache").contains("in-memory").contains("PT1H");
            assertThat(json).contains("\"cache\"");
        }
        try (Router router = router(FakeProvider.replying("x"), CachePolicy.disabled()).build()) {
            assertThat(router.describe().toMarkdown()).contains("## Response cache").contains("off");
        }
    }
}
