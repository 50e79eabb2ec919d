package io.llmrouter.internal;

import io.llmrouter.CachePolicy;
import io.llmrouter.RequestOptions;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.CacheInfo;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.spi.CacheEvent;
import io.llmrouter.spi.ResponseCache;
import io.llmrouter.spi.RouterCall;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response-cache step, before routing (see {@link RequestExecution}'s list of steps): looks the
 * request up (exactly, then by meaning when the semantic cache is on), serves a hit without any
 * provider call, charge, budget or rpm/tpm reservation, makes concurrent identical misses share one
 * upstream call (single flight), and stores an answer the policy allows. Only built when the cache
 * is on: with it off, the router pays one null check.
 *
 * <p>Thread-safe: per-request state lives in a {@link Lookup}; shared state is the backend, the
 * flights map and the counters.
 */
final class CacheStep {

    private static final Logger log = LoggerFactory.getLogger(CacheStep.class);

    /** The cost of a hit: priced, zero. */
    static final Cost FREE = Cost.builder().pricedBy("response cache").build();

    private final RouterEngine engine;
    private final CachePolicy policy;
    private final ResponseCache backend;
    private final Clock clock;
    /** The upstream call of each key that missed and is in flight, when single flight is on. */
    private final ConcurrentHashMap<String, CompletableFuture<Shared>> flights = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final AtomicReference<BigDecimal> saved = new AtomicReference<>(BigDecimal.ZERO);

    /** An answer a leader shares with the requests that waited for it, and when it arrived. */
    private record Shared(ChatResponse response, long arrivedAt) {
    }

    /** One chat request's cache state. */
    private static final class Lookup {
        /** The call's listener identity, or null when no listener is registered. */
        final RouterCall call;
        final Operation<ChatRequest, ChatResponse> op;
        final ChatRequest request;
        final RequestOptions options;
        final String key;
        final String namespace;
        final CompletableFuture<ChatResponse> result = new CompletableFuture<>();
        /** The request's text's vector, when the semantic cache embedded it. */
        volatile float[] vector;

        Lookup(RouterCall call, Operation<ChatRequest, ChatResponse> op, ChatRequest request, RequestOptions options,
                String key, String namespace) {
            this.call = call;
            this.op = op;
            this.request = request;
            this.options = options;
            this.key = key;
            this.namespace = namespace;
        }
    }

    CacheStep(RouterEngine engine, CachePolicy policy, ResponseCache backend, Clock clock) {
        this.engine = engine;
        this.policy = policy;
        this.backend = backend;
        this.clock = clock;
    }

    /** Whether requests naming {@code group} go through this step. */
    boolean covers(String group) {
        return policy.covers(group);
    }

    CachePolicy policy() {
        return policy;
    }

    ResponseCache backend() {
        return backend;
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    BigDecimal savedUsd() {
        return saved.get();
    }

    /** Runs the step for a request of a covered group; never throws. */
    @SuppressWarnings("unchecked")
    <Q extends RouterRequest, R extends RouterResponse> CompletableFuture<R> execute(RouterCall call,
            Operation<Q, R> op, Q request, RequestOptions options) {
        if (request instanceof EmbeddingRequest e) {
            return (CompletableFuture<R>) embeddings(call, (Operation<EmbeddingRequest, EmbeddingResponse>) op, e,
                    options);
        }
        return (CompletableFuture<R>) chat(call, (Operation<ChatRequest, ChatResponse>) op, (ChatRequest) request,
                options);
    }

    // ---- chat ----

    private CompletableFuture<ChatResponse> chat(RouterCall call, Operation<ChatRequest, ChatResponse> op,
            ChatRequest request, RequestOptions options) {
        String ns = options.cacheNamespace().orElse(policy.namespace().orElse(null));
        Lookup l = new Lookup(call, op, request, options, CacheKeys.chat(request.model(), request, ns), ns);
        if (options.isNoCache()) {
            // Wants a fresh answer: neither the cache nor a concurrent identical request's answer.
            countMiss(l.call, l.request);
            upstream(l, null);
            return l.result;
        }
        read(l.key).whenComplete((entry, error) -> {
            if (entry != null && entry.response() != null && usable(entry, options)) {
                serve(l, entry, false);
            } else if (policy.semanticGroup().isPresent()) {
                semantic(l);
            } else {
                missed(l);
            }
        });
        return l.result;
    }

    /** The decoded entry of {@code key}, or null (a miss, also when the backend failed). */
    private CompletableFuture<CacheEntries.Entry> read(String key) {
        CompletableFuture<Optional<byte[]>> got;
        try {
            got = backend.get(key);
        } catch (RuntimeException e) {
            got = CompletableFuture.failedFuture(e);
        }
        return got.handle((value, error) -> {
            if (error != null) {
                log.debug("response cache read failed; counted as a miss: {}", error.toString());
                return null;
            }
            return value.map(CacheEntries::read).orElse(null);
        });
    }

    private boolean usable(CacheEntries.Entry entry, RequestOptions options) {
        return entry.usableAt(clock.millis(), options.sMaxAge().map(Duration::toMillis).orElse(-1L));
    }

    /** Semantic lookup after an exact miss: embed the text, score the scope's candidates, read the best. */
    private void semantic(Lookup l) {
        String text = textOf(l.request);
        String scope = CacheKeys.scope(l.request.model(), l.request, l.namespace);
        engine.embed(EmbeddingRequest.of(policy.semanticGroup().get(), text), RequestOptions.none())
                .thenCompose(embedded -> {
                    l.vector = embedded.data().get(0).vector();
                    return backend.candidates(scope);
                })
                .thenCompose(candidates -> {
                    String best = null;
                    double bestScore = -1;
                    for (byte[] c : candidates) {
                        CacheEntries.Candidate cand = CacheEntries.readCandidate(c);
                        if (cand == null) {
                            continue;
                        }
                        double score = CacheEntries.cosine(l.vector, cand.vector());
                        if (score >= policy.semanticThreshold() && score > bestScore) {
                            best = cand.key();
                            bestScore = score;
                        }
                    }
                    return best == null ? CompletableFuture.completedFuture((CacheEntries.Entry) null) : read(best);
                })
                .whenComplete((entry, error) -> {
                    if (error != null) {
                        log.debug("semantic cache lookup failed; counted as a miss: {}", error.toString());
                    }
                    if (error == null && entry != null && entry.response() != null && usable(entry, l.options)) {
                        serve(l, entry, true);
                    } else {
                        missed(l);
                    }
                });
    }

    /** The text the semantic cache embeds: each message's role and text, one per line. */
    static String textOf(ChatRequest request) {
        StringBuilder sb = new StringBuilder();
        for (Message m : request.messages()) {
            sb.append(m.role().name().toLowerCase(java.util.Locale.ROOT)).append(": ").append(m.text()).append('\n');
        }
        return sb.toString();
    }

    private void serve(Lookup l, CacheEntries.Entry entry, boolean semantic) {
        long now = clock.millis();
        Duration age = Duration.ofMillis(Math.max(0, now - entry.storedAt()));
        ChatResponse response = entry.response().toBuilder().cost(FREE)
                .routing(RoutingInfo.of(l.request.model(), l.request.model(), entry.deploymentId(), entry.route(),
                        List.of()))
                .cache(new CacheInfo(Instant.ofEpochMilli(entry.storedAt()), age, semantic)).build();
        hit(l, response, new CacheEvent(l.request, l.request.model(), semantic, false, age, entry.savedUsd()));
    }

    /** Hands a hit (or shared answer) to the caller: replayed to a stream's consumer, then the future. */
    private void hit(Lookup l, ChatResponse response, CacheEvent event) {
        if (l.result.isDone()) {
            return;
        }
        if (l.op instanceof StreamOperation stream) {
            try {
                stream.replay(response);
            } catch (LlmRouterException e) {
                engine.notifyCall(l.call, l.request.model(), null, x -> x.onFailure(l.call, e));
                l.result.completeExceptionally(e);
                return;
            }
        }
        hits.increment();
        saved.accumulateAndGet(event.savedUsd(), BigDecimal::add);
        engine.notifyCall(l.call, l.request.model(), null, x -> {
            x.onCacheHit(event);
            x.onSuccess(l.call, response);
        });
        l.result.complete(response);
    }

    /** No usable entry: one upstream call per key (single flight), or this request's own. */
    private void missed(Lookup l) {
        countMiss(l.call, l.request);
        if (!policy.singleFlight()) {
            upstream(l, null);
            return;
        }
        CompletableFuture<Shared> mine = new CompletableFuture<>();
        CompletableFuture<Shared> leader = flights.putIfAbsent(l.key, mine);
        if (leader == null) {
            upstream(l, mine);
        } else {
            follow(l, leader);
        }
    }

    private void countMiss(RouterCall call, RouterRequest request) {
        misses.increment();
        engine.notifyCall(call, request.model(), null, x -> x.onCacheMiss(new CacheEvent(request, request.model(),
                false, false, Duration.ZERO, BigDecimal.ZERO)));
    }

    /**
     * Waits for the leader's answer, at most until this request's own deadline; the leader's
     * failure sends this request upstream on its own (so each gets its own error).
     */
    private void follow(Lookup l, CompletableFuture<Shared> leader) {
        Duration deadline = engine.settings().deadline(l.options);
        ScheduledFuture<?> timer = deadline == null ? null : engine.scheduler().schedule(() -> {
            RequestTimeoutException e = new RequestTimeoutException("deadline of " + deadline
                    + " exceeded for model group '" + l.request.model()
                    + "' while waiting for an identical request's answer",
                    ErrorContext.builder().model(l.request.model()).build());
            if (l.result.completeExceptionally(e)) {
                engine.notifyCall(l.call, l.request.model(), null, x -> x.onFailure(l.call, e));
            }
        }, deadline.toNanos(), TimeUnit.NANOSECONDS);
        leader.whenComplete((shared, error) -> {
            if (timer != null) {
                timer.cancel(false);
            }
            if (l.result.isDone()) {
                return;
            }
            if (error != null) {
                upstream(l, null);
                return;
            }
            ChatResponse r = shared.response();
            Duration age = Duration.ofMillis(Math.max(0, clock.millis() - shared.arrivedAt()));
            ChatResponse response = r.toBuilder().cost(FREE)
                    .routing(RoutingInfo.of(l.request.model(), r.routing().map(RoutingInfo::modelGroup)
                            .orElse(l.request.model()), r.routing().map(RoutingInfo::deploymentId).orElse("cache"),
                            r.routing().map(RoutingInfo::providerRoute).orElse("cache/cache"), List.of()))
                    .cache(new CacheInfo(Instant.ofEpochMilli(shared.arrivedAt()), age, false)).build();
            hit(l, response, new CacheEvent(l.request, l.request.model(), false, true, age,
                    r.cost().totalUsd().orElse(BigDecimal.ZERO)));
        });
    }

    /** Routes the request; stores its answer; completes the flight it leads, if any. */
    private void upstream(Lookup l, CompletableFuture<Shared> flight) {
        CompletableFuture<ChatResponse> call = engine.executeUncached(l.call, l.op, l.request, l.options);
        l.result.whenComplete((r, e) -> {
            if (l.result.isCancelled()) {
                call.cancel(true);
            }
        });
        call.whenComplete((response, error) -> {
            if (flight != null) {
                flights.remove(l.key, flight);
            }
            if (error != null) {
                if (flight != null) {
                    flight.completeExceptionally(error);
                }
                l.result.completeExceptionally(Futures.unwrap(error));
                return;
            }
            long now = clock.millis();
            store(l, response, now);
            if (flight != null) {
                flight.complete(new Shared(response, now));
            }
            l.result.complete(response);
        });
    }

    private void store(Lookup l, ChatResponse response, long now) {
        if (l.options.isNoStore() || !storable(response)) {
            return;
        }
        Duration ttl = l.options.cacheTtl().orElse(policy.ttl());
        RoutingInfo routing = response.routing().orElse(null);
        byte[] value = CacheEntries.chat(response, now, now + ttl.toMillis(),
                response.cost().totalUsd().orElse(null), routing == null ? "unknown" : routing.deploymentId(),
                routing == null ? "unknown/unknown" : routing.providerRoute());
        quietly(() -> backend.put(l.key, value, ttl));
        float[] vector = l.vector;
        if (vector != null) {
            String scope = CacheKeys.scope(l.request.model(), l.request, l.namespace);
            quietly(() -> backend.addCandidate(scope, CacheEntries.candidate(l.key, vector),
                    policy.semanticMaxEntries(), ttl));
        }
    }

    /**
     * Whether every choice ended with a finish reason the policy stores; never an interceptor's
     * answer (the interceptor decides afresh for every request).
     */
    private boolean storable(ChatResponse response) {
        if (response.routing().map(RoutingInfo::isDegraded).orElse(false)) {
            return false; // an answer of last resort is for this failure only
        }
        if (response.routing().flatMap(RoutingInfo::interceptor).isPresent()) {
            return false;
        }
        for (Choice c : response.choices()) {
            if (!policy.storedFinishReasons().contains(c.finishReason())) {
                return false;
            }
        }
        return true;
    }

    private static void quietly(java.util.function.Supplier<CompletableFuture<Void>> write) {
        try {
            write.get().whenComplete((v, e) -> {
                if (e != null) {
                    log.debug("response cache write failed; ignored: {}", e.toString());
                }
            });
        } catch (RuntimeException e) {
            log.debug("response cache write failed; ignored: {}", e.toString());
        }
    }

    // ---- embeddings ----

    /**
     * Embeddings, cached per input: a batch with some hits routes only its misses (one call, in
     * their order) and returns every vector in the request's order. Not single-flighted.
     */
    private CompletableFuture<EmbeddingResponse> embeddings(RouterCall call,
            Operation<EmbeddingRequest, EmbeddingResponse> op, EmbeddingRequest request, RequestOptions options) {
        String ns = options.cacheNamespace().orElse(policy.namespace().orElse(null));
        List<String> inputs = request.inputs();
        String[] keys = new String[inputs.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = CacheKeys.embedding(request.model(), request, inputs.get(i), ns);
        }
        CacheEntries.Entry[] found = new CacheEntries.Entry[keys.length];
        CompletableFuture<?>[] reads = new CompletableFuture<?>[options.isNoCache() ? 0 : keys.length];
        for (int i = 0; i < reads.length; i++) {
            int index = i;
            reads[i] = read(keys[i]).thenAccept(e -> {
                if (e != null && e.vector() != null && usable(e, options)) {
                    found[index] = e;
                }
            });
        }
        CompletableFuture<EmbeddingResponse> result = new CompletableFuture<>();
        CompletableFuture.allOf(reads).whenComplete((v, ignored) -> {
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < found.length; i++) {
                if (found[i] == null) {
                    missing.add(i);
                }
            }
            if (missing.isEmpty()) {
                servedEmbeddings(call, request, found, result);
                return;
            }
            countMiss(call, request);
            List<String> texts = new ArrayList<>(missing.size());
            missing.forEach(i -> texts.add(inputs.get(i)));
            EmbeddingRequest sub = missing.size() == inputs.size() ? request
                    : request.toBuilder().inputs(texts).build();
            CompletableFuture<EmbeddingResponse> upstream = engine.executeUncached(call, op, sub, options);
            result.whenComplete((r, e) -> {
                if (result.isCancelled()) {
                    upstream.cancel(true);
                }
            });
            upstream.whenComplete((response, error) -> {
                if (error != null) {
                    result.completeExceptionally(Futures.unwrap(error));
                    return;
                }
                List<Embedding> got = new ArrayList<>(response.data());
                got.sort(Comparator.comparingInt(Embedding::index));
                if (got.size() != missing.size()) {
                    // A provider that answered a different count: pass it on as it is, store nothing.
                    result.complete(response);
                    return;
                }
                long now = clock.millis();
                Duration ttl = options.cacheTtl().orElse(policy.ttl());
                BigDecimal each = response.cost().totalUsd()
                        .map(t -> t.divide(BigDecimal.valueOf(missing.size()), java.math.MathContext.DECIMAL64))
                        .orElse(null);
                RoutingInfo routing = response.routing().orElse(null);
                List<Embedding> all = new ArrayList<>(inputs.size());
                int next = 0;
                for (int i = 0; i < inputs.size(); i++) {
                    if (found[i] != null) {
                        all.add(Embedding.of(i, found[i].vector()));
                    } else {
                        float[] vector = got.get(next++).vector();
                        all.add(Embedding.of(i, vector));
                        if (!options.isNoStore()) {
                            byte[] value = CacheEntries.embedding(response.model(), vector, now, now + ttl.toMillis(),
                                    each, routing == null ? "unknown" : routing.deploymentId(),
                                    routing == null ? "unknown/unknown" : routing.providerRoute());
                            String key = keys[i];
                            quietly(() -> backend.put(key, value, ttl));
                        }
                    }
                }
                result.complete(response.toBuilder().data(all).build());
            });
        });
        return result;
    }

    private void servedEmbeddings(RouterCall call, EmbeddingRequest request, CacheEntries.Entry[] found,
            CompletableFuture<EmbeddingResponse> result) {
        long now = clock.millis();
        long oldest = Long.MAX_VALUE;
        BigDecimal savedUsd = BigDecimal.ZERO;
        List<Embedding> data = new ArrayList<>(found.length);
        for (int i = 0; i < found.length; i++) {
            data.add(Embedding.of(i, found[i].vector()));
            oldest = Math.min(oldest, found[i].storedAt());
            savedUsd = savedUsd.add(found[i].savedUsd());
        }
        Duration age = Duration.ofMillis(Math.max(0, now - oldest));
        CacheEntries.Entry first = found[0];
        EmbeddingResponse response = EmbeddingResponse.builder().model(first.model() == null ? request.model()
                : first.model()).data(data).cost(FREE)
                .routing(RoutingInfo.of(request.model(), request.model(), first.deploymentId(), first.route(),
                        List.of()))
                .cache(new CacheInfo(Instant.ofEpochMilli(oldest), age, false)).build();
        CacheEvent event = new CacheEvent(request, request.model(), false, false, age, savedUsd);
        hits.increment();
        saved.accumulateAndGet(savedUsd, BigDecimal::add);
        engine.notifyCall(call, request.model(), null, x -> {
            x.onCacheHit(event);
            x.onSuccess(call, response);
        });
        result.complete(response);
    }
}
